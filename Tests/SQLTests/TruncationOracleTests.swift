import Foundation
import Testing
@testable import SQL

/// Each valid statement cut after each of its tokens: where sqlite3 reports a syntax error
/// (or accepts the prefix), this parser must say the same. Cases where sqlite3 stops first on
/// a schema error (no such table) are skipped: they say nothing about the grammar.
@Suite struct TruncationOracleTests {
    static func prefixes(_ sql: String) -> [String] {
        let bytes = Array(sql.utf8)
        var result: [String] = []
        var parser = Parser(sql)
        var ends: [Int] = []
        while true {
            let token = parser.lexRaw(&parser.lexPosition)
            if token.kind == .eof || token.kind == .illegal { break }
            ends.append(token.end)
        }
        for end in ends.dropLast() {
            result.append(String(decoding: bytes[0..<end], as: UTF8.self))
        }
        return result
    }

    @Test(.enabled(if: Oracle.isAvailable))
    func truncatedStatementsFailLikeSQLite() {
        let cases = ValidStatements.all.flatMap(Self.prefixes)
        #expect(cases.count > 3_000)
        let failures = ConcurrentList<String>()
        let compared = ConcurrentList<Int>()
        DispatchQueue.concurrentPerform(iterations: cases.count) { index in
            let sql = cases[index]
            let expected = Oracle.prepareError(sql)
            if let expected, !parserRaises(expected) { return }
            compared.append(1)
            let actual = parseError(sql, options: oracleOptions)
            if expected != actual {
                failures.append("\(sql)\n    sqlite3: \(expected ?? "(parses)")\n    here:    \(actual ?? "(parses)")")
            }
        }
        #expect(compared.items.count > 3_000)
        let items = failures.items.sorted()
        #expect(items.isEmpty, "\(items.count) differences\n\(items.prefix(80).joined(separator: "\n"))")
    }
}

/// Valid statements with one token dropped, doubled, swapped with its neighbour, or replaced by
/// a keyword or symbol: the messages must match sqlite3's wherever it reports a syntax-level
/// error or accepts the text.
@Suite struct MutationOracleTests {
    static func tokens(_ sql: String) -> [String] {
        var parser = Parser(sql)
        var result: [String] = []
        while true {
            let token = parser.lexRaw(&parser.lexPosition)
            if token.kind == .eof || token.kind == .illegal { break }
            result.append(parser.text(token))
        }
        return result
    }

    @Test(.enabled(if: Oracle.isAvailable))
    func mutatedStatementsFailLikeSQLite() {
        var generator = SeededGenerator(seed: 1234)
        let replacements = Keywords.all.map(\.text) + ["(", ")", ",", ".", ";", "*", "=", "x", "1", "'s'", "?"]
        var cases: [String] = []
        for sql in ValidStatements.all {
            let words = Self.tokens(sql)
            guard words.count > 1 else { continue }
            for _ in 0..<(ProcessInfo.processInfo.environment["RINGLITE_SQL_MUTATIONS"].flatMap { Int($0) } ?? 8) {
                var mutated = words
                let i = Int.random(in: 0..<mutated.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: mutated.remove(at: i)
                case 1: mutated.insert(mutated[i], at: i)
                case 2 where i + 1 < mutated.count: mutated.swapAt(i, i + 1)
                default: mutated[i] = replacements.randomElement(using: &generator)!
                }
                cases.append(mutated.joined(separator: " "))
            }
        }
        let failures = ConcurrentList<String>()
        let compared = ConcurrentList<Int>()
        let all = cases
        DispatchQueue.concurrentPerform(iterations: all.count) { index in
            let sql = all[index]
            let expected = Oracle.prepareError(sql)
            if let expected, !parserRaises(expected) { return }
            compared.append(1)
            let actual = parseError(sql, options: oracleOptions)
            if expected != actual {
                failures.append("\(sql)\n    sqlite3: \(expected ?? "(parses)")\n    here:    \(actual ?? "(parses)")")
            }
        }
        #expect(compared.items.count > 1_500)
        let items = failures.items.sorted()
        #expect(items.isEmpty, "\(items.count) differences\n\(items.prefix(80).joined(separator: "\n"))")
    }
}
