import Foundation
import Testing
import VM

/// EXPLAIN QUERY PLAN compared with sqlite3's for queries with joins, subqueries and index use:
/// the rows' details and their tree (ids differ: sqlite3's are instruction addresses).
@Suite struct QueryPlanComparisonTests {
    static let schema = """
        CREATE TABLE a(id INTEGER PRIMARY KEY, x INT, name TEXT);
        CREATE TABLE b(id INTEGER PRIMARY KEY, a_id INT, y TEXT, x INT);
        CREATE INDEX b_a ON b(a_id);
        CREATE INDEX b_ay ON b(a_id, y);
        CREATE TABLE c(k TEXT, v REAL, a_id INT);
        CREATE UNIQUE INDEX c_k ON c(k);
        CREATE INDEX c_a ON c(a_id);
        CREATE TABLE d(p INT, q INT, r TEXT);
        CREATE INDEX d_pq ON d(p, q);
        """

    static let queries = [
        "SELECT * FROM a",
        "SELECT * FROM a AS t WHERE t.id = 1",
        "SELECT * FROM a WHERE id > 3 AND id < 7",
        "SELECT * FROM a WHERE id >= 3",
        "SELECT * FROM a WHERE id < 3",
        "SELECT * FROM a WHERE id IN (1, 2, 3)",
        "SELECT * FROM b WHERE a_id = 1",
        "SELECT y FROM b WHERE a_id = 1",
        "SELECT a_id FROM b WHERE a_id > 1",
        "SELECT * FROM b WHERE a_id = 1 AND y > 'a'",
        "SELECT * FROM b WHERE a_id = 1 AND y > 'a' AND y < 'z'",
        "SELECT * FROM d WHERE p = 1 AND q = 2",
        "SELECT r FROM d WHERE p = 1 AND q < 5",
        "SELECT p, q FROM d WHERE p = 1",
        "SELECT count(*) FROM b",
        "SELECT a_id, y FROM b",
        "SELECT * FROM c WHERE k = 'x'",
        "SELECT * FROM a JOIN b ON a.id = b.a_id",
        "SELECT * FROM a, b WHERE a.x = b.a_id",
        "SELECT a.id, b.y FROM a JOIN b ON b.a_id = a.id WHERE a.id = 5",
        "SELECT * FROM a LEFT JOIN b ON a.id = b.a_id",
        "SELECT * FROM a LEFT JOIN c ON c.k = a.name",
        "SELECT * FROM a JOIN c ON c.a_id = a.id JOIN d ON d.p = c.a_id",
        "SELECT * FROM a CROSS JOIN b WHERE b.a_id = a.id",
        "SELECT * FROM b CROSS JOIN a WHERE b.a_id = a.id",
        "SELECT a.name, c.v FROM c JOIN a ON a.id = c.a_id WHERE c.k = 'z'",
        "SELECT * FROM a ORDER BY x",
        "SELECT * FROM a JOIN b ON a.id = b.a_id ORDER BY b.x",
        "SELECT x, count(*) FROM a GROUP BY x",
        "SELECT DISTINCT x FROM a",
        "SELECT 1",
        "SELECT (SELECT 1)",
        "SELECT (SELECT count(*) FROM b WHERE b.a_id = a.id) FROM a",
        "SELECT * FROM a WHERE id = (SELECT a_id FROM b WHERE y = 'q')",
        "SELECT * FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id)",
        "SELECT * FROM a WHERE NOT EXISTS (SELECT 1 FROM c WHERE c.a_id = a.id AND c.v > 1)",
        "SELECT * FROM a WHERE id IN (SELECT a_id FROM b WHERE x > 1)",
        "SELECT a.name FROM a JOIN c ON c.a_id = a.id WHERE a.id IN (SELECT a_id FROM b)",
        "SELECT x FROM a UNION SELECT x FROM b",
        "SELECT x FROM a UNION ALL SELECT x FROM b",
        "SELECT x FROM a EXCEPT SELECT a_id FROM b",
        "SELECT x FROM a INTERSECT SELECT x FROM b",
        "WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 5) SELECT * FROM c",
        "SELECT * FROM a JOIN b ON a.id = b.a_id JOIN c ON c.a_id = b.id WHERE a.x = 1",
        "SELECT a.id FROM a JOIN b ON b.a_id = a.id AND b.y = 'p'",
        "SELECT * FROM b ORDER BY a_id",
        "SELECT * FROM a ORDER BY id DESC",
        "SELECT * FROM a WHERE id > 3 ORDER BY id DESC",
        "SELECT * FROM a WHERE id < 9 ORDER BY id",
        "SELECT a_id, y FROM b ORDER BY a_id, y",
        "SELECT * FROM d ORDER BY p DESC, q DESC",
        "SELECT * FROM d WHERE p = 1 ORDER BY q",
        "SELECT r FROM d WHERE q > 3 ORDER BY p LIMIT 5",
        "SELECT * FROM c ORDER BY k",
        "SELECT * FROM b WHERE a_id = 2 ORDER BY id",
        "SELECT * FROM c WHERE k = 'x' ORDER BY v",
        "SELECT a_id, count(*) FROM b GROUP BY a_id",
        "SELECT p, q, count(*) FROM d GROUP BY q, p",
        "SELECT a_id, max(y) FROM b GROUP BY a_id ORDER BY a_id DESC",
        "SELECT k, count(*) FROM c WHERE k > 'm' GROUP BY k",
        "SELECT p, sum(q) FROM d GROUP BY p HAVING sum(q) > 1 ORDER BY p",
        "SELECT * FROM b WHERE a_id IN (1, 2)",
        "SELECT r FROM d WHERE p = 3 AND q IN (1, 5, 9)",
        "SELECT a.name, b.y FROM a JOIN b ON b.a_id IN (a.id, a.x)",
    ]

