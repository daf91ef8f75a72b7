import Testing

/// CREATE TABLE ... AS SELECT, compared with sqlite3: the stored SQL (column names and the
/// affinity-based types sqlite3 derives: INT, REAL, TEXT, NUM or none), the rows with their
/// affinities applied, and the errors.
@Suite struct CreateTableAsConformanceTests {
    static let setup = """
        CREATE TABLE src(id INTEGER PRIMARY KEY, i INT, r REAL, t TEXT, n NUMERIC, b BLOB, x, v VARCHAR(10),
                         d DECIMAL(5,2), "odd name" TEXT, "select" INT);
        INSERT INTO src VALUES (1, 10, 1.5, 'one', '12', x'01', 'any', 'v1', '3.50', 'o', 7),
                               (2, '20', 2, 2, 13.0, 'b', 5, 6, 7, 'p', NULL),
                               (3, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, 9);
        CREATE TABLE other(k INTEGER PRIMARY KEY, ref INT, label TEXT COLLATE NOCASE);
        INSERT INTO other VALUES (1, 1, 'A'), (2, 1, 'b'), (3, 2, 'C');
        """

    /// After each CREATE the new table's stored SQL and its rows (with their storage classes).
    static func created(_ name: String) -> [String] {
        ["SELECT sql FROM sqlite_schema WHERE name = '\(name)'", "SELECT * FROM \"\(name)\"",
         "PRAGMA table_info(\"\(name)\")"]
    }

    static let cases: [ConformanceCase] = [
        ConformanceCase("ctas-columns", setup: setup, ["CREATE TABLE c1 AS SELECT * FROM src"] + created("c1")),
        ConformanceCase("ctas-expressions", setup: setup, [
            "CREATE TABLE c2 AS SELECT i + 1, r * 2 AS dbl, t || 'x', CAST(t AS INT) AS ci, CAST(i AS REAL), CAST(r AS TEXT), CAST(x AS NUMERIC), CAST(x AS BLOB), 1, 'lit', NULL, abs(i) FROM src",
        ] + created("c2")),
        ConformanceCase("ctas-names", setup: setup, [
            "CREATE TABLE c3 AS SELECT i, i, i AS i, t AS \"i:1\", src.r, \"odd name\", \"select\", rowid, id AS rowid FROM src",
        ] + created("c3")),
        ConformanceCase("ctas-long-statement", setup: setup, [
            "CREATE TABLE a_rather_long_table_name AS SELECT i AS first_long_column_name, r AS second_long_column_name FROM src",
            "CREATE TABLE s AS SELECT 1 AS a",
            "CREATE TABLE \"quoted \"\"name\"\"\" AS SELECT 2 AS \"b c\", 3 AS \"1st\", 4 AS \"group\", 5 AS _x9",
        ] + created("a_rather_long_table_name") + created("s") + created("quoted \"name\"")),
        ConformanceCase("ctas-affinity-applied", setup: setup, [
            "CREATE TABLE c4 AS SELECT i, r, t, n, CAST(n AS TEXT) AS ct FROM src",
            "INSERT INTO c4 VALUES ('5', '6', 7, '8.0', 9)",
            "SELECT i, typeof(i), r, typeof(r), t, typeof(t), n, typeof(n), ct, typeof(ct) FROM c4",
        ] + created("c4")),
        ConformanceCase("ctas-joins-and-aggregates", setup: setup, [
            "CREATE TABLE j AS SELECT src.id, label, src.t IS NULL AS w FROM src JOIN other ON other.ref = src.id",
            "CREATE TABLE g AS SELECT ref, count(*) AS n, max(label), group_concat(label) FROM other GROUP BY ref ORDER BY ref DESC",
            "CREATE TABLE e AS SELECT * FROM src WHERE 0",
            "CREATE TABLE v AS VALUES (1, 'a'), (2, 'b')",
            "CREATE TABLE cte AS WITH w(a) AS (SELECT 5) SELECT a, a * 2 FROM w",
            "CREATE TABLE sub AS SELECT (SELECT max(k) FROM other) AS m, q.t FROM (SELECT t FROM src) AS q",
        ] + created("j") + created("g") + created("e") + created("v") + created("cte") + created("sub")),
        ConformanceCase("ctas-compound", setup: setup, [
            "CREATE TABLE u AS SELECT i, t FROM src UNION SELECT k, label FROM other",
            "CREATE TABLE u2 AS SELECT 'x' AS a UNION ALL SELECT 1 ORDER BY 1",
        ] + created("u") + created("u2")),
        ConformanceCase("ctas-errors", setup: setup, [
            "CREATE TABLE src AS SELECT 1",
            "CREATE TABLE IF NOT EXISTS src AS SELECT 1",
            "CREATE TABLE z AS SELECT * FROM nosuch",
            "CREATE TABLE z AS SELECT nosuch FROM src",
            "CREATE TABLE sqlite_x AS SELECT 1",
            "CREATE TABLE main.z AS SELECT 1 AS one",
            "SELECT * FROM z",
        ]),
        ConformanceCase("ctas-then-write", setup: setup, [
            "CREATE TABLE w AS SELECT id, t FROM src",
            "INSERT INTO w VALUES (4, 'four')",
            "UPDATE w SET t = upper(t) WHERE id < 3",
            "CREATE INDEX wi ON w(t)",
            "DELETE FROM w WHERE id = 2",
            "SELECT rowid, * FROM w",
            "SELECT changes()",
        ]),
        ConformanceCase("ctas-in-transaction", setup: setup, [
            "BEGIN",
            "CREATE TABLE tx AS SELECT i FROM src",
            "SELECT count(*) FROM tx",
            "ROLLBACK",
            "SELECT count(*) FROM sqlite_schema WHERE name = 'tx'",
            "CREATE TABLE tx AS SELECT ?1 AS p",
        ]),
    ]

    @Test func createTableAsAgreesWithSQLite() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        print("create table as conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
