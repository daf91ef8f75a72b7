import Testing

/// Joins compared with sqlite3: INNER, LEFT, CROSS and comma joins with ON, USING and NATURAL,
/// name resolution across tables, `*` expansion, lookups in inner loops, aggregates over joins.
@Suite struct JoinConformanceTests {
    static let schema = """
        CREATE TABLE a(id INTEGER PRIMARY KEY, x INT, name TEXT);
        CREATE TABLE b(id INTEGER PRIMARY KEY, a_id INT, y TEXT COLLATE NOCASE, x INT);
        CREATE INDEX b_a ON b(a_id);
        CREATE TABLE c(k TEXT, v REAL, a_id);
        CREATE UNIQUE INDEX c_k ON c(k);
        CREATE TABLE d(x INT, name TEXT, w);
        CREATE TABLE e(id INTEGER PRIMARY KEY, t TEXT);
        INSERT INTO a VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (4, 40, NULL), (5, 10, 'five');
        INSERT INTO b VALUES (1, 1, 'p', 10), (2, 1, 'Q', 20), (3, 2, 'r', NULL), (4, 9, 's', 40), (5, NULL, 'T', 10), (6, '2', 'u', 3);
        INSERT INTO c VALUES ('k1', 1.5, 1), ('k2', 2.5, 2), ('K1', 3.5, 3), (NULL, 4.5, NULL), ('k5', NULL, '1');
        INSERT INTO d VALUES (10, 'one', 'w1'), (20, 'two', 'w2'), (10, 'ten', 'w3'), (NULL, 'three', 'w4'), (40, NULL, 'w5');
        """

    static let inner = ConformanceCase("join-inner", setup: schema, [
        "SELECT * FROM a JOIN b ON a.id = b.a_id",
        "SELECT a.name, b.y FROM a INNER JOIN b ON a.id = b.a_id",
        "SELECT a.name, b.y FROM a, b WHERE a.id = b.a_id",
        "SELECT a.name, b.y FROM b, a WHERE a.id = b.a_id",
        "SELECT a.name, b.y FROM a JOIN b ON b.a_id = a.id WHERE b.y > 'p'",
        "SELECT a.name, b.y FROM a JOIN b ON a.id = b.a_id AND b.y = 'q'",
        "SELECT a.name, b.y FROM a JOIN b ON a.x = b.x",
        "SELECT a.name, b.y FROM a JOIN b ON a.x > b.x",
        "SELECT a.name, b.y FROM a JOIN b ON a.x = b.x AND a.id <> b.id",
        "SELECT a.id, b.id FROM a JOIN b ON a.id = b.id",
        "SELECT a.id, b.id FROM a JOIN b ON a.id = b.id + 1",
        "SELECT a.id, b.id FROM a JOIN b ON a.id < b.id AND b.id < 4",
        "SELECT count(*) FROM a, b",
        "SELECT count(*) FROM a, b, c",
        "SELECT count(*) FROM a JOIN b JOIN c",
        "SELECT count(*) FROM a CROSS JOIN b",
        "SELECT a.id, b.id FROM a CROSS JOIN b WHERE a.id = b.a_id",
        "SELECT a.id, c.k FROM a JOIN c ON c.a_id = a.id",
        "SELECT a.id, c.k FROM c JOIN a ON c.a_id = a.id",
        "SELECT a.id, c.k FROM a JOIN c ON c.k = 'k' || a.id",
        "SELECT a.id, c.k FROM a JOIN c ON c.k = 'K' || a.id",
        "SELECT a.id, b.id, c.k FROM a JOIN b ON b.a_id = a.id JOIN c ON c.a_id = b.a_id",
        "SELECT a.id, b.id, c.k FROM a, b, c WHERE b.a_id = a.id AND c.a_id = a.id",
        "SELECT a.id, b.id, c.k FROM c, b, a WHERE b.a_id = a.id AND c.a_id = a.id",
        "SELECT x.id, y.id FROM a AS x JOIN a AS y ON x.x = y.x AND x.id < y.id",
        "SELECT x.id, y.id FROM a x, a y WHERE x.id = y.id",
        "SELECT * FROM a, e",
        "SELECT * FROM a JOIN e ON a.id = e.id",
        "SELECT * FROM e JOIN a ON a.id = e.id",
        "SELECT a.*, b.y FROM a JOIN b ON a.id = b.a_id",
        "SELECT b.*, a.* FROM a JOIN b ON a.id = b.a_id",
        "SELECT name FROM a JOIN b ON a.id = b.a_id",
        "SELECT y FROM a JOIN b ON a.id = b.a_id",
        "SELECT x FROM a JOIN b ON a.id = b.a_id",
        "SELECT id FROM a, b",
        "SELECT rowid FROM a, b",
        "SELECT a.rowid, b.rowid FROM a, b WHERE a.id = b.id",
        "SELECT nosuch.x FROM a, b",
        "SELECT a.nosuch FROM a, b",
        "SELECT t.x FROM a t, b t",
        "SELECT * FROM a, nosuch",
        "SELECT a.id, b.id FROM a JOIN b ON a.id = b.a_id WHERE a.name LIKE 't%'",
        "SELECT a.id, b.id FROM a JOIN b ON a.id = b.a_id WHERE b.id IN (1, 3, 6)",
        "SELECT a.id, b.id FROM a JOIN b ON a.id = b.a_id WHERE a.id IN (1, 2)",
        "SELECT a.id FROM a JOIN b ON 1",
        "SELECT a.id FROM a JOIN b ON 0",
        "SELECT a.id FROM a JOIN b ON NULL",
        "SELECT a.id, b.id FROM a JOIN b ON a.id = b.a_id WHERE 1",
        "SELECT a.id, b.id FROM a JOIN b ON a.id = ?",
        "SELECT 1 FROM a JOIN b ON b.id = c.id JOIN c",
        "SELECT a.id, b.id FROM a JOIN b USING (id) WHERE a.x = b.x",
    ], unordered: true)

