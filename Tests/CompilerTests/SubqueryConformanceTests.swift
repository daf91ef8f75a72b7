import Testing

/// Subqueries compared with sqlite3: scalar (first row, NULL without one), EXISTS, IN (SELECT)
/// and `x IN table` with their NULL rules, affinities and collations, correlated ones, and
/// subqueries in FROM.
@Suite struct SubqueryConformanceTests {
    static let schema = """
        CREATE TABLE a(id INTEGER PRIMARY KEY, x INT, name TEXT);
        CREATE TABLE b(id INTEGER PRIMARY KEY, a_id INT, y TEXT COLLATE NOCASE, x INT);
        CREATE INDEX b_a ON b(a_id);
        CREATE TABLE c(k TEXT, v REAL, a_id);
        CREATE TABLE n(v);
        CREATE TABLE one(v);
        INSERT INTO a VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (4, 40, NULL), (5, 10, 'five');
        INSERT INTO b VALUES (1, 1, 'p', 10), (2, 1, 'Q', 20), (3, 2, 'r', NULL), (4, 9, 's', 40), (5, NULL, 'T', 10), (6, '2', 'u', 3);
        INSERT INTO c VALUES ('k1', 1.5, 1), ('k2', 2.5, 2), ('K1', 3.5, 3), (NULL, 4.5, NULL), ('k5', NULL, '1'), ('10', 10, 10);
        INSERT INTO n VALUES (1), (NULL), ('2');
        INSERT INTO one VALUES (10);
        """

    static let scalar = ConformanceCase("subquery-scalar", setup: schema, [
        "SELECT (SELECT 1)",
        "SELECT (SELECT 1 WHERE 0)",
        "SELECT (SELECT x FROM a ORDER BY id)",
        "SELECT (SELECT x FROM a ORDER BY id DESC)",
        "SELECT (SELECT x FROM a ORDER BY id LIMIT 1 OFFSET 1)",
        "SELECT (SELECT x FROM a ORDER BY id LIMIT 0)",
        "SELECT (SELECT max(x) FROM a)",
        "SELECT (SELECT count(*) FROM b) + (SELECT count(*) FROM a)",
        "SELECT (SELECT id, x FROM a)",
        "SELECT id, (SELECT count(*) FROM b WHERE b.a_id = a.id) FROM a",
        "SELECT id, (SELECT group_concat(y) FROM b WHERE b.a_id = a.id) AS ys FROM a ORDER BY ys, id",
        "SELECT id, (SELECT y FROM b WHERE b.a_id = a.id ORDER BY b.id DESC) FROM a",
        "SELECT id FROM a WHERE x = (SELECT max(x) FROM a)",
        "SELECT id FROM a WHERE x > (SELECT avg(x) FROM a)",
        "SELECT id FROM a WHERE (SELECT count(*) FROM b WHERE b.a_id = a.id) > 1",
        "SELECT id FROM a WHERE id = (SELECT a_id FROM b WHERE y = 'r')",
        "SELECT id FROM a WHERE id = (SELECT a_id FROM b WHERE y = 'nothing')",
        "SELECT name FROM a WHERE id = (SELECT v FROM n WHERE v = '2')",
        "SELECT (SELECT v FROM one) = '10', (SELECT x FROM a WHERE id = 1) = '10'",
        "SELECT typeof((SELECT x FROM a WHERE id = 1)), typeof((SELECT v FROM c WHERE k = '10'))",
        "SELECT id, (SELECT (SELECT a.x + b.x) FROM b WHERE b.id = a.id) FROM a",
        "SELECT id, (SELECT max(b.x) FROM b WHERE b.x < a.x) FROM a",
        "SELECT a.id, (SELECT count(*) FROM a AS a2 WHERE a2.x = a.x) FROM a",
        "SELECT x, count(*), (SELECT count(*) FROM b WHERE b.x = a.x) FROM a GROUP BY x",
        "SELECT sum((SELECT count(*) FROM b WHERE b.a_id = a.id)) FROM a",
        "SELECT id FROM a ORDER BY (SELECT count(*) FROM b WHERE b.a_id = a.id) DESC, id",
        "SELECT (SELECT nosuch FROM a)",
        "SELECT (SELECT a.nosuch FROM b)",
        "SELECT id, (SELECT x FROM b WHERE b.id = a.id) FROM a",
        "SELECT id, (SELECT a.x FROM b WHERE b.id = a.id) FROM a",
        "SELECT (SELECT 1 UNION SELECT 2)",
        "SELECT (SELECT 2 UNION SELECT 1 ORDER BY 1)",
    ])

