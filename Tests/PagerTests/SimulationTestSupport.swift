@testable import Pager

/// Helpers for the simulation tests: files on a simulated file system and buffers with known bytes.
enum Simulation {
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
}
