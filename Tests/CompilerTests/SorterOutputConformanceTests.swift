import Testing

/// ORDER BY through the sorter as sqlite3 lays it out: a result column equal to a sort key is
/// stored once, as the key, and read back from it; the other columns follow the keys. Cases
/// where a column is a key, is one twice, is not one, or only looks like one (COLLATE, NULLS
/// LAST, DISTINCT), with aggregates, windows, compounds and subqueries.
@Suite struct SorterOutputConformanceTests {
    static let setup = """
        CREATE TABLE s(a, b TEXT COLLATE NOCASE, c REAL);
        INSERT INTO s VALUES (3, 'b', 1.5), (1, 'B', 2), (2, 'a', NULL), (NULL, 'c', 0.5), (2, NULL, 3), (1, 'a', 1);
        """

    static let orders = ConformanceCase("sorter-output", setup: setup, [
        "SELECT a FROM s ORDER BY c",
        "SELECT a, b FROM s ORDER BY a, b",
        "SELECT b, a FROM s ORDER BY a, b",
        "SELECT a, a, b FROM s ORDER BY a, b",
        "SELECT c, a, b FROM s ORDER BY b, c",
        "SELECT a AS x, b FROM s ORDER BY x DESC, 2",
        "SELECT a, b FROM s ORDER BY 2 COLLATE BINARY, 1",
        "SELECT b FROM s ORDER BY b COLLATE BINARY",
        "SELECT a, c FROM s ORDER BY a NULLS LAST, c DESC",
        "SELECT DISTINCT a, b FROM s ORDER BY a, b",
        "SELECT a + 1, a FROM s ORDER BY a + 1, a",
        "SELECT typeof(c), c FROM s ORDER BY c",
        "SELECT a, count(*) FROM s GROUP BY a ORDER BY count(*) DESC, a",
        "SELECT a, count(*) AS n FROM s GROUP BY a ORDER BY n, a",
        "SELECT a, sum(c) OVER (ORDER BY a, c) FROM s ORDER BY 2, a",
        "SELECT a FROM s UNION ALL SELECT c FROM s ORDER BY 1",
        "SELECT a FROM s WHERE a IN (SELECT a FROM s ORDER BY c) ORDER BY a",
        "SELECT (SELECT b FROM s ORDER BY b, a) AS first, a FROM s ORDER BY a, first",
        "SELECT a, b FROM s ORDER BY a LIMIT 3",
        "SELECT a, b FROM s ORDER BY a, b LIMIT 2 OFFSET 2",
        "SELECT x FROM (SELECT a AS x, b FROM s ORDER BY b, a) ORDER BY x",
        "CREATE TABLE copy AS SELECT a, b FROM s ORDER BY b, a",
        "SELECT * FROM copy",
        "INSERT INTO copy SELECT a, b FROM s ORDER BY a, b",
        "SELECT rowid, * FROM copy ORDER BY rowid",
    ])

    @Test func sortedOutputAgreesWithSQLite() throws {
        let (failures, compared) = try Conformance.check(Self.orders)
        print("sorter output conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
