/// The two salts of a WAL header. Every frame repeats them; a frame whose salts differ belongs to
/// an earlier use of the file (before a restart) and ends the log. Stored big-endian, compared as
/// raw bytes by sqlite3, which comes to the same thing as comparing these words.
package struct WALSalt: Hashable, Sendable, CustomStringConvertible {
    package var salt1: UInt32
    package var salt2: UInt32

    package init(salt1: UInt32, salt2: UInt32) {
        self.salt1 = salt1
        self.salt2 = salt2
    }

    /// Two random salts, as sqlite3 chooses for the first WAL of a database.
    package static func random(using generator: inout some RandomNumberGenerator) -> WALSalt {
        WALSalt(salt1: generator.next(), salt2: generator.next())
    }

    package var description: String { "\(WALBytes.hex(salt1))/\(WALBytes.hex(salt2))" }
}

/// Why the first 32 bytes of a WAL file are not a usable header. Every case but
/// `unsupportedVersion` means "this WAL holds nothing": sqlite3 then ignores the file and restarts
/// it at the next write. A valid header of another format version makes sqlite3 refuse the
/// database (SQLITE_CANTOPEN) rather than overwrite a log it cannot read.
package enum WALHeaderProblem: Error, Hashable, Sendable {
    /// Fewer than 32 bytes.
    case truncated
    /// Neither 0x377f0682 nor 0x377f0683.
    case badMagic(UInt32)
    /// Not a power of two in 512...65536.
    case badPageSize(UInt32)
    /// The stored checksum is not the checksum of the first 24 bytes.
    case badChecksum
    /// A valid header (magic, page size and checksum all good) of a version other than 3007000.
    case unsupportedVersion(UInt32)
}

