import Foundation
import Testing
@testable import SQL

/// Bad input ends in an error or a parse: never a crash, a hang or a stack overflow. Everything
/// here runs on a 512 KiB stack.
@Suite struct BadInputTests {
    /// Parses bytes; counts the outcome. A parse must also render and parse back.
    private static func exercise(_ bytes: [UInt8], _ counts: inout (parsed: Int, failed: Int)) {
        do {
            let statements = try SQLParser.parseAll(bytes: bytes)
            for statement in statements { _ = statement.sql }
            counts.parsed += 1
        } catch {
            #expect(!error.message.isEmpty)
            counts.failed += 1
        }
    }

    @Test func truncationsOfEveryValidStatement() {
        let statements = ValidStatements.all + MalformedStatements.all
        let total = ConcurrentList<Int>()
        onSmallStack {
            var counts = (parsed: 0, failed: 0)
            for sql in statements {
                let bytes = Array(sql.utf8)
                for end in 0...bytes.count {
                    BadInputTests.exercise(Array(bytes[0..<end]), &counts)
                }
            }
            total.append(counts.parsed + counts.failed)
        }
        #expect(total.items.first ?? 0 > 10_000)
    }

    @Test func randomTokenSoup() {
        let total = ConcurrentList<Int>()
        onSmallStack {
            let pieces = Keywords.all.map(\.text) + [
                "(", ")", ",", ";", ".", "*", "+", "-", "/", "%", "||", "->", "->>", "=", "==", "!=",
                "<>", "<", "<=", ">", ">=", "<<", ">>", "&", "|", "~", "a", "b", "t", "x", "1", "2.5",
                "0x1F", "'s'", "\"q\"", "[b]", "`k`", "X'00'", "?", "?2", ":p", "@p", "$p", "NULL",
                "SELECT", "FROM", "WHERE", "(SELECT 1)", "count(*)", "--c\n", "/*c*/",
            ]
            var generator = SeededGenerator(seed: 42)
            var counts = (parsed: 0, failed: 0)
            for _ in 0..<6_000 {
                let length = Int.random(in: 1...24, using: &generator)
                var sql = ""
                for _ in 0..<length {
                    sql += pieces.randomElement(using: &generator)!
                    sql += " "
                }
                BadInputTests.exercise(Array(sql.utf8), &counts)
            }
            total.append(counts.parsed + counts.failed)
        }
        #expect(total.items.first == 6_000)
    }

    @Test func mutatedStatements() {
        let total = ConcurrentList<Int>()
        onSmallStack {
            var generator = SeededGenerator(seed: 7)
            var counts = (parsed: 0, failed: 0)
            let statements = ValidStatements.all
            for _ in 0..<4_000 {
                var bytes = Array(statements.randomElement(using: &generator)!.utf8)
                for _ in 0..<Int.random(in: 1...4, using: &generator) where !bytes.isEmpty {
                    let i = Int.random(in: 0..<bytes.count, using: &generator)
                    switch Int.random(in: 0..<4, using: &generator) {
                    case 0: bytes.remove(at: i)
                    case 1: bytes.insert(UInt8.random(in: 0...255, using: &generator), at: i)
                    case 2: bytes[i] = UInt8.random(in: 0...255, using: &generator)
                    default: bytes.insert(contentsOf: bytes[i..<min(bytes.count, i + 8)], at: i)
                    }
                }
                BadInputTests.exercise(bytes, &counts)
            }
            total.append(counts.parsed + counts.failed)
        }
        #expect(total.items.first == 4_000)
    }

