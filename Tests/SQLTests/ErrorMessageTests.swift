import Foundation
import Testing
@testable import SQL

/// Malformed statements whose messages must read exactly as sqlite3's.
enum MalformedStatements {
    static let all: [String] = [
        "SELECT 1 +", "SELECT 1 +;", "SELECT", "SELECT FROM t", "SELEC 1", "SELECT 1 2",
        "SELECT (1", "SELECT 1)", "SELECT * FROM", "SELECT * FROM t WHERE", "SELECT * FROM t GROUP a",
        "SELECT * FROM t ORDER a", "SELECT * FROM t LIMIT", "SELECT a FROM t t2 t3",
        "SELECT 1e", "SELECT 1e+", "SELECT 1.5e-", "SELECT 12abc", "SELECT 0x", "SELECT 0xg",
        "SELECT X'1'", "SELECT x'0g'", "SELECT x'", "SELECT X'ABC'", "SELECT 'abc", "SELECT \"abc",
        "SELECT [abc", "SELECT `abc", "SELECT 1 /*", "SELECT 1 /", "SELECT !", "SELECT 1 !! 2",
        "SELECT $", "SELECT :", "SELECT @", "SELECT $a(b", "SELECT #1", "SELECT ?0", "SELECT ?250001",
        "SELECT 1 ?", "SELECT \\", "SELECT ^", "SELECT {", "SELECT 1 ; SELECT 2 +",
        "SELECT 1 ORDER BY 1 UNION SELECT 2", "SELECT 1 LIMIT 1 UNION ALL SELECT 2",
        "SELECT 1 ORDER BY 1 INTERSECT SELECT 2 LIMIT 1 EXCEPT SELECT 3",
        "SELECT 1 LIMIT 1 EXCEPT SELECT 2", "VALUES (1) ORDER BY 1", "VALUES ()", "VALUES (1), ",
        "SELECT * FROM (SELECT 1) ON 1", "SELECT * FROM t USING (a)",
        "SELECT * FROM a LEFT INNER JOIN b", "SELECT * FROM a LEFT foo JOIN b",
        "SELECT * FROM a OUTER JOIN b", "SELECT * FROM a NATURAL INNER OUTER JOIN b",
        "SELECT * FROM a INNER OUTER JOIN b", "SELECT * FROM a LEFT RIGHT FULL CROSS JOIN b",
        "SELECT * FROM a CROSS", "SELECT * FROM a LEFT JOIN", "SELECT * FROM t INDEXED i",
        "SELECT * FROM t NOT", "SELECT left(1, 2)", "SELECT raise FROM t", "SELECT cast FROM t",
        "SELECT current_time()", "SELECT a.b.c.d", "SELECT t.* .a", "SELECT a NOT 1", "SELECT 1 IS",
        "SELECT 1 IS DISTINCT 2", "SELECT 1 BETWEEN 2", "SELECT 1 BETWEEN 0 OR 1 AND 2",
        "SELECT 1 NOT BETWEEN 1 OR 2", "SELECT 'a' LIKE 'a' ESCAPE 'x' ESCAPE 'y'", "SELECT 1 ESCAPE 2",
        "SELECT 1 IN", "SELECT 1 IN (", "SELECT 1 IN (1,", "SELECT 1 IN 2",
        "SELECT (1, 2) IN ((1, 2), (3))", "SELECT (1, 2) IN ((1, 2, 3))", "SELECT (1, 2, 3) IN (1)",
        "SELECT CASE END", "SELECT CASE 1 END", "SELECT CASE WHEN 1 END", "SELECT CASE WHEN 1 THEN 2",
        "SELECT CAST(1)", "SELECT CAST(1 AS INT", "SELECT CAST(1 AS VARCHAR(", "SELECT CAST(1 AS VARCHAR(a))",
        "SELECT EXISTS 1", "SELECT EXISTS (1)", "SELECT count(*", "SELECT count(DISTINCT *)",
        "SELECT f(a ORDER BY b)", "SELECT count(*) FILTER (x)", "SELECT count(*) FILTER (WHERE)",
        "SELECT count(*) OVER", "SELECT count(*) OVER (", "SELECT count(*) OVER (PARTITION x)",
        "SELECT sum(1) OVER (ROWS BETWEEN CURRENT ROW AND 1 PRECEDING)",
        "SELECT sum(1) OVER (ROWS 1 FOLLOWING)", "SELECT sum(1) OVER (ROWS BETWEEN 1 FOLLOWING AND CURRENT ROW)",
        "SELECT sum(1) OVER (ROWS UNBOUNDED FOLLOWING)", "SELECT sum(1) OVER (ROWS BETWEEN 1 PRECEDING AND UNBOUNDED PRECEDING)",
        "SELECT sum(1) OVER (ROWS 1 PRECEDING EXCLUDE)", "SELECT sum(1) OVER (ROWS 1 PRECEDING EXCLUDE NO)",
        "SELECT 1 WINDOW w AS (PARTITION BY 1), w2 AS (w PARTITION BY 1)",
        "SELECT 1 WINDOW w AS (ORDER BY 1), w2 AS (w ORDER BY 2)",
        "SELECT 1 WINDOW w AS (ROWS 1 PRECEDING), w2 AS (w)", "SELECT 1 WINDOW w AS (), w2 AS (x)",
        "SELECT RAISE(ABORT, 'a' || 'b')", "SELECT RAISE(IGNORE, 'x')", "SELECT RAISE(x)",
        "WITH x AS (SELECT 1)", "WITH x AS SELECT 1", "WITH x(a COLLATE nocase) AS (SELECT 1) SELECT 1",
        "WITH x(a DESC) AS (SELECT 1) SELECT 1", "WITH x AS (SELECT 1), x AS (SELECT 2) SELECT 1",
        "WITH x AS NOT (SELECT 1) SELECT 1", "WITH RECURSIVE SELECT 1", "WITH x AS (SELECT 1) CREATE TABLE t(a)",
        "INSERT INTO t", "INSERT INTO t VALUES", "INSERT INTO t VALUES (1", "INSERT INTO t () VALUES (1)",
        "INSERT t VALUES (1)", "INSERT OR FOO INTO t VALUES (1)", "INSERT INTO t DEFAULT VALUES ON CONFLICT DO NOTHING",
        "INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING ON CONFLICT DO NOTHING",
        "INSERT INTO t VALUES (1) ON CONFLICT (a) DO", "INSERT INTO t VALUES (1) ON CONFLICT DO UPDATE a = 1",
        "INSERT INTO t SELECT * FROM u ON CONFLICT DO NOTHING", "INSERT INTO t VALUES (1) RETURNING",
        "REPLACE t VALUES (1)", "UPDATE t", "UPDATE t SET", "UPDATE t SET a", "UPDATE t SET a = ",
        "UPDATE t SET (a, b) = (1)", "UPDATE t SET (a, b) = (1, 2, 3)", "UPDATE t SET (a, b) = 1",
        "UPDATE t SET a = 1 WHERE", "UPDATE t SET a = 1 LIMIT", "UPDATE t SET a = 1 ORDER BY",
        "DELETE t", "DELETE FROM", "DELETE FROM t WHERE", "DELETE FROM t RETURNING",
        "CREATE TABLE", "CREATE TABLE t", "CREATE TABLE t(", "CREATE TABLE t()", "CREATE TABLE t(a,)",
        "CREATE TABLE t(a b c d e f g h", "CREATE TABLE t(a) WITHOUT", "CREATE TABLE t(a) WITHOUT rowids",
        "CREATE TABLE t(a) foo", "CREATE TABLE t(a) STRICT,", "CREATE TABLE t(a) WITHOUT \"rowid\"",
        "CREATE TABLE t(a VARCHAR(10, 20, 30))", "CREATE TABLE t(a VARCHAR(x))", "CREATE TABLE t(a NOT)",
        "CREATE TABLE t(a NOT 1)", "CREATE TABLE t(a PRIMARY)", "CREATE TABLE t(a PRIMARY KEY ON)",
        "CREATE TABLE t(a PRIMARY KEY ON CONFLICT)", "CREATE TABLE t(a PRIMARY KEY ON CONFLICT FOO)",
        "CREATE TABLE t(a DEFAULT)", "CREATE TABLE t(a DEFAULT -x)", "CREATE TABLE t(a DEFAULT (1)",
        "CREATE TABLE t(a DEFAULT 1 + 2)", "CREATE TABLE t(a CHECK a > 0)", "CREATE TABLE t(a CHECK (a > 0)",
        "CREATE TABLE t(a REFERENCES)", "CREATE TABLE t(a REFERENCES u ON)", "CREATE TABLE t(a REFERENCES u ON DELETE)",
        "CREATE TABLE t(a REFERENCES u ON DELETE SET)", "CREATE TABLE t(a REFERENCES u ON DELETE NO)",
        "CREATE TABLE t(a REFERENCES u(b DESC))", "CREATE TABLE t(a REFERENCES u MATCH)",
        "CREATE TABLE t(a AS 1)", "CREATE TABLE t(a AS (1) foo)", "CREATE TABLE t(a AS (1) \"stored\")",
        "CREATE TABLE t(a AS (1) first)", "CREATE TABLE t(b, a GENERATED AS (1))",
        "CREATE TABLE t(a INT GENERATED ALWAYS (1))", "CREATE TABLE t(a COLLATE)",
        "CREATE TABLE t(a, a)", "CREATE TABLE t(a, b, A)", "CREATE TABLE t(a, PRIMARY KEY)",
        "CREATE TABLE t(a, PRIMARY KEY (a), b)", "CREATE TABLE t(a, PRIMARY KEY (a),)",
        "CREATE TABLE t(a, UNIQUE (a NULLS FIRST))", "CREATE TABLE t(a, PRIMARY KEY (a DESC NULLS LAST))",
        "CREATE TABLE t(a, FOREIGN KEY a REFERENCES u)", "CREATE TABLE t(a, FOREIGN KEY (a) u)",
        "CREATE TABLE t(a, FOREIGN KEY (a COLLATE x) REFERENCES u)", "CREATE TABLE t(a, CHECK (a) ON CONFLICT)",
        "CREATE TABLE t(a, CONSTRAINT)", "CREATE TABLE t AS", "CREATE TABLE t AS t2",
        "CREATE TEMP INDEX i ON t(a)", "CREATE INDEX i", "CREATE INDEX i ON t", "CREATE INDEX i ON t()",
        "CREATE INDEX i ON t(a NULLS FIRST)", "CREATE INDEX i ON t(a DESC NULLS LAST)",
        "CREATE UNIQUE TABLE t(a)", "CREATE VIEW v", "CREATE VIEW v AS", "CREATE VIEW v(a DESC) AS SELECT 1",
        "CREATE VIEW v AS SELECT ?", "CREATE VIEW v AS SELECT :a", "CREATE VIEW v AS INSERT INTO t VALUES (1)",
        "CREATE TABLE t(a); CREATE TRIGGER tr", "CREATE TABLE t(a); CREATE TRIGGER tr ON t", "CREATE TABLE t(a); CREATE TRIGGER tr INSERT ON t",
        "CREATE TABLE t(a); CREATE TRIGGER tr INSERT ON t BEGIN", "CREATE TABLE t(a); CREATE TRIGGER tr INSERT ON t BEGIN END",
        "CREATE TABLE t(a); CREATE TRIGGER tr INSERT ON t BEGIN SELECT 1", "CREATE TABLE t(a); CREATE TRIGGER tr INSERT ON t BEGIN SELECT 1; ",
        "CREATE TABLE t(a); CREATE TRIGGER tr INSERT ON t BEGIN SELECT 1 END", "CREATE TABLE t(a); CREATE TRIGGER tr INSTEAD UPDATE ON t BEGIN SELECT 1; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO main.u VALUES (1); END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE main.u SET a = 1; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM main.u; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u INDEXED BY i SET a = 1; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u NOT INDEXED; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u VALUES (1) RETURNING *; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET a = 1 RETURNING *; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u RETURNING *; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u LIMIT 1; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET a = 1 ORDER BY a; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u DEFAULT VALUES; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN INSERT INTO u AS x VALUES (1); END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN DELETE FROM u AS x; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN WITH c AS (SELECT 1) DELETE FROM u; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN SELECT ?; END",
        "CREATE TABLE t(a); CREATE TEMP TRIGGER main.tr AFTER INSERT ON t BEGIN SELECT 1; END",
        "CREATE TABLE t(a); CREATE TRIGGER tr AFTER INSERT ON t BEGIN CREATE TABLE x(a); END",
        "CREATE VIRTUAL TABLE t", "CREATE VIRTUAL TABLE t USING", "CREATE VIRTUAL TABLE t USING m(a",
        "CREATE VIRTUAL TABLE t USING m(a, (b)", "CREATE VIRTUAL TABLE t USING m(a))",
        "CREATE VIRTUAL t USING m", "DROP", "DROP TABLE", "DROP TABLE IF", "DROP TABLE IF NOT EXISTS t",
        "DROP COLUMN t", "DROP TABLE t.", "ALTER t RENAME TO u", "ALTER TABLE t", "CREATE TABLE t(a); ALTER TABLE t RENAME",
        "CREATE TABLE t(a); ALTER TABLE t RENAME TO", "CREATE TABLE t(a); ALTER TABLE t RENAME a", "CREATE TABLE t(a); ALTER TABLE t RENAME COLUMN a b",
        "CREATE TABLE t(a); ALTER TABLE t ADD", "CREATE TABLE t(a); ALTER TABLE t ADD COLUMN", "CREATE TABLE t(a); ALTER TABLE t DROP", "CREATE TABLE t(a); ALTER TABLE t MODIFY a",
        "BEGIN FOO", "BEGIN TRANSACTION a b", "COMMIT WORK", "ROLLBACK TO", "ROLLBACK TO SAVEPOINT",
        "SAVEPOINT", "RELEASE", "RELEASE SAVEPOINT", "PRAGMA", "PRAGMA x =", "PRAGMA x = -", "PRAGMA x = -y",
        "PRAGMA x(", "PRAGMA x(1", "PRAGMA x = (1)", "PRAGMA x = 1 2", "VACUUM INTO", "VACUUM a b",
        "REINDEX a.", "ANALYZE a b", "ATTACH", "ATTACH 'x'", "ATTACH 'x' AS", "ATTACH 'x' AS y KEY",
        "DETACH", "EXPLAIN", "EXPLAIN QUERY", "EXPLAIN QUERY SELECT 1", "EXPLAIN EXPLAIN SELECT 1",
        "SELECT 0x10000000000000000", "SELECT -0x10000000000000000", "SELECT -0x8000000000000000",
        "SELECT 1 UNION", "SELECT 1 UNION ALL", "SELECT 1 INTERSECT ALL SELECT 2", "(SELECT 1)",
        "SELECT * FROM t JOIN u ON", "SELECT * FROM t JOIN u USING", "SELECT * FROM t JOIN u USING ()",
        "SELECT * FROM (t", "SELECT * FROM (SELECT 1", "SELECT * FROM ()", "SELECT * FROM t(",
        "SELECT DISTINCT", "SELECT ALL", "SELECT a AS", "SELECT a AS FROM t", "SELECT * AS x",
        "SELECT t.* AS x FROM t", "SELECT 1 COLLATE", "SELECT 1 COLLATE 2", "SELECT 1 ->",
        "SELECT 1 <> ", "SELECT -", "SELECT NOT", "SELECT ~", "SELECT (SELECT 1", "SELECT (1, 2",
        "SELECT 1, ", "SELECT a FROM t WHERE a IN (SELECT", "SELECT count(DISTINCT) FILTER (",
        "END TRANSACTION x y", "COMMIT TO x",
    ]
}

