@testable import BTree

/// Independent checks of a page's layout, used after every edit.
enum PageChecks {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Header, pointers, cells and free bytes must add up to the usable size with no overlap, and
    /// the page's free-space count must equal both a fresh walk and a count made here.
    static func checkLayout(_ page: BTreePage, _ bytes: UnsafeRawBufferPointer) throws {
        var used = [Bool](repeating: false, count: page.usableSize)
        func claim(_ range: Range<Int>, _ what: String) throws {
            guard range.lowerBound >= 0, range.upperBound <= page.usableSize else {
                throw Failure(description: "\(what) \(range) outside the usable area")
            }
            for offset in range {
                if used[offset] { throw Failure(description: "\(what) overlaps at \(offset)") }
                used[offset] = true
            }
        }
        try claim(0..<page.cellPointerArrayEnd, "header")
        var cellBytes = 0
        for index in 0..<page.cellCount {
            let cell = try page.cell(at: index, in: bytes)
            try claim(cell.cellOffset..<cell.cellOffset + cell.cellSize, "cell \(index)")
            cellBytes += cell.cellSize
        }
        var block = page.firstFreeblock(in: bytes)
        var freeblockBytes = 0
        var steps = 0
        while block != 0 {
            steps += 1
            guard steps < 10000 else { throw Failure(description: "freeblock chain loops") }
            let size = BigEndian.read16(bytes, at: block + 2)
            guard size >= 4 else { throw Failure(description: "freeblock \(block) of size \(size)") }
            try claim(block..<block + size, "freeblock \(block)")
            freeblockBytes += size
            block = BigEndian.read16(bytes, at: block)
        }
        let fragments = page.fragmentedBytes(in: bytes)
        guard fragments <= 60 else { throw Failure(description: "\(fragments) fragmented bytes") }
        let contentStart = page.cellContentStart(in: bytes)
        for offset in page.cellPointerArrayEnd..<contentStart where used[offset] {
            throw Failure(description: "something lies in the gap at \(offset)")
        }
        let counted = contentStart - page.cellPointerArrayEnd + freeblockBytes + fragments
        let walked = try page.computeFreeSpace(in: bytes)
        guard page.freeSpace == counted, walked == counted else {
            throw Failure(description: "free space \(page.freeSpace), walked \(walked), counted \(counted)")
        }
        guard page.cellPointerArrayEnd + cellBytes + page.freeSpace == page.usableSize else {
            throw Failure(description: "page bytes do not add up to the usable size")
        }
    }
}
