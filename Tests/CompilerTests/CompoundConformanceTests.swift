import Testing

/// Compound SELECTs, VALUES as a query, WITH common table expressions (recursive too) and views
/// compared with sqlite3.
@Suite struct CompoundConformanceTests {
    static let schema = """
        CREATE TABLE a(id INTEGER PRIMARY KEY, x INT, name TEXT);
        CREATE TABLE b(id INTEGER PRIMARY KEY, a_id INT, y TEXT COLLATE NOCASE, x INT);
        CREATE TABLE n(v);
        INSERT INTO a VALUES (1, 10, 'one'), (2, 20, 'two'), (3, NULL, 'three'), (4, 40, NULL), (5, 10, 'five');
        INSERT INTO b VALUES (1, 1, 'p', 10), (2, 1, 'Q', 20), (3, 2, 'r', NULL), (4, 9, 's', 40), (5, NULL, 'T', 10), (6, '2', 'u', 3);
        INSERT INTO n VALUES (1), (NULL), ('2'), (1.0), ('one'), (x'01');
        CREATE VIEW va AS SELECT id, x * 2 AS dx, name FROM a WHERE id < 5;
        CREATE VIEW vb(i, why) AS SELECT id, y FROM b;
        CREATE VIEW vj AS SELECT a.name, b.y FROM a JOIN b ON a.id = b.a_id;
        """

    static let compounds = ConformanceCase("compound", setup: schema, [
        "SELECT 1 UNION SELECT 2",
        "SELECT 2 UNION SELECT 1",
        "SELECT 1 UNION SELECT 1",
        "SELECT 1 UNION ALL SELECT 1",
        "SELECT 1, 2 UNION ALL SELECT 3, 4 UNION ALL SELECT 5, 6",
        "SELECT 1 INTERSECT SELECT 1",
        "SELECT 1 INTERSECT SELECT 2",
        "SELECT 1 EXCEPT SELECT 1",
        "SELECT 1 EXCEPT SELECT 2",
        "SELECT x FROM a UNION SELECT x FROM b",
        "SELECT x FROM a UNION ALL SELECT x FROM b",
        "SELECT x FROM a INTERSECT SELECT x FROM b",
        "SELECT x FROM a EXCEPT SELECT x FROM b",
        "SELECT x FROM b EXCEPT SELECT x FROM a",
        "SELECT v FROM n UNION SELECT v FROM n",
        "SELECT v FROM n UNION ALL SELECT x FROM a",
        "SELECT name FROM a UNION SELECT y FROM b",
        "SELECT y FROM b UNION SELECT name FROM a",
        "SELECT y FROM b UNION SELECT 'P'",
        "SELECT 'P' UNION SELECT y FROM b",
        "SELECT y FROM b INTERSECT SELECT 'Q'",
        // Found by the query fuzzer: INTERSECT returned the right operand's row, not the left's.
        "SELECT y FROM b INTERSECT SELECT 'q'",
        "SELECT 1.0 INTERSECT SELECT 1",
        "SELECT 2.0, 'P' INTERSECT SELECT 2, 'p' INTERSECT SELECT 2, 'p' COLLATE NOCASE",
        "SELECT y FROM b INTERSECT SELECT 'q' UNION ALL SELECT 't'",
        "SELECT x FROM a UNION SELECT x FROM b ORDER BY 1 DESC",
        "SELECT x FROM a UNION ALL SELECT x FROM b ORDER BY x",
        "SELECT x AS z FROM a UNION SELECT x FROM b ORDER BY z",
        "SELECT id, name FROM a UNION ALL SELECT id, y FROM b ORDER BY 2, 1",
        "SELECT id, name FROM a UNION ALL SELECT id, y FROM b ORDER BY name, id",
        "SELECT id, name FROM a UNION ALL SELECT id, y FROM b ORDER BY y, id",
        "SELECT x FROM a UNION SELECT x FROM b ORDER BY 1 LIMIT 2",
        "SELECT x FROM a UNION SELECT x FROM b ORDER BY 1 LIMIT 2 OFFSET 2",
        "SELECT x FROM a UNION ALL SELECT x FROM b LIMIT 3",
        "SELECT x FROM a UNION ALL SELECT x FROM b LIMIT 3 OFFSET 4",
        "SELECT x FROM a UNION SELECT x FROM b ORDER BY 1 NULLS LAST",
        "SELECT x FROM a UNION SELECT x FROM b ORDER BY 2",
        "SELECT x FROM a UNION SELECT x FROM b ORDER BY nosuch",
        "SELECT x FROM a UNION SELECT x, id FROM b",
        "SELECT 1 UNION ALL SELECT 2 INTERSECT SELECT 2",
        "SELECT 1 UNION SELECT 2 UNION ALL SELECT 1",
        "SELECT 3 UNION ALL SELECT 1 UNION SELECT 2",
        "SELECT 1 UNION SELECT 2 EXCEPT SELECT 1",
        "SELECT x FROM a WHERE x > 10 UNION SELECT x FROM b WHERE x < 20 ORDER BY 1",
        "SELECT x, count(*) FROM a GROUP BY x UNION ALL SELECT x, count(*) FROM b GROUP BY x ORDER BY 1, 2",
        "SELECT DISTINCT x FROM a UNION ALL SELECT DISTINCT x FROM b",
        "SELECT name COLLATE NOCASE FROM a UNION SELECT 'ONE'",
        "SELECT 'ONE' UNION SELECT name COLLATE NOCASE FROM a",
        "SELECT count(*) FROM (SELECT x FROM a UNION SELECT x FROM b)",
        "SELECT * FROM (SELECT x FROM a INTERSECT SELECT x FROM b) ORDER BY 1",
        "SELECT id FROM a WHERE x IN (SELECT x FROM b EXCEPT SELECT 10)",
        "SELECT 1 AS x UNION SELECT 2 ORDER BY x DESC",
        "SELECT a.x FROM a UNION SELECT b.x FROM b ORDER BY a.x",
        "SELECT x FROM a UNION SELECT x FROM b ORDER BY x COLLATE NOCASE DESC",
    ])