@Suite struct ErrorMessageTests {
    @Test(.enabled(if: Oracle.isAvailable))
    func messagesMatchSQLite() {
        let statements = MalformedStatements.all
        let failures = ConcurrentList<String>()
        DispatchQueue.concurrentPerform(iterations: statements.count) { index in
            let sql = statements[index]
            let expected = Oracle.prepareError(sql)
            let actual = parseError(sql, options: oracleOptions)
            if expected != actual {
                failures.append("\(sql)\n    sqlite3: \(expected ?? "(parses)")\n    here:    \(actual ?? "(parses)")")
            }
        }
        #expect(failures.items.isEmpty, "\n\(failures.items.sorted().joined(separator: "\n"))")
    }

    @Test func enoughMalformedStatements() {
        #expect(MalformedStatements.all.count >= 250)
    }

    /// A few messages pinned here, so the wording is checked even without sqlite3.
    @Test func pinnedMessages() {
        let cases: [(String, String)] = [
            ("SELECT 1 +", "incomplete input"),
            ("SELECT 1 +;", "near \";\": syntax error"),
            ("SELECT 1e", "unrecognized token: \"1e\""),
            ("SELECT X'1'", "unrecognized token: \"X'1'\""),
            ("SELECT 1 ORDER BY 1 UNION SELECT 2", "ORDER BY clause should come after UNION not before"),
            ("SELECT 1 LIMIT 1 UNION ALL SELECT 2", "LIMIT clause should come after UNION ALL not before"),
            ("SELECT * FROM a LEFT INNER JOIN b", "unknown join type: LEFT INNER"),
            ("SELECT * FROM (SELECT 1) ON 1", "a JOIN clause is required before ON"),
            ("CREATE TABLE t(a) foo", "unknown table option: foo"),
            ("SELECT ?0", "variable number must be between ?1 and ?32766"),
            ("SELECT 0x10000000000000000", "hex literal too big: 0x10000000000000000"),
        ]
        for (sql, message) in cases {
            #expect(parseError(sql) == message, "\(sql)")
        }
    }
}
