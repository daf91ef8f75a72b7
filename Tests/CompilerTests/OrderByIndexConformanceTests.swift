import Testing

/// ORDER BY satisfied by a scan (no sorter) against sqlite3: rowid order forwards and
/// backwards, rowid ranges walked backwards, index order after equality-constrained columns,
/// whole indexes walked backwards, covering scans, LIMIT/OFFSET stopping the scan early, and
/// the cases that must still sort: mixed directions, collations the index does not have,
/// NULLS FIRST/LAST against the index's order, DESC index columns, expressions.
@Suite struct OrderByIndexConformanceTests {
    static let setup = """
        CREATE TABLE t(id INTEGER PRIMARY KEY, a, b TEXT, c REAL, n TEXT COLLATE NOCASE);
        CREATE INDEX t_a ON t(a);
        CREATE INDEX t_bc ON t(b, c);
        CREATE INDEX t_n ON t(n);
        CREATE INDEX t_cd ON t(c DESC);
        WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 60)
        INSERT INTO t SELECT i * 3 % 61, CASE WHEN i % 7 = 0 THEN NULL WHEN i % 5 = 0 THEN 'x' || i WHEN i % 11 = 0 THEN 2.5 ELSE i * 13 % 17 END,
            char(97 + i % 4), CASE WHEN i % 9 = 0 THEN NULL ELSE (i * 7 % 10) / 2.0 END,
            CASE i % 3 WHEN 0 THEN 'abc' WHEN 1 THEN 'ABC' ELSE 'Abd' END FROM s;
        """

