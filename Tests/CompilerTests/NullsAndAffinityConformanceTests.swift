import Testing

/// NULL-heavy data, mixed storage classes, collations and affinity edge cases through every
/// statement kind, compared with sqlite3.
@Suite struct NullsAndAffinityConformanceTests {
    static let data = """
        CREATE TABLE m(k INTEGER PRIMARY KEY, t TEXT, n NUMERIC, i INTEGER, r REAL, b BLOB, v, nc TEXT COLLATE NOCASE);
        CREATE INDEX m_t ON m(t);
        CREATE INDEX m_n ON m(n);
        CREATE INDEX m_nc ON m(nc);
        INSERT INTO m VALUES (1, '1', '1', '1', '1', '1', '1', 'a');
        INSERT INTO m VALUES (2, 1, 1, 1, 1, 1, 1, 'A');
        INSERT INTO m VALUES (3, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 'b');
        INSERT INTO m VALUES (4, '1.0', '1.0', '1.0', '1.0', '1.0', '1.0', 'B');
        INSERT INTO m VALUES (5, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        INSERT INTO m VALUES (6, x'31', x'31', x'31', x'31', x'31', x'31', x'61');
        INSERT INTO m VALUES (7, ' 2', ' 2', ' 2 ', '2e0', '2', '0x2', 'c ');
        INSERT INTO m VALUES (8, 'abc', 'abc', 'abc', 'abc', 'abc', 'abc', 'ABC');
        INSERT INTO m VALUES (9, -0.0, '-0', '+5', '.5', 5.5, -9223372036854775808, '');
        INSERT INTO m VALUES (10, 9223372036854775807, '9223372036854775808', '1e19', '1e400', 1e308, 1e-308, 'z');
        """

    static let storage = ConformanceCase("storage-classes", setup: data, [
        "SELECT k, t, typeof(t), n, typeof(n), i, typeof(i), r, typeof(r), b, typeof(b), v, typeof(v) FROM m ORDER BY k",
        "SELECT k FROM m WHERE t = 1 ORDER BY k",
        "SELECT k FROM m WHERE t = '1' ORDER BY k",
        "SELECT k FROM m WHERE n = 1 ORDER BY k",
        "SELECT k FROM m WHERE n = '1' ORDER BY k",
        "SELECT k FROM m WHERE n = '1.0' ORDER BY k",
        "SELECT k FROM m WHERE i = 1 ORDER BY k",
        "SELECT k FROM m WHERE r = 1 ORDER BY k",
        "SELECT k FROM m WHERE b = 1 ORDER BY k",
        "SELECT k FROM m WHERE b = '1' ORDER BY k",
        "SELECT k FROM m WHERE v = 1 ORDER BY k",
        "SELECT k FROM m WHERE v = '1' ORDER BY k",
        "SELECT k FROM m WHERE t = n ORDER BY k",
        "SELECT k FROM m WHERE n = t ORDER BY k",
        "SELECT k FROM m WHERE v = t ORDER BY k",
        "SELECT k FROM m WHERE i = r ORDER BY k",
        "SELECT k FROM m WHERE t > 1 ORDER BY k",
        "SELECT k FROM m WHERE t < 'b' ORDER BY k",
        "SELECT k FROM m WHERE n > 0 ORDER BY k",
        "SELECT k FROM m WHERE n >= '1' AND n < 2 ORDER BY k",
        "SELECT k FROM m WHERE nc = 'a' ORDER BY k",
        "SELECT k FROM m WHERE nc > 'a' ORDER BY k",
        "SELECT k FROM m WHERE nc = 'abc' ORDER BY k",
        "SELECT k FROM m WHERE nc COLLATE BINARY = 'a' ORDER BY k",
        "SELECT k FROM m WHERE t IN (1, 'abc') ORDER BY k",
        "SELECT k FROM m WHERE n IN ('1', 2) ORDER BY k",
        "SELECT k FROM m WHERE v IN (1, '1') ORDER BY k",
        "SELECT k FROM m WHERE nc IN ('a', 'b') ORDER BY k",
        "SELECT k FROM m WHERE t BETWEEN 0 AND 2 ORDER BY k",
        "SELECT k FROM m WHERE n BETWEEN '0' AND '2' ORDER BY k",
        "SELECT k, t || n, n + i, i * r, r - v, b || 'x' FROM m ORDER BY k",
        "SELECT k, t / 2, n % 2, i << 1, v & 3, -r FROM m ORDER BY k",
        "SELECT k, abs(n), round(r, 1), length(t), upper(nc), quote(v) FROM m ORDER BY k",
        "SELECT k, CAST(t AS INTEGER), CAST(n AS REAL), CAST(v AS TEXT), CAST(b AS NUMERIC) FROM m ORDER BY k",
        "SELECT k, t IS n, n IS NOT i, v IS NULL, coalesce(v, t, 'none') FROM m ORDER BY k",
        "SELECT k, max(t, n), min(i, r), nullif(t, n), ifnull(b, 'nb') FROM m ORDER BY k",
        "SELECT k, CASE v WHEN 1 THEN 'one' WHEN 'abc' THEN 'letters' ELSE typeof(v) END FROM m ORDER BY k",
    ])

