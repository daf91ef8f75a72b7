import Testing

/// Expressions compared with sqlite3: literals, operators with affinity and collation,
/// three-valued logic, IN, BETWEEN, LIKE/GLOB, CASE, CAST, functions and name resolution.
@Suite struct ExpressionConformanceTests {
    static let mixed = """
        CREATE TABLE t(i INTEGER, r REAL, s TEXT, b BLOB, n NUMERIC, x, c TEXT COLLATE NOCASE, rt TEXT COLLATE RTRIM);
        INSERT INTO t VALUES (1, 1.5, 'abc', x'0102', 10, 'x', 'Abc', 'a  ');
        INSERT INTO t VALUES (2, 2.0, '2', x'', '2.5', 2, 'ABC', 'a');
        INSERT INTO t VALUES (NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL);
        INSERT INTO t VALUES (-5, -0.5, '10', 'text', 'abc', 1.0, 'b', 'b ');
        INSERT INTO t VALUES (9223372036854775807, 1e308, '', NULL, '0x10', '', 'a', '');
        INSERT INTO t VALUES (0, 0.0, ' 3 ', x'00', 3.0, NULL, 'B', ' b');
        """

    static let literals = ConformanceCase("literals", [
        "SELECT 1, -1, 1.5, -1.5, 'a', x'ff', NULL",
        "SELECT 9223372036854775807, -9223372036854775807, 1e10, 1e400, -1e400",
        "SELECT 0x10, 0xffffffffffffffff, .5, 5., 1e-5",
        "SELECT 'it''s', '', x''",
        "SELECT typeof(1), typeof(1.0), typeof('1'), typeof(x'01'), typeof(NULL)",
        "SELECT TRUE, FALSE, true + 1",
        "SELECT \"no such column\"",
    ])

    static let arithmetic = ConformanceCase("arithmetic", [
        "SELECT 1 + 2, 1 - 2, 2 * 3, 7 / 2, 7 % 3, 7.0 / 2, -7 / 2, -7 % 3",
        "SELECT 1 / 0, 1 % 0, 1.0 / 0, 0 / 0.0, 5 % 0.0",
        "SELECT 9223372036854775807 + 1, -9223372036854775808 - 1, 9223372036854775807 * 2",
        "SELECT -9223372036854775807 - 1, (-9223372036854775807 - 1) / -1, (-9223372036854775807 - 1) % -1",
        "SELECT '3' + 4, '3.5' * 2, 'abc' + 1, x'31' + 1, ' 5 ' + 0, '5x' + 0",
        "SELECT NULL + 1, 1 - NULL, NULL * NULL, NULL / 0",
        "SELECT 5 & 3, 5 | 3, 1 << 3, 16 >> 2, ~5, 1 << 64, 1 << -1, -16 >> 2, 2.5 & 3",
        "SELECT 'a' || 'b', 1 || 2, 1.5 || 'x', NULL || 'a', x'41' || 'b'",
        "SELECT -'5', -'abc', -NULL, +'5', - -3, -(1), -(-9223372036854775807 - 1)",
        "SELECT 1.0 + 2, 0.1 + 0.2, 1e308 * 10, -1e308 * 10, 100000000000000000000 + 1",
        "SELECT i + r, i * n, s + 0, n / 2, x * 2 FROM t",
        "SELECT i / 0, r % 2, i % 3, i & 1, i | 16, ~i FROM t",
    ])

    static let comparisons = ConformanceCase("comparisons", setup: mixed, [
        "SELECT 1 = 1, 1 = 2, 1 < 2, 2 <= 2, 3 > 2, 3 >= 4, 1 != 1, 1 <> 2",
        "SELECT 1 = '1', '1' = 1, 1 < 'a', x'00' > 'z', NULL = NULL, NULL <> 1",
        "SELECT 1 IS 1, NULL IS NULL, 1 IS NULL, NULL IS NOT NULL, 1 IS NOT 2, 1 IS '1'",
        "SELECT i, i = '1', i < '2', s = 2, s = '2', n = '10', n = 10, x = '2', x = 2 FROM t",
        "SELECT r = 2, r = '2', r = '2.0', r > '1', b = x'0102', b = '' FROM t",
        "SELECT c = 'abc', c = 'ABC', 'abc' = c, c < 'b', c > 'a' FROM t",
        "SELECT rt = 'a', rt = 'b', 'b' = rt, rt = 'a ' FROM t",
        "SELECT c = s, s = c, c = 'abc' COLLATE BINARY, s = 'ABC' COLLATE NOCASE FROM t",
        "SELECT 'abc' = 'ABC' COLLATE NOCASE, 'abc' COLLATE NOCASE = 'ABC', 'a ' = 'a' COLLATE RTRIM",
        "SELECT i IS NULL, i IS NOT NULL, i ISNULL, i NOTNULL, i NOT NULL FROM t",
        "SELECT s IS i, i IS s, c IS 'abc', n IS 10 FROM t",
        "SELECT i = n, n = i, s < x, x < s, i > r FROM t",
        "SELECT +i = '1', +s = 2, CAST(s AS INTEGER) = 2, s + 0 = 2 FROM t",
    ])