    @Test func deepNesting() {
        let messages = ConcurrentList<String>()
        onSmallStack {
            let n = 10_000
            let cases: [String] = [
                "SELECT " + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n),
                "SELECT " + String(repeating: "(SELECT ", count: n) + "1" + String(repeating: ")", count: n),
                "SELECT * FROM " + String(repeating: "(SELECT * FROM ", count: n) + "t" + String(repeating: ")", count: n),
                "SELECT * FROM " + String(repeating: "(", count: n) + "t" + String(repeating: ")", count: n),
                "SELECT " + String(repeating: "NOT ", count: 100_000) + "1",
                "SELECT " + String(repeating: "- ", count: 100_000) + "1",
                "SELECT " + String(repeating: "~", count: 100_000) + "1",
                "SELECT " + String(repeating: "abs(", count: n) + "1" + String(repeating: ")", count: n),
                "SELECT " + String(repeating: "CASE WHEN 1 THEN ", count: n) + "1" + String(repeating: " END", count: n),
                "SELECT " + String(repeating: "1 + (", count: n) + "1" + String(repeating: ")", count: n),
                "SELECT " + String(repeating: "1 + ", count: 100_000) + "1",
                "SELECT " + String(repeating: "1 AND ", count: 100_000) + "1",
                "SELECT 1" + String(repeating: " ISNULL", count: 100_000),
                "SELECT 1" + String(repeating: " COLLATE x", count: 100_000),
                "SELECT 1 " + String(repeating: "BETWEEN 1 ", count: n) + String(repeating: "AND 1 ", count: n),
                "SELECT 1 IN " + String(repeating: "(1 IN ", count: n) + "(1)" + String(repeating: ")", count: n),
                "SELECT " + String(repeating: "EXISTS (SELECT ", count: n) + "1" + String(repeating: ")", count: n),
                "SELECT " + String(repeating: "(1, ", count: n) + "1" + String(repeating: ")", count: n),
                "SELECT " + String(repeating: "CAST(", count: n) + "1" + String(repeating: " AS INT)", count: n),
                "WITH " + (0..<n).map { "c\($0) AS (SELECT 1)" }.joined(separator: ", ") + " SELECT 1",
                String(repeating: "WITH c AS (", count: n) + "SELECT 1" + String(repeating: ") SELECT 1", count: n),
                "SELECT count(*) OVER (" + String(repeating: "PARTITION BY (", count: n) + "1" + String(repeating: ")", count: n) + ")",
                "SELECT 1 " + String(repeating: "UNION SELECT 1 ", count: 100_000),
                "SELECT * FROM t" + String(repeating: " JOIN t", count: 50_000),
                "SELECT 1 IN (" + Array(repeating: "1", count: 100_000).joined(separator: ",") + ")",
                "VALUES " + Array(repeating: "(1, 2)", count: 100_000).joined(separator: ","),
                "SELECT " + String(repeating: "-", count: 100_001) + "1",
                "SELECT " + String(repeating: "'x' || ", count: 5_000) + "'x'",
                "CREATE TABLE t(" + (0..<20_000).map { "c\($0) INT" }.joined(separator: ", ") + ")",
            ]
            for sql in cases {
                let start = Date()
                do throws(SQLSyntaxError) {
                    let statements = try SQLParser.parseAll(sql)
                    // Whatever parses must render and compare without trouble.
                    for statement in statements { _ = statement == statement }
                    messages.append("parsed")
                } catch {
                    messages.append(error.message)
                }
                #expect(Date().timeIntervalSince(start) < 10, "slow: \(sql.prefix(40))")
            }
        }
        let results = messages.items
        #expect(results.count == 29)
        #expect(results[0] == "parser stack overflow")
        #expect(results[4] == "parser stack overflow")
        #expect(results[10] == "Expression tree is too large (maximum depth 1000)")
        #expect(results[11] == "Expression tree is too large (maximum depth 1000)")
    }

    @Test func nestingWithinTheLimitsOfSQLiteParses() throws {
        // SQLite 3.40's parser stack takes about 93 parentheses or 18 nested subqueries; every
        // such statement must parse here too, on a small stack.
        let failures = ConcurrentList<String>()
        onSmallStack {
            let cases = [
                "SELECT " + String(repeating: "(", count: 93) + "1" + String(repeating: ")", count: 93),
                "SELECT " + String(repeating: "NOT ", count: 94) + "1",
                "SELECT " + String(repeating: "(SELECT ", count: 18) + "1" + String(repeating: ")", count: 18),
                "SELECT * FROM " + String(repeating: "(SELECT * FROM ", count: 14) + "(SELECT 1)" + String(repeating: ")", count: 14),
                "SELECT " + String(repeating: "abs(", count: 31) + "1" + String(repeating: ")", count: 31),
                "SELECT " + String(repeating: "CASE WHEN 1 THEN ", count: 18) + "1" + String(repeating: " END", count: 18),
                "SELECT " + String(repeating: "1+", count: 999) + "1",
            ]
            for sql in cases {
                do throws(SQLSyntaxError) {
                    let statement = try SQLParser.parseOne(sql)
                    if try SQLParser.parseOne(statement.sql) != statement { failures.append("round trip: \(sql.prefix(30))") }
                } catch {
                    failures.append("\(sql.prefix(30)): \(error.message)")
                }
            }
        }
        #expect(failures.items.isEmpty, "\(failures.items)")
    }

    @Test func hugeLiterals() throws {
        let string = String(repeating: "ab''c", count: 1_000_000)
        let statement = try SQLParser.parseOne("SELECT '\(string)'")
        guard case .select(let query) = statement.statement, case .select(let clause) = query.first,
              case .expr(.literal(.string(let value)), _, _) = clause.columns[0]
        else {
            Issue.record("not a string literal")
            return
        }
        #expect(value.utf8.count == 4_000_000)
        #expect(try SQLParser.parseOne(statement.sql) == statement)
        let digits = String(repeating: "9", count: 100_000)
        #expect(try SQLParser.parseExpression(digits) == .literal(.real(.infinity)))
        #expect(try SQLParser.parseExpression("0." + digits) == .literal(.real(1.0)))
        let blob = "x'" + String(repeating: "0f", count: 500_000) + "'"
        #expect(try SQLParser.parseExpression(blob) == .literal(.blob(Array(repeating: 0x0F, count: 500_000))))
        #expect(parseError("SELECT 0x" + String(repeating: "f", count: 100_000)) == "hex literal too big: 0x" + String(repeating: "f", count: 100_000))
        let name = String(repeating: "n", count: 1_000_000)
        #expect(try SQLParser.parseExpression(name) == .column(ColumnReference(column: Name(name))))
    }

    @Test func invalidUTF8AndNulBytes() {
        let results = ConcurrentList<String>()
        onSmallStack {
            let inputs: [[UInt8]] = [
                Array("SELECT '".utf8) + [0xFF, 0xFE] + Array("'".utf8),
                Array("SELECT ".utf8) + [0xC3, 0x28],
                Array("SELECT \"".utf8) + [0x80] + Array("\"".utf8),
                Array("SELECT 1".utf8) + [0] + Array(" garbage (((".utf8),
                [0],
                Array("SELECT x'".utf8) + [0] + Array("00'".utf8),
                Array("SELECT 'abc".utf8) + [0] + Array("def'".utf8),
                [0xEF, 0xBB, 0xBF] + Array("SELECT 1".utf8),
                Array("SELECT ".utf8) + [0xED, 0xA0, 0x80],
                Array("SELECT 1 -- ".utf8) + [0xFF],
            ]
            for bytes in inputs {
                do throws(SQLSyntaxError) {
                    let statements = try SQLParser.parseAll(bytes: bytes)
                    results.append("parsed \(statements.count)")
                } catch {
                    results.append(error.message)
                }
            }
        }
        let items = results.items
        #expect(items.count == 10)
        #expect(items[3] == "parsed 1")   // the text ends at the NUL byte, as in SQLite
        #expect(items[4] == "parsed 0")
        #expect(items[6] == "unrecognized token: \"'abc\"")
        #expect(items[7] == "parsed 1")   // a byte order mark is white space
        #expect(items[9] == "parsed 1")
    }
}
