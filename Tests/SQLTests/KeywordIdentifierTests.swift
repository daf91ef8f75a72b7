import Foundation
import Testing
@testable import SQL

/// Every keyword in every place a name can stand: this parser must accept it exactly where
/// sqlite3 does (SQLite's `%fallback ID` rules, shaped by its parser tables) and word the
/// rejections the same way.
@Suite struct KeywordIdentifierTests {
    /// Run after `CREATE TABLE t(x); CREATE TABLE u(x);`. K stands for the keyword.
    static let templates: [String] = [
        "CREATE TABLE K(x)", "CREATE TABLE t2(K)", "CREATE TABLE t2(K INT)", "CREATE TABLE t2(x K)",
        "CREATE TABLE t2(x INT K)", "CREATE TABLE t2(x K(10))", "CREATE TABLE t2(x, CONSTRAINT K CHECK (x))",
        "CREATE TABLE t2(x DEFAULT K)", "CREATE TABLE t2(x AS (1) K, y)", "CREATE TABLE t2(x) K",
        "CREATE TABLE t2(x) WITHOUT K", "CREATE TABLE t2(x REFERENCES K)", "CREATE TABLE t2(x COLLATE K)",
        "CREATE TABLE t2(x REFERENCES u MATCH K)", "CREATE TABLE main.K(x)",
        "SELECT K FROM t", "SELECT x K FROM t", "SELECT x AS K FROM t", "SELECT K(x) FROM t",
        "SELECT K.x FROM t", "SELECT K.* FROM t", "SELECT * FROM K", "SELECT * FROM t K", "SELECT * FROM t AS K",
        "SELECT * FROM t K JOIN u ON 1", "SELECT * FROM t WHERE K = 1", "SELECT * FROM t WHERE x = K",
        "SELECT * FROM t WHERE x LIKE K", "SELECT * FROM t WHERE x IN K", "SELECT * FROM t ORDER BY K",
        "SELECT * FROM t GROUP BY K", "SELECT (K)", "SELECT -K", "SELECT x COLLATE K FROM t",
        "SELECT CAST(x AS K) FROM t", "SELECT * FROM t INDEXED BY K", "SELECT * FROM t JOIN u USING (K)",
        "SELECT * FROM t LEFT K JOIN u", "SELECT count(*) OVER K FROM t WINDOW K AS ()",
        "SELECT sum(x) OVER (K) FROM t WINDOW K AS ()", "SELECT 1 FROM t WINDOW w AS (K)",
        "SELECT sum(x) OVER (ORDER BY x ROWS K PRECEDING) FROM t", "SELECT RAISE(ABORT, K)",
        "WITH K AS (SELECT 1) SELECT * FROM K", "WITH c(K) AS (SELECT 1) SELECT * FROM c",
        "CREATE INDEX K ON t(x)", "CREATE INDEX i ON t(K)", "CREATE INDEX i ON K(x)", "CREATE VIEW K AS SELECT 1",
        "CREATE VIEW v(K) AS SELECT 1", "CREATE TRIGGER K AFTER INSERT ON t BEGIN SELECT 1; END",
        "CREATE TRIGGER r AFTER UPDATE OF K ON t BEGIN SELECT 1; END",
        "CREATE VIRTUAL TABLE K USING fts5(x)", "CREATE VIRTUAL TABLE v USING K",
        "SAVEPOINT K", "RELEASE K", "ROLLBACK TO K", "BEGIN TRANSACTION K", "PRAGMA K", "PRAGMA user_version = K",
        "PRAGMA table_info(K)", "ATTACH ':memory:' AS K", "VACUUM K", "REINDEX K", "ANALYZE K", "DROP TABLE K",
        "DROP TABLE IF EXISTS K", "ALTER TABLE t RENAME TO K", "ALTER TABLE t ADD COLUMN K", "ALTER TABLE t ADD K",
        "ALTER TABLE t RENAME x TO K", "ALTER TABLE t RENAME COLUMN K TO y", "INSERT INTO t(K) VALUES (1)",
        "INSERT INTO t AS K VALUES (1)", "UPDATE t SET K = 1", "UPDATE t AS K SET x = 1", "DELETE FROM t AS K",
        "INSERT INTO t VALUES (1) ON CONFLICT (K) DO NOTHING",
    ]

    static let words: [String] = Keywords.all.map(\.text) + ["true", "false", "rowid", "stored", "strict"]

    @Test(.enabled(if: Oracle.isAvailable))
    func keywordsAsNamesMatchSQLite() {
        let cases = Self.templates.flatMap { template in
            Self.words.map { template.replacingOccurrences(of: "K", with: $0) }
        }
        #expect(cases.count > 10_000)
        let failures = ConcurrentList<String>()
        let setup = "CREATE TABLE t(x); CREATE TABLE u(x); "
        DispatchQueue.concurrentPerform(iterations: cases.count) { index in
            let sql = setup + cases[index]
            var expected = Oracle.prepareError(sql)
            if let message = expected, !parserRaises(message) { expected = nil }
            let actual = parseError(sql, options: oracleOptions)
            if expected != actual {
                failures.append("\(cases[index])\n    sqlite3: \(expected ?? "(parses)")\n    here:    \(actual ?? "(parses)")")
            }
        }
        let items = failures.items.sorted()
        #expect(items.isEmpty, "\(items.count) differences\n\(items.prefix(60).joined(separator: "\n"))")
    }
}

/// True for the messages this parser raises itself (syntax errors and the grammar-level checks).
func parserRaises(_ message: String) -> Bool {
    parserMessagePrefixes.contains { message.hasPrefix($0) }
}

let parserMessagePrefixes = [
    "near ", "incomplete input", "unrecognized token", "parser stack overflow",
    "ORDER BY clause should come", "LIMIT clause should come", "a JOIN clause is required",
    "unknown join type", "unknown table option", "error in generated column",
    "syntax error after column name", "qualified table names are not allowed",
    "the INDEXED BY clause", "the NOT INDEXED clause", "cannot use RETURNING in a trigger",
    "unsupported frame specification", "cannot override", "IN(...) element has",
    "columns assigned", "variable number must be between", "too many SQL variables",
    "hex literal too big", "duplicate WITH table name", "Expression tree is too large",
    "duplicate column name", "unsupported use of NULLS", "parameters are not allowed in views",
    "trigger cannot use variables", "temporary trigger may not have qualified name",
]
