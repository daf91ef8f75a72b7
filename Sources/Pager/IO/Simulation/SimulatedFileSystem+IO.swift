/// The simulated kernel's side of each transfer: `SimulatedIO` calls these when an attempt
/// completes, so a write lands (and takes its sequence number) in completion order, not in
/// submission order.
extension SimulatedFileSystem {
    /// Copies up to `count` bytes at `offset` into `buffer`; returns how many there were (fewer at
    /// the end of the file, 0 past it).
    func read(_ file: SimulatedFile, into buffer: UnsafeMutableRawPointer, count: Int, offset: Int64) throws(Errno) -> Int {
        try withLiveNode(file) { node, _ in node.data.read(into: buffer, count: count, offset: Int(offset)) }
    }

    /// Lands `bytes` at `offset`, or as much of their start as the capacity leaves room for;
    /// returns how many landed. Fails with ENOSPC when not one byte fits.
    func write(_ file: SimulatedFile, _ bytes: [UInt8], at offset: Int64) throws(Errno) -> Int {
        guard !file.readOnly else { throw Errno.badFileDescriptor }
        let capacity = self.capacity
        return try withLiveNode(file, mutates: true) { (node, state) throws(Errno) -> Int in
            let start = Int(offset)
            var count = bytes.count
            if let capacity {
                // The most bytes this write may move without the files outgrowing the disk.
                let room = capacity - state.usedBytes + node.data.size - start
                count = min(count, max(0, room))
                if count == 0 && bytes.count > 0 { throw Errno.noSpace }
            }
            state.sequence += 1
            let before = node.data.size
            bytes.withUnsafeBytes { node.data.write(UnsafeRawBufferPointer(rebasing: $0[..<count]), at: start, sequence: state.sequence) }
            state.usedBytes += node.data.size - before
            return count
        }
    }

    /// Lands only `pieces` of the write of `bytes` at `offset` (byte ranges of the file, within
    /// the write): what a device that failed mid-write leaves behind.
    func writePieces(_ file: SimulatedFile, _ bytes: [UInt8], at offset: Int64, pieces: [Range<Int>]) throws(Errno) {
        guard !file.readOnly else { throw Errno.badFileDescriptor }
        try withLiveNode(file, mutates: true) { node, state in
            let start = Int(offset)
            for piece in pieces {
                precondition(piece.lowerBound >= start && piece.upperBound <= start + bytes.count, "a torn piece lies outside its write")
                state.sequence += 1
                let before = node.data.size
                bytes.withUnsafeBytes { source in
                    let slice = UnsafeRawBufferPointer(rebasing: source[(piece.lowerBound - start)..<(piece.upperBound - start)])
                    node.data.write(slice, at: piece.lowerBound, sequence: state.sequence)
                }
                state.usedBytes += node.data.size - before
            }
        }
    }

    /// Sets the file's size (growing with zeros).
    func truncate(_ file: SimulatedFile, to length: Int64) throws(Errno) {
        guard !file.readOnly else { throw Errno.badFileDescriptor }
        guard length >= 0 else { throw Errno.invalid }
        let capacity = self.capacity
        try withLiveNode(file, mutates: true) { (node, state) throws(Errno) in
            let before = node.data.size
            if let capacity, Int(length) > before, state.usedBytes + Int(length) - before > capacity { throw Errno.noSpace }
            state.sequence += 1
            node.data.resize(to: Int(length), sequence: state.sequence)
            state.usedBytes += node.data.size - before
        }
    }

    /// The sequence number of the latest change: an fsync submitted now covers every change up
    /// to it (each of which had completed), and none after.
    var syncWatermark: UInt64 { state.withLock { $0.sequence } }

    /// Completes an fsync of the file submitted when the sequence stood at `watermark`: the
    /// changes it covers become durable.
    func sync(_ file: SimulatedFile, through watermark: UInt64) throws(Errno) {
        try withLiveNode(file, mutates: true) { node, _ in _ = node.data.makeDurable(through: watermark) }
    }

    /// Fails an fsync submitted when the sequence stood at `watermark`: the fate of the changes it
    /// covers is decided at once, as a crash would decide it, and no later fsync changes it (reads
    /// still see them). Returns those fates.
    func failSync(_ file: SimulatedFile, through watermark: UInt64, plan: CrashPlan,
                  random: inout SimulationRandom) throws(Errno) -> [SettledChange] {
        let sectorSize = self.sectorSize
        return try withLiveNode(file, mutates: true) { node, _ in
            node.data.settle(through: watermark, path: node.path ?? "(removed)", plan: plan, sectorSize: sectorSize, random: &random)
        }
    }
}
