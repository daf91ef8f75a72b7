/// How a WAL's checksums read the data's 32-bit words, named by the low bit of the WAL header's
/// magic number. sqlite3 writes its machine's native order; a reader must accept both, since a
/// WAL may come from a machine of the other byte order.
package enum WALChecksumOrder: Sendable, Equatable, CaseIterable {
    /// Magic 0x377f0682: words are read little-endian (sqlite3 on x86 and ARM).
    case littleEndian
    /// Magic 0x377f0683: words are read big-endian.
    case bigEndian

    /// The order sqlite3 writes on this machine, and so the order Ringlite writes.
    package static var native: WALChecksumOrder {
        UInt32(1).littleEndian == 1 ? .littleEndian : .bigEndian
    }
}

/// The two 32-bit accumulators of SQLite's WAL checksum (wal.c, walChecksumBytes).
///
/// The checksum is cumulative: the header's covers its first 24 bytes starting from zero; each
/// frame's continues from the previous frame's (the header's for frame 1) over the frame's first
/// 8 header bytes and then its page. Over each 8-byte unit, read as two words x0, x1 in the WAL's
/// order: `s1 += x0 + s2; s2 += x1 + s1`, all modulo 2^32.
package struct WALChecksum: Hashable, Sendable, CustomStringConvertible {
    package var s1: UInt32
    package var s2: UInt32

    package static let zero = WALChecksum(s1: 0, s2: 0)

    package init(s1: UInt32, s2: UInt32) {
        self.s1 = s1
        self.s2 = s2
    }

    /// Continues the checksum over `bytes`, whose length must be a multiple of 8 (WAL headers,
    /// frame headers and pages all are).
    package mutating func update(_ bytes: UnsafeRawBufferPointer, order: WALChecksumOrder) {
        precondition(bytes.count % 8 == 0, "WAL checksums run over 8-byte units; got \(bytes.count) bytes")
        guard let base = bytes.baseAddress else { return }
        switch order {
        case .littleEndian: (s1, s2) = Self.run(base, bytes.count, s1, s2, bigEndian: false)
        case .bigEndian: (s1, s2) = Self.run(base, bytes.count, s1, s2, bigEndian: true)
        }
    }

    /// The checksum continued over `bytes`.
    package func updated(_ bytes: UnsafeRawBufferPointer, order: WALChecksumOrder) -> WALChecksum {
        var copy = self
        copy.update(bytes, order: order)
        return copy
    }

    /// The checksum of `bytes` from zero.
    package static func of(_ bytes: UnsafeRawBufferPointer, order: WALChecksumOrder) -> WALChecksum {
        zero.updated(bytes, order: order)
    }

    package var description: String { "(\(WALBytes.hex(s1)), \(WALBytes.hex(s2)))" }

    /// One 8-byte load per unit, split into its two words: the work per byte is a share of two
    /// additions, with no per-byte loop and no allocation. `bigEndian` is a constant at each call
    /// site, so the branch leaves the loop once the function is specialised.
    @inline(__always)
    private static func run(
        _ base: UnsafeRawPointer, _ count: Int, _ start1: UInt32, _ start2: UInt32, bigEndian: Bool
    ) -> (UInt32, UInt32) {
        var s1 = start1
        var s2 = start2
        var offset = 0
        while offset < count {
            let raw = base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
            let x0: UInt32
            let x1: UInt32
            if bigEndian {
                let unit = UInt64(bigEndian: raw)
                x0 = UInt32(truncatingIfNeeded: unit >> 32)
                x1 = UInt32(truncatingIfNeeded: unit)
            } else {
                let unit = UInt64(littleEndian: raw)
                x0 = UInt32(truncatingIfNeeded: unit)
                x1 = UInt32(truncatingIfNeeded: unit >> 32)
            }
            s1 = s1 &+ x0 &+ s2
            s2 = s2 &+ x1 &+ s1
            offset &+= 8
        }
        return (s1, s2)
    }
}
