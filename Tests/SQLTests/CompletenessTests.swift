import Foundation
import Testing
@testable import SQL

/// `SQLParser.isComplete` follows `sqlite3_complete`.
@Suite struct CompletenessTests {
    static let cases: [(String, Bool)] = [
        ("", false), (";", true), (";;", true), ("  ", false), ("SELECT 1", false), ("SELECT 1;", true),
        ("SELECT 1; ", true), ("SELECT 1;\n", true), ("SELECT 1;\t\r\n\u{0C}", true),
        ("SELECT 1; -- comment", true), ("SELECT 1 -- comment;", false), ("SELECT 1 -- comment;\n", false),
        ("SELECT 1 -- c\n;", true), ("SELECT 1 /* ; */", false), ("SELECT 1; /* c */", true),
        ("SELECT 1; /* unterminated", false), ("SELECT 1 /* c */ ;", true), ("-- only a comment\n", false),
        ("/* only */", false), ("SELECT 1;\n-- trailing", true), ("SELECT 1;SELECT 2", false),
        ("SELECT 1;SELECT 2;", true), ("SELECT 'a;b'", false), ("SELECT 'a;b';", true),
        ("SELECT 'it''s;';", true), ("SELECT 'unterminated;", false), ("SELECT \"a;\";", true),
        ("SELECT [a;];", true), ("SELECT [a;", false), ("SELECT `a;`;", true), ("SELECT `a;", false),
        ("SELECT a - b;", true), ("SELECT a / b;", true), ("SELECT a -", false),
        ("CREATE TABLE t(a);", true), ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;", false),
        ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;", true),
        ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END", false),
        ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; SELECT 2; END;", true),
        ("create temp trigger t after insert on x begin select 1; end;", true),
        ("CREATE TEMPORARY TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END ;", true),
        ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 'END;'; END;", true),
        ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END; SELECT 2", false),
        ("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END; SELECT 2;", true),
        ("EXPLAIN CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;", false),
        ("EXPLAIN CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;", true),
        ("CREATE TRIGGERS t;", true), ("CREATE VIEW trigger AS SELECT 1;", true), ("END;", true),
        ("CREATE TABLE trigger(a);", true), ("CREATE TEMP TABLE t(a);", true),
        ("CREATE TRIGGER t INSERT ON x BEGIN UPDATE y SET a = 1; END /* c */ ;", true),
        ("SELECT 1;\0 garbage", true), ("SELECT ünïcode;", true),
    ]

    @Test(arguments: cases)
    func complete(_ sql: String, _ expected: Bool) {
        #expect(SQLParser.isComplete(sql) == expected)
    }

    /// The same answers as SQLite's own `sqlite3_complete`, reached through Python's binding
    /// of the system library where Python is installed.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func agreesWithSQLiteComplete() throws {
        var generator = SeededGenerator(seed: 99)
        let pieces = ["SELECT", " ", "1", ";", "'", "\"", "[", "]", "`", "--", "\n", "/*", "*/", "CREATE",
                      "TRIGGER", "TEMP", "END", "EXPLAIN", "BEGIN", "x", "-", "/"]
        var inputs = Self.cases.map(\.0).filter { !$0.contains("\0") }
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<Int.random(in: 1...12, using: &generator) {
                text += pieces.randomElement(using: &generator)!
                if Bool.random(using: &generator) { text += " " }
            }
            inputs.append(text)
        }
        let json = try JSONEncoder().encode(inputs)
        let script = """
        import sqlite3, json, sys
        for s in json.load(sys.stdin):
            print(1 if sqlite3.complete_statement(s) else 0)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        process.arguments = ["-c", script]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        input.fileHandleForWriting.write(json)
        try input.fileHandleForWriting.close()
        let answers = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n")
        process.waitUntilExit()
        #expect(answers.count == inputs.count)
        for (text, answer) in zip(inputs, answers) {
            #expect(SQLParser.isComplete(text) == (answer == "1"), "\(text.debugDescription)")
        }
    }
}
