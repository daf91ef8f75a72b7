import Foundation
import Testing

/// REINDEX, PRAGMA foreign_key_list and PRAGMA table_list against sqlite3; database_list, whose
/// file differs between the two copies, on Ringlite alone.
@Suite struct ReindexAndPragmaListTests {
    static let fk = "CREATE TABLE p(k INTEGER PRIMARY KEY, a, b, UNIQUE(a, b)); CREATE TABLE c(id, pk REFERENCES p(k) ON DELETE CASCADE, x, y, z REFERENCES p MATCH FULL, w REFERENCES p(k) ON UPDATE RESTRICT ON DELETE SET DEFAULT ON UPDATE CASCADE, FOREIGN KEY(x, y) REFERENCES p(a, b) ON UPDATE SET NULL DEFERRABLE INITIALLY DEFERRED)"
    static let indexed = "CREATE TABLE r(id INTEGER PRIMARY KEY, a TEXT COLLATE NOCASE, b, c UNIQUE); CREATE INDEX r_a ON r(a); CREATE INDEX r_bc ON r(b DESC, c); CREATE TABLE r2(x COLLATE RTRIM); CREATE INDEX r2_x ON r2(x); INSERT INTO r VALUES(1, 'B', 2, 'x'), (2, 'a', 1, 'y'), (3, 'C', 3, 'z'); INSERT INTO r2 VALUES('p '), ('q')"

    static let cases: [ConformanceCase] = [
        ConformanceCase("foreign_key_list", setup: fk + "; CREATE TABLE none(a)", [
            "PRAGMA foreign_key_list(c)", "PRAGMA foreign_key_list(p)", "PRAGMA foreign_key_list(none)",
            "PRAGMA foreign_key_list(nosuch)", "PRAGMA foreign_key_list", "PRAGMA main.foreign_key_list(c)",
            "PRAGMA foreign_key_list('C')",
        ]),
        ConformanceCase("table_list", setup: "CREATE TABLE one(a, b); CREATE TABLE two(x PRIMARY KEY) WITHOUT ROWID; CREATE TABLE three(i INT, t TEXT) STRICT", [
            "PRAGMA table_list", "PRAGMA table_list(two)", "PRAGMA table_list('three')", "PRAGMA table_list(nosuch)",
            "PRAGMA table_list(sqlite_schema)", "PRAGMA table_list(sqlite_master)", "PRAGMA table_list(SQLITE_TEMP_MASTER)", "PRAGMA main.table_list(one)", "CREATE TABLE four(a, b, c, d)", "PRAGMA table_list",
            "ALTER TABLE one ADD COLUMN c", "PRAGMA table_list(one)",
        ]),
        ConformanceCase("reindex", setup: indexed, [
            "REINDEX", "SELECT id FROM r WHERE a = 'b'", "REINDEX r", "REINDEX r_bc", "REINDEX main.r_a", "REINDEX NOCASE",
            "REINDEX RTRIM", "REINDEX binary", "REINDEX nosuch", "REINDEX main.nosuch", "REINDEX r2", "SELECT * FROM r2 WHERE x = 'p'",
            "PRAGMA integrity_check", "BEGIN", "INSERT INTO r VALUES(4, 'd', 4, 'w')", "REINDEX r", "ROLLBACK", "SELECT count(*) FROM r",
            "SELECT id FROM r WHERE b > 1 ORDER BY b DESC", "SELECT c FROM r WHERE c >= 'x' ORDER BY c",
        ]),
    ]

    @Test func reindexAndPragmaLists() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        #expect(compared == Self.cases.reduce(0) { $0 + $1.statements.count })
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func databaseListNamesTheMainFile() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-dblist-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let runner = try RingliteRunner(path: path)
        defer { runner.close() }
        #expect(runner.run("PRAGMA database_list") == .rows([[.integer(0), .text(Array("main".utf8)), .text(Array(path.utf8))]]))
    }
}