    static let exists = ConformanceCase("subquery-exists", setup: schema, [
        "SELECT EXISTS (SELECT 1)",
        "SELECT EXISTS (SELECT 1 WHERE 0)",
        "SELECT NOT EXISTS (SELECT * FROM a)",
        "SELECT id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id)",
        "SELECT id FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id)",
        "SELECT id, EXISTS (SELECT * FROM b WHERE b.x = a.x) FROM a",
        "SELECT id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.x = a.x AND b.y > 'p')",
        "SELECT count(*) FROM a WHERE EXISTS (SELECT 1 FROM b)",
        "SELECT count(*) FROM a WHERE EXISTS (SELECT 1 FROM n WHERE v IS NULL)",
        "SELECT id FROM a WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id LIMIT 0)",
        "SELECT EXISTS (SELECT nosuch FROM a)",
    ])

    static let inSubquery = ConformanceCase("subquery-in", setup: schema, [
        "SELECT id FROM a WHERE id IN (SELECT a_id FROM b)",
        "SELECT id FROM a WHERE id IN (SELECT a_id FROM b) ORDER BY id DESC",
        "SELECT id FROM a WHERE id IN (SELECT '2' UNION ALL SELECT 2.0 UNION ALL SELECT NULL UNION ALL SELECT 'x')",
        "SELECT id FROM a WHERE id IN (SELECT y FROM b)",
        "SELECT id FROM a WHERE rowid IN (SELECT x / 10 FROM b)",
        "SELECT a.id, b.id FROM b JOIN a ON a.id IN (SELECT a_id FROM b AS b2 WHERE b2.id = b.id)",
        "SELECT id FROM a WHERE id IN (SELECT a_id FROM b WHERE b.x = a.x)",
        "SELECT count(*) FROM a WHERE id IN (SELECT a_id FROM b) AND id NOT IN (SELECT 1)",
        "SELECT id FROM a WHERE id IN (SELECT a_id FROM c WHERE c.v * 10 > x)",
        "SELECT id FROM a WHERE id IN (SELECT a_id FROM c WHERE EXISTS (SELECT 1 FROM b WHERE b.y = substr(name, 1, 1)))",
        "SELECT id FROM a WHERE id IN (SELECT a_id FROM c WHERE EXISTS (SELECT 1 FROM b WHERE b.x = a.x))",
        "SELECT id FROM a WHERE id IN (SELECT q.a_id FROM (SELECT * FROM b) AS q WHERE q.x = a.x)",
        "SELECT id FROM a WHERE id IN (WITH w AS (SELECT a_id, x FROM b) SELECT a_id FROM w WHERE w.x = a.x)",
        "DELETE FROM c WHERE a_id IN (SELECT id FROM a WHERE x = 10)",
        "SELECT * FROM c",
        "UPDATE a SET name = (SELECT max(y) FROM b WHERE b.a_id = a.id) WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = a.id)",
        "SELECT * FROM a",
        "SELECT id FROM a WHERE id NOT IN (SELECT a_id FROM b)",
        "SELECT id FROM a WHERE id NOT IN (SELECT a_id FROM b WHERE a_id IS NOT NULL)",
        "SELECT id, id IN (SELECT a_id FROM b), id NOT IN (SELECT a_id FROM b) FROM a",
        "SELECT id, x IN (SELECT x FROM b) FROM a",
        "SELECT NULL IN (SELECT 1), NULL IN (SELECT 1 WHERE 0), 1 IN (SELECT NULL), 1 IN (SELECT 1 WHERE 0)",
        "SELECT 1 IN (SELECT v FROM n), 2 IN (SELECT v FROM n), 3 IN (SELECT v FROM n), '1' IN (SELECT v FROM n)",
        "SELECT 3 NOT IN (SELECT v FROM n), 3 NOT IN (SELECT v FROM n WHERE v IS NOT NULL)",
        "SELECT '10' IN (SELECT x FROM a), 10 IN (SELECT name FROM a), '10' IN (SELECT v FROM one)",
        "SELECT k FROM c WHERE a_id IN (SELECT id FROM a)",
        "SELECT k FROM c WHERE v IN (SELECT x FROM a)",
        "SELECT k FROM c WHERE k IN (SELECT 'K1')",
        "SELECT y FROM b WHERE y IN (SELECT 'Q')",
        "SELECT y FROM b WHERE y IN (SELECT 'q' COLLATE BINARY)",
        "SELECT 'q' IN (SELECT y FROM b), 'q' COLLATE NOCASE IN (SELECT y FROM b)",
        "SELECT id FROM a WHERE id IN (SELECT a_id FROM b WHERE b.x = a.x)",
        "SELECT id FROM a WHERE x IN (SELECT x FROM b WHERE b.id <> a.id)",
        "SELECT id FROM a WHERE id IN (SELECT id, x FROM a)",
        "SELECT id FROM a WHERE id IN one",
        "SELECT x FROM a WHERE x IN one",
        "SELECT x FROM a WHERE x NOT IN one",
        "SELECT 1 IN n, 5 IN n, 5 NOT IN n",
        "SELECT id FROM a WHERE id IN nosuch",
        "SELECT id FROM a WHERE id IN (SELECT 1 UNION SELECT 3)",
        "SELECT id FROM a WHERE id IN (SELECT a_id FROM b) AND x IN (SELECT x FROM b)",
        "SELECT id FROM a WHERE id IN (SELECT max(a_id) FROM b GROUP BY y)",
        "SELECT count(*) FROM a WHERE id IN (SELECT a_id FROM b) GROUP BY x IN (SELECT x FROM b)",
    ])

