/// The 100-byte header at the start of every SQLite database file (fileformat2.html, "The Database
/// Header"). All multi-byte fields are big-endian.
package struct DatabaseHeader: Equatable, Sendable {
    package static let size = 100
    package static let magic: [UInt8] = Array("SQLite format 3\0".utf8)

    /// Bytes per page, 512...65536 (stored as 1 for 65536).
    package var pageSize: Int
    /// 1 = legacy (rollback journal), 2 = WAL.
    package var writeVersion: UInt8
    package var readVersion: UInt8
    /// Bytes reserved at the end of each page (for extensions such as checksums).
    package var reservedBytes: UInt8
    package var fileChangeCounter: UInt32
    /// The database size in pages, trusted only when `versionValidFor == fileChangeCounter`.
    package var databaseSize: UInt32
    package var firstFreelistTrunk: UInt32
    package var freelistCount: UInt32
    package var schemaCookie: UInt32
    package var schemaFormat: UInt32
    package var defaultCacheSize: Int32
    /// Non-zero in auto-vacuum and incremental-vacuum databases (which have pointer-map pages).
    package var largestRootPage: UInt32
    /// 1 UTF-8, 2 UTF-16le, 3 UTF-16be (0 in a database that has never had a table).
    package var textEncoding: UInt32
    package var userVersion: Int32
    package var incrementalVacuum: UInt32
    package var applicationID: Int32
    package var versionValidFor: UInt32
    package var sqliteVersion: UInt32

    /// The SQLite version number Ringlite writes at offset 96 (it writes what 3.40.1 would).
    package static let writerVersion: UInt32 = 3_040_001

    /// The header of a new, empty database: one page, UTF-8, schema format 4, WAL or legacy.
    package static func new(pageSize: Int = 4096, wal: Bool) -> DatabaseHeader {
        DatabaseHeader(
            pageSize: pageSize, writeVersion: wal ? 2 : 1, readVersion: wal ? 2 : 1, reservedBytes: 0,
            fileChangeCounter: 1, databaseSize: 1, firstFreelistTrunk: 0, freelistCount: 0,
            schemaCookie: 0, schemaFormat: 4, defaultCacheSize: 0, largestRootPage: 0,
            textEncoding: 1, userVersion: 0, incrementalVacuum: 0, applicationID: 0,
            versionValidFor: 1, sqliteVersion: writerVersion)
    }

    /// Usable bytes per page: the page size less the reserved bytes.
    package var usableSize: Int { pageSize - Int(reservedBytes) }

}

extension DatabaseHeader {
    /// Parses and validates a header. Errors name what is wrong the way sqlite3 reports it:
    /// SQLITE_NOTADB for a file that is not a database, SQLITE_CORRUPT for impossible values.
    package init(parsing bytes: UnsafeRawBufferPointer) throws(DatabaseError) {
        guard bytes.count >= Self.size else {
            throw DatabaseError(.SQLITE_NOTADB, "file is not a database (header is \(bytes.count) bytes)")
        }
        guard bytes.prefix(16).elementsEqual(Self.magic) else {
            throw DatabaseError(.SQLITE_NOTADB, "file is not a database")
        }
        let rawPageSize = Int(bytes.loadBigEndianUInt16(at: 16))
        let pageSize = rawPageSize == 1 ? 65536 : rawPageSize
        guard pageSize >= 512 && pageSize <= 65536 && pageSize & (pageSize - 1) == 0 else {
            throw DatabaseError(.SQLITE_NOTADB, "file is not a database (page size \(rawPageSize))")
        }
        self.pageSize = pageSize
        writeVersion = bytes[18]
        readVersion = bytes[19]
        guard readVersion >= 1 && readVersion <= 2 else {
            throw DatabaseError(.SQLITE_NOTADB, "file is not a database (read format version \(readVersion))")
        }
        reservedBytes = bytes[20]
        guard pageSize - Int(reservedBytes) >= 480 else {
            throw DatabaseError(.SQLITE_NOTADB, "file is not a database (\(reservedBytes) reserved bytes on \(pageSize)-byte pages)")
        }
        guard bytes[21] == 64 && bytes[22] == 32 && bytes[23] == 32 else {
            throw DatabaseError(.SQLITE_NOTADB, "file is not a database (payload fractions \(bytes[21])/\(bytes[22])/\(bytes[23]))")
        }
        fileChangeCounter = bytes.loadBigEndianUInt32(at: 24)
        databaseSize = bytes.loadBigEndianUInt32(at: 28)
        firstFreelistTrunk = bytes.loadBigEndianUInt32(at: 32)
        freelistCount = bytes.loadBigEndianUInt32(at: 36)
        schemaCookie = bytes.loadBigEndianUInt32(at: 40)
        schemaFormat = bytes.loadBigEndianUInt32(at: 44)
        defaultCacheSize = Int32(bitPattern: bytes.loadBigEndianUInt32(at: 48))
        largestRootPage = bytes.loadBigEndianUInt32(at: 52)
        textEncoding = bytes.loadBigEndianUInt32(at: 56)
        userVersion = Int32(bitPattern: bytes.loadBigEndianUInt32(at: 60))
        incrementalVacuum = bytes.loadBigEndianUInt32(at: 64)
        applicationID = Int32(bitPattern: bytes.loadBigEndianUInt32(at: 68))
        versionValidFor = bytes.loadBigEndianUInt32(at: 92)
        sqliteVersion = bytes.loadBigEndianUInt32(at: 96)
        // A database that has never held a table may have 0 here; SQLite reads it as format 1..4.
        guard schemaFormat <= 4 else {
            throw DatabaseError(.SQLITE_ERROR, "unsupported file format")
        }
        switch textEncoding {
        case 0, 1: break
        case 2, 3:
            throw DatabaseError(.SQLITE_NOTADB, "unsupported text encoding: this database is UTF-16\(textEncoding == 2 ? "le" : "be"); Ringlite reads and writes UTF-8 databases only")
        default:
            throw DatabaseError(.SQLITE_NOTADB, "file is not a database (text encoding \(textEncoding))")
        }
    }

