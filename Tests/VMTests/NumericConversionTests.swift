// Text <-> number conversions, affinity, CAST and arithmetic against sqlite3.

import Testing
import BTree
@testable import VM

@Suite struct NumericConversionTests {
    static func numericRows(_ seed: UInt64, _ count: Int) -> [[Value]] {
        var rng = SeededRandom(seed: oracleSeed(seed))
        return (0..<count).map { _ in [Value.t(rng.numericText())] }
    }

    @Test func castTextToRealIntegerNumeric() throws {
        let rows = Self.numericRows(1, scaled(3000))
        var bad: [String] = []
        bad += try Oracle.mismatches(rows, "CAST(a AS REAL)") { cast($0[0], to: .real) }
        bad += try Oracle.mismatches(rows, "CAST(a AS INTEGER)") { cast($0[0], to: .integer) }
        bad += try Oracle.mismatches(rows, "CAST(a AS NUMERIC)") { cast($0[0], to: .numeric) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 3))) }
    }

    @Test func castBlobs() throws {
        var rng = SeededRandom(seed: oracleSeed(2))
        let rows = (0..<scaled(1000)).map { _ in [Value.blob(Array(rng.numericText().utf8))] }
        var bad: [String] = []
        for type in ["REAL", "INTEGER", "NUMERIC", "TEXT", "BLOB"] {
            let aff: Affinity = ["REAL": .real, "INTEGER": .integer, "NUMERIC": .numeric, "TEXT": .text, "BLOB": .blob][type]!
            bad += try Oracle.mismatches(rows, "CAST(a AS \(type))") { cast($0[0], to: aff) }
        }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 5))) }
    }

    @Test func castNumbers() throws {
        var rng = SeededRandom(seed: oracleSeed(3))
        let rows = (0..<scaled(3000)).map { _ in [rng.chance(0.5) ? Value.real(rng.double()) : .integer(rng.int64())] }
        var bad: [String] = []
        for (type, aff) in [("REAL", Affinity.real), ("INTEGER", .integer), ("NUMERIC", .numeric),
                            ("TEXT", .text), ("BLOB", .blob)] {
            bad += try Oracle.mismatches(rows, "CAST(a AS \(type))") { cast($0[0], to: aff) }
        }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 5))) }
    }

    @Test func realToText() throws {
        var rng = SeededRandom(seed: oracleSeed(4))
        let rows = (0..<scaled(5000)).map { _ in [Value.real(rng.double())] }
        var bad = try Oracle.mismatches(rows, "CAST(a AS TEXT)") { cast($0[0], to: .text) }
        bad += try Oracle.mismatches(rows, "quote(a)") { QuoteHexFunctions.quote($0[0]) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 2))) }
    }

    @Test func columnAffinity() throws {
        var rng = SeededRandom(seed: oracleSeed(5))
        let rows = (0..<scaled(3000)).map { _ in [rng.numericValue()] }
        var bad: [String] = []
        for (type, aff) in [("NUMERIC", Affinity.numeric), ("INTEGER", .integer), ("REAL", .real),
                            ("TEXT", .text), ("BLOB", .blob)] {
            let column = type == "BLOB" ? "" : type
            let setup = """
                CREATE TABLE x\(type)(id INTEGER PRIMARY KEY, v \(column));
                CREATE TRIGGER tr\(type) AFTER INSERT ON t BEGIN INSERT INTO x\(type) VALUES(new.id, new.a); END;
                """
            let expected = try Oracle.evaluate(rows, "(SELECT v FROM x\(type) WHERE x\(type).id = t.id)", setup: setup)
            for (i, row) in rows.enumerated() {
                let got = Oracle.encode(row[0].withRef { applyAffinity($0, aff) })
                if got != expected[i] { bad.append("\(type) affinity of \(Oracle.describe(row[0])): swift \(got), sqlite3 \(expected[i])") }
            }
        }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 5))) }
    }

    @Test func arithmetic() throws {
        var rng = SeededRandom(seed: oracleSeed(6))
        let rows = (0..<scaled(4000)).map { _ in [rng.numericValue(), rng.numericValue()] }
        var bad: [String] = []
        for (sym, op) in [("+", ArithmeticOperator.add), ("-", .subtract), ("*", .multiply), ("/", .divide),
                          ("%", .remainder)] {
            bad += try Oracle.mismatches(rows, "a \(sym) b") { VM.arithmetic(op, $0[0], $0[1]) }
        }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 5))) }
    }

    @Test func integerOverflowEdges() throws {
        let edges: [Int64] = [Int64.max, Int64.min, -1, 0, 1, 2, -2, Int64.max - 1, Int64.min + 1, 3037000499, 3037000500]
        var rows: [[Value]] = []
        for a in edges { for b in edges { rows.append([.integer(a), .integer(b)]) } }
        var bad: [String] = []
        for (sym, op) in [("+", ArithmeticOperator.add), ("-", .subtract), ("*", .multiply), ("/", .divide),
                          ("%", .remainder)] {
            bad += try Oracle.mismatches(rows, "a \(sym) b") { VM.arithmetic(op, $0[0], $0[1]) }
        }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 5))) }
    }

    @Test func numericFunctions() throws {
        var rng = SeededRandom(seed: oracleSeed(7))
        let rows = (0..<scaled(4000)).map { _ in [rng.numericValue(), Value.integer(Int64(rng.int(-3...35)))] }
        var bad = try Oracle.mismatches(rows, "round(a, b)") { NumericFunctions.round($0[0], $0[1]) }
        bad += try Oracle.mismatches(rows, "round(a)") { NumericFunctions.round($0[0]) }
        bad += try Oracle.mismatches(rows, "sign(a)") { NumericFunctions.sign($0[0]) }
        let absRows = rows.filter { $0[0] != .integer(Int64.min) }
        bad += try Oracle.mismatches(absRows, "abs(a)") { try NumericFunctions.abs($0[0]) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 4))) }
    }

    @Test func handPickedParses() {
        func real(_ s: String) -> RealParse { Array(s.utf8).withUnsafeBufferPointer { parseReal($0) } }
        func int(_ s: String) -> Int64Parse { Array(s.utf8).withUnsafeBufferPointer { parseInt64($0) } }
        #expect(real("  12  ") == RealParse(value: 12, status: 1))
        #expect(real("1e3") == RealParse(value: 1000, status: 2))
        #expect(real("1.5e3") == RealParse(value: 1500, status: 3))
        #expect(real("12abc") == RealParse(value: 12, status: 0))
        #expect(real(" 1e3x") == RealParse(value: 1000, status: -1))
        #expect(real("0x10") == RealParse(value: 0, status: 0))
        #expect(real("1e400").value == .infinity)
        #expect(real("-0").value.sign == .minus)
        #expect(int("9223372036854775807") == Int64Parse(value: .max, status: 0))
        #expect(int("9223372036854775808") == Int64Parse(value: .max, status: 3))
        #expect(int("-9223372036854775808") == Int64Parse(value: .min, status: 0))
        #expect(int("-9223372036854775809") == Int64Parse(value: .min, status: 2))
        #expect(int("  12  ") == Int64Parse(value: 12, status: 0))
        #expect(int("12abc") == Int64Parse(value: 12, status: 1))
        #expect(int("abc") == Int64Parse(value: 0, status: -1))
        func i32(_ s: String) -> Int32? { Array(s.utf8).withUnsafeBufferPointer { parseInt32($0) } }
        #expect(i32("0x7fffffff") == Int32.max)
        #expect(i32("0x80000000") == nil)
        #expect(i32("-2147483648") == Int32.min)
        #expect(i32("2147483648") == nil)
        #expect(i32("12abc") == 12)
        #expect(NumberText.realText(1.0) == Array("1.0".utf8))
        #expect(NumberText.realText(1e20) == Array("1.0e+20".utf8))
        #expect(NumberText.realText(-0.0) == Array("0.0".utf8))
        #expect(NumberText.realText(.infinity) == Array("Inf".utf8))
        #expect(NumberText.realText(-.infinity) == Array("-Inf".utf8))
        #expect(NumberText.realText(0.1) == Array("0.1".utf8))
        #expect(NumberText.integerText(Int64.min) == Array("-9223372036854775808".utf8))
        #expect(cast(.text(UnsafeBufferPointer(start: nil, count: 0)), to: .numeric) == .integer(0))
        #expect(VM.arithmetic(.divide, .integer(Int64.min), .integer(-1)) == .real(9.223372036854775808e18))
        #expect(VM.arithmetic(.divide, .integer(1), .integer(0)) == .null)
        #expect(VM.arithmetic(.remainder, .real(5.5), .integer(0)) == .null)
        #expect(VM.arithmetic(.subtract, .real(.infinity), .real(.infinity)) == .null)
    }
}
