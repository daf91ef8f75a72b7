import Foundation
import Testing
@testable import BTree

/// The BTree module's value ordering against sqlite3's ORDER BY, for every storage class and
/// collation, ascending and descending.
@Suite struct OrderingTests {
    /// Parses `SQLiteShell.exactRendering(of:)` output.
    static func parseRendering(_ text: Substring) -> Value? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let type = text[..<colon]
        let content = text[text.index(after: colon)...]
        func bytes() -> [UInt8] {
            var result: [UInt8] = []
            var index = content.startIndex
            while index < content.endIndex {
                let next = content.index(index, offsetBy: 2)
                result.append(UInt8(content[index..<next], radix: 16)!)
                index = next
            }
            return result
        }
        switch type {
        case "null": return .null
        case "integer": return Int64(content).map(Value.integer)
        case "real": return UInt64(content, radix: 16).map { .real(Double(bitPattern: $0)) }
        case "text": return .text(bytes())
        case "blob": return .blob(bytes())
        default: return nil
        }
    }

    @Test(arguments: [Collation.binary, .nocase, .rtrim])
    func orderMatchesSQLite(_ collation: Collation) throws {
        let (directory, path) = try SQLiteShell.temporaryDatabase("order.db")
        defer { try? FileManager.default.removeItem(at: directory) }
        var generator = ValueGenerator(seed: 2024)
        var literals: [String] = []
        for _ in 0..<1500 {
            literals.append(generator.value(maxLength: 6).sqlLiteral)
        }
        for integer in ValueGenerator.boundaryIntegers { literals.append(Value.integer(integer).sqlLiteral) }
        for real in ValueGenerator.boundaryReals { literals.append(Value.real(real).sqlLiteral) }
        for text in ValueGenerator.sampleTexts {
            literals.append(Value.text(text).sqlLiteral)
            literals.append(Value.blob(Array(text.utf8)).sqlLiteral)
        }
        var sql = "CREATE TABLE v(x);\nBEGIN;\n"
        for literal in literals { sql += "INSERT INTO v VALUES (\(literal));\n" }
        sql += "COMMIT;\n"
        try SQLiteShell.run(path, sql)

        // The values exactly as sqlite3 stored them.
        var values: [Int64: Value] = [:]
        for line in try SQLiteShell.run(path, "SELECT rowid, \(SQLiteShell.exactRendering(of: "x")) FROM v;")
            .split(separator: "\n") {
            let parts = line.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            values[Int64(parts[0])!] = Self.parseRendering(parts[1])
        }
        #expect(values.count == literals.count)
        let rowids = values.keys.sorted()
        let records = Dictionary(uniqueKeysWithValues: rowids.map { ($0, RecordEncoder.encode([values[$0]!])) })

        for descending in [false, true] {
            let expected = try SQLiteShell.run(
                path, "SELECT rowid FROM v ORDER BY x COLLATE \(collation.name)\(descending ? " DESC" : ""), rowid;"
            ).split(separator: "\n").map { Int64($0)! }

            let byValue = rowids.sorted { left, right in
                var order = ValueOrdering.compare(values[left]!, values[right]!, collation: collation)
                if descending { order = -order }
                return order != 0 ? order < 0 : left < right
            }
            #expect(byValue == expected, "value order, \(collation.name) descending: \(descending)")

            let keyInfo = KeyInfo(columns: [KeyColumn(collation: collation, descending: descending)])
            var recordError: (any Error)? = nil
            let byRecord = rowids.sorted { left, right in
                do {
                    let order = try records[left]!.withUnsafeBytes { lhs in
                        try records[right]!.withUnsafeBytes { rhs in
                            try keyInfo.compare(record: lhs, toRecord: rhs)
                        }
                    }
                    return order != 0 ? order < 0 : left < right
                } catch {
                    recordError = error
                    return false
                }
            }
            #expect(recordError == nil, "\(String(describing: recordError))")
            #expect(byRecord == expected, "record order, \(collation.name) descending: \(descending)")

            // Record against unpacked key must agree with record against record.
            for _ in 0..<2000 {
                let left = rowids.randomElement(using: &generator.random)!
                let right = rowids.randomElement(using: &generator.random)!
                let viaKey = try records[left]!.withUnsafeBytes { try keyInfo.compare(record: $0, to: [values[right]!]) }
                let viaRecords = try records[left]!.withUnsafeBytes { lhs in
                    try records[right]!.withUnsafeBytes { try keyInfo.compare(record: lhs, toRecord: $0) }
                }
                #expect(viaKey.signum() == viaRecords.signum())
            }
        }
    }

    @Test func integerRealComparisonIsExact() {
        let cases: [(Int64, Double, Int)] = [
            (Int64.max, 9_223_372_036_854_775_808.0, -1),
            (Int64.min, -9_223_372_036_854_775_808.0, 0),
            (Int64.min, -9_223_372_036_854_777_856.0, 1),
            (9_007_199_254_740_993, 9_007_199_254_740_992.0, 1),
            (9_007_199_254_740_992, 9_007_199_254_740_992.0, 0),
            (3, 3.5, -1), (-3, -3.5, 1), (0, -0.0, 0), (5, .infinity, -1), (5, -.infinity, 1),
        ]
        for (integer, real, expected) in cases {
            #expect(ValueOrdering.compare(integer: integer, real: real) == expected, "\(integer) vs \(real)")
            #expect(ValueOrdering.compare(.integer(integer), .real(real)).signum() == expected)
            #expect(ValueOrdering.compare(.real(real), .integer(integer)).signum() == -expected)
        }
        // NaN never comes out of a record (it reads as NULL); the raw comparison calls it equal.
        #expect(ValueOrdering.compare(integer: 0, real: .nan) == 0)
        #expect(ValueOrdering.compare(.real(.nan), .null) == 0)
    }
}