    static let logic = ConformanceCase("logic", setup: mixed, [
        "SELECT 1 AND 1, 1 AND 0, 0 AND NULL, 1 AND NULL, NULL AND NULL",
        "SELECT 1 OR 0, 0 OR 0, 0 OR NULL, 1 OR NULL, NULL OR NULL",
        "SELECT NOT 1, NOT 0, NOT NULL, NOT 'abc', NOT '1', NOT 0.5",
        "SELECT i AND r, i OR s, NOT i, NOT x FROM t",
        "SELECT i FROM t WHERE i",
        "SELECT i FROM t WHERE NOT i",
        "SELECT i FROM t WHERE i > 0 AND r > 1",
        "SELECT i FROM t WHERE i > 0 OR r IS NULL",
        "SELECT i FROM t WHERE NOT (i > 0 OR r IS NULL)",
        "SELECT i FROM t WHERE s",
        "SELECT i FROM t WHERE i IS NOT NULL AND NOT (i = 1)",
    ])

    static let inAndBetween = ConformanceCase("in-between", setup: mixed, [
        "SELECT 1 IN (1, 2), 3 IN (1, 2), NULL IN (1), 1 IN (NULL, 1), 3 IN (NULL, 1), 1 IN ()",
        "SELECT 1 NOT IN (1, 2), 3 NOT IN (1, 2), NULL NOT IN (), 3 NOT IN (1, NULL), NULL NOT IN (1)",
        "SELECT '1' IN (1), 1 IN ('1'), 'a' IN ('A'), 'a' COLLATE NOCASE IN ('A')",
        "SELECT i, i IN (1, 2), s IN (2, 10), n IN ('10', 3), c IN ('abc', 'b'), x IN (2) FROM t",
        "SELECT i NOT IN (1, NULL), r IN (i, 1.5) FROM t",
        "SELECT 2 BETWEEN 1 AND 3, 5 BETWEEN 1 AND 3, NULL BETWEEN 1 AND 2, 1 BETWEEN NULL AND 2, 0 BETWEEN NULL AND -1",
        "SELECT 2 NOT BETWEEN 1 AND 3, 'b' BETWEEN 'a' AND 'c', 'B' BETWEEN 'a' AND 'c'",
        "SELECT i, i BETWEEN 0 AND 2, s BETWEEN 1 AND 5, c BETWEEN 'a' AND 'b', n NOT BETWEEN 2 AND 10 FROM t",
        "SELECT i FROM t WHERE i IN (0, 1, 2) ORDER BY i",
        "SELECT i FROM t WHERE i NOT IN (0, 1)",
        "SELECT i FROM t WHERE i BETWEEN -5 AND 1",
    ])

    static let patterns = ConformanceCase("patterns", setup: mixed, [
        "SELECT 'abc' LIKE 'a%', 'abc' LIKE 'A_C', 'abc' LIKE 'b%', 'a%c' LIKE 'a\\%c' ESCAPE '\\', NULL LIKE 'a'",
        "SELECT 'abc' NOT LIKE 'a%', 'abc' GLOB 'a*', 'abc' GLOB 'A*', 'abc' NOT GLOB '?b?', 'x' GLOB '[a-z]'",
        "SELECT s, s LIKE '%b%', c LIKE 'a%', s GLOB '*', i LIKE '1' FROM t",
        "SELECT 'a_c' LIKE 'a!_c' ESCAPE '!', 'abc' LIKE 'a!_c' ESCAPE '!', 'ab' LIKE 'ab' ESCAPE NULL",
        "SELECT 'a' LIKE 'a' ESCAPE 'xy'",
        "SELECT 'a' REGEXP 'a'",
        "SELECT s FROM t WHERE s LIKE '%'",
    ])

    static let caseAndCast = ConformanceCase("case-cast", setup: mixed, [
        "SELECT CASE 1 WHEN 1 THEN 'one' WHEN 2 THEN 'two' ELSE 'many' END, CASE 3 WHEN 1 THEN 'one' END",
        "SELECT CASE WHEN 0 THEN 'a' WHEN NULL THEN 'b' ELSE 'c' END, CASE NULL WHEN NULL THEN 1 ELSE 0 END",
        "SELECT i, CASE i WHEN 1 THEN 'one' WHEN '2' THEN 'two' ELSE 'other' END, CASE s WHEN 2 THEN 'two' END FROM t",
        "SELECT CASE c WHEN 'abc' THEN 1 ELSE 0 END, CASE WHEN i > 0 THEN i END FROM t",
        "SELECT CAST('12' AS INTEGER), CAST('12.5' AS INTEGER), CAST('abc' AS INTEGER), CAST(12.9 AS INTEGER), CAST(-12.9 AS INT)",
        "SELECT CAST(1 AS TEXT), CAST(1.5 AS TEXT), CAST('1.0' AS REAL), CAST(x'3132' AS INTEGER), CAST(12 AS BLOB)",
        "SELECT CAST('1e3' AS NUMERIC), CAST('12abc' AS NUMERIC), CAST(NULL AS INTEGER), CAST('  7  ' AS INTEGER), CAST(1e20 AS INTEGER)",
        "SELECT CAST(i AS TEXT), CAST(r AS INTEGER), CAST(s AS REAL), CAST(n AS NUMERIC), CAST(b AS TEXT) FROM t",
        "SELECT CAST('9223372036854775808' AS INTEGER), CAST('-9223372036854775809' AS INTEGER), CAST(9.2e18 AS INTEGER)",
        "SELECT CAST(1 AS VARCHAR(10)), CAST('5' AS FLOATING POINT), CAST('5' AS whatever)",
    ])

