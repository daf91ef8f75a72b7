import Foundation
import Testing
import BTree
import Pager
@testable import VM

/// Writes compiled by sqlite3 and run on Ringlite: after each, the tables must read the same as
/// a copy of the database that sqlite3 itself wrote, and PRAGMA integrity_check must pass.
@Suite struct SQLiteWriteProgramTests {
    static let schema = SQLiteProgramTests.schema + """

        CREATE TABLE t4(p INTEGER PRIMARY KEY, q TEXT NOT NULL, r INTEGER CONSTRAINT positive CHECK (r > 0), s UNIQUE);
        INSERT INTO t4 VALUES (1, 'one', 1, 'u1'), (2, 'two', 2, 'u2');
        """

    static let checks = [
        "SELECT * FROM t1 ORDER BY a",
        "SELECT b, count(*) FROM t1 INDEXED BY t1b GROUP BY b",
        "SELECT c, d, a FROM t1 INDEXED BY t1cd WHERE c IS NOT NULL ORDER BY c, d DESC",
        "SELECT * FROM t2 ORDER BY x, y",
        "SELECT * FROM t3",
        "SELECT * FROM t4",
        "SELECT id, length(payload) FROM big",
    ]

    static let writes: [String] = [
        "INSERT INTO t1 VALUES (1000, 5, 'new', 2.5, 'e')",
        "INSERT INTO t1(b, c) VALUES (6, 'auto')",
        "INSERT INTO t1(b, c, d) VALUES (7, 'x', 1), (8, 'y', 2), (9, 'z', '3.5')",
        "INSERT INTO t1 SELECT a + 2000, b, c, d, e FROM t1 WHERE a < 20",
        "UPDATE t1 SET b = b + 1 WHERE a < 30",
        "UPDATE t1 SET c = 'renamed', d = d * 2 WHERE b = 4",
        "UPDATE t1 SET e = NULL WHERE e = '12'",
        "DELETE FROM t1 WHERE a % 13 = 0",
        "DELETE FROM t1 WHERE b IS NULL",
        "INSERT OR REPLACE INTO t1 VALUES (5, 99, 'replaced', 0.5, NULL)",
        "INSERT OR IGNORE INTO t1 VALUES (6, 98, 'ignored', 0.5, NULL)",
        "INSERT INTO t1 VALUES (7, 1, 'dup', 1, 1)",
        "INSERT INTO t2 VALUES (3, 'abc', 1)",
        "INSERT INTO t2 VALUES (3, 'ABC', 1)",
        "INSERT OR REPLACE INTO t2 VALUES (3, 'ABC', 777)",
        "INSERT OR IGNORE INTO t2 VALUES (4, 'abd', 888)",
        "UPDATE t2 SET z = z + 1 WHERE y = 'abd'",
        "UPDATE OR IGNORE t2 SET y = 'Abc' WHERE x = 5",
        "DELETE FROM t2 WHERE x > 30",
        "INSERT INTO t3 VALUES ('key7', 1)",
        "INSERT INTO t3 VALUES ('zz', 'top'), ('aa', 'bottom')",
        "UPDATE t3 SET v = v * 2 WHERE k < 'key3'",
        "DELETE FROM t3 WHERE v > 1000",
        "INSERT INTO t4 VALUES (3, NULL, 1, 'u3')",
        "INSERT INTO t4 VALUES (3, 'three', 0, 'u3')",
        "INSERT INTO t4 VALUES (3, 'three', 3, 'u1')",
        "INSERT INTO t4 VALUES (3, 'three', 3, 'u3')",
        "INSERT OR FAIL INTO t4 VALUES (10, 'ten', 10, 'u10'), (11, NULL, 11, 'u11')",
        "INSERT OR ROLLBACK INTO t4 VALUES (12, 'ok', 12, 'u12'), (13, 'bad', -1, 'u13')",
        "UPDATE t4 SET r = -r WHERE p = 1",
        "UPDATE big SET payload = payload || payload WHERE id % 3 = 0",
        "INSERT INTO big(payload) SELECT printf('%.*c', 9000, 'y') FROM t3 WHERE v < 30",
        "DELETE FROM big WHERE id > 30",
        "CREATE TABLE t5(a, b)",
        "INSERT INTO t5 SELECT a, c FROM t1 WHERE a < 50",
        "CREATE INDEX t5a ON t5(b, a)",
        "DELETE FROM t3",
        "DELETE FROM t2 WHERE 1",
        "DROP TABLE t5",
    ]

    @Test func writesMatchSQLite() throws {
        let database = try VMDatabase(cachePages: 64)
        let output = try database.sqlite(Self.schema)
        precondition(output.stderr.isEmpty, "schema: \(output.stderr)")
        var results: [(String, Comparison)] = []
        for statement in Self.writes {
            print("write: \(statement)")
            results.append((statement, try database.compareWrite(statement, checks: Self.checks)))
        }
        let matched = results.filter { $0.1 == .matched }.count
        var mismatched = 0
        print("sqlite3-compiled writes: \(results.count), matched \(matched)")
        for (statement, result) in results where result != .matched {
            if case .mismatch = result { mismatched += 1 }
            print("  \(result): \(statement)")
        }
        #expect(mismatched == 0)
        #expect(matched >= results.count * 9 / 10)
    }
}
