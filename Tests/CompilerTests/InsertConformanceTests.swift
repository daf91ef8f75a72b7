import Testing

/// INSERT compared with sqlite3: VALUES rows, DEFAULT VALUES, INSERT ... SELECT, column lists,
/// affinity on store, INTEGER PRIMARY KEY, NOT NULL, CHECK, UNIQUE and the OR clauses.
@Suite struct InsertConformanceTests {
    static let schema = """
        CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT NOT NULL, b INT DEFAULT 7 CHECK (b >= 0), c REAL, d, e NUMERIC UNIQUE);
        CREATE INDEX t_bc ON t(b, c);
        CREATE TABLE k(x UNIQUE, y, z NOT NULL DEFAULT 'zz', CONSTRAINT pos CHECK (y > 0 OR y IS NULL), UNIQUE (y, x));
        CREATE TABLE plain(p, q, r);
        CREATE TABLE pk(u TEXT PRIMARY KEY, v INT NOT NULL ON CONFLICT IGNORE, w UNIQUE ON CONFLICT REPLACE);
        INSERT INTO t VALUES (1, 'one', 1, 1.0, 'x', 1);
        INSERT INTO k VALUES (1, 1, 'a');
        INSERT INTO pk VALUES ('a', 1, 'w1');
        """

    static let values = ConformanceCase("insert-values", setup: schema, [
        "INSERT INTO t VALUES (2, 'two', 2, 2, 2, 2)",
        "INSERT INTO t (a) VALUES ('defaults')",
        "INSERT INTO t (a, b, c, d, e) VALUES ('aff', '12', '3', '4', '5.0'), ('aff2', 3.0, 4, x'01', 'abc')",
        "INSERT INTO t (id, a) VALUES (NULL, 'null id'), ('20', 'text id')",
        "INSERT INTO t (a, c, e) VALUES ('reals', 1e400, '1e3'), ('big', 9223372036854775807, '9223372036854775808')",
        "SELECT id, a, typeof(a), b, typeof(b), c, typeof(c), d, typeof(d), e, typeof(e) FROM t ORDER BY id",
        "SELECT last_insert_rowid(), changes(), total_changes()",
        "INSERT INTO t (id, a) VALUES ('x', 'bad id')",
        "INSERT INTO t (id, a) VALUES (1.5, 'real id')",
        "INSERT INTO t (id, a) VALUES (30.0, 'whole real id')",
        "INSERT INTO t (rowid, a) VALUES (40, 'by rowid')",
        "INSERT INTO t VALUES (1, 'dup', 0, 0, 0, 0)",
        "INSERT INTO t (a) VALUES (NULL)",
        "INSERT INTO t (a, b) VALUES ('neg', -1)",
        "INSERT INTO t (a, e) VALUES ('dup e', 1)",
        "INSERT INTO t (a, e) VALUES ('dup e text', '1')",
        "INSERT INTO t (a, e) VALUES ('null e', NULL), ('null e2', NULL)",
        "SELECT id, a, b, e FROM t ORDER BY id",
        "SELECT changes(), last_insert_rowid()",
        "INSERT INTO t (nosuch) VALUES (1)",
        "INSERT INTO t VALUES (1, 2)",
        "INSERT INTO t (a, b) VALUES (1)",
        "INSERT INTO t (a) VALUES (1), (2, 3)",
        "INSERT INTO nosuch VALUES (1)",
        "INSERT INTO t (a) VALUES ('param ' || ?)",
        "INSERT INTO t DEFAULT VALUES",
        "INSERT INTO plain DEFAULT VALUES",
        "INSERT INTO plain VALUES (1, 2.5, 'x'), (NULL, NULL, NULL)",
        "SELECT rowid, * FROM plain",
        "INSERT INTO sqlite_schema VALUES ('table', 'x', 'x', 0, '')",
    ])