    static let values = ConformanceCase("values", setup: schema, [
        "VALUES (1)",
        "VALUES (1, 'a'), (2, 'b'), (NULL, x'00')",
        "VALUES (1, 2), (3)",
        "VALUES (1) UNION VALUES (1)",
        "VALUES (2), (1) ORDER BY 1",
        "VALUES (2), (1), (3) LIMIT 2",
        "SELECT * FROM (VALUES (1), (2)) WHERE column1 > 1",
        "SELECT id FROM a WHERE x IN (VALUES (10), (40))",
        "VALUES ((SELECT count(*) FROM a))",
        "SELECT 5 UNION VALUES (3), (4)",
    ])

    static let ctes = ConformanceCase("cte", setup: schema, [
        "WITH c AS (SELECT 1 AS v) SELECT * FROM c",
        "WITH c(v) AS (SELECT 1) SELECT v FROM c",
        "WITH c(v, w) AS (SELECT 1) SELECT v FROM c",
        "WITH c AS (SELECT id, x FROM a WHERE x > 10) SELECT * FROM c ORDER BY id",
        "WITH c AS (SELECT id FROM a), d AS (SELECT id FROM c WHERE id > 2) SELECT * FROM d",
        "WITH c AS (SELECT 1), c AS (SELECT 2) SELECT * FROM c",
        "WITH c AS (SELECT x FROM a) SELECT count(*) FROM c AS p, c AS q WHERE p.x = q.x",
        "WITH c AS (SELECT a_id, count(*) AS n FROM b GROUP BY a_id) SELECT a.name, c.n FROM a JOIN c ON c.a_id = a.id ORDER BY a.id",
        "WITH a AS (SELECT 99 AS id) SELECT * FROM a",
        "SELECT (WITH c AS (SELECT 7) SELECT * FROM c)",
        "SELECT id FROM a WHERE id IN (WITH c AS (SELECT 1 UNION SELECT 3) SELECT * FROM c)",
        "WITH c AS (SELECT * FROM a) SELECT id FROM c WHERE EXISTS (SELECT 1 FROM b WHERE b.a_id = c.id)",
        "WITH c AS (SELECT 1 AS v UNION ALL SELECT 2) SELECT v FROM c ORDER BY v DESC",
        "WITH c AS MATERIALIZED (SELECT 1 AS v) SELECT * FROM c",
        "WITH c AS NOT MATERIALIZED (SELECT 1 AS v) SELECT * FROM c",
        "WITH c AS (SELECT nosuch FROM a) SELECT * FROM c",
        "WITH c AS (SELECT 1) SELECT * FROM nosuch",
    ])

