import Foundation
import Testing
@testable import BTree
@testable import Pager

/// A cursor whose descent meets a corrupt cell must let go of the page it was searching. Found
/// by fuzz-database-file: a rowid seek into a leaf whose cell pointers were damaged failed with
/// SQLITE_CORRUPT as it should, but left that leaf pinned, and the next write transaction's
/// rollback stopped on "rollback while 1 page pins are held".
@Suite struct CorruptPagePinTests {
    /// A table of 200 rows on 512-byte pages (an interior root over several leaves), with every
    /// cell pointer of its first leaf set to 0, outside the cell content area.
    func damagedTable() throws -> (directory: URL, path: String, root: UInt32) {
        let (directory, path) = try SQLiteShell.temporaryDatabase("damaged.db")
        try SQLiteShell.run(path, """
            PRAGMA page_size=512;
            CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT);
            INSERT INTO t SELECT value, 'row ' || value FROM generate_series(1, 200);
            """)
        let root = UInt32(try SQLiteShell.run(path, "SELECT rootpage FROM sqlite_schema WHERE name = 't';")
            .trimmingCharacters(in: .whitespacesAndNewlines))!
        var surgery = try FileSurgery(path: path)
        let levels = surgery.levels(root: root)
        #expect(levels.count == 2, "the table should be an interior root over leaves")
        let leaf = levels[1][0]
        for index in 0..<surgery.cellCount(leaf) {
            surgery.write16(surgery.cellPointerOffset(leaf, index), 0)
        }
        try surgery.write(to: path)
        return (directory, path, root)
    }

    @Test func failedSeekReleasesThePageItSearched() throws {
        let (directory, path, root) = try damagedTable()
        defer { try? FileManager.default.removeItem(at: directory) }
        let session = try ReadSession(path: path, readOnly: false)
        try session.read {
            let cursor = BTreeCursor(store: session.store, root: root, kind: .table, writable: false)
            var failed = false
            do { _ = try cursor.blocking { () throws(DatabaseError) in try cursor.seek(rowid: 2) } } catch { failed = true }
            #expect(failed, "the seek reads a damaged cell")
            cursor.close()
            #expect(session.pager.cache.totalPins == 0)
        }
        // What the fuzzer hit: a write transaction after the failed read rolls back cleanly.
        try session.pager.beginWrite()
        #expect(session.pager.cache.totalPins == 0)
        session.pager.rollback()
    }

    @Test func failedInsertDescentReleasesThePageItSearched() throws {
        let (directory, path, root) = try damagedTable()
        defer { try? FileManager.default.removeItem(at: directory) }
        let session = try ReadSession(path: path, readOnly: false)
        try session.pager.beginWrite()
        let cursor = BTreeCursor(store: session.store, root: root, kind: .table, writable: true)
        let failed = Self.insertFails(cursor)
        #expect(failed, "the insert's descent reads a damaged cell")
        cursor.close()
        #expect(session.pager.cache.totalPins == 0)
        session.pager.rollback()
    }

    /// Inserts a one-column record at rowid 3 (into the damaged leaf); true when that failed.
    static func insertFails(_ cursor: BTreeCursor) -> Bool {
        let payload: [UInt8] = [2, 1, 7]  // a record holding the integer 7
        return payload.withUnsafeBytes { bytes in
            do {
                try cursor.insert(rowid: 3, payload: bytes)
                return false
            } catch {
                return true
            }
        }
    }
}