    static let outer = ConformanceCase("join-left", setup: schema, [
        "SELECT a.id, b.id FROM a LEFT JOIN b ON a.id = b.a_id",
        "SELECT a.id, b.id FROM a LEFT OUTER JOIN b ON a.id = b.a_id",
        "SELECT a.id, b.y FROM a LEFT JOIN b ON a.id = b.a_id AND b.y = 'p'",
        "SELECT a.id, b.y FROM a LEFT JOIN b ON a.id = b.a_id WHERE b.y = 'p'",
        "SELECT a.id, b.y FROM a LEFT JOIN b ON a.id = b.a_id WHERE b.y IS NULL",
        "SELECT a.id, b.y FROM a LEFT JOIN b ON a.id = b.a_id WHERE b.id IS NULL",
        "SELECT a.id FROM a LEFT JOIN b ON a.id = b.a_id WHERE b.a_id IS NULL",
        "SELECT a.id, b.id FROM a LEFT JOIN b ON a.x = b.x",
        "SELECT a.id, b.id FROM a LEFT JOIN b ON a.id = b.id",
        "SELECT a.id, b.id FROM a LEFT JOIN b ON b.id = a.id + 3",
        "SELECT a.id, b.id FROM a LEFT JOIN b ON 0",
        "SELECT a.id, b.id FROM a LEFT JOIN b ON a.id = 1",
        "SELECT a.id, b.id FROM a LEFT JOIN b ON 1 WHERE a.id = 2",
        "SELECT a.id, b.id, c.k FROM a LEFT JOIN b ON a.id = b.a_id LEFT JOIN c ON c.a_id = b.id",
        "SELECT a.id, b.id, c.k FROM a LEFT JOIN b ON a.id = b.a_id LEFT JOIN c ON c.a_id = a.id",
        "SELECT a.id, b.id, c.k FROM a LEFT JOIN b ON a.id = b.a_id JOIN c ON c.a_id = a.id",
        "SELECT a.id, b.id, c.k FROM a LEFT JOIN b ON a.id = b.a_id JOIN c ON c.a_id = b.id",
        "SELECT a.id, e.t FROM a LEFT JOIN e ON e.id = a.id",
        "SELECT a.id, c.k FROM a LEFT JOIN c ON c.k = 'k' || a.id",
        "SELECT * FROM a LEFT JOIN b ON a.id = b.a_id",
        "SELECT * FROM a LEFT JOIN e USING (id)",
        "SELECT * FROM e LEFT JOIN a USING (id)",
        "SELECT a.id, count(b.id) FROM a LEFT JOIN b ON a.id = b.a_id GROUP BY a.id",
        "SELECT a.name, group_concat(b.y) FROM a LEFT JOIN b ON a.id = b.a_id GROUP BY a.name",
        "SELECT count(*), count(b.id), sum(b.x) FROM a LEFT JOIN b ON a.id = b.a_id",
        "SELECT a.id, coalesce(b.y, 'none') FROM a LEFT JOIN b ON a.id = b.a_id",
        "SELECT a.id, b.id FROM a LEFT JOIN b ON a.id = b.a_id WHERE a.id > 2",
        "SELECT a.id, b.id FROM a LEFT JOIN b ON a.id = b.a_id AND a.id > 2",
        "SELECT a.id, b.id FROM a LEFT JOIN b ON a.id = b.a_id WHERE coalesce(b.x, 0) < 15",
        "SELECT a.id, b.id FROM b LEFT JOIN a ON a.id = b.a_id",
        "SELECT a.id, b.id, e.id FROM a LEFT JOIN b ON b.a_id = a.id LEFT JOIN e ON e.id = b.id",
        "SELECT x.id, y.id FROM a x LEFT JOIN a y ON y.id = x.id + 1",
        "SELECT a.id FROM a LEFT JOIN b ON b.a_id = c.a_id LEFT JOIN c ON 1",
        "SELECT a.id, b.id FROM a LEFT JOIN b ON a.id = b.a_id AND b.id IN (2, 3)",
        "SELECT a.id, b.id FROM a LEFT JOIN b ON b.id IN (1, 2)",
    ], unordered: true)