    static let recursive = ConformanceCase("cte-recursive", setup: schema + """
        CREATE TABLE edge(src, dst);
        INSERT INTO edge VALUES (1, 2), (2, 3), (3, 4), (2, 5), (5, 1), (6, 7);
        CREATE TABLE org(name TEXT PRIMARY KEY, boss TEXT);
        INSERT INTO org VALUES ('alice', NULL), ('bob', 'alice'), ('cindy', 'alice'), ('dave', 'bob'), ('emma', 'dave');
        """, [
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c",
        "WITH c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 5) SELECT x FROM c",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x FROM c LIMIT 4",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 6) SELECT sum(x) FROM c",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3 OFFSET 2) SELECT x FROM c",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 10) SELECT count(*), sum(x) FROM c",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3) SELECT a.x, b.x FROM c a, c b ORDER BY 1, 2",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT dst FROM edge, r WHERE edge.src = r.n) SELECT n FROM r ORDER BY n",
        "WITH RECURSIVE r(n) AS (SELECT 1 UNION SELECT dst FROM edge JOIN r ON edge.src = r.n) SELECT n FROM r",
        "WITH RECURSIVE r(n, depth) AS (SELECT 'alice', 0 UNION ALL SELECT org.name, r.depth + 1 FROM org JOIN r ON org.boss = r.n) SELECT * FROM r",
        "WITH RECURSIVE r(n, depth) AS (SELECT 'alice', 0 UNION ALL SELECT org.name, r.depth + 1 FROM org JOIN r ON org.boss = r.n ORDER BY 2 DESC) SELECT * FROM r",
        "WITH RECURSIVE r(n, depth) AS (SELECT 'alice', 0 UNION ALL SELECT org.name, r.depth + 1 FROM org JOIN r ON org.boss = r.n ORDER BY depth) SELECT * FROM r",
        "WITH RECURSIVE c(x) AS (SELECT 5 UNION ALL SELECT x - 1 FROM c WHERE x > 0 ORDER BY 1) SELECT * FROM c",
        "WITH RECURSIVE c(x) AS (VALUES (1) UNION ALL SELECT x * 2 FROM c WHERE x < 100) SELECT group_concat(x) FROM c",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION SELECT x % 3 + 1 FROM c) SELECT x FROM c",
        "WITH RECURSIVE c(x, y) AS (SELECT 1, 1 UNION ALL SELECT y, x + y FROM c WHERE x < 50) SELECT x FROM c",
        "SELECT id, name FROM a WHERE id IN (WITH RECURSIVE c(x) AS (SELECT 2 UNION ALL SELECT x + 2 FROM c WHERE x < 4) SELECT x FROM c)",
        "SELECT (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < a.id) SELECT sum(x) FROM c) FROM a",
        "WITH c(x) AS (SELECT x FROM c) SELECT * FROM c",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT a.x FROM c a, c b) SELECT * FROM c",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT (SELECT x + 1 FROM c) FROM c) SELECT * FROM c",
        "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT count(*) FROM c) SELECT * FROM c",
        "WITH RECURSIVE c(x) AS (SELECT 1 INTERSECT SELECT x FROM c) SELECT * FROM c",
        "WITH RECURSIVE c(x) AS (SELECT 1, 2 UNION ALL SELECT x FROM c) SELECT * FROM c",
    ])

    static let views = ConformanceCase("views-read", setup: schema, [
        "SELECT * FROM va",
        "SELECT dx FROM va WHERE id > 2",
        "SELECT * FROM vb ORDER BY i",
        "SELECT why FROM vb WHERE why = 'q'",
        "SELECT * FROM vj ORDER BY 1, 2",
        "SELECT va.name, vb.why FROM va JOIN vb ON vb.i = va.id",
        "SELECT count(*) FROM va, vb",
        "SELECT id FROM a WHERE id IN (SELECT i FROM vb)",
        "SELECT (SELECT count(*) FROM vj)",
        "SELECT v.name FROM va AS v WHERE v.dx = 20",
        "SELECT nosuch FROM va",
        "SELECT * FROM main.va",
    ], unordered: true)

    static let viewDDL = ConformanceCase("views-ddl", setup: schema, [
        "CREATE VIEW v1 AS SELECT id, name FROM a WHERE x = 10",
        "SELECT * FROM v1",
        "CREATE VIEW v2(p, q) AS SELECT id, y FROM b   ;",
        "SELECT q FROM v2 WHERE p > 3",
        "CREATE VIEW IF NOT EXISTS v2 AS SELECT 1",
        "CREATE VIEW v2 AS SELECT 1",
        "CREATE VIEW a AS SELECT 1",
        "CREATE VIEW sqlite_v AS SELECT 1",
        "CREATE VIEW v3 AS SELECT * FROM nosuch /* later */ ;",
        "SELECT * FROM v3",
        "CREATE VIEW v4(x, y) AS SELECT 1",
        "SELECT * FROM v4",
        "CREATE VIEW v5 AS SELECT ?",
        "CREATE VIEW main.v6 AS SELECT 1 UNION SELECT 2 ORDER BY 1 DESC",
        "SELECT * FROM v6",
        "CREATE VIEW v7 AS WITH c AS (SELECT 5 AS z) SELECT z FROM c",
        "SELECT * FROM v7, v6 ORDER BY 2",
        "CREATE VIEW v8 AS SELECT v1.name, v2.q FROM v1 JOIN v2 ON v1.id = v2.p",
        "SELECT * FROM v8",
        "DROP VIEW v8",
        "SELECT * FROM v8",
        "DROP VIEW IF EXISTS v8",
        "DROP VIEW v8",
        "DROP VIEW a",
        "DROP TABLE v1",
        "INSERT INTO v1 VALUES (1, 2)",
        "CREATE VIEW nosuch.v AS SELECT 1",
        "CREATE VIEW \"quoted view\" AS SELECT 1 AS \"a b\"",
        "SELECT \"a b\" FROM \"quoted view\"",
        "DROP VIEW \"quoted view\"",
        "CREATE VIEW v9 AS SELECT 1; SELECT * FROM v9",
    ])

    @Test func compoundsAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check([Self.compounds, Self.values, Self.ctes, Self.recursive, Self.views, Self.viewDDL])
        print("compound/values/cte/view conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
