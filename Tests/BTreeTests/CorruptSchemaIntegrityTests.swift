import Foundation
import Testing
@testable import BTree
@testable import Pager

/// A damaged sqlite_schema row can give a table root page 0. Found by fuzz-database-file:
/// PRAGMA integrity_check opened a cursor on root 0 for the row-against-index check and stopped
/// on the cursor's precondition. sqlite3's OpenRead on root 0 fails with SQLITE_CORRUPT, which
/// ends its check as malformed; Ringlite's check must end the same way.
@Suite struct CorruptSchemaIntegrityTests {
    @Test func tableWithRootPageZeroEndsTheCheckAsMalformed() throws {
        let (directory, path) = try SQLiteShell.temporaryDatabase("root-zero.db")
        defer { try? FileManager.default.removeItem(at: directory) }
        try SQLiteShell.run(path, """
            PRAGMA page_size=512;
            CREATE TABLE t(a, b);
            INSERT INTO t VALUES (1, 2);
            """)
        let session = try ReadSession(path: path)
        let schema = IntegritySchema(trees: [
            .structureOnly(root: TreeStore.schemaRoot),
            .table(IntegrityTable(name: "t", root: 0, columnCount: 2)),
        ])
        let report = try session.read { try session.store.checkIntegrity(schema) }
        #expect(report.rows.last == "database disk image is malformed")
        #expect(report.abortedBy?.resultCode == .SQLITE_CORRUPT)
    }
}
