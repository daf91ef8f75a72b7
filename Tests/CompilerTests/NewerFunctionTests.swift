import BTree
import Foundation
import Testing

/// Functions newer than the installed sqlite3 (3.40.1), so no oracle can run them: concat and
/// concat_ws (3.44), octet_length (3.43), unhex (3.41), timediff (3.43), format (3.38, as an
/// alias of printf). Expected values come from SQLite's documentation and its test/func9.test.
@Suite struct NewerFunctionTests {
    static let cases: [(sql: String, expected: Outcome)] = [
        ("SELECT concat('abc', 123, NULL, 'xyz')", .rows([[.text(Array("abc123xyz".utf8))]])),
        ("SELECT typeof(concat(NULL))", .rows([[.text(Array("text".utf8))]])),
        ("SELECT concat(NULL, NULL)", .rows([[.text([])]])),
        ("SELECT concat(1.5, x'41', 'b')", .rows([[.text(Array("1.5Ab".utf8))]])),
        ("SELECT concat()", .error("wrong number of arguments to function concat()")),
        ("SELECT concat_ws(',', 1, 2, 3, 4, 5, 6, 7, 8, NULL, 9, 10, 11, 12)", .rows([[.text(Array("1,2,3,4,5,6,7,8,9,10,11,12".utf8))]])),
        ("SELECT concat_ws(',', 1, 2, 3, 4, '', 6, 7, 8, NULL, 9, 10, 11, 12)", .rows([[.text(Array("1,2,3,4,,6,7,8,9,10,11,12".utf8))]])),
        ("SELECT concat_ws(',', '', 2, 3)", .rows([[.text(Array(",2,3".utf8))]])),
        ("SELECT concat_ws(',', NULL, '', 3, 4)", .rows([[.text(Array(",3,4".utf8))]])),
        ("SELECT concat_ws(',', NULL, NULL, NULL, '', 3)", .rows([[.text(Array(",3".utf8))]])),
        ("SELECT concat_ws(NULL, 1, 2, 3)", .rows([[.null]])),
        ("SELECT concat_ws(' - ', 'a', 'b')", .rows([[.text(Array("a - b".utf8))]])),
        ("SELECT concat_ws('', 'a', NULL, 'b')", .rows([[.text(Array("ab".utf8))]])),
        ("SELECT concat_ws(',', NULL)", .rows([[.text([])]])),
        ("SELECT concat_ws()", .error("wrong number of arguments to function concat_ws()")),
        ("SELECT concat_ws(',')", .error("wrong number of arguments to function concat_ws()")),
        ("SELECT octet_length('abc'), octet_length('日本'), octet_length(NULL)", .rows([[.integer(3), .integer(6), .null]])),
        ("SELECT octet_length(x'0102'), octet_length(12345), octet_length(1.5)", .rows([[.integer(2), .integer(5), .integer(3)]])),
        ("SELECT octet_length()", .error("wrong number of arguments to function octet_length()")),
        ("SELECT hex(unhex('414243')), typeof(unhex('414243'))", .rows([[.text(Array("414243".utf8)), .text(Array("blob".utf8))]])),
        ("SELECT unhex('abcd') = x'ABCD'", .rows([[.integer(1)]])),
        ("SELECT unhex('ABC'), unhex('zz'), unhex(NULL)", .rows([[.null, .null, .null]])),
        ("SELECT hex(unhex('41 42-43', ' -'))", .rows([[.text(Array("414243".utf8))]])),
        ("SELECT unhex('4 142', ' ')", .rows([[.null]])),
        ("SELECT unhex('4142', NULL)", .rows([[.null]])),
        ("SELECT length(unhex(''))", .rows([[.integer(0)]])),
        ("SELECT format('%d-%s', 7, 'x'), printf('%d-%s', 7, 'x')", .rows([[.text(Array("7-x".utf8)), .text(Array("7-x".utf8))]])),
        ("SELECT timediff('2024-03-01', '2024-02-28')", .rows([[.text(Array("+0000-00-02 00:00:00.000".utf8))]])),
        ("SELECT timediff('2023-02-15', '2023-03-15')", .rows([[.text(Array("-0000-01-00 00:00:00.000".utf8))]])),
        ("SELECT timediff('2023-03-15', '2023-02-15')", .rows([[.text(Array("+0000-01-00 00:00:00.000".utf8))]])),
        ("SELECT timediff('garbage', '2024-01-01')", .rows([[.null]])),
    ]

    @Test func newerFunctionsFollowSQLiteDocumentation() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-newer-\(UUID().uuidString).db").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let runner = try RingliteRunner(path: path)
        defer { runner.close() }
        for (sql, expected) in Self.cases {
            let actual = runner.run(sql)
            #expect(actual == expected, "\(sql)\n  expected: \(expected)\n  ringlite: \(actual)")
        }
    }
}