    static let ordering = ConformanceCase("mixed-ordering", setup: data, [
        "SELECT k, v FROM m ORDER BY v, k",
        "SELECT k, t FROM m ORDER BY t DESC, k",
        "SELECT k, n FROM m ORDER BY n, k",
        "SELECT k, nc FROM m ORDER BY nc, k",
        "SELECT k, nc FROM m ORDER BY nc COLLATE BINARY, k",
        "SELECT k, t FROM m ORDER BY t COLLATE NOCASE DESC, k",
        "SELECT k, r FROM m ORDER BY r NULLS LAST, k",
        "SELECT k, b FROM m ORDER BY b DESC NULLS LAST, k",
        "SELECT DISTINCT v FROM m ORDER BY 1",
        "SELECT DISTINCT nc FROM m ORDER BY 1",
        "SELECT DISTINCT t, n FROM m ORDER BY 1, 2",
        "SELECT typeof(v), count(*) FROM m GROUP BY typeof(v) ORDER BY 1",
        "SELECT nc, count(*) FROM m GROUP BY nc ORDER BY 1",
        "SELECT n, count(*), group_concat(k) FROM m GROUP BY n ORDER BY 1",
        "SELECT v, count(*) FROM m GROUP BY v ORDER BY 1",
        "SELECT count(*), count(v), sum(v), total(v), avg(v), min(v), max(v) FROM m",
        "SELECT sum(n), sum(i), sum(r), avg(i), max(nc), min(nc) FROM m",
        "SELECT count(DISTINCT nc), count(DISTINCT t), count(DISTINCT v), sum(DISTINCT i) FROM m",
        "SELECT group_concat(t, '|'), group_concat(DISTINCT nc) FROM m WHERE k < 9",
        "SELECT k FROM m ORDER BY k DESC LIMIT 3",
        "SELECT k FROM m WHERE v IS NOT NULL ORDER BY k LIMIT 2 OFFSET 3",
    ])

    static let writes = ConformanceCase("mixed-writes", setup: data, [
        "UPDATE m SET v = v + 1 WHERE typeof(v) = 'integer'",
        "UPDATE m SET t = n, n = t WHERE k < 5",
        "SELECT k, t, typeof(t), n, typeof(n) FROM m ORDER BY k",
        "UPDATE m SET i = '  42  ', r = '3', b = 4 WHERE k = 5",
        "SELECT i, typeof(i), r, typeof(r), b, typeof(b) FROM m WHERE k = 5",
        "UPDATE m SET nc = upper(nc) WHERE nc = 'a'",
        "SELECT k, nc FROM m ORDER BY k",
        "DELETE FROM m WHERE nc = 'B'",
        "SELECT k FROM m ORDER BY k",
        "DELETE FROM m WHERE t IS NULL OR n > 100",
        "SELECT k FROM m ORDER BY k",
        "INSERT INTO m (t, n, i, r) VALUES ('9', '9', '9', '9'), ('x9', 'x9', 'x9', 'x9'), (9.5, 9.5, 9.5, 9.5)",
        "SELECT k, t, typeof(t), n, typeof(n), i, typeof(i), r, typeof(r) FROM m WHERE k > 10 ORDER BY k",
        "INSERT INTO m (k, t) SELECT k + 100, nc FROM m WHERE nc IS NOT NULL",
        "SELECT k, t FROM m WHERE k > 100 ORDER BY k",
        "UPDATE m SET k = k - 50 WHERE k > 100",
        "SELECT k, t FROM m ORDER BY k",
        "DELETE FROM m WHERE k BETWEEN 50 AND 60",
        "SELECT count(*), changes() FROM m",
    ])

    @Test func mixedDataAgreesWithSQLite() throws {
        let (failures, compared) = try Conformance.check([Self.storage, Self.ordering, Self.writes])
        print("nulls/affinity conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