    /// The database size the header vouches for, or nil when it is stale (a legacy writer changed
    /// the file without updating it) and the size must come from the file's length instead.
    package var trustedDatabaseSize: UInt32? {
        databaseSize != 0 && versionValidFor == fileChangeCounter ? databaseSize : nil
    }

    /// Writes the header into the first 100 bytes of `bytes` (page 1).
    package func write(to bytes: UnsafeMutableRawBufferPointer) {
        precondition(bytes.count >= Self.size, "page 1 holds the 100-byte header")
        for (i, byte) in Self.magic.enumerated() { bytes[i] = byte }
        bytes.storeBigEndianUInt16(pageSize == 65536 ? 1 : UInt16(pageSize), at: 16)
        bytes[18] = writeVersion
        bytes[19] = readVersion
        bytes[20] = reservedBytes
        bytes[21] = 64
        bytes[22] = 32
        bytes[23] = 32
        bytes.storeBigEndianUInt32(fileChangeCounter, at: 24)
        bytes.storeBigEndianUInt32(databaseSize, at: 28)
        bytes.storeBigEndianUInt32(firstFreelistTrunk, at: 32)
        bytes.storeBigEndianUInt32(freelistCount, at: 36)
        bytes.storeBigEndianUInt32(schemaCookie, at: 40)
        bytes.storeBigEndianUInt32(schemaFormat, at: 44)
        bytes.storeBigEndianUInt32(UInt32(bitPattern: defaultCacheSize), at: 48)
        bytes.storeBigEndianUInt32(largestRootPage, at: 52)
        bytes.storeBigEndianUInt32(textEncoding, at: 56)
        bytes.storeBigEndianUInt32(UInt32(bitPattern: userVersion), at: 60)
        bytes.storeBigEndianUInt32(incrementalVacuum, at: 64)
        bytes.storeBigEndianUInt32(UInt32(bitPattern: applicationID), at: 68)
        for i in 72..<92 { bytes[i] = 0 }
        bytes.storeBigEndianUInt32(versionValidFor, at: 92)
        bytes.storeBigEndianUInt32(sqliteVersion, at: 96)
    }

    /// Offsets of the header fields other modules update in place on page 1.
    package enum Offset {
        package static let fileChangeCounter = 24
        package static let databaseSize = 28
        package static let firstFreelistTrunk = 32
        package static let freelistCount = 36
        package static let schemaCookie = 40
        package static let userVersion = 60
        package static let versionValidFor = 92
        package static let sqliteVersion = 96
    }
}

extension UnsafeRawBufferPointer {
    @inlinable
    package func loadBigEndianUInt16(at offset: Int) -> UInt16 {
        precondition(offset >= 0 && offset + 2 <= count, "read past the buffer")
        return UInt16(self[offset]) << 8 | UInt16(self[offset + 1])
    }

    @inlinable
    package func loadBigEndianUInt32(at offset: Int) -> UInt32 {
        precondition(offset >= 0 && offset + 4 <= count, "read past the buffer")
        return UInt32(bigEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}

extension UnsafeMutableRawBufferPointer {
    @inlinable
    package func loadBigEndianUInt32(at offset: Int) -> UInt32 {
        UnsafeRawBufferPointer(self).loadBigEndianUInt32(at: offset)
    }

    @inlinable
    package func storeBigEndianUInt16(_ value: UInt16, at offset: Int) {
        precondition(offset >= 0 && offset + 2 <= count, "write past the buffer")
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt16.self)
    }

    @inlinable
    package func storeBigEndianUInt32(_ value: UInt32, at offset: Int) {
        precondition(offset >= 0 && offset + 4 <= count, "write past the buffer")
        storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self)
    }
}
