import Foundation
import Synchronization
import Testing
@testable import BTree
@testable import Pager

/// A database in WAL mode written through the B-tree API, with sqlite3 as the oracle.
final class WALHarness {
    let directory: URL
    let path: String
    var options: PagerOptions
    private(set) var shared: PagerShared?
    private(set) var pager: Pager?
    private(set) var store: TreeStore?

    init(cachePages: Int = 64, synchronous: SynchronousMode = .full, autoCheckpoint: Int = 0) throws {
        (directory, path) = try SQLiteShell.temporaryDatabase("wal.db")
        options = PagerOptions()
        options.journalMode = .wal
        options.synchronous = synchronous
        options.cachePages = cachePages
        options.autoCheckpointFrames = autoCheckpoint
        options.io = IOBackendKind.fromEnvironment() ?? .uring
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func open() throws {
        let shared = try PagerShared.open(path: path, options: options)
        let pager = Pager(shared: shared)
        self.shared = shared
        self.pager = pager
        self.store = try TreeStore(pager: pager)
    }

    func close() {
        store = nil
        pager = nil
        shared = nil
    }

    func write<R>(_ body: (TreeStore) throws -> R) throws -> R {
        try pager!.beginWrite()
        do {
            let result = try body(store!)
            try pager!.commit()
            return result
        } catch {
            if pager!.transaction == .write { pager!.rollback() }
            throw error
        }
    }

    func read<R>(_ body: (TreeStore) throws -> R) throws -> R {
        pager!.beginRead()
        defer { pager!.endRead() }
        return try body(store!)
    }

    var walSize: Int {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int) ?? -1
    }
}

func row(_ rowid: Int64, _ size: Int) -> [UInt8] {
    RecordEncoder.encode([.integer(rowid * 7), .blob(blobFor(rowid: rowid, version: 0, size: size))])
}

func insertRows(_ store: TreeStore, table root: UInt32, _ rowids: some Sequence<Int64>, size: (Int64) -> Int = { Int($0 % 700) }) throws {
    let cursor = BTreeCursor(store: store, root: root, kind: .table, writable: true)
    defer { cursor.close() }
    for rowid in rowids {
        try row(rowid, size(rowid)).withUnsafeBytes { try cursor.insert(rowid: rowid, payload: $0) }
    }
}

func readRowids(_ store: TreeStore, table root: UInt32) throws -> [Int64] {
    let cursor = BTreeCursor(store: store, root: root, kind: .table, writable: false)
    defer { cursor.close() }
    var rowids: [Int64] = []
    var more = try cursor.blocking { try cursor.first() }
    while more {
        let rowid = try cursor.rowid()
        let values = try cursor.values()
        guard values == [.integer(rowid * 7), .blob(blobFor(rowid: rowid, version: 0, size: Int(rowid % 700)))] else {
            throw SQLiteShell.Failure(description: "row \(rowid) has the wrong contents")
        }
        rowids.append(rowid)
        more = try cursor.blocking { try cursor.next() }
    }
    return rowids
}

@Suite(.serialized) struct WALModeTests {
    /// Ringlite commits in WAL mode and closes without checkpointing: sqlite3 finds every row in
    /// the log, and integrity_check is ok; then again after a Ringlite checkpoint.
    @Test func sqliteReadsWhatRingliteCommitted() throws {
        let harness = try WALHarness()
        try harness.open()
        let table = try harness.write { try $0.createTable(name: "t", sql: "CREATE TABLE t(a, b)") }
        for batch in 0..<40 {
            let first = Int64(batch * 100 + 1)
            try harness.write { try insertRows($0, table: table, first..<(first + 100)) }
        }
        #expect(harness.pager!.shared.wal!.index.committedMaxFrame > 40)
        harness.close()
        #expect(harness.walSize > 4096, "the commits are in the log")
        #expect(try SQLiteShell.run(harness.path, "PRAGMA integrity_check; SELECT count(*), sum(a), sum(length(b)) FROM t;")
                == "ok\n4000|\((1...4000).reduce(0) { $0 + $1 * 7 })|\((1...4000).reduce(0) { $0 + $1 % 700 })\n")

