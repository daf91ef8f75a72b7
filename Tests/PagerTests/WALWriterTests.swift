import Foundation
import Testing
@testable import Pager

/// WALs written with Ringlite's frame builder, read by sqlite3: it must see the committed content,
/// pass `PRAGMA integrity_check`, and checkpoint to the very bytes sqlite3 itself produced.
@Suite(.enabled(if: SQLite3.available, "needs the sqlite3 shell"))
struct WALWriterTests {
    /// The database after each step, as sqlite3 leaves it (checkpointed, no WAL): state k is
    /// state k-1 plus one transaction.
    static func states(pageSize: Int, _ directory: TemporaryDirectory) throws -> [[UInt8]] {
        let path = directory.file("states.db")
        try SQLite3.run(path, [
            "PRAGMA page_size=\(pageSize)", "PRAGMA journal_mode=WAL",
            "CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB, c TEXT)", "CREATE INDEX t_c ON t(c)",
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 300) INSERT INTO t SELECT x, randomblob(100), hex(randomblob(6)) FROM n",
        ])
        var states = [try fileBytes(path)]
        for step in [
            "WITH RECURSIVE n(x) AS (SELECT 301 UNION ALL SELECT x + 1 FROM n WHERE x < 2000) INSERT INTO t SELECT x, randomblob(x % 500), hex(randomblob(6)) FROM n",
            "UPDATE t SET c = 'updated' WHERE a % 3 = 0; DELETE FROM t WHERE a % 10 = 0; INSERT INTO t VALUES (5000, randomblob(100000), 'big')",
            "CREATE TABLE u(x); INSERT INTO u SELECT b FROM t WHERE a < 500",
            "DROP INDEX t_c; UPDATE t SET b = NULL WHERE a > 1500",
        ] {
            try SQLite3.run(path, [step])
            states.append(try fileBytes(path))
        }
        return states
    }

    /// The pages of `new` that differ from `old` (or lie beyond it), with their numbers.
    static func changedPages(from old: [UInt8], to new: [UInt8], pageSize: Int) -> [(UInt32, ArraySlice<UInt8>)] {
        stride(from: 0, to: new.count, by: pageSize).compactMap { start in
            let page = new[start..<start + pageSize]
            if start + pageSize <= old.count && old[start..<start + pageSize] == page { return nil }
            return (UInt32(start / pageSize + 1), page)
        }
    }

    /// Writes transactions through `encoder`, frames assembled in the pool's frame runs and each
    /// transaction's writes in flight together. `commitSize` nil leaves a transaction uncommitted.
    static func append(
        _ transactions: [(pages: [(UInt32, ArraySlice<UInt8>)], commitSize: UInt32?)],
        encoder: inout WALFrameEncoder, file: StorageFile, backend: any IOBackend, pool: BufferPool
    ) {
        for transaction in transactions {
            let group = CompletionGroup()
            var runs: [IOBuffer] = []
            var index = 0
            while index < transaction.pages.count {
                let run = pool.takeFrameRun()
                runs.append(run)
                let firstFrame = encoder.nextFrame
                var slot = 0
                while slot < pool.framesPerRun && index < transaction.pages.count {
                    let (number, page) = transaction.pages[index]
                    page.withUnsafeBytes { (run.base + slot * encoder.frameSize + 24).copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
                    let last = index == transaction.pages.count - 1
                    encoder.encode(run: run, slot: slot, pageNumber: number, commitSize: last ? transaction.commitSize ?? 0 : 0)
                    slot += 1
                    index += 1
                }
                let write = Completion(.write(file, run.slice(offset: 0, count: slot * encoder.frameSize),
                                              offset: WALFrame.offset(ofFrame: firstFrame, pageSize: encoder.pageSize)))
                group.add(write)
                backend.submit(write)
            }
            let all = group.build()
            backend.wait(for: all)
            precondition(all.succeeded, "writing WAL frames failed: \(String(describing: all.error))")
            for run in runs { pool.returnFrameRun(run) }
        }
    }

    static func writeHeader(_ header: WALHeader, file: StorageFile, backend: any IOBackend) {
        let buffer = IOBuffer.allocate(count: WALHeader.size)
        header.encode(into: buffer.bytes)
        let write = backend.run(.write(file, buffer, offset: 0))
        precondition(write.succeeded, "writing the WAL header failed")
    }

    static func integrity(_ database: [UInt8], wal: [UInt8]) throws -> (check: String, rows: String) {
        let directory = TemporaryDirectory("integrity")
        let path = directory.file("check.db")
        try writeBytes(database, to: path)
        try writeBytes(wal, to: path + "-wal")
        let lines = try SQLite3.run(path, ["PRAGMA integrity_check", "SELECT count(*), sum(length(b)) FROM t"])
            .split(separator: "\n").map(String.init)
        return (lines.first ?? "", lines.dropFirst().joined(separator: "\n"))
    }

    static func rows(_ database: [UInt8]) throws -> String {
        let directory = TemporaryDirectory("rows")
        let path = directory.file("rows.db")
        try writeBytes(database, to: path)
        return try SQLite3.run(path, ["SELECT count(*), sum(length(b)) FROM t"]).trimmingCharacters(in: .newlines)
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let pageSize: Int
        let order: WALChecksumOrder
        let restartedHeader: Bool
        var testDescription: String { "\(pageSize)-byte pages, \(order), \(restartedHeader ? "restarted" : "first") header" }
    }

    /// A new WAL on a database sqlite3 wrote: two committed transactions and an uncommitted one.
    @Test(arguments: [
        Case(pageSize: 512, order: .littleEndian, restartedHeader: false),
        Case(pageSize: 4096, order: .littleEndian, restartedHeader: true),
        Case(pageSize: 4096, order: .bigEndian, restartedHeader: false),
        Case(pageSize: 65536, order: .littleEndian, restartedHeader: false),
        Case(pageSize: 65536, order: .bigEndian, restartedHeader: true),
    ], TestBackends.realFile)
    func sqliteReadsOurWAL(_ testCase: Case, _ kind: IOBackendKind) throws {
        let pageSize = testCase.pageSize
        let directory = TemporaryDirectory()
        let states = try Self.states(pageSize: pageSize, directory)
        var random = WALTestRandom(seed: UInt64(pageSize))
        var header = WALHeader.first(pageSize: pageSize, checksumOrder: testCase.order, using: &random)
        if testCase.restartedHeader {
            header = header.restarted(checksumOrder: testCase.order, using: &random).restarted(checksumOrder: testCase.order, using: &random)
        }
        let walPath = directory.file("ours.db-wal")
        let file = try PosixFileSystem().open(walPath, options: FileOpenOptions())
        let pool = BufferPool(pageSize: pageSize, framesPerRun: 16)
        let backend = TestBackends.make(kind, pool: pool)
        Self.writeHeader(header, file: file, backend: backend)
        var encoder = WALFrameEncoder(header: header)
        let d1 = Self.changedPages(from: states[0], to: states[1], pageSize: pageSize)
        let d2 = Self.changedPages(from: states[1], to: states[2], pageSize: pageSize)
        let d3 = Self.changedPages(from: states[2], to: states[3], pageSize: pageSize)
        Self.append([(d1, UInt32(states[1].count / pageSize)), (d2, UInt32(states[2].count / pageSize))],
                    encoder: &encoder, file: file, backend: backend, pool: pool)
        let atCommit = encoder
        Self.append([(d3, nil)], encoder: &encoder, file: file, backend: backend, pool: pool)
        let wal = try fileBytes(walPath)
        #expect(wal.count == 32 + (d1.count + d2.count + d3.count) * (pageSize + 24))

        let (check, rows) = try Self.integrity(states[0], wal: wal)
        #expect(check == "ok")
        #expect(rows == (try Self.rows(states[2])))
        let sqlite = try SQLite3.view(database: states[0], wal: wal)
        #expect(sqlite.maxFrame == UInt32(d1.count + d2.count))
        #expect(sqlite.pageCount == states[2].count / pageSize)
        #expect(sqlite.checkpointed == states[2], "sqlite3 checkpoints our frames to the database it wrote itself")

        let result = try scanWAL(wal, kind: kind, databasePageSize: pageSize)
        #expect(result.header == header)
        #expect(result.maxFrame == atCommit.nextFrame - 1)
        #expect(result.checksum == atCommit.checksum)
        #expect(result.validFrames == encoder.nextFrame - 1)
    }

    /// Ringlite continuing a WAL sqlite3 left (after its last commit, over the frames of a
    /// rolled-back transaction), then restarting it; sqlite3 reads both.
    @Test(arguments: TestBackends.realFile)
    func continueAndRestartSQLiteWAL(_ kind: IOBackendKind) throws {
        let pageSize = 4096
        let fixture = try SQLiteWALFixture(pageSize: pageSize, mixedWorkload(rows: 3000) + spilledRollback(rows: 2000))
        let database = try fixture.databaseBytes()
        let sqliteWAL = try fixture.walBytes()
        let recovered = try scanWAL(sqliteWAL, kind: kind, databasePageSize: pageSize)
        #expect(sqliteWAL.count > 32 + Int(recovered.maxFrame) * (pageSize + 24), "frames after the last commit")

        // The content sqlite3 committed, then one more transaction, made by sqlite3 on a copy.
        let directory = TemporaryDirectory()
        let copy = directory.file("copy.db")
        try writeBytes(database, to: copy)
        try writeBytes(sqliteWAL, to: copy + "-wal")
        try SQLite3.run(copy, ["PRAGMA user_version"])
        let before = try fileBytes(copy)
        try SQLite3.run(copy, ["UPDATE t SET c = 'next' WHERE a % 5 = 1; INSERT INTO t VALUES (999999, randomblob(20000), 'n')"])
        let after = try fileBytes(copy)
        let changes = Self.changedPages(from: before, to: after, pageSize: pageSize)
        let pool = BufferPool(pageSize: pageSize, framesPerRun: 8)
        let backend = TestBackends.make(kind, pool: pool)

        // Continue: frames from maxFrame + 1, chained from the checksum recovery returned.
        let continued = directory.file("continued.db-wal")
        try writeBytes(sqliteWAL, to: continued)
        var encoder = try #require(recovered.continuation)
        #expect(encoder == WALFrameEncoder(header: try #require(recovered.header), lastFrame: recovered.maxFrame, checksum: recovered.checksum))
        Self.append([(changes, UInt32(after.count / pageSize))], encoder: &encoder,
                    file: try PosixFileSystem().open(continued, options: FileOpenOptions()), backend: backend, pool: pool)
        let continuedWAL = try fileBytes(continued)
        #expect(try Self.integrity(database, wal: continuedWAL).check == "ok")
        let sqlite = try SQLite3.view(database: database, wal: continuedWAL)
        #expect(sqlite.maxFrame == recovered.maxFrame + UInt32(changes.count))
        #expect(sqlite.checkpointed == after)
        let rescanned = try scanWAL(continuedWAL, kind: kind, databasePageSize: pageSize)
        #expect(rescanned.maxFrame == encoder.nextFrame - 1)
        #expect(rescanned.checksum == encoder.checksum)

        // Restart: after a checkpoint the database file is `before`; a restarted header and frames
        // from 1 overwrite the old log, whose later frames no longer count.
        let restartedPath = directory.file("restarted.db-wal")
        try writeBytes(sqliteWAL, to: restartedPath)
        let restartedFile = try PosixFileSystem().open(restartedPath, options: FileOpenOptions())
        var random = WALTestRandom(seed: 5)
        let header = try #require(recovered.header).restarted(using: &random)
        Self.writeHeader(header, file: restartedFile, backend: backend)
        var fresh = WALFrameEncoder(header: header)
        Self.append([(changes, UInt32(after.count / pageSize))], encoder: &fresh, file: restartedFile, backend: backend, pool: pool)
        let restartedWAL = try fileBytes(restartedPath)
        #expect(restartedWAL.count == sqliteWAL.count, "the old frames are still in the file")
        #expect(try Self.integrity(before, wal: restartedWAL).check == "ok")
        let afterRestart = try SQLite3.view(database: before, wal: restartedWAL)
        #expect(afterRestart.maxFrame == UInt32(changes.count))
        #expect(afterRestart.checkpointed == after)
        let ours = try scanWAL(restartedWAL, kind: kind, databasePageSize: pageSize)
        #expect(ours.maxFrame == UInt32(changes.count))
        #expect(ours.end == .invalidFrame(UInt32(changes.count) + 1, .saltMismatch))
    }
}