    static let fromSubquery = ConformanceCase("subquery-from", setup: schema, [
        "SELECT * FROM (SELECT 1)",
        "SELECT * FROM (SELECT 1 AS x, 2 AS y)",
        "SELECT x FROM (SELECT 1 AS x, 2 AS y)",
        "SELECT * FROM (SELECT id, name FROM a WHERE x = 10)",
        "SELECT s.id FROM (SELECT id FROM a) AS s ORDER BY s.id DESC",
        "SELECT t.n FROM (SELECT count(*) AS n FROM b) t",
        "SELECT * FROM (SELECT x, count(*) FROM a GROUP BY x) ORDER BY 2, 1",
        "SELECT a.id, s.c FROM a JOIN (SELECT a_id, count(*) AS c FROM b GROUP BY a_id) s ON s.a_id = a.id",
        "SELECT a.id, s.c FROM a LEFT JOIN (SELECT a_id, count(*) AS c FROM b GROUP BY a_id) s ON s.a_id = a.id ORDER BY a.id",
        "SELECT * FROM (SELECT id, x FROM a) AS p, (SELECT id, y FROM b) AS q WHERE p.id = q.id",
        "SELECT * FROM (SELECT * FROM a ORDER BY id DESC LIMIT 2)",
        "SELECT count(*) FROM (SELECT DISTINCT x FROM a)",
        "SELECT * FROM (SELECT x, x FROM a WHERE id = 1)",
        "SELECT * FROM (SELECT a.x, b.x FROM a JOIN b ON a.id = b.id WHERE a.id < 3)",
        "SELECT x FROM (SELECT a.x, b.x FROM a JOIN b ON a.id = b.id)",
        "SELECT rowid, * FROM (SELECT name FROM a WHERE id = 2)",
        "SELECT v FROM (SELECT x AS v FROM a) WHERE v = '10'",
        "SELECT v FROM (SELECT name AS v FROM a) WHERE v = 'one'",
        "SELECT v FROM (SELECT x + 0 AS v FROM a) WHERE v = '10'",
        "SELECT y FROM (SELECT y FROM b) WHERE y = 'q'",
        "SELECT y FROM (SELECT y FROM b) ORDER BY y",
        "SELECT * FROM (SELECT 1 AS x UNION ALL SELECT 2) WHERE x > 1",
        "SELECT * FROM (SELECT * FROM (SELECT id FROM a WHERE id > 2) WHERE id < 5)",
        "SELECT id, (SELECT count(*) FROM (SELECT * FROM b WHERE b.a_id = a.id)) FROM a",
        "SELECT * FROM (SELECT nosuch FROM a)",
        "SELECT q.nosuch FROM (SELECT 1) AS q",
        "SELECT * FROM (VALUES (1, 'a'), (2, 'b')) ORDER BY 1 DESC",
        "SELECT column2 FROM (VALUES (1, 'a'), (2, 'b'))",
        "SELECT sum(x) FROM (SELECT x FROM a UNION SELECT x FROM b)",
    ], unordered: true)

    @Test func subqueriesAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check([Self.scalar, Self.exists, Self.inSubquery, Self.fromSubquery])
        print("subquery conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