/// The 32-byte header at the start of a WAL file:
///
/// ```
///  0  magic: 0x377f0682 (checksums read words little-endian) or 0x377f0683 (big-endian)
///  4  file format version: 3007000
///  8  page size
/// 12  checkpoint sequence number
/// 16  salt-1, incremented at each restart
/// 20  salt-2, random at each restart
/// 24  checksum-1 \ over bytes 0..<24, from zero
/// 28  checksum-2 /
/// ```
package struct WALHeader: Hashable, Sendable {
    package static let size = 32
    package static let magicLittleEndian: UInt32 = 0x377f_0682
    package static let magicBigEndian: UInt32 = 0x377f_0683
    package static let formatVersion: UInt32 = 3_007_000

    package let checksumOrder: WALChecksumOrder
    package let pageSize: Int
    package let checkpointSequence: UInt32
    package let salt: WALSalt
    /// The checksum stored in bytes 24..<32, which frame 1's checksum continues from.
    package let checksum: WALChecksum

    /// A header with the checksum its fields give.
    package init(checksumOrder: WALChecksumOrder = .native, pageSize: Int, checkpointSequence: UInt32, salt: WALSalt) {
        precondition(Self.isValidPageSize(pageSize), "a WAL page size is a power of two in 512...65536, not \(pageSize)")
        self.checksumOrder = checksumOrder
        self.pageSize = pageSize
        self.checkpointSequence = checkpointSequence
        self.salt = salt
        var bytes = (UInt64(0), UInt64(0), UInt64(0), UInt64(0))
        self.checksum = withUnsafeMutableBytes(of: &bytes) { buffer in
            Self.writeFields(buffer.baseAddress!, checksumOrder, pageSize, checkpointSequence, salt)
            return WALChecksum.of(UnsafeRawBufferPointer(rebasing: buffer[0..<24]), order: checksumOrder)
        }
    }

    /// The header of a database's first WAL: checkpoint sequence 0 and random salts, as sqlite3
    /// writes it.
    package static func first(
        pageSize: Int, checksumOrder: WALChecksumOrder = .native, using generator: inout some RandomNumberGenerator
    ) -> WALHeader {
        WALHeader(checksumOrder: checksumOrder, pageSize: pageSize, checkpointSequence: 0,
                  salt: .random(using: &generator))
    }

    /// The header that restarts the log after this one (wal.c, walRestartHdr): the checkpoint
    /// sequence and salt-1 each one more (wrapping), salt-2 new and random. Because salt-1 always
    /// changes, no frame of the previous use of the file can pass for a frame of the new one.
    /// sqlite3 writes a restarted header in its native order whatever the old one used.
    package func restarted(
        checksumOrder: WALChecksumOrder = .native, using generator: inout some RandomNumberGenerator
    ) -> WALHeader {
        restarted(salt2: generator.next(), checksumOrder: checksumOrder)
    }

    /// `restarted(using:)` with a chosen salt-2, for tests and deterministic simulation.
    package func restarted(salt2: UInt32, checksumOrder: WALChecksumOrder = .native) -> WALHeader {
        WALHeader(checksumOrder: checksumOrder, pageSize: pageSize, checkpointSequence: checkpointSequence &+ 1,
                  salt: WALSalt(salt1: salt.salt1 &+ 1, salt2: salt2))
    }

    package var magic: UInt32 { checksumOrder == .littleEndian ? Self.magicLittleEndian : Self.magicBigEndian }

    /// Writes the 32 bytes into `buffer`, which must hold at least that many.
    package func encode(into buffer: UnsafeMutableRawBufferPointer) {
        precondition(buffer.count >= Self.size, "a WAL header needs 32 bytes, the buffer has \(buffer.count)")
        let base = buffer.baseAddress!
        Self.writeFields(base, checksumOrder, pageSize, checkpointSequence, salt)
        WALBytes.store(checksum.s1, base, at: 24)
        WALBytes.store(checksum.s2, base, at: 28)
    }

    /// The 32 bytes of this header.
    package var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.size) { buffer, count in
            encode(into: UnsafeMutableRawBufferPointer(buffer))
            count = Self.size
        }
    }

    /// Reads and validates a header as sqlite3's recovery does (wal.c, walIndexRecover), checking
    /// in its order: magic and page size, then the checksum, then the version.
    package static func decode(_ bytes: UnsafeRawBufferPointer) throws(WALHeaderProblem) -> WALHeader {
        guard bytes.count >= size, let base = bytes.baseAddress else { throw .truncated }
        let magic = WALBytes.load(base, at: 0)
        guard magic & ~1 == magicLittleEndian else { throw .badMagic(magic) }
        let order: WALChecksumOrder = magic & 1 == 0 ? .littleEndian : .bigEndian
        let pageSize = WALBytes.load(base, at: 8)
        guard isValidPageSize(Int(pageSize)) else { throw .badPageSize(pageSize) }
        let computed = WALChecksum.of(UnsafeRawBufferPointer(start: base, count: 24), order: order)
        let stored = WALChecksum(s1: WALBytes.load(base, at: 24), s2: WALBytes.load(base, at: 28))
        guard computed == stored else { throw .badChecksum }
        let version = WALBytes.load(base, at: 4)
        guard version == formatVersion else { throw .unsupportedVersion(version) }
        return WALHeader(
            checksumOrder: order, pageSize: Int(pageSize), checkpointSequence: WALBytes.load(base, at: 12),
            salt: WALSalt(salt1: WALBytes.load(base, at: 16), salt2: WALBytes.load(base, at: 20)))
    }

    package static func isValidPageSize(_ size: Int) -> Bool {
        size >= 512 && size <= 65536 && size & (size - 1) == 0
    }

    private static func writeFields(
        _ base: UnsafeMutableRawPointer, _ order: WALChecksumOrder, _ pageSize: Int,
        _ checkpointSequence: UInt32, _ salt: WALSalt
    ) {
        WALBytes.store(order == .littleEndian ? magicLittleEndian : magicBigEndian, base, at: 0)
        WALBytes.store(formatVersion, base, at: 4)
        WALBytes.store(UInt32(pageSize), base, at: 8)
        WALBytes.store(checkpointSequence, base, at: 12)
        WALBytes.store(salt.salt1, base, at: 16)
        WALBytes.store(salt.salt2, base, at: 20)
    }
}