        // Reopened by Ringlite: recovery finds the same; a checkpoint copies it into the file.
        try harness.open()
        #expect(try harness.read { try readRowids($0, table: table).count } == 4000)
        let result = try harness.pager!.checkpoint(.truncate)
        #expect(!result.busy)
        try harness.write { try insertRows($0, table: table, 4001...4500) }
        harness.close()
        #expect(try SQLiteShell.run(harness.path, "PRAGMA integrity_check; SELECT count(*) FROM t;") == "ok\n4500\n")
    }

    /// sqlite3 writes in WAL mode and exits leaving its log (no checkpoint on close): Ringlite
    /// recovers every committed row, then writes on top, and sqlite3 reads the result.
    @Test func ringliteReadsWhatSQLiteLeftInItsLog() throws {
        let harness = try WALHarness()
        var script = ".dbconfig no_ckpt_on_close on\nPRAGMA journal_mode=WAL;\nPRAGMA wal_autocheckpoint=0;\nCREATE TABLE t(a, b);\n"
        for batch in 0..<20 {
            script += "BEGIN;\n"
            for rowid in (batch * 50 + 1)...(batch * 50 + 50) {
                script += "INSERT INTO t(rowid, a, b) VALUES (\(rowid), \(rowid * 7), x'\(hexString(blobFor(rowid: Int64(rowid), version: 0, size: rowid % 700)))');\n"
            }
            script += "COMMIT;\n"
        }
        _ = try SQLiteShell.run(harness.path, script)
        #expect(harness.walSize > 32, "sqlite3 left its log")
        try harness.open()
        let root = try harness.read { store in try store.schemaRows().first { $0.row.name == "t" }!.row.rootPage }
        #expect(try harness.read { try readRowids($0, table: root) } == Array(1...1000))
        try harness.write { try insertRows($0, table: root, 1001...1200) }
        harness.close()
        #expect(try SQLiteShell.run(harness.path, "PRAGMA integrity_check; SELECT count(*), max(rowid) FROM t;") == "ok\n1200|1200\n")
    }

    /// A transaction far larger than the page cache spills pages into the log as uncommitted
    /// frames; it commits whole, or, rolled back, leaves no trace.
    @Test func largeTransactionsSpillAndRollBackCleanly() throws {
        let harness = try WALHarness(cachePages: 16)
        try harness.open()
        let table = try harness.write { try $0.createTable(name: "t", sql: "CREATE TABLE t(a, b)") }
        try harness.write { try insertRows($0, table: table, 1...3000) }
        #expect(harness.pager!.cache.count < 40, "memory stays near the cache size")
        // Rolled back after spilling.
        try harness.pager!.beginWrite()
        try insertRows(harness.store!, table: table, 3001...9000)
        #expect(!harness.pager!.spilledPages.isEmpty, "the transaction spilled")
        harness.pager!.rollback()
        #expect(try harness.read { try readRowids($0, table: table) } == Array(1...3000))
        // The next transaction writes over the rolled-back frames.
        try harness.write { try insertRows($0, table: table, 3001...3500) }
        #expect(try harness.read { try readRowids($0, table: table) } == Array(1...3500))
        harness.close()
        #expect(try SQLiteShell.run(harness.path, "PRAGMA integrity_check; SELECT count(*) FROM t;") == "ok\n3500\n")
        // And a Ringlite reopen recovers exactly the committed state.
        try harness.open()
        #expect(try harness.read { try readRowids($0, table: table) } == Array(1...3500))
    }

    /// Checkpoints copy the log into the database file; the next writer restarts the log.
    @Test func checkpointModesAndRestart() throws {
        let harness = try WALHarness()
        try harness.open()
        let table = try harness.write { try $0.createTable(name: "t", sql: "CREATE TABLE t(a, b)") }
        try harness.write { try insertRows($0, table: table, 1...500) }
        let wal = harness.shared!.wal!
        let framesBefore = wal.index.committedMaxFrame
        var result = try harness.pager!.checkpoint(.passive)
        #expect(result == CheckpointResult(busy: false, logFrames: Int(framesBefore), checkpointedFrames: Int(framesBefore)))
        let generation = wal.index.generation
        try harness.write { try insertRows($0, table: table, 501...510) }
        #expect(wal.index.generation == generation + 1, "the writer restarted the fully checkpointed log")
        #expect(wal.index.committedMaxFrame < framesBefore)
        // A reader holding an old snapshot stops a passive checkpoint short of the newest frames.
        do {
            let reader = Pager(shared: harness.shared!)
            reader.beginRead()
            try harness.write { try insertRows($0, table: table, 511...600) }
            result = try harness.pager!.checkpoint(.passive)
            #expect(result.checkpointedFrames < result.logFrames)
            // The reader still sees its snapshot.
            let readerStore = try TreeStore(pager: reader)
            #expect(try readRowids(readerStore, table: table).count == 510)
            reader.endRead()
        }
        result = try harness.pager!.checkpoint(.truncate)
        #expect(result == CheckpointResult(busy: false, logFrames: 0, checkpointedFrames: 0))
        #expect(harness.walSize == 0)
        try harness.write { try insertRows($0, table: table, 601...700) }
        harness.close()
        #expect(try SQLiteShell.run(harness.path, "PRAGMA integrity_check; SELECT count(*) FROM t;") == "ok\n700\n")
    }

    /// Found by fuzz-wal-file: a committed frame for a page beyond the database size of the
    /// log's last commit (sqlite3 leaves such frames after a shrink, and a damaged log can hold
    /// any page number) was copied by a checkpoint, growing the file to wherever the number
    /// pointed; a partial checkpoint left it that long. sqlite3 skips pages past the size
    /// (walCheckpoint: `iDbpage>mxPage`).
    @Test func aCheckpointSkipsFramesBeyondTheDatabaseSize() throws {
        let harness = try WALHarness()
        try harness.open()
        let table = try harness.write { try $0.createTable(name: "t", sql: "CREATE TABLE t(a, b)") }
        try harness.write { try insertRows($0, table: table, 1...200) }
        _ = try harness.pager!.checkpoint(.truncate)
        harness.close()
        let database = [UInt8](try Data(contentsOf: URL(fileURLWithPath: harness.path)))
        let pageSize = Int(database[16]) << 8 | Int(database[17])
        let pages = UInt32(database.count / pageSize)
        #expect(pages > 2 && database.count == Int(pages) * pageSize)

        // A log of one commit: page 1 as it is, preceded by a frame for page `pages + 1000`.
        var random = SystemRandomNumberGenerator()
        var encoder = WALFrameEncoder(header: .first(pageSize: pageSize, using: &random))
        var wal = encoder.header.bytes
        for (number, commitSize) in [(pages + 1000, UInt32(0)), (1, pages)] {
            var frame = [UInt8](repeating: 0, count: encoder.frameSize)
            frame.replaceSubrange(WALFrameHeader.size..., with: database[0..<pageSize])
            frame.withUnsafeMutableBytes { _ = encoder.encode($0, pageNumber: number, commitSize: commitSize) }
            wal += frame
        }
        try Data(wal).write(to: URL(fileURLWithPath: harness.path + "-wal"))

        // A reader on that commit keeps the checkpoint partial, so no truncation follows it.
        try harness.open()
        do {
            let reader = Pager(shared: harness.shared!)
            reader.beginRead()
            try harness.write { try insertRows($0, table: table, 201...220) }
            let result = try harness.pager!.checkpoint(.passive)
            #expect(result.checkpointedFrames == 2 && result.logFrames > 2)
            #expect(try Data(contentsOf: URL(fileURLWithPath: harness.path)).count == Int(pages) * pageSize,
                    "the frame past the end was not copied")
            reader.endRead()
        }
        harness.close()
        #expect(try SQLiteShell.run(harness.path, "PRAGMA integrity_check; SELECT count(*) FROM t;") == "ok\n220\n")
    }

    /// Found by the simulator (mix seed 751): a page whose read from a spilled frame was still
    /// pending when the transaction rolled back (read-ahead, or a read a failed statement left
    /// behind) stayed cached with the rolled-back contents; later frames then overwrote that
    /// frame, and the page read as garbage ("invalid B-tree page type 0").
    @Test func aRollbackForgetsPagesReadFromItsSpilledFrames() throws {
        let harness = try WALHarness(cachePages: 16)
        try harness.open()
        let table = try harness.write { try $0.createTable(name: "t", sql: "CREATE TABLE t(a, b)") }
        try harness.write { try insertRows($0, table: table, 1...400) }
        let pager = harness.pager!
        let committed: [UInt32: [UInt8]] = try harness.read { _ in
            var pages: [UInt32: [UInt8]] = [:]
            for pgno in 2...pager.databaseSize {
                let page = try pager.page(pgno)
                pages[pgno] = Array(page.bytes)
                pager.release(page)
            }
            return pages
        }
        try pager.beginWrite()
        try insertRows(harness.store!, table: table, 401...2000)
        let spilled = pager.spilledPages.filter { committed[$0] != nil && pager.cache.slot(of: $0).map { !pager.cache.isDirty($0) } ?? true }
        #expect(!spilled.isEmpty, "the transaction spilled pages that were committed before")
        for pgno in spilled {
            if let slot = pager.cache.slot(of: pgno) { pager.cache.remove(slot) }
        }
        pager.prefetch(spilled)
        pager.rollback()
        try harness.read { _ in
            for pgno in spilled {
                let page = try pager.page(pgno)
                let same = Array(page.bytes) == committed[pgno]
                #expect(same, "page \(pgno) holds what the rolled-back transaction spilled")
                pager.release(page)
            }
        }
        #expect(try harness.read { try readRowids($0, table: table) } == Array(1...400))
    }

    /// A read transaction that began before another connection's commit cannot upgrade to write.
    @Test func staleSnapshotCannotWrite() throws {
        let harness = try WALHarness()
        try harness.open()
        let table = try harness.write { try $0.createTable(name: "t", sql: "CREATE TABLE t(a, b)") }
        let other = Pager(shared: harness.shared!)
        other.beginRead()
        try harness.write { try insertRows($0, table: table, 1...10) }
        do {
            try other.beginWrite()
            Issue.record("a stale snapshot upgraded to a writer")
        } catch {
            #expect(error.resultCode == .SQLITE_BUSY_SNAPSHOT)
        }
        other.endRead()
        try other.beginWrite()
        other.rollback()
    }

    /// Eight reader threads check an invariant every committed transaction keeps (the sum of all
    /// values) while a writer moves amounts between rows and checkpoints run: no reader ever sees
    /// a torn state.
    @Test func readersNeverSeeATornState() throws {
        let harness = try WALHarness(cachePages: 32, synchronous: .full, autoCheckpoint: 200)
        // FULL checkpoints wait for readers (always some behind here) up to the busy timeout while
        // holding the writer lock: keep that short, and let the writer retry when it is busy.
        harness.options.busyTimeoutMilliseconds = 100
        try harness.open()
        let table = try harness.write { store -> UInt32 in
            let root = try store.createTable(name: "accounts", sql: "CREATE TABLE accounts(balance)")
            let cursor = BTreeCursor(store: store, root: root, kind: .table, writable: true)
            for rowid in Int64(1)...400 {
                try RecordEncoder.encode([.integer(1000)]).withUnsafeBytes { try cursor.insert(rowid: rowid, payload: $0) }
            }
            cursor.close()
            return root
        }
        let counters = ConcurrencyCounters()
        do {
        let shared = harness.shared!
        // Real threads: the cooperative pool has as many threads as cores (two here), and these
        // loops never yield.
        let threads = ThreadGroup()
        do {
            for _ in 0..<8 {
                threads.spawn {
                    do {
                        let pager = Pager(shared: shared)
                        let store = try TreeStore(pager: pager)
                        while !counters.stop.load(ordering: .relaxed) {
                            pager.beginRead()
                            let (sum, count) = try WALModeTests.balances(store, table)
                            pager.endRead()
                            if sum != 400_000 || count != 400 { counters.failures.add(1, ordering: .relaxed) }
                            counters.reads.add(1, ordering: .relaxed)
                        }
                    } catch {
                        counters.failures.add(1, ordering: .relaxed)
                    }
                }
            }
            threads.spawn {
                do {
                    let pager = Pager(shared: shared)
                    let store = try TreeStore(pager: pager)
                    var generator = SeededGenerator(seed: 7)
                    for _ in 0..<600 {
                        while true {
                            do {
                                try pager.beginWrite()
                                break
                            } catch let error as DatabaseError where error.resultCode.primary == .SQLITE_BUSY {
                                continue
                            }
                        }
                        let cursor = BTreeCursor(store: store, root: table, kind: .table, writable: true)
                        let from = Int64.random(in: 1...400, using: &generator)
                        let to = Int64.random(in: 1...400, using: &generator)
                        let amount = Int64.random(in: 1...50, using: &generator)
                        for (rowid, delta) in [(from, -amount), (to, amount)] {
                            _ = try cursor.blocking { try cursor.seek(rowid: rowid) }
                            guard case .integer(let balance) = try cursor.values()[0] else { throw SQLiteShell.Failure(description: "bad row") }
                            try RecordEncoder.encode([.integer(balance + delta)]).withUnsafeBytes { try cursor.insert(rowid: rowid, payload: $0) }
                        }
                        cursor.close()
                        try pager.commit()
                        counters.commits.add(1, ordering: .relaxed)
                    }
                } catch {
                    counters.failures.add(1, ordering: .relaxed)
                }
                // On a loaded machine the 600 commits can end before the checkpointer thread ran
                // more than once or twice; keep readers and checkpoints going until it has.
                let deadline = ContinuousClock.now + .seconds(60)
                while counters.checkpoints.load(ordering: .relaxed) <= 5 && ContinuousClock.now < deadline {
                    usleep(1000)
                }
                counters.stop.store(true, ordering: .relaxed)
            }
            threads.spawn {
                let pager = Pager(shared: shared)
                var mode = 0
                while !counters.stop.load(ordering: .relaxed) {
                    do {
                        _ = try pager.checkpoint(mode % 2 == 0 ? .passive : .full)
                        counters.checkpoints.add(1, ordering: .relaxed)
                    } catch {
                        counters.failures.add(1, ordering: .relaxed)
                    }
                    mode += 1
                    usleep(2000)
                }
            }
        }
        threads.join()
        }
        #expect(counters.failures.load(ordering: .relaxed) == 0)
        #expect(counters.commits.load(ordering: .relaxed) == 600)
        #expect(counters.reads.load(ordering: .relaxed) > 100)
        #expect(counters.checkpoints.load(ordering: .relaxed) > 5)
        let final = try harness.read { try WALModeTests.balances($0, table) }
        #expect(final.sum == 400_000 && final.count == 400)
        harness.close()
        #expect(try SQLiteShell.run(harness.path, "PRAGMA integrity_check; SELECT sum(balance), count(*) FROM accounts;") == "ok\n400000|400\n")
    }

    static func balances(_ store: TreeStore, _ table: UInt32) throws -> (sum: Int64, count: Int) {
        let cursor = BTreeCursor(store: store, root: table, kind: .table, writable: false)
        defer { cursor.close() }
        var sum: Int64 = 0
        var count = 0
        var more = try cursor.blocking { try cursor.first() }
        while more {
            guard case .integer(let value) = try cursor.values()[0] else { throw SQLiteShell.Failure(description: "not an integer") }
            sum += value
            count += 1
            more = try cursor.blocking { try cursor.next() }
        }
        return (sum, count)
    }
}

/// Counters the threads of a concurrency test share.
final class ConcurrencyCounters: Sendable {
    let stop = Atomic<Bool>(false)
    let failures = Atomic<Int>(0)
    let reads = Atomic<Int>(0)
    let commits = Atomic<Int>(0)
    let checkpoints = Atomic<Int>(0)
}

/// Threads started together and joined together.
final class ThreadGroup: @unchecked Sendable {
    // Sendable: `group` is a DispatchGroup, itself thread-safe; nothing else is stored.
    private let group = DispatchGroup()

    func spawn(_ body: @escaping @Sendable () -> Void) {
        group.enter()
        let thread = Thread { [group] in
            body()
            group.leave()
        }
        thread.stackSize = 8 << 20
        thread.start()
    }

    func join() { group.wait() }
}
