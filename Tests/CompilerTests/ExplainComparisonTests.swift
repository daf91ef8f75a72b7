import BTree
import Foundation
import Testing

/// Programs shaped like sqlite3's: for simple statements the opcodes Ringlite emits are the ones
/// `EXPLAIN` shows in sqlite3 3.40.1, in the same order.
@Suite struct ExplainComparisonTests {
    static let setup = "CREATE TABLE t(a, b); CREATE TABLE u(x INTEGER PRIMARY KEY, y TEXT, z REAL)"

    static let statements = [
        "SELECT a FROM t",
        "SELECT * FROM t",
        "SELECT a, b FROM t",
        "SELECT b, a, a FROM t",
        "SELECT a || b FROM t",
        "SELECT a + b, a * b FROM t",
        "SELECT a FROM t WHERE a = b",
        "SELECT a, b FROM t WHERE a > b",
        "SELECT a FROM t WHERE a IS NULL",
        "SELECT a FROM t WHERE a NOTNULL",
        "SELECT a FROM t WHERE a AND b",
        "SELECT a FROM t WHERE a OR b",
        "SELECT a FROM t WHERE NOT a",
        "SELECT a FROM t WHERE a = b AND b < a",
        "SELECT a = b FROM t",
        "SELECT abs(a) FROM t",
        "SELECT CAST(a AS TEXT) FROM t",
        "SELECT a FROM t WHERE a LIKE b",
        "SELECT CASE WHEN a THEN b END FROM t",
        "SELECT coalesce(a, b) FROM t",
        "SELECT DISTINCT a FROM t",
        "SELECT y, z FROM u",
        "SELECT x, y FROM u WHERE y = z",
        "INSERT INTO t VALUES (1, 2)",
        "INSERT INTO t VALUES (?, ?)",
    ]

    private func opcodes(_ outcome: Outcome) -> [String] {
        guard case .rows(let rows) = outcome else { return ["error: \(outcome)"] }
        return rows.map { row in
            guard row.count > 1, case .text(let bytes) = row[1] else { return "?" }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    @Test func programsMatchSQLite() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-explain-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db").path
        let setupOracle = try SQLiteOracle(path: path)
        try setupOracle.execute(Self.setup)
        setupOracle.close()

        var theirs: [[String]] = []
        let oracle = try SQLiteOracle(path: path)
        for statement in Self.statements { theirs.append(opcodes(oracle.run("EXPLAIN " + statement))) }
        oracle.close()
        let ringlite = try RingliteRunner(path: path)
        defer { ringlite.close() }
        var mismatches: [String] = []
        for (statement, expected) in zip(Self.statements, theirs) {
            let mine = opcodes(ringlite.run("EXPLAIN " + statement))
            if mine != expected {
                mismatches.append("\(statement)\n  sqlite3:  \(expected.joined(separator: " "))\n  ringlite: \(mine.joined(separator: " "))")
            }
        }
        print("explain comparison: \(Self.statements.count - mismatches.count) of \(Self.statements.count) programs match")
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n"))")
    }
}
