import Testing

/// UPDATE ... FROM against sqlite3: joins with tables, subqueries and CTE-free derived tables,
/// several FROM items, aliases, rowid and INTEGER PRIMARY KEY changes, constraints and OR
/// clauses, triggers, RETURNING, and the target-in-FROM error.
@Suite struct UpdateFromConformanceTests {
    static let setup = """
        CREATE TABLE t(id INTEGER PRIMARY KEY, a, b TEXT UNIQUE, c REAL);
        INSERT INTO t VALUES(1, 1, 'one', 1.5), (2, 2, 'two', 2.5), (3, 3, 'three', NULL), (4, NULL, NULL, 4);
        CREATE TABLE u(id, v, w TEXT);
        INSERT INTO u VALUES(1, 10, 'x'), (2, 20, 'y'), (3, NULL, 'z'), (9, 90, 'q');
        CREATE TABLE k(name TEXT PRIMARY KEY, factor INTEGER);
        INSERT INTO k VALUES('x', 2), ('y', 3), ('z', 4);
        CREATE INDEX u_id ON u(id);
        """

    static let cases: [ConformanceCase] = [
        ConformanceCase("join on a key", setup: setup, [
            "UPDATE t SET a = u.v FROM u WHERE u.id = t.id", "SELECT changes()", "SELECT * FROM t ORDER BY id",
            "UPDATE t SET a = a + u.v, c = u.v / 4.0 FROM u WHERE u.id = t.id AND u.v > 15", "SELECT * FROM t ORDER BY id",
            "UPDATE t AS x SET b = x.b || '-' || u.w FROM u WHERE u.id = x.id", "SELECT * FROM t ORDER BY id",
            "UPDATE t SET a = 0 FROM u WHERE u.id = 100", "SELECT changes()",
        ]),
        ConformanceCase("several FROM items and derived tables", setup: setup, [
            "UPDATE t SET a = u.v * k.factor FROM u JOIN k ON k.name = u.w WHERE u.id = t.id", "SELECT * FROM t ORDER BY id",
            "UPDATE t SET c = s.total FROM (SELECT sum(v) AS total FROM u) AS s WHERE t.id <= 2", "SELECT * FROM t ORDER BY id",
            "UPDATE t SET a = g.n FROM (SELECT id, count(*) AS n FROM u GROUP BY id) AS g, k WHERE g.id = t.id AND k.factor = 2",
            "SELECT * FROM t ORDER BY id",
            "UPDATE t SET a = m.mx FROM (SELECT max(v) AS mx FROM u WHERE v IS NOT NULL) m", "SELECT * FROM t ORDER BY id",
            "UPDATE t SET b = u.w FROM u LEFT JOIN k ON k.name = u.w WHERE u.id = t.id AND k.name IS NULL",
        ]),
        ConformanceCase("keys, constraints and OR clauses", setup: setup, [
            "UPDATE t SET id = u.v FROM u WHERE u.id = t.id AND u.v IS NOT NULL", "SELECT * FROM t ORDER BY id",
            "UPDATE t SET b = u.w FROM u WHERE u.v = t.id", "SELECT * FROM t ORDER BY id",
            "UPDATE t SET b = 'same' FROM u WHERE u.v = t.id",
            "UPDATE OR IGNORE t SET b = 'same' FROM u WHERE u.v = t.id", "SELECT * FROM t ORDER BY id", "SELECT changes()",
            "UPDATE OR REPLACE t SET b = 'four' FROM u WHERE t.id = 10 AND u.id = 1", "SELECT * FROM t ORDER BY id",
            "UPDATE t SET rowid = rowid + 1000 FROM k WHERE k.factor = 4 AND t.id = 3", "SELECT * FROM t ORDER BY id",
            "PRAGMA integrity_check",
        ]),
        ConformanceCase("errors", setup: setup, [
            "UPDATE t SET a = 1 FROM t", "UPDATE t AS x SET a = 1 FROM u AS x", "UPDATE t SET a = 1 FROM t AS t2 WHERE t2.id = t.id",
            "SELECT * FROM t ORDER BY id",
            "UPDATE t SET a = nope FROM u", "UPDATE t SET a = 1 FROM nosuch", "UPDATE t SET a = u.v FROM u WHERE u.id = t.id AND zz",
            "UPDATE t SET a = max(u.v) FROM u", "UPDATE t SET nope = 1 FROM u",
        ]),
        ConformanceCase("triggers and RETURNING", setup: setup + """
            CREATE TABLE log(what, x, y);
            CREATE TRIGGER tu AFTER UPDATE OF a ON t BEGIN INSERT INTO log VALUES('a', old.a, new.a); END;
            """, [
            "UPDATE t SET a = u.v FROM u WHERE u.id = t.id RETURNING id, a, b", "SELECT * FROM log ORDER BY rowid",
            "UPDATE t SET c = k.factor FROM k WHERE k.name = 'y' RETURNING id, c",
            "SELECT * FROM log ORDER BY rowid", "SELECT changes(), total_changes()",
        ]),
    ]

    @Test func updateFrom() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        #expect(compared == Self.cases.reduce(0) { $0 + $1.statements.count })
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