    static let constraints = ConformanceCase("insert-constraints", setup: schema, [
        "INSERT INTO k VALUES (2, 2, 'b')",
        "INSERT INTO k VALUES (1, 3, 'c')",
        "INSERT INTO k VALUES (3, -1, 'c')",
        "INSERT INTO k (x, y) VALUES (4, NULL)",
        "INSERT INTO k VALUES (5, 5, NULL)",
        "INSERT OR IGNORE INTO k VALUES (5, 5, NULL)",
        "INSERT OR REPLACE INTO k VALUES (6, 6, NULL)",
        "INSERT OR IGNORE INTO k VALUES (1, 7, 'dup x'), (8, 8, 'new')",
        "INSERT OR REPLACE INTO k VALUES (1, 9, 'replaced x')",
        "SELECT rowid, * FROM k ORDER BY rowid",
        "REPLACE INTO k VALUES (2, 9, 'replaces two rows')",
        "SELECT rowid, * FROM k ORDER BY rowid",
        "SELECT changes()",
        "INSERT OR IGNORE INTO k VALUES (10, -5, 'check ignored')",
        "INSERT OR REPLACE INTO k VALUES (10, -5, 'check not replaced')",
        "INSERT OR FAIL INTO k VALUES (11, 11, 'kept'), (11, 12, 'fails')",
        "SELECT rowid, * FROM k ORDER BY rowid",
        "INSERT OR ABORT INTO k VALUES (12, 12, 'undone'), (12, 13, 'aborts')",
        "INSERT OR ROLLBACK INTO k VALUES (13, 13, 'rolled back'), (13, 14, 'rolls back')",
        "SELECT rowid, * FROM k ORDER BY rowid",
        "INSERT INTO pk VALUES ('a', 2, 'w2')",
        "INSERT INTO pk VALUES ('b', NULL, 'w3')",
        "INSERT INTO pk VALUES ('c', 3, 'w1')",
        "SELECT * FROM pk ORDER BY u",
        "INSERT OR ABORT INTO pk VALUES ('d', NULL, 'w4')",
        "INSERT INTO t (id, a) VALUES (1, 'replace by id')",
        "INSERT OR REPLACE INTO t (id, a, e) VALUES (1, 'replace by id', 2)",
        "SELECT id, a, e FROM t ORDER BY id",
        "INSERT OR IGNORE INTO t (id, a) VALUES (1, 'ignored')",
        "INSERT OR REPLACE INTO t (a) VALUES (NULL)",
        "INSERT OR REPLACE INTO t (a, b) VALUES ('b null', NULL)",
        "INSERT OR REPLACE INTO k (x, y, z) VALUES (20, 20, NULL)",
        "SELECT rowid, * FROM k WHERE x = 20",
    ])

    static let fromSelect = ConformanceCase("insert-select", setup: schema + """
        INSERT INTO plain VALUES (1, 'a', 1.5), (2, 'b', NULL), (3, NULL, 'x'), (2, 'b', 2);
        """, [
        "INSERT INTO plain SELECT p + 10, q, r FROM plain WHERE p < 3",
        "SELECT rowid, * FROM plain ORDER BY rowid",
        "INSERT INTO plain (r) SELECT count(*) FROM plain",
        "INSERT INTO plain SELECT * FROM plain",
        "SELECT count(*), sum(p) FROM plain",
        "INSERT INTO t (a, b) SELECT q, p FROM plain WHERE q IS NOT NULL ORDER BY p LIMIT 3",
        "SELECT id, a, b FROM t ORDER BY id",
        "INSERT INTO t (a) SELECT q FROM plain",
        "INSERT OR IGNORE INTO t (a) SELECT q FROM plain",
        "SELECT count(*) FROM t",
        "INSERT INTO t (a, e) SELECT DISTINCT q, p FROM plain WHERE q IS NOT NULL",
        "INSERT INTO plain SELECT 1",
        "INSERT INTO plain SELECT 1, 2, 3 FROM nosuch",
    ])

    static let strict = ConformanceCase("insert-strict", setup: """
        CREATE TABLE s(i INT, r REAL, t TEXT, b BLOB, a ANY) STRICT;
        CREATE TABLE n(a INTEGER PRIMARY KEY, b INT NOT NULL, c TEXT CHECK (length(c) < 5)) STRICT;
        """, [
        "INSERT INTO s VALUES (1, 2, 'x', x'00', 1.5)",
        "INSERT INTO s VALUES ('3', '4.5', 5, x'01', 'any')",
        "INSERT INTO s VALUES ('x', 1, 'a', x'', 1)",
        "INSERT INTO s VALUES (1, 'y', 'a', x'', 1)",
        "INSERT INTO s VALUES (1, 1, x'00', x'', 1)",
        "INSERT INTO s VALUES (1, 1, 'a', 'b', 1)",
        "INSERT INTO s VALUES (1.5, 1, 'a', x'', 1)",
        "INSERT INTO s VALUES (NULL, NULL, NULL, NULL, NULL)",
        "SELECT i, typeof(i), r, typeof(r), t, typeof(t), b, a, typeof(a) FROM s",
        "INSERT INTO n VALUES (1, 2, 'abc')",
        "INSERT INTO n VALUES (2, 'x', 'abc')",
        "INSERT INTO n VALUES (3, 3, 'abcdef')",
        "INSERT INTO n VALUES (4, NULL, 'a')",
        "SELECT * FROM n",
    ])

    @Test func insertsAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check([Self.values, Self.constraints, Self.fromSelect, Self.strict])
        print("insert conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