    /// Plans Ringlite does not make yet (listed so the difference stays visible): sqlite3
    /// searches an index for every combination of values of several IN lists, and sorts only the
    /// part of ORDER BY an index does not give.
    static let notYetMatched = [
        // A second IN list in the same search (sqlite3 looks up every pair of values).
        "SELECT * FROM d WHERE p IN (1, 2) AND q IN (3, 4)",
        // An index that orders by a prefix of ORDER BY, the rest sorted (RIGHT PART OF ORDER BY).
        "SELECT * FROM d ORDER BY p, q DESC",
    ]

    /// The rows as an indented tree of details.
    static func tree(_ outcome: Outcome) -> [String] {
        guard case .rows(let rows) = outcome else { return ["\(outcome)"] }
        var depth: [Int64: Int] = [:]
        var lines: [String] = []
        for row in rows {
            guard case .integer(let id) = row[0], case .integer(let parent) = row[1], case .text(let bytes) = row[3] else {
                return ["malformed row \(row)"]
            }
            let level = parent == 0 ? 0 : (depth[parent] ?? -100) + 1
            depth[id] = level
            lines.append(String(repeating: "  ", count: max(level, 0)) + String(decoding: bytes, as: UTF8.self))
        }
        return lines
    }

    @Test func plansMatchSQLite() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-eqp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("plan.db").path
        let setup = try SQLiteOracle(path: path)
        try setup.execute(Self.schema)
        setup.close()
        let oracle = try SQLiteOracle(path: path)
        var expected: [String: [String]] = [:]
        for query in Self.queries { expected[query] = Self.tree(oracle.run("EXPLAIN QUERY PLAN " + query)) }
        oracle.close()
        let ringlite = try RingliteRunner(path: path)
        defer { ringlite.close() }
        var matched = 0
        var differences: [String] = []
        for query in Self.queries {
            let mine = Self.tree(ringlite.run("EXPLAIN QUERY PLAN " + query))
            if mine == expected[query] {
                matched += 1
            } else {
                differences.append("\(query)\n  sqlite3:\n    \(expected[query]!.joined(separator: "\n    "))\n  ringlite:\n    \(mine.joined(separator: "\n    "))")
            }
        }
        print("query plans: \(matched) of \(Self.queries.count) match sqlite3's")
        let oracleAgain = try SQLiteOracle(path: path)
        for query in Self.notYetMatched {
            let theirs = Self.tree(oracleAgain.run("EXPLAIN QUERY PLAN " + query))
            let mine = Self.tree(ringlite.run("EXPLAIN QUERY PLAN " + query))
            print("not matched yet: \(query)\n  sqlite3: \(theirs)\n  ringlite: \(mine)")
        }
        oracleAgain.close()
        #expect(differences.isEmpty, "\(differences.count) plans differ:\n\(differences.joined(separator: "\n"))")
        #expect(matched >= 30, "at least 30 plans compared")
    }
}
