import Foundation
import Testing
@testable import BTree
@testable import Pager

/// A restartable move returns `.io` and runs again from the root once the read is done. With a
/// small cache and a deep tree it must still make progress: before read-ahead was kept from
/// evicting, `first()` on a four-level tree with a 16-page cache restarted forever on io_uring.
@Suite struct CursorProgressTests {
    @Test(arguments: [IOBackendKind.uring, .syscall])
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
            var restarts = 0
            while true {
                switch try move() {
                case .done(let found): return (found, restarts)
                case .io(let completion):
                    restarts += 1
                    try #require(restarts < 100, "the move keeps restarting")
                    pager.backend.wait(for: completion)
                }
            }
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
}