    static let using = ConformanceCase("join-using-natural", setup: schema, [
        "SELECT * FROM a JOIN d USING (x)",
        "SELECT * FROM a JOIN d USING (x, name)",
        "SELECT * FROM a NATURAL JOIN d",
        "SELECT * FROM d NATURAL JOIN a",
        "SELECT * FROM a NATURAL LEFT JOIN d",
        "SELECT * FROM a LEFT JOIN d USING (name)",
        "SELECT x, name FROM a JOIN d USING (x)",
        "SELECT x FROM a JOIN d USING (x)",
        "SELECT a.x, d.x FROM a JOIN d USING (x)",
        "SELECT name FROM a JOIN d USING (x)",
        "SELECT a.*, d.* FROM a JOIN d USING (x)",
        "SELECT d.* FROM a NATURAL JOIN d",
        "SELECT * FROM a JOIN b USING (id)",
        "SELECT * FROM a JOIN b USING (x)",
        "SELECT * FROM a NATURAL JOIN b",
        "SELECT * FROM a NATURAL JOIN e",
        "SELECT * FROM a JOIN b USING (x) JOIN d USING (x)",
        "SELECT x FROM a JOIN b USING (x) JOIN d USING (x)",
        "SELECT * FROM a NATURAL JOIN c",
        "SELECT * FROM a JOIN d USING (nosuch)",
        "SELECT * FROM a JOIN d USING (w)",
        "SELECT * FROM a NATURAL JOIN d ON a.x = d.x",
        "SELECT * FROM a NATURAL JOIN d USING (x)",
        "SELECT * FROM a LEFT JOIN d USING (x) WHERE d.w IS NULL",
        "SELECT x, count(*) FROM a JOIN d USING (x) GROUP BY x",
    ], unordered: true)

    static let ordered = ConformanceCase("join-ordered", setup: schema, [
        "SELECT a.id, b.id FROM a JOIN b ON a.id = b.a_id ORDER BY b.id",
        "SELECT a.id, b.id FROM a JOIN b ON a.id = b.a_id ORDER BY a.id DESC, b.id",
        "SELECT a.name, b.y FROM a LEFT JOIN b ON a.id = b.a_id ORDER BY 1, 2",
        "SELECT a.id, b.id FROM a, b ORDER BY a.id + b.id, a.id LIMIT 5",
        "SELECT a.id, b.id FROM a, b ORDER BY a.id, b.id LIMIT 3 OFFSET 4",
        "SELECT DISTINCT a.x FROM a JOIN b ON a.x = b.x ORDER BY 1",
        "SELECT DISTINCT b.y FROM a JOIN b ON a.id = b.a_id ORDER BY 1",
        "SELECT a.id, sum(b.x) AS s FROM a JOIN b ON a.id = b.a_id GROUP BY a.id HAVING s > 10 ORDER BY s",
        "SELECT b.y, count(*) FROM a JOIN b ON a.x = b.x GROUP BY b.y ORDER BY b.y",
        "SELECT max(a.x + b.x), min(b.y) FROM a, b",
        "SELECT a.id AS i, b.id AS j FROM a JOIN b ON i = j ORDER BY i",
        "SELECT a.id FROM a JOIN b ON a.id = b.a_id GROUP BY a.id ORDER BY count(*) DESC, a.id",
        "SELECT a.id, e.t FROM a LEFT JOIN e ON a.id = e.id ORDER BY e.t NULLS LAST, a.id",
    ])