    static let functions = ConformanceCase("functions", setup: mixed, [
        "SELECT abs(-5), abs(NULL), abs('-3'), abs(-1.5), length('abc'), length(x'0102'), length(NULL)",
        "SELECT abs(-9223372036854775807 - 1)",
        "SELECT upper('abc'), lower('ABC'), substr('abcdef', 2, 3), substr('abc', -2), trim('  a  '), replace('aaa', 'a', 'b')",
        "SELECT coalesce(NULL, 2, 3), coalesce(NULL, NULL), ifnull(NULL, 'x'), ifnull(1, 2), nullif(1, 1), nullif(1, 2)",
        "SELECT iif(1, 'y', 'n'), iif(0, 'y', 'n'), iif(NULL, 'y', 'n'), likely(5), unlikely('a'), likelihood(3, 0.5)",
        "SELECT coalesce(1, abs(-9223372036854775807 - 1))",
        "SELECT nullif('a', 'A'), nullif(c, 'abc'), max(1, 2, 3), min('a', 'B'), max(c, 'b'), min(c, 'b') FROM t",
        "SELECT typeof(i), typeof(r), typeof(s), typeof(b), typeof(n), typeof(x), quote(b), hex(s) FROM t",
        "SELECT round(2.5), round(-2.5), round(1.2345, 2), printf('%05d|%.2f|%s', 42, 3.14159, 'x')",
        "SELECT instr('abc', 'c'), unicode('A'), char(72, 105), hex(zeroblob(2)), ltrim('xxa', 'x')",
        "SELECT foo(1)",
        "SELECT abs(1, 2)",
        "SELECT abs(*)",
        "SELECT count(*) FROM t WHERE count(*) > 0",
        "SELECT abs(i) FILTER (WHERE i > 0) FROM t",
        "SELECT sum(sum(i)) FROM t",
        "SELECT changes(), total_changes(), last_insert_rowid()",
        "SELECT typeof(random()), length(randomblob(4))",
        "SELECT date('2024-01-15'), time('12:30:00'), datetime('2024-01-15 10:00', '+1 day'), julianday('2000-01-01')",
        "SELECT strftime('%Y', '2024-05-06'), date('2024-01-31', '+1 month')",
        "SELECT typeof(CURRENT_DATE), length(CURRENT_TIMESTAMP), length(CURRENT_TIME)",
    ])

    static let names = ConformanceCase("names", setup: mixed + "CREATE TABLE u(a INTEGER PRIMARY KEY, b); INSERT INTO u VALUES (5, 'five'), (7, 'seven');", [
        "SELECT nosuch FROM t",
        "SELECT t.nosuch FROM t",
        "SELECT x.i FROM t",
        "SELECT i FROM nosuch",
        "SELECT * FROM nosuch",
        "SELECT main.t.i FROM t WHERE i = 1",
        "SELECT t.i, T.I, \"i\", [i], `i` FROM t WHERE i = 2",
        "SELECT z.i FROM t AS z WHERE z.i = 1",
        "SELECT t.i FROM t AS z",
        "SELECT rowid, oid, _rowid_, a FROM u",
        "SELECT rowid, * FROM u WHERE rowid = 7",
        "SELECT u.* FROM u",
        "SELECT t.* FROM u",
        "SELECT *",
        "SELECT b AS q FROM u WHERE q = 'five'",
        "SELECT a + 1 AS a FROM u WHERE a = 5",
        "SELECT b FROM u WHERE \"b\" = 'seven'",
        "SELECT 'x' AS y FROM u WHERE \"nosuch\" = 'nosuch'",
        "SELECT true, false FROM u",
        "SELECT i FROM t WHERE i = ?1",
        "SELECT sum(a) AS s FROM u WHERE s > 0",
    ])

    @Test func expressionsAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check([
            Self.literals, Self.arithmetic, Self.comparisons, Self.logic, Self.inAndBetween, Self.patterns,
            Self.caseAndCast, Self.functions, Self.names,
        ])
        print("expression conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