    static let cases: [ConformanceCase] = [
        ConformanceCase("rowid order", setup: setup, [
            "SELECT id, a FROM t ORDER BY id", "SELECT id, a FROM t ORDER BY id DESC", "SELECT id FROM t ORDER BY rowid DESC LIMIT 5",
            "SELECT id FROM t WHERE id > 40 ORDER BY id DESC", "SELECT id FROM t WHERE id >= 10 AND id < 20 ORDER BY id DESC",
            "SELECT id FROM t WHERE id < 15 ORDER BY id DESC LIMIT 3 OFFSET 2", "SELECT id FROM t WHERE id > 'x' ORDER BY id DESC",
            "SELECT id FROM t WHERE id > 2.5 AND id <= 9.5 ORDER BY id DESC", "SELECT id FROM t WHERE id < NULL ORDER BY id DESC",
            "SELECT id FROM t WHERE id IN (9, 3, 27, 3) ORDER BY id", "SELECT id FROM t WHERE id = 12 ORDER BY a DESC",
        ]),
        ConformanceCase("index order", setup: setup, [
            "SELECT id, a FROM t ORDER BY a", "SELECT id, a FROM t ORDER BY a DESC", "SELECT a FROM t ORDER BY a LIMIT 7",
            "SELECT a, id FROM t ORDER BY a DESC LIMIT 7 OFFSET 3", "SELECT id, b, c FROM t ORDER BY b, c",
            "SELECT id, b, c FROM t ORDER BY b DESC, c DESC", "SELECT id, b, c FROM t WHERE b = 'c' ORDER BY c",
            "SELECT id, b, c FROM t WHERE b = 'c' ORDER BY c, id", "SELECT id, b, c FROM t WHERE b > 'b' ORDER BY b",
            "SELECT id, a FROM t WHERE c > 2 ORDER BY a", "SELECT id, n FROM t ORDER BY n, id", "SELECT id, n FROM t ORDER BY n DESC",
            "SELECT id, a FROM t WHERE a = 5 ORDER BY id", "SELECT id, a FROM t WHERE a = 5 ORDER BY id DESC",
            "SELECT DISTINCT b FROM t ORDER BY b", "SELECT b, c FROM t INDEXED BY t_bc ORDER BY b",
            "SELECT id FROM t NOT INDEXED ORDER BY a", "SELECT id FROM t INDEXED BY t_a ORDER BY id DESC",
            "SELECT id, a FROM t WHERE a IS NULL ORDER BY a", "SELECT id, a FROM t WHERE a > 3 ORDER BY a DESC",
        ]),
        ConformanceCase("orders an index does not give", setup: setup, [
            "SELECT id, b, c FROM t ORDER BY b, c DESC", "SELECT id, n FROM t ORDER BY n COLLATE BINARY, id",
            "SELECT id, b FROM t ORDER BY b COLLATE NOCASE, id", "SELECT id, a FROM t ORDER BY a NULLS LAST, id",
            "SELECT id, a FROM t ORDER BY a DESC NULLS FIRST, id", "SELECT id, c FROM t ORDER BY c, id",
            "SELECT id, c FROM t ORDER BY c DESC, id", "SELECT id, a FROM t ORDER BY a + 0, id", "SELECT id FROM t ORDER BY -id",
            "SELECT id, a, b FROM t ORDER BY a, b", "SELECT count(*), b FROM t GROUP BY b ORDER BY b DESC",
        ]),
        ConformanceCase("GROUP BY in index order", setup: setup, [
            "SELECT b, count(*), sum(c), min(id), max(id) FROM t GROUP BY b", "SELECT b, c, count(*) FROM t GROUP BY b, c",
            "SELECT b, c, count(*) FROM t GROUP BY c, b", "SELECT a, count(*) FROM t GROUP BY a ORDER BY a",
            "SELECT a, count(*) FROM t GROUP BY a ORDER BY a DESC", "SELECT a, group_concat(id) FROM t GROUP BY a",
            "SELECT b, id, c FROM t GROUP BY b", "SELECT b, min(c), id FROM t GROUP BY b", "SELECT b, max(c), id FROM t GROUP BY b",
            "SELECT n, count(*) FROM t GROUP BY n", "SELECT n COLLATE BINARY, count(*) FROM t GROUP BY n COLLATE BINARY",
            "SELECT b, count(*) FROM t WHERE c > 2 GROUP BY b HAVING count(*) > 2", "SELECT a, count(*) FROM t WHERE a > 3 GROUP BY a",
            "SELECT b, count(DISTINCT a) FROM t GROUP BY b ORDER BY b DESC", "SELECT b, c, count(*) FROM t GROUP BY 2, 1 ORDER BY 1, 2",
            "SELECT a, count(*) FROM t WHERE a IS NULL GROUP BY a", "SELECT b, count(*) FROM t WHERE b = 'q' GROUP BY b",
            "SELECT b AS k, count(*) FROM t GROUP BY k ORDER BY k LIMIT 2",
        ]),
        ConformanceCase("IN lists searched through an index", setup: setup, [
            "SELECT * FROM t WHERE a IN (3, 5, 'x5', 3, NULL)", "SELECT * FROM t WHERE b IN ('a', 'c') AND c > 1",
            "SELECT b, c FROM t WHERE b IN ('b', 'a') AND c IN (1, 2.5)", "SELECT * FROM t WHERE b = 'a' AND c IN (3.5, 0, 1)",
            "SELECT count(*) FROM t WHERE a IN (1, 2, 3, 4, 5, 6, 7, 8)", "SELECT * FROM t WHERE a IN ('3', 5.0)",
            "SELECT * FROM t WHERE a IN (3, 5) ORDER BY a, id", "SELECT * FROM t WHERE a NOT IN (3, 5) ORDER BY id",
            "SELECT id FROM t WHERE n IN ('ABC', 'abd') ORDER BY id", "SELECT id FROM t WHERE n COLLATE BINARY IN ('ABC') ORDER BY id",
            "SELECT t.id, u.id FROM t JOIN t AS u ON u.a IN (t.a, t.c) WHERE t.id < 9 ORDER BY 1, 2",
            "SELECT id FROM t WHERE a IN (NULL)", "SELECT id FROM t WHERE a IN (1) AND a IN (1, 2)",
            "SELECT a, count(*) FROM t WHERE a IN (1, 9, 13) GROUP BY a",
            // Found by the query fuzzer (seed 8, round 347): an IN expression compared with an
            // indexed column was searched as the column's IN list.
            "SELECT id FROM t WHERE (NULL IN (1, 2)) = a", "SELECT id FROM t WHERE (3 IN (1, 3)) = a ORDER BY id",
            "SELECT id FROM t WHERE a = (2 IN (1, 2)) ORDER BY id", "SELECT id FROM t WHERE (id IN (1, 2)) = b",
            "SELECT id FROM t WHERE (5 IN (1, 3)) = a AND b IN ('a', 'b') ORDER BY id",
        ]),
    ]

    @Test func orderedScans() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        #expect(compared == Self.cases.reduce(0) { $0 + $1.statements.count })
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