    static let threeWay = ConformanceCase("join-many", setup: schema + """
        CREATE TABLE t1(a INTEGER PRIMARY KEY, b);
        CREATE TABLE t2(a INTEGER PRIMARY KEY, b);
        CREATE TABLE t3(a INTEGER PRIMARY KEY, b);
        CREATE TABLE t4(a, b);
        CREATE INDEX t4_a ON t4(a);
        INSERT INTO t1 VALUES (1, 2), (2, 3), (3, 1);
        INSERT INTO t2 VALUES (1, 3), (2, 1), (3, 2);
        INSERT INTO t3 VALUES (1, 1), (2, 2), (3, 3);
        INSERT INTO t4 VALUES (1, 'x'), (2, 'y'), (3, 'z'), (1, 'w');
        """, [
        "SELECT t1.a, t2.a, t3.a FROM t1, t2, t3 WHERE t2.a = t1.b AND t3.a = t2.b",
        "SELECT t1.a, t2.a, t3.a FROM t3, t2, t1 WHERE t2.a = t1.b AND t3.a = t2.b",
        "SELECT t1.a, t4.b FROM t1 JOIN t4 ON t4.a = t1.b",
        "SELECT t1.a, t4.b FROM t4 JOIN t1 ON t4.a = t1.b",
        "SELECT t1.a, t2.b, t3.b, t4.b FROM t1 JOIN t2 ON t2.a = t1.b JOIN t3 ON t3.a = t2.b JOIN t4 ON t4.a = t3.b",
        "SELECT count(*) FROM t1, t2, t3, t4",
        "SELECT count(*) FROM t1, t2, t3, t4 WHERE t1.a = t2.b AND t2.a = t3.b AND t3.a = t4.a",
        "SELECT t1.a, t4.b FROM t1 LEFT JOIN t4 ON t4.a = t1.a + 1",
        "SELECT t1.a, t2.a FROM t1 JOIN t2 ON t1.a = t2.a OR t1.b = t2.b",
        "SELECT t1.a, t2.a FROM t1 JOIN t2 ON t2.a BETWEEN t1.a AND t1.b",
        "SELECT t4.b FROM t1 JOIN t4 ON t4.a = t1.a WHERE t1.b > 1",
        "SELECT t4.b FROM t1 JOIN t4 ON t4.a >= t1.b",
        "SELECT t4.b FROM t1 JOIN t4 ON t4.a > t1.b AND t4.a <= 3",
        "SELECT * FROM t1 JOIN t2 USING (a) JOIN t3 USING (a)",
        "SELECT * FROM t1 NATURAL JOIN t2",
        "SELECT * FROM t1 NATURAL JOIN t3",
        "SELECT * FROM t1 JOIN t2 USING (b) JOIN t3 USING (b)",
    ], unordered: true)

    static let filters = ConformanceCase("aggregate-filter", setup: schema, [
        "SELECT count(*) FILTER (WHERE x > 10), sum(x) FILTER (WHERE id < 3), group_concat(name) FILTER (WHERE 0) FROM a",
        "SELECT x, count(*) FILTER (WHERE name IS NULL), max(id) FILTER (WHERE id % 2 = 1) FROM a GROUP BY x",
        "SELECT a.id, count(b.id) FILTER (WHERE b.y > 'p') FROM a LEFT JOIN b ON b.a_id = a.id GROUP BY a.id",
        "SELECT count(DISTINCT x) FILTER (WHERE id > 1) FROM a",
        "SELECT avg(x) FILTER (WHERE x IS NOT NULL), total(x) FILTER (WHERE x > 100) FROM a",
        "SELECT abs(x) FILTER (WHERE x > 1) FROM a",
        "SELECT count(*) FILTER (WHERE count(*) > 1) FROM a",
        "SELECT x FROM a GROUP BY x HAVING count(*) FILTER (WHERE id > 1) > 0 ORDER BY x",
        "SELECT (SELECT count(*) FILTER (WHERE b.x > a.x) FROM b) FROM a",
    ])

    @Test func joinsAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check([Self.inner, Self.outer, Self.using, Self.ordered, Self.threeWay, Self.filters])
        print("join conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
