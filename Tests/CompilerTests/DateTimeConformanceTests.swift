import Testing

/// date, time, datetime, julianday, strftime and unixepoch through SQL against sqlite3: literal
/// arguments, columns of every storage class, modifiers alone and chained, strftime's
/// conversions, and what makes them NULL. 'now' is left out: the two engines' clocks differ.
@Suite struct DateTimeConformanceTests {
    static let values = [
        "'2024-02-29 13:45:30.5'", "'2000-01-01'", "'1970-01-01 00:00:00'", "'2023-12-31T23:59:59Z'",
        "'2024-03-10 02:30:00+05:30'", "'12:34:56'", "'0000-01-01'", "'9999-12-31 23:59:59.999'",
        "2460000.5", "0", "1700000000", "'2024-13-01'", "'garbage'", "NULL", "x'00'", "'2024-02-30'",
    ]
    static let modifiers = [
        "'+1 day'", "'-1 month'", "'+1 year'", "'start of month'", "'start of year'", "'start of day'",
        "'weekday 0'", "'weekday 6'", "'+90 minutes'", "'-3600 seconds'", "'+1.5 days'", "'localtime'", "'utc'",
        "'unixepoch'", "'auto'", "'julianday'", "'+12:30'", "'-01:00:00.5'", "'+2 hours'", "'nonsense'",
    ]
    static let formats = [
        "'%Y-%m-%d'", "'%H:%M:%S'", "'%f'", "'%j'", "'%W'", "'%w'", "'%s'", "'%J'", "'%%'", "'%d/%m/%Y %H'",
        "'day %j of %Y, week %W'", "'%Y%m%d%H%M%S'", "'%u'", "'%e'", "'no conversions'", "''", "'%'", "'%Q'",
    ]

