import Foundation
import Testing
@testable import Pager

/// Recovery of WALs that sqlite3 wrote, held against what sqlite3 itself recovers from them.
@Suite(.enabled(if: SQLite3.available, "needs the sqlite3 shell"))
struct WALRecoveryTests {
    /// Several transactions (small, large, spilled before commit, a spilled one rolled back at the
    /// end) on each page size: the committed frames, the database size and every page agree with
    /// sqlite3's reading of the same files.
    @Test(arguments: [512, 4096, 65536], TestBackends.all)
    func recoversWhatSQLiteCommitted(_ pageSize: Int, _ kind: IOBackendKind) throws {
        let rows = pageSize == 512 ? 12_000 : 6000
        let fixture = try SQLiteWALFixture(pageSize: pageSize, mixedWorkload(rows: rows) + spilledRollback(rows: 3000))
        let database = try fixture.databaseBytes()
        let wal = try fixture.walBytes()
        let sqlite = try SQLite3.view(database: database, wal: wal)

        let result: WALRecoveryResult
        if kind == .memory {
            result = try scanWAL(wal, kind: kind, databasePageSize: pageSize)
        } else {
            // The file sqlite3 left, in place.
            let file = try PosixFileSystem().open(fixture.wal, options: FileOpenOptions(readOnly: true))
            let backend = TestBackends.make(kind)
            result = try WALRecovery.scan(file, backend: backend, databasePageSize: pageSize)
            #expect(backend.inFlightCount == 0)
        }
        #expect(result.header?.pageSize == pageSize)
        #expect(result.header?.checksumOrder == .littleEndian)
        #expect(result.maxFrame == sqlite.maxFrame)
        #expect(Int(result.databaseSize) == sqlite.pageCount)
        #expect(result.index.committedMaxFrame == result.maxFrame)
        #expect(result.index.maxFrame == result.maxFrame, "uncommitted frames are not indexed")
        #expect(result.validFrames >= result.maxFrame)
        #expect(storedFrameHeaders(wal, pageSize: pageSize).count > result.maxFrame, "the rolled-back transaction left frames")
        let resolved = resolvedDatabase(database: database, wal: wal, result: result, pageSize: pageSize)
        #expect(resolved.count == sqlite.checkpointed.count)
        #expect(resolved == sqlite.checkpointed, "every page matches what sqlite3 checkpoints")

        // The checksum at the last commit is the one the commit frame stores.
        let commitHeader = storedFrameHeaders(wal, pageSize: pageSize)[Int(result.maxFrame) - 1]
        #expect(commitHeader.isCommit)
        #expect(commitHeader.checksum == result.checksum)

        if kind != .memory {
            // O_DIRECT: the chunk reads are aligned in offset, length and memory.
            let direct = try PosixFileSystem().open(fixture.wal, options: FileOpenOptions(readOnly: true, direct: true))
            let again = try WALRecovery.scan(direct, backend: TestBackends.make(kind), databasePageSize: pageSize, chunkBytes: 1 << 16)
            #expect(again.maxFrame == result.maxFrame && again.checksum == result.checksum && again.end == result.end)
        }

        // Small chunks, few or one in flight: frames cross chunk boundaries, even several chunks.
        for (chunkBytes, depth) in [(4096, 1), (8192, 3), (3 << 12, 2)] {
            let again = try scanWAL(wal, kind: kind, databasePageSize: pageSize, chunkBytes: chunkBytes, readsInFlight: depth)
            #expect(again.maxFrame == result.maxFrame && again.databaseSize == result.databaseSize
                    && again.checksum == result.checksum && again.validFrames == result.validFrames
                    && again.end == result.end, "chunks of \(chunkBytes) bytes, \(depth) in flight")
        }
    }

    /// After a checkpoint, sqlite3 restarts the WAL at the next write: a new header (sequence and
    /// salt-1 one more), new frames from frame 1, and the previous generation's frames after them,
    /// whose salts end the log.
    @Test(arguments: TestBackends.all)
    func restartedWALEndsAtTheOldGeneration(_ kind: IOBackendKind) throws {
        let fixture = try SQLiteWALFixture(pageSize: 1024, mixedWorkload(rows: 3000))
        let before = try fixture.walBytes()
        let oldHeader = try before.withUnsafeBytes { try WALHeader.decode(UnsafeRawBufferPointer(rebasing: $0[0..<32])) }
        try fixture.more(["PRAGMA wal_checkpoint", "INSERT INTO t VALUES (100000, 'after the restart', 'x')"])
        let wal = try fixture.walBytes()
        #expect(wal.count == before.count, "the restart overwrites the file from the start")
        let result = try scanWAL(wal, kind: kind, databasePageSize: 1024)
        let header = try #require(result.header)
        #expect(header == oldHeader.restarted(salt2: header.salt.salt2), "sequence and salt-1 one more, salt-2 new")
        #expect(result.maxFrame >= 1 && result.maxFrame < 10)
        #expect(result.end == .invalidFrame(result.maxFrame + 1, .saltMismatch))
        let sqlite = try SQLite3.view(database: try fixture.databaseBytes(), wal: wal)
        #expect(result.maxFrame == sqlite.maxFrame)
        #expect(resolvedDatabase(database: try fixture.databaseBytes(), wal: wal, result: result, pageSize: 1024) == sqlite.checkpointed)
    }

    /// Files too short to hold a frame, or with a header sqlite3 ignores, hold no frames; sqlite3
    /// agrees.
    @Test(arguments: TestBackends.all)
    func walsWithoutFrames(_ kind: IOBackendKind) throws {
        let fixture = try SQLiteWALFixture(pageSize: 4096, ["CREATE TABLE t(a)", "INSERT INTO t VALUES (1)"])
        let database = try fixture.databaseBytes()
        let wal = try fixture.walBytes()
        let header = Array(wal[0..<32])
        var badMagic = wal
        badMagic[3] = 0x84
        var badChecksum = wal
        badChecksum[31] ^= 1
        let cases: [(String, [UInt8], WALScanEnd)] = [
            ("empty", [], .noHeader(nil)),
            ("short", Array(wal[0..<20]), .noHeader(nil)),
            ("header only", header, .noHeader(nil)),
            ("header and part of a frame", Array(wal[0..<1000]), .endOfFile(partialFrameBytes: 968)),
            ("bad magic", badMagic, .noHeader(.badMagic(0x377f_0684))),
            ("bad header checksum", badChecksum, .noHeader(.badChecksum)),
        ]
        for (name, bytes, end) in cases {
            let result = try scanWAL(bytes, kind: kind, databasePageSize: 4096)
            #expect(result.maxFrame == 0, "\(name)")
            #expect(result.databaseSize == 0, "\(name)")
            #expect(result.index.maxFrame == 0, "\(name)")
            #expect(result.continuation == nil, "\(name): the writer starts over with a new header")
            #expect(result.end == end, "\(name)")
            #expect((result.header != nil) == (name == "header and part of a frame"), "\(name)")
            #expect(try SQLite3.view(database: database, wal: bytes).maxFrame == 0, "\(name)")
        }
    }

    /// A valid header of another format version: sqlite3 refuses to open the database, and
    /// recovery refuses too rather than restart over the log.
    @Test func unsupportedVersionIsRefused() throws {
        let fixture = try SQLiteWALFixture(pageSize: 4096, ["CREATE TABLE t(a)", "INSERT INTO t VALUES (1)"])
        var wal = try fixture.walBytes()
        wal.withUnsafeMutableBytes { raw in
            WALBytes.store(3_007_001, raw.baseAddress!, at: 4)
            let checksum = WALChecksum.of(UnsafeRawBufferPointer(rebasing: raw[0..<24]), order: .littleEndian)
            WALBytes.store(checksum.s1, raw.baseAddress!, at: 24)
            WALBytes.store(checksum.s2, raw.baseAddress!, at: 28)
        }
        #expect(throws: WALRecoveryError.unsupportedVersion(3_007_001)) {
            try scanWAL(wal, databasePageSize: 4096)
        }
        #expect(throws: SQLite3.Failure.self) {
            try SQLite3.view(database: try fixture.databaseBytes(), wal: wal)
        }
    }

    @Test func pageSizeMismatchIsRefused() throws {
        let wal = WALHeader(pageSize: 1024, checkpointSequence: 0, salt: WALSalt(salt1: 1, salt2: 2)).bytes
            + [UInt8](repeating: 0, count: 1048)
        #expect(throws: WALRecoveryError.pageSizeMismatch(wal: 1024, database: 4096)) {
            try scanWAL(wal, databasePageSize: 4096)
        }
        #expect(try scanWAL(wal, databasePageSize: nil).header?.pageSize == 1024, "a new database takes the WAL's")
    }

    /// A failing read ends recovery with the error, after every read in flight has finished.
    @Test(arguments: TestBackends.all)
    func readErrorsAreReported(_ kind: IOBackendKind) throws {
        let fixture = try SQLiteWALFixture(pageSize: 512, mixedWorkload(rows: 3000))
        let wal = try fixture.walBytes()
        #expect(wal.count > 3 * 8192)
        let under = try WALUnderTest(wal, kind: kind, injector: { point in
            point.kind == .read && point.offset == 2 * 8192 ? .fail(.io) : nil
        })
        #expect(throws: WALRecoveryError.io(.io)) {
            try under.scan(databasePageSize: 512, chunkBytes: 8192, readsInFlight: 4)
        }
        #expect(under.backend.inFlightCount == 0)
    }
}
