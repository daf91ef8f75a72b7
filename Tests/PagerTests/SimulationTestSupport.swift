import Foundation
@testable import Pager

/// Helpers for the simulation tests: files on a simulated file system and buffers with known bytes.
enum Simulation {
    /// Seeds 0..<count, or 0..<RINGLITE_SIM_SEEDS when that is set: longer runs are one
    /// environment variable away (`RINGLITE_SIM_SEEDS=5000 swift test --filter SimulatedWAL`).
    static func seeds(_ count: Int) -> Range<UInt64> {
        let chosen = ProcessInfo.processInfo.environment["RINGLITE_SIM_SEEDS"].flatMap { Int($0) } ?? count
        return 0..<UInt64(max(1, chosen))
    }

    static func open(_ fileSystem: SimulatedFileSystem, _ path: String, readOnly: Bool = false) -> StorageFile {
        try! fileSystem.open(path, options: FileOpenOptions(create: !readOnly, readOnly: readOnly))
    }

    /// A buffer holding `bytes`.
    static func buffer(_ bytes: [UInt8]) -> IOBuffer {
        let buffer = IOBuffer.allocate(count: bytes.count)
        bytes.withUnsafeBytes { buffer.bytes.copyMemory(from: $0) }
        return buffer
    }

    /// `count` bytes that differ from one `seed` to another and from one offset to the next.
    static func pattern(_ count: Int, seed: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: ($0 &* 131 &+ seed &* 977 &+ ($0 >> 9) &* 17) % 251 + 1) }
    }

    static func bytes(_ buffer: IOBuffer) -> [UInt8] { Array(UnsafeRawBufferPointer(buffer.bytes)) }

    /// The bytes at `range` of `image`, with zeros past its end (what a file that short reads as
    /// once it has grown).
    static func slice(_ image: [UInt8], _ range: Range<Int>) -> ArraySlice<UInt8> {
        if range.upperBound <= image.count { return image[range] }
        var padded = Array(image[min(range.lowerBound, image.count)..<image.count])
        padded += repeatElement(0, count: range.count - padded.count)
        return padded[...]
    }

    /// The first sector of `result` that holds neither its old nor its new bytes (nil when there is
    /// none), or -1 when `result`'s size is neither size nor between them. What a crash may leave
    /// of writes that each landed whole, one per sector.
    static func sectorNeitherOldNorNew(_ result: [UInt8], old: [UInt8], new: [UInt8], sectorSize: Int = 512) -> Int? {
        firstBadSector(result, old: old, new: new, sectorSize: sectorSize) { sector, old, new in sector == old || sector == new }
    }

    /// Like `sectorNeitherOldNorNew`, but a sector may also hold new bytes up to some point and
    /// old bytes after it: what a crash may leave when writes landed in parts (short writes),
    /// each part whole or not at all, in order within a sector.
    static func sectorNotInHistory(_ result: [UInt8], old: [UInt8], new: [UInt8], sectorSize: Int = 512) -> Int? {
        firstBadSector(result, old: old, new: new, sectorSize: sectorSize) { sector, old, new in
            let split = zip(sector, new).prefix { $0 == $1 }.count
            return sector.dropFirst(split).elementsEqual(old.dropFirst(split))
        }
    }

    private static func firstBadSector(_ result: [UInt8], old: [UInt8], new: [UInt8], sectorSize: Int,
                                       _ allowed: (ArraySlice<UInt8>, ArraySlice<UInt8>, ArraySlice<UInt8>) -> Bool) -> Int? {
        guard result.count <= max(old.count, new.count), result.count >= min(old.count, new.count) else { return -1 }
        var start = 0
        while start < result.count {
            let range = start..<min(start + sectorSize, result.count)
            if !allowed(result[range], slice(old, range), slice(new, range)) { return start / sectorSize }
            start += sectorSize
        }
        return nil
    }

    // MARK: Pages through the real Pager

    /// Fills a page with bytes that name the page and the transaction that wrote it.
    static func fill(_ page: PageRef, version: Int, pageSize: Int) {
        for offset in stride(from: 0, to: pageSize, by: 8) {
            let word = UInt64(page.pgno) << 48 | UInt64(version) << 32 | UInt64(offset)
            page.bytes.storeBytes(of: word, toByteOffset: offset, as: UInt64.self)
        }
    }

    static func holds(_ page: PageRef, version: Int) -> Bool {
        stride(from: 0, to: page.bytes.count, by: 8).allSatisfy { offset in
            page.bytes.load(fromByteOffset: offset, as: UInt64.self) == UInt64(page.pgno) << 48 | UInt64(version) << 32 | UInt64(offset)
        }
    }

    /// One transaction: creates the database when it is empty, then writes pages 2...pages with
    /// `version`'s bytes (rewriting those that exist, appending the others) and commits; rolls
    /// back when anything fails.
    static func write(_ pager: Pager, pages: UInt32, version: Int) throws {
        try pager.beginWrite()
        do {
            if pager.databaseSize == 0 {
                let page1 = try pager.allocateAtEnd()
                pager.writeNewDatabaseHeader(page1)
                pager.release(page1)
            }
            for pgno in 2...pages {
                let page: PageRef
                if pgno <= pager.databaseSize {
                    page = try pager.page(pgno)
                    pager.makeWritable(page)
                } else {
                    page = try pager.allocateAtEnd()
                }
                fill(page, version: version, pageSize: pager.pageSize)
                pager.release(page)
            }
            try pager.commit()
        } catch {
            if pager.transaction == .write { pager.rollback() }
            throw error
        }
    }
}
