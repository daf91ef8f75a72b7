import Foundation
import Testing
@testable import BTree
@testable import Pager

/// A restartable move returns `.io` and runs again from the root once the read is done. With a
/// small cache and a deep tree it must still make progress: before read-ahead was kept from
/// evicting, `first()` on a four-level tree with a 16-page cache restarted forever on io_uring.
@Suite struct CursorProgressTests {
    /// Runs a restartable operation to completion like `BTreeCursor.blocking`, but fails the
    /// test instead of spinning when it keeps restarting: a move or seek needs at most one read
    /// per level of the tree, so 100 restarts means it no longer makes progress.
    func run<T>(_ pager: Pager, _ operation: () throws(DatabaseError) -> IOResult<T>) throws -> (value: T, restarts: Int) {
        var restarts = 0
        while true {
            switch try operation() {
            case .done(let value): return (value, restarts)
            case .io(let completion):
                restarts += 1
                try #require(restarts < 100, "the operation keeps restarting")
                pager.backend.wait(for: completion)
            }
        }
    }

    @Test(.timeLimit(.minutes(2)), arguments: [IOBackendKind.uring, .syscall])
    func movesOnADeepTreeWithASmallCacheFinish(_ backend: IOBackendKind) throws {
        let (directory, path) = try SQLiteShell.temporaryDatabase("deep.db")
        defer { try? FileManager.default.removeItem(at: directory) }
        try SQLiteShell.run(path, """
            PRAGMA page_size=512;
            CREATE TABLE big(x INTEGER, y TEXT);
            INSERT INTO big SELECT value, printf('%.*c', value % 40, 'y') FROM generate_series(1, 60000);
            """)
        var options = PagerOptions()
        options.readOnly = true
        options.io = backend
        options.cachePages = 16
        let pager = Pager(shared: try PagerShared.open(path: path, options: options))
        let store = try TreeStore(pager: pager)
        pager.beginRead()
        defer { pager.endRead() }
        let cursor = BTreeCursor(store: store, root: 2, kind: .table, writable: false)
        defer { cursor.close() }
        func run(_ move: () throws(DatabaseError) -> IOResult<Bool>) throws -> (found: Bool, restarts: Int) {
            let (found, restarts) = try self.run(pager, move)
            return (found, restarts)
        }
        let first = try run { () throws(DatabaseError) -> IOResult<Bool> in try cursor.first() }
        #expect(first.found)
        #expect(cursor.stack.count >= 4, "a deep tree")
        #expect(try cursor.rowid() == 1)
        let last = try run { () throws(DatabaseError) -> IOResult<Bool> in try cursor.last() }
        #expect(last.found)
        #expect(try cursor.rowid() == 60000)
        var random = SeededGenerator(seed: 5)
        for _ in 0..<200 {
            let target = Int64.random(in: 1...60000, using: &random)
            let seek = try run { () throws(DatabaseError) -> IOResult<Bool> in
                try cursor.seek(rowid: target).map { $0 == .exact }
            }
            #expect(seek.found)
            #expect(try cursor.rowid() == target)
        }
    }

    /// An index search compares the keys of the interior cells on its path, and a key that spills
    /// is read with its overflow chain. Those reads evict, and a chain longer than the cache's
    /// free room evicted the child page the previous attempt had waited for, so each attempt
    /// waited for it again and a seek on io_uring restarted forever. Now the pages an attempt
    /// reached stay pinned, and the page it waits for protected, until the next attempt ends.
    @Test(.timeLimit(.minutes(2)), arguments: [IOBackendKind.uring, .syscall])
    func indexSeeksPastSpillingKeysWithASmallCacheFinish(_ backend: IOBackendKind) throws {
        let (directory, path) = try SQLiteShell.temporaryDatabase("spilling.db")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Keys of about 10 KB: 20 overflow pages each on 512-byte pages, more than the cache holds
        // beside the path.
        let rows = 300
        let padding = 5000
        try SQLiteShell.run(path, """
            PRAGMA page_size=512;
            CREATE TABLE t(k TEXT);
            INSERT INTO t SELECT printf('%05d-', value) || hex(zeroblob(\(padding))) FROM generate_series(1, \(rows));
            CREATE INDEX t_k ON t(k);
            """)
        let root = try #require(UInt32(SQLiteShell.run(path, "SELECT rootpage FROM sqlite_schema WHERE name = 't_k';")
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        var options = PagerOptions()
        options.readOnly = true
        options.io = backend
        options.cachePages = 16
        let pager = Pager(shared: try PagerShared.open(path: path, options: options))
        let store = try TreeStore(pager: pager)
        pager.beginRead()
        defer { pager.endRead() }
        let cursor = BTreeCursor(store: store, root: root, kind: .index(KeyInfo(binaryColumns: 1)), writable: false)
        defer { cursor.close() }
        func key(_ value: Int) -> [Value] {
            [.text(Array(String(format: "%05d-", value).utf8) + [UInt8](repeating: UInt8(ascii: "0"), count: 2 * padding))]
        }
        #expect(try run(pager) { () throws(DatabaseError) -> IOResult<Bool> in try cursor.first() }.value)
        #expect(cursor.stack.count >= 3, "keys compared on interior pages above the leaves")
        let depth = cursor.stack.count
        var random = SeededGenerator(seed: 11)
        for _ in 0..<40 {
            let target = Int.random(in: 1...rows, using: &random)
            for defaultResult in [0, 1, -1] {
                let (found, restarts) = try run(pager) { () throws(DatabaseError) -> IOResult<SeekResult> in
                    try cursor.seek(key: key(target), defaultResult: defaultResult)
                }
                // Each attempt gets at least one page further down: a seek waits at most once per
                // level (twice when it goes on to a successor).
                #expect(restarts <= 2 * depth, "seek \(target) with default \(defaultResult) waited \(restarts) times")
                #expect(found == (defaultResult == 0 ? .exact : defaultResult > 0 ? .after : (target == rows ? .before : .after)),
                        "seek \(target) with default \(defaultResult)")
            }
        }
        #expect(pager.cache.totalPins == cursor.stack.count, "only the cursor's path is pinned")
    }
}