    static let cases: [ConformanceCase] = [
        ConformanceCase("each function on each value", values.flatMap { value in
            ["SELECT date(\(value)), time(\(value)), datetime(\(value))",
             "SELECT julianday(\(value)), unixepoch(\(value)), typeof(julianday(\(value)))"]
        }),
        ConformanceCase("one modifier", modifiers.flatMap { modifier in
            ["SELECT datetime('2024-02-29 13:45:30', \(modifier)), date('2023-01-31', \(modifier))",
             "SELECT julianday('2000-01-01 12:00', \(modifier)), unixepoch(1700000000, \(modifier))"]
        }),
        ConformanceCase("strftime formats", formats.map { format in
            "SELECT strftime(\(format), '2024-02-29 13:45:30.25'), strftime(\(format), '1999-01-03'), strftime(\(format), 2451545)"
        }),
        ConformanceCase("chained modifiers", [
            "SELECT date('2024-01-31', '+1 month')", "SELECT date('2024-01-31', 'start of month', '+1 month', '-1 day')",
            "SELECT datetime('2024-01-01', '+1 year', '-1 second')", "SELECT date('2024-01-01', 'start of year', '+59 days')",
            "SELECT datetime(1700000000, 'unixepoch', 'start of day', '+12 hours')", "SELECT date('2024-03-15', 'weekday 0', '-7 days')",
            "SELECT datetime('2024-06-15 10:00', '+1 month', '+1 day', '+1 hour', '+1 minute', '+1 second')",
            "SELECT time('23:59:59', '+1 second')", "SELECT time('00:00', '-1 second')", "SELECT date('2024-02-29', '+1 year')",
            "SELECT date('2024-02-29', '-1 year')", "SELECT date('2023-03-31', '-1 month')", "SELECT datetime('2024-01-01', '+0.5 days')",
            "SELECT datetime('2024-01-01', '+86399.999 seconds')", "SELECT julianday('2024-01-01', '+1 day') - julianday('2024-01-01')",
            "SELECT unixepoch('2024-01-01') - unixepoch('2023-01-01')", "SELECT date(julianday('2024-05-05'))",
            "SELECT datetime(unixepoch('2024-05-05 05:05:05'), 'unixepoch')", "SELECT strftime('%s', '2024-01-01', '+1 day')",
            "SELECT date('2024-01-01', 'weekday 1', 'weekday 1')", "SELECT date('2024-01-01', '+1 day', 'start of month')",
            "SELECT datetime('2000-01-01', '+100000 days')", "SELECT datetime('2000-01-01', '-1000000 days')",
            "SELECT date('2024-01-01', 'unixepoch')", "SELECT date(0, 'unixepoch', 'unixepoch')", "SELECT datetime(2.5, 'julianday')",
            "SELECT datetime(1e10, 'auto')", "SELECT datetime(-1, 'auto')", "SELECT datetime(5373484.5, 'auto')",
            "SELECT date('2024-01-01', '+1 days ')", "SELECT date('2024-01-01', ' +1 day')", "SELECT date('2024-01-01', '+1 DAY')",
            "SELECT date('2024-01-01', '+1 dayz')", "SELECT date('2024-01-01', NULL)", "SELECT date('2024-01-01', 5)",
            "SELECT time('12:00:00', '+12:00')", "SELECT datetime('2024-01-01 10:00', '-10:30')", "SELECT date('2024-01-01', 'weekday 7')",
            "SELECT date('2024-01-01', 'start of week')", "SELECT date()", "SELECT typeof(date())", "SELECT time(NULL)",
        ]),
        ConformanceCase("time values in columns", setup: "CREATE TABLE ev(id INTEGER PRIMARY KEY, at TEXT, jd REAL, ux INTEGER, fmt TEXT, mods TEXT); INSERT INTO ev VALUES(1, '2024-02-29 13:45:30', 2460370.07326, 1709214330, '%Y/%m/%d', '+1 day'), (2, '1999-12-31 23:59:59', 2451544.49999, 946684799, '%H-%M', 'start of month'), (3, NULL, NULL, NULL, NULL, NULL), (4, '2024-07-04', 2460495.5, 1720051200, '%j', 'weekday 3')", [
            "SELECT id, date(at), time(at), datetime(jd), datetime(ux, 'unixepoch') FROM ev ORDER BY id",
            "SELECT id, strftime(fmt, at), date(at, mods), julianday(at) - jd FROM ev ORDER BY id",
            "SELECT id FROM ev WHERE date(at) > '2000-01-01' ORDER BY id", "SELECT id FROM ev WHERE unixepoch(at) = ux ORDER BY id",
            "SELECT count(*), min(date(at)), max(datetime(ux, 'unixepoch')) FROM ev",
            "SELECT date(at) AS d, count(*) FROM ev GROUP BY d ORDER BY d",
            "UPDATE ev SET at = datetime(at, '+1 hour') WHERE at IS NOT NULL", "SELECT at FROM ev ORDER BY id",
            "INSERT INTO ev(at) VALUES(date('2024-01-01', '+10 days'))", "SELECT id, at FROM ev WHERE id > 4",
            "SELECT id, strftime('%W', at), strftime('%w', at) FROM ev ORDER BY id",
            "CREATE TABLE stamped(v, made TEXT DEFAULT (date('2020-02-02', '+1 month')))", "INSERT INTO stamped(v) VALUES(1)",
            "SELECT * FROM stamped",
        ]),
        ConformanceCase("likely, unlikely and likelihood", setup: "CREATE TABLE l(a, b); INSERT INTO l VALUES(1, 'x'), (2, NULL), (3, 'z')", [
            "SELECT likely(1), unlikely('a'), likelihood(2.5, 0.5), likely(NULL)", "SELECT a FROM l WHERE likely(b IS NOT NULL) ORDER BY a",
            "SELECT a FROM l WHERE unlikely(a > 1) ORDER BY a", "SELECT a FROM l WHERE likelihood(a = 2, 0.25)",
            "SELECT likelihood(1, 2)", "SELECT likelihood(1, -0.1)", "SELECT likelihood(1, a) FROM l", "SELECT likely()",
            "SELECT likely(1, 2)", "SELECT typeof(likely(b)) FROM l ORDER BY a", "SELECT likely(b) = 'x' FROM l ORDER BY a",
            "SELECT likelihood(1, 0)", "SELECT likelihood(1, 1)", "SELECT likelihood(1, 0.5e0)", "SELECT likelihood(1, 1e-1)",
        ]),
        // The affinity of likely(x) is none, not x's: '1' is compared as text with 1.0.
        ConformanceCase("likely carries no affinity", setup: "CREATE TABLE r(a REAL, b INTEGER); INSERT INTO r VALUES(1, 2)", [
            "SELECT likely(a) = '1', a = '1', likely(b) = '2', b = '2', unlikely(b) IN ('2'), likelihood(b, 0.5) BETWEEN '2' AND '2' FROM r",
            "SELECT a FROM r WHERE likely(b) = '2'", "SELECT a FROM r WHERE likely(b) COLLATE binary = '2'",
        ]),
        ConformanceCase("printf and format", [
            "SELECT printf('%d|%5.2f|%-5s|%x|%q|%Q|%w', 42, 3.14159, 'ab', 255, 'it''s', NULL, 'a\"b')",
            "SELECT format('%s and %s', 'this', 'that')", "SELECT printf('%.3s', 'abcdef')", "SELECT printf('%c', 'xyz')",
            "SELECT printf('%05d|%+d|% d', 7, 7, 7)", "SELECT printf('%e|%g|%G', 12345.678, 0.0001, 1e20)", "SELECT printf()",
            "SELECT printf(NULL)", "SELECT printf('%d %d', 1)", "SELECT printf('%z', 'zed')", "SELECT printf('%!.3f', 1.0)",
            "SELECT printf('%,d', 1234567)", "SELECT printf('%i', '12abc')", "SELECT printf('%s', x'414243')", "SELECT printf('%%')",
            "SELECT printf('%10.4f|%-10d|', 2.5, 3)", "SELECT printf('%.0f %.1f', 0.5, 0.25)", "SELECT printf('%lld', 9223372036854775807)",
        ]),
    ]

    @Test func dateTimeThroughSQL() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        #expect(compared == Self.cases.reduce(0) { $0 + $1.statements.count })
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
