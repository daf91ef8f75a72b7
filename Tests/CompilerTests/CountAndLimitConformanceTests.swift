import Testing

/// `SELECT count(*) FROM t` counts the entries of the table's narrowest b-tree (OP_Count), and
/// a constant LIMIT is loaded without run-time checks: both compared with sqlite3 on tables with
/// and without indexes, partial indexes, wide and narrow columns, and the LIMITs that end a
/// query at once (0) or never (negative).
@Suite struct CountAndLimitConformanceTests {
    static let setup = """
        CREATE TABLE w(a INTEGER PRIMARY KEY, b VARCHAR(200), c INT, d TEXT);
        CREATE INDEX w_c ON w(c);
        CREATE INDEX w_b ON w(b);
        CREATE INDEX w_part ON w(d) WHERE c > 2;
        CREATE TABLE e(x, y);
        CREATE TABLE s(x TEXT, y TEXT);
        CREATE INDEX s_xy ON s(x, y);
        CREATE TABLE wr(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
        INSERT INTO w VALUES (1, 'one', 1, 'p'), (2, 'two', 2, NULL), (3, NULL, 3, 'q'), (4, 'four', NULL, 'r'), (5, 'five', 5, 's');
        INSERT INTO s VALUES ('a', 'b'), (NULL, NULL), ('c', NULL);
        INSERT INTO wr VALUES ('k1', 1), ('k2', 2);
        CREATE VIEW wv AS SELECT * FROM w WHERE c > 1;
        """

    static let counts = ConformanceCase("simple-count", setup: setup, [
        "SELECT count(*) FROM w",
        "SELECT count() FROM w",
        "SELECT count(*) AS n FROM w",
        "SELECT count(*) FROM w NOT INDEXED",
        "SELECT count(*) FROM w INDEXED BY w_c",
        "SELECT count(*) FROM w INDEXED BY nosuch",
        "SELECT count(*) FROM e",
        "SELECT count(*) FROM s",
        "SELECT count(*) FROM wr",
        "SELECT count(*) FROM wv",
        "SELECT count(*) FROM (SELECT * FROM w)",
        "SELECT count(DISTINCT c) FROM w",
        "SELECT count(c) FROM w",
        "SELECT count(*) + 1 FROM w",
        "SELECT count(*), count(*) FROM w",
        "SELECT count(*) FROM w WHERE c > 1",
        "SELECT count(*) FILTER (WHERE c > 1) FROM w",
        "SELECT count(*) FROM w HAVING count(*) > 10",
        "SELECT count(*) FROM w LIMIT 0",
        "SELECT count(*) FROM w LIMIT 1 OFFSET 1",
        "SELECT DISTINCT count(*) FROM w",
        "SELECT (SELECT count(*) FROM w), (SELECT count(*) FROM s)",
        "SELECT a, (SELECT count(*) FROM s) FROM w ORDER BY a",
        "INSERT INTO e SELECT count(*), 1 FROM w",
        "SELECT count(*) FROM e",
    ])

    static let limits = ConformanceCase("constant-limit", setup: setup, [
        "SELECT a FROM w ORDER BY a LIMIT 2",
        "SELECT a FROM w LIMIT 0",
        "SELECT a FROM w LIMIT -1",
        "SELECT a FROM w LIMIT +2",
        "SELECT a FROM w LIMIT -(-2)",
        "SELECT a FROM w LIMIT 2 OFFSET 2",
        "SELECT a FROM w LIMIT 0 OFFSET 1",
        "SELECT a FROM w LIMIT 2147483648",
        "SELECT a FROM w LIMIT 4294967297",
        "SELECT a FROM w LIMIT '2'",
        "SELECT a FROM w LIMIT 2.0",
        "SELECT a FROM w LIMIT 1 + 1",
        "SELECT a FROM w LIMIT 'x'",
        "SELECT a FROM w LIMIT NULL",
        "SELECT a FROM w LIMIT ?",
        "SELECT a FROM w LIMIT 2 OFFSET ?",
        "SELECT a FROM w ORDER BY b LIMIT 3",
        "SELECT a FROM w ORDER BY b LIMIT 0",
        "SELECT c, count(*) FROM w GROUP BY c LIMIT 2",
        "SELECT x FROM (SELECT a AS x FROM w LIMIT 3) LIMIT 2",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 5) SELECT i FROM n",
        "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n LIMIT 0) SELECT i FROM n",
        "SELECT a FROM w UNION ALL SELECT c FROM w LIMIT 3",
    ])

    /// Aggregates without GROUP BY: results copied out together, bare columns from the first
    /// row (or the min/max row), empty tables.
    static let aggregates = ConformanceCase("aggregate-results", setup: setup, [
        "SELECT sum(c), max(b), min(d), count(*) FROM w",
        "SELECT a, sum(c) FROM w",
        "SELECT a, max(c) FROM w",
        "SELECT b, min(b), a FROM w",
        "SELECT a, count(*) FROM w WHERE c > 100",
        "SELECT sum(x), max(y), x FROM e",
        "SELECT max(x) + min(y), count(*) * 2, avg(x) FROM s",
        "SELECT total(c), group_concat(b) FROM w WHERE a > 1",
    ])

    @Test func countsAndLimitsAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check([Self.counts, Self.limits, Self.aggregates])
        print("count and limit conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
