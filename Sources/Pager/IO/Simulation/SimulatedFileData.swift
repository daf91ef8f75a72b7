/// One file's bytes on a simulated disk: what is durable (survives a crash), what a read sees
/// (the durable bytes with every later change applied, like a page cache), and the changes in
/// between, oldest first.
///
/// A change is one landed write (or part of one: a short write lands its prefix as a change of
/// its own) or one size change. Changes carry the file system's sequence number, so an fsync
/// knows which of them had completed when it was submitted: those form a prefix of `pending`.
struct SimulatedFileData {
    private(set) var durable: [UInt8] = []
    private(set) var current: [UInt8] = []
    private(set) var pending: [Change] = []
    /// A failed fsync dropped or tore changes that reads still see: `current` is no longer the
    /// durable bytes with the pending changes applied, until a crash discards it.
    private var diverged = false

    struct Change {
        enum Kind {
            case write(offset: Int, bytes: [UInt8])
            case resize(Int)
        }

        let sequence: UInt64
        let kind: Kind
    }

    var size: Int { current.count }

    /// Copies up to `count` bytes at `offset` into `buffer`; returns how many there were.
    func read(into buffer: UnsafeMutableRawPointer, count: Int, offset: Int) -> Int {
        guard offset < current.count else { return 0 }
        let available = min(count, current.count - offset)
        current.withUnsafeBytes { source in
            buffer.copyMemory(from: source.baseAddress! + offset, byteCount: available)
        }
        return available
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer, at offset: Int, sequence: UInt64) {
        precondition(offset >= 0, "a write at a negative offset")
        Self.apply(bytes, at: offset, to: &current)
        pending.append(Change(sequence: sequence, kind: .write(offset: offset, bytes: Array(bytes))))
    }

    mutating func resize(to length: Int, sequence: UInt64) {
        precondition(length >= 0, "a negative file size")
        Self.resize(&current, to: length)
        pending.append(Change(sequence: sequence, kind: .resize(length)))
    }

    /// A completed fsync: the changes up to `watermark` become durable.
    mutating func makeDurable(through watermark: UInt64) -> Int {
        let count = pending.prefix { $0.sequence <= watermark }.count
        for change in pending.prefix(count) {
            switch change.kind {
            case .write(let offset, let bytes): bytes.withUnsafeBytes { Self.apply($0, at: offset, to: &durable) }
            case .resize(let length): Self.resize(&durable, to: length)
            }
        }
        pending.removeFirst(count)
        assert(!pending.isEmpty || diverged || durable == current, "with nothing pending, what is durable is what reads see")
        return count
    }

    /// Decides what a crash leaves of the changes up to `watermark` (all of them for a crash) and
    /// makes that durable (see `CrashSettlement`). Reads still see `current`; a crash then calls
    /// `discardVolatile`.
    mutating func settle(through watermark: UInt64, path: String, plan: CrashPlan, sectorSize: Int,
                         random: inout SimulationRandom) -> [SettledChange] {
        let count = pending.prefix { $0.sequence <= watermark }.count
        guard count > 0 else { return [] }
        var settlement = CrashSettlement(durable: durable, changes: pending[..<count], sectorSize: sectorSize)
        let settled = settlement.run(path: path, plan: plan, random: &random)
        durable = settlement.image
        pending.removeFirst(count)
        diverged = true
        return settled
    }

    /// After a crash: what a reopen reads is what was durable.
    mutating func discardVolatile() {
        precondition(pending.isEmpty, "a crash settles every pending change before it discards the cache")
        current = durable
        diverged = false
    }

    /// Replaces the whole file, durably (test setup and inspection).
    mutating func replace(with bytes: [UInt8]) {
        durable = bytes
        current = bytes
        pending = []
        diverged = false
    }

    // MARK: Helpers

    static func apply(_ bytes: UnsafeRawBufferPointer, at offset: Int, to image: inout [UInt8]) {
        if offset + bytes.count > image.count { resize(&image, to: offset + bytes.count) }
        guard bytes.count > 0 else { return }
        image.withUnsafeMutableBytes { target in
            (target.baseAddress! + offset).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        }
    }

    static func resize(_ image: inout [UInt8], to length: Int) {
        if length < image.count {
            image.removeSubrange(length...)
        } else if length > image.count {
            image.append(contentsOf: repeatElement(0, count: length - image.count))
        }
    }
}
