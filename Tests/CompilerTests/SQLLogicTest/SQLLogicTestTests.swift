import BTree
import Foundation
import Testing

/// Every `.test` file under suites/, run on Ringlite and checked against sqlite3 as well.
@Suite struct SQLLogicTestTests {
    /// The suites sit beside this file; found through #filePath so the package needs no resources.
    static var suitesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("suites")
    }

    @Test(.timeLimit(.minutes(5))) func suites() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.suitesDirectory.path)
            .filter { $0.hasSuffix(".test") }.sorted()
        #expect(files.count >= 3, "the suites directory \(Self.suitesDirectory.path) holds \(files)")
        for file in files {
            let report = try SLTRunner.run(file: Self.suitesDirectory.appendingPathComponent(file).path)
            print("sqllogictest: \(file): \(report.records) records, \(report.passed) passed, \(report.skipped) skipped")
            #expect(report.records > 0, "\(file) ran no records")
            for failure in report.failures { Issue.record(Comment(rawValue: failure)) }
        }
    }
}

/// The parser and the value rendering the runner's verdicts rest on.
@Suite struct SLTParserTests {
    @Test func parsesRecordKinds() throws {
        let records = try SLTParser.parse("""
        # a comment
        hash-threshold 8

        statement ok
        CREATE TABLE t(a, b)

        skipif mysql
        onlyif sqlite
        statement error
        INSERT INTO nope VALUES (1)

        query IT rowsort label-1
        SELECT a,
               b FROM t
        ----
        1
        x

        query R
        SELECT 1.5
        ----
        3 values hashing to 0123456789ABCDEF0123456789abcdef

        halt
        """)
        #expect(records.count == 6)
        #expect(records[0].kind == .hashThreshold(8))
        #expect(records[1].kind == .statement(expectError: false, sql: "CREATE TABLE t(a, b)"))
        #expect(records[2].kind == .statement(expectError: true, sql: "INSERT INTO nope VALUES (1)"))
        #expect(records[2].skipIf == ["mysql"] && records[2].onlyIf == ["sqlite"])
        #expect(records[2].applies(to: "sqlite") && !records[2].applies(to: "mysql") && !records[2].applies(to: "postgresql"))
        #expect(records[3].kind == .query(types: ["I", "T"], sort: .rowsort, label: "label-1",
                                          sql: "SELECT a,\n       b FROM t", expected: .values(["1", "x"])))
        #expect(records[3].line == 12)
        #expect(records[4].kind == .query(types: ["R"], sort: .nosort, label: nil, sql: "SELECT 1.5",
                                          expected: .hash(count: 3, md5: "0123456789abcdef0123456789abcdef")))
        #expect(records[5].kind == .halt)
        // halt is a record too; comments and conditions alone are not.
        #expect(try SLTParser.parse("halt\n\n# only a comment\n").map(\.kind) == [.halt])
    }

    @Test func rejectsMalformedRecords() {
        #expect(throws: SLTParseError.self) { try SLTParser.parse("query X\nSELECT 1\n----\n1") }
        #expect(throws: SLTParseError.self) { try SLTParser.parse("statement maybe\nSELECT 1") }
        #expect(throws: SLTParseError.self) { try SLTParser.parse("query I shuffled\nSELECT 1") }
        #expect(throws: SLTParseError.self) { try SLTParser.parse("frobnicate") }
    }

    @Test func rendersValuesByColumnType() {
        #expect(SLTFormat.render(.null, as: "I") == "NULL")
        #expect(SLTFormat.render(.null, as: "T") == "NULL")
        #expect(SLTFormat.render(.integer(-42), as: "I") == "-42")
        #expect(SLTFormat.render(.real(2.75), as: "I") == "2")
        #expect(SLTFormat.render(.text(Array("17abc".utf8)), as: "I") == "17")
        #expect(SLTFormat.render(.integer(3), as: "R") == "3.000")
        #expect(SLTFormat.render(.real(-0.0005), as: "R") == "-0.001")
        #expect(SLTFormat.render(.real(1.0 / 3.0), as: "R") == "0.333")
        #expect(SLTFormat.render(.text([]), as: "T") == "(empty)")
        #expect(SLTFormat.render(.text(Array("a\tb\nc".utf8)), as: "T") == "a@b@c")
        #expect(SLTFormat.render(.real(1.0), as: "T") == "1.0")
        #expect(SLTFormat.render(.real(0.1), as: "T") == "0.1")
        #expect(SLTFormat.render(.integer(7), as: "T") == "7")
    }

    @Test func sortsAndHashesAsTheReferenceRunner() {
        let rows: [[Value]] = [[.integer(10), .text(Array("b".utf8))], [.integer(9), .text(Array("a".utf8))]]
        // Sorting is by the rendered strings, so "10" comes before "9".
        #expect(SLTFormat.values(of: rows, types: ["I", "T"], sort: .nosort) == ["10", "b", "9", "a"])
        #expect(SLTFormat.values(of: rows, types: ["I", "T"], sort: .rowsort) == ["10", "b", "9", "a"])
        #expect(SLTFormat.values(of: rows.reversed(), types: ["I", "T"], sort: .rowsort) == ["10", "b", "9", "a"])
        #expect(SLTFormat.values(of: rows, types: ["I", "T"], sort: .valuesort) == ["10", "9", "a", "b"])
        // RFC 1321's test vectors, then the hash of values "1" and "2" (md5 of "1\n2\n").
        #expect(MD5.hex([]) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(MD5.hex(Array("abc".utf8)) == "900150983cd24fb0d6963f7d28e17f72")
        #expect(MD5.hex(Array("12345678901234567890123456789012345678901234567890123456789012345678901234567890".utf8))
                == "57edf4a22be3c955ac49da2e2107b67a")
        #expect(SLTFormat.hash(["1", "2"]) == "6ddb4095eb719e2a9f0a3f95677d24e0")
    }

    /// The runner must fail a record whose expected values are wrong even when both engines agree.
    @Test func wrongExpectationsFail() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-slt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("wrong.test").path
        try """
        statement ok
        CREATE TABLE t(a)

        statement ok
        INSERT INTO t VALUES (1), (2)

        query I rowsort
        SELECT a FROM t
        ----
        1
        3

        statement ok
        SELECT * FROM missing

        statement error
        SELECT 1

        hash-threshold 1

        query I rowsort
        SELECT a FROM t
        ----
        2 values hashing to 6ddb4095eb719e2a9f0a3f95677d24e0

        halt

        query I
        SELECT 99
        ----
        0
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let report = try SLTRunner.run(file: path)
        #expect(report.records == 6)
        #expect(report.passed == 3, "\(report.failures)")
        #expect(report.failures.count == 3, "\(report.failures)")
        #expect(report.failures.first?.contains("wrong.test:7:") == true, "\(report.failures)")
    }
}
