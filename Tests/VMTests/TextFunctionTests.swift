// The pure text functions against sqlite3.

import Testing
import BTree
@testable import VM

@Suite struct TextFunctionTests {
    static func anyValue(_ rng: inout SeededRandom) -> Value {
        switch rng.int(0...9) {
        case 0...4: return rng.mixedText()
        case 5: return .blob((0..<rng.int(0...8)).map { _ in UInt8(truncatingIfNeeded: rng.next()) })
        case 6: return .integer(rng.int64())
        case 7: return .real(rng.double())
        case 8: return .null
        default: return .t(rng.numericText())
        }
    }

    static func smallInt(_ rng: inout SeededRandom) -> Value {
        switch rng.int(0...9) {
        case 0...6: return .integer(Int64(rng.int(-15...15)))
        case 7: return rng.pick([.integer(4294967297), .integer(-4294967295), .integer(Int64.min), .integer(Int64.max),
                                 .integer(2147483648), .null])
        case 8: return .real(Double(rng.int(-30...30)) / 4)
        default: return .t(rng.pick(["2", " 3", "-1", "x", "1e1", "2.9"]))
        }
    }

    @Test func substrAndLength() throws {
        var rng = SeededRandom(seed: oracleSeed(41))
        let rows = (0..<scaled(5000)).map { _ in [Self.anyValue(&rng), Self.smallInt(&rng), Self.smallInt(&rng)] }
        var bad = try Oracle.mismatches(rows, "substr(a, b, c)") { TextFunctions.substr($0[0], $0[1], $0[2]) }
        bad += try Oracle.mismatches(rows, "substr(a, b)") { TextFunctions.substr($0[0], $0[1]) }
        bad += try Oracle.mismatches(rows, "length(a)") { TextFunctions.length($0[0]) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 3))) }
    }

    @Test func instrReplaceTrim() throws {
        var rng = SeededRandom(seed: oracleSeed(42))
        var rows: [[Value]] = []
        for _ in 0..<scaled(5000) {
            let a = Self.anyValue(&rng)
            var b = rng.chance(0.7) ? rng.mixedText(maxLength: 3) : Self.anyValue(&rng)
            if rng.chance(0.3), case .text(let t) = a, t.count > 1 {
                let i = rng.int(0...(t.count - 1))
                b = .text(Array(t[i..<min(t.count, i + rng.int(1...3))]))
            }
            if rng.chance(0.1), case .blob(let t) = a, !t.isEmpty { b = .blob(Array(t.prefix(2))) }
            rows.append([a, b, rng.mixedText(maxLength: 4)])
        }
        var bad = try Oracle.mismatches(rows, "instr(a, b)") { TextFunctions.instr($0[0], $0[1]) }
        bad += try Oracle.mismatches(rows, "replace(a, b, c)") { try TextFunctions.replace($0[0], $0[1], $0[2]) }
        bad += try Oracle.mismatches(rows, "trim(a, b)") { TextFunctions.trim($0[0], $0[1]) }
        bad += try Oracle.mismatches(rows, "ltrim(a, b)") { TextFunctions.trim($0[0], $0[1], side: .left) }
        bad += try Oracle.mismatches(rows, "rtrim(a, b)") { TextFunctions.trim($0[0], $0[1], side: .right) }
        bad += try Oracle.mismatches(rows, "trim(a)") { TextFunctions.trim($0[0]) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 6))) }
    }

    @Test func caseHexQuoteUnicodeChar() throws {
        var rng = SeededRandom(seed: oracleSeed(43))
        let rows = (0..<scaled(5000)).map { _ in [Self.anyValue(&rng)] }
        var bad = try Oracle.mismatches(rows, "upper(a)") { TextFunctions.upper($0[0]) }
        bad += try Oracle.mismatches(rows, "lower(a)") { TextFunctions.lower($0[0]) }
        bad += try Oracle.mismatches(rows, "hex(a)") { QuoteHexFunctions.hex($0[0]) }
        bad += try Oracle.mismatches(rows, "quote(a)") { QuoteHexFunctions.quote($0[0]) }
        bad += try Oracle.mismatches(rows, "unicode(a)") { TextFunctions.unicode($0[0]) }
        bad += try Oracle.mismatches(rows, "typeof(a)") { v in
            switch v[0] {
            case .null: return .t("null")
            case .integer: return .t("integer")
            case .real: return .t("real")
            case .text: return .t("text")
            case .blob: return .t("blob")
            }
        }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 6))) }

        let charRows = (0..<scaled(2000)).map { _ in
            (0..<rng.int(0...4)).map { _ -> Value in
                rng.pick([.integer(Int64(rng.int(0...0x11_0000))), .integer(Int64(rng.int(0...300))),
                          .integer(-1), .integer(0xD800), .integer(0xFFFE), .real(65.7), .t("66"), .null])
            }
        }
        var charBad: [String] = []
        for n in 0...4 {
            let subset = charRows.filter { $0.count == n }
            let cols = ["a", "b", "c", "d"].prefix(n).joined(separator: ", ")
            charBad += try Oracle.mismatches(subset, "char(\(cols))") { TextFunctions.char($0) }
        }
        if !charBad.isEmpty { Issue.record(Comment(rawValue: summary(charBad, of: charRows.count))) }
    }

    @Test func newerFunctionsFollowTheDocumentation() {
        func call(_ args: [Value], _ f: (FunctionArguments) -> Value) -> Value { withValueRefs(args) { f($0) } }
        #expect(call([.t("ABCD")]) { QuoteHexFunctions.unhex($0[0]) } == .blob([0xAB, 0xCD]))
        #expect(call([.t("abcd")]) { QuoteHexFunctions.unhex($0[0]) } == .blob([0xAB, 0xCD]))
        #expect(call([.t("AB CD")]) { QuoteHexFunctions.unhex($0[0]) } == .null)
        #expect(call([.t("AB CD"), .t(" ")]) { QuoteHexFunctions.unhex($0[0], $0[1]) } == .blob([0xAB, 0xCD]))
        #expect(call([.t("A BCD"), .t(" ")]) { QuoteHexFunctions.unhex($0[0], $0[1]) } == .null)
        #expect(call([.t("ABC")]) { QuoteHexFunctions.unhex($0[0]) } == .null)
        #expect(call([.t("")]) { QuoteHexFunctions.unhex($0[0]) } == .blob([]))
        #expect(call([.null]) { QuoteHexFunctions.unhex($0[0]) } == .null)
        #expect(call([.t("AB"), .null]) { QuoteHexFunctions.unhex($0[0], $0[1]) } == .null)
        #expect(call([.t("a"), .null, .integer(1), .t(""), .real(2.5)]) { ConcatFunctions.concat($0) } == .t("a12.5"))
        #expect(call([.t(","), .t("a"), .null, .t(""), .integer(1)]) { ConcatFunctions.concatWS($0) } == .t("a,,1"))
        #expect(call([.null, .t("a")]) { ConcatFunctions.concatWS($0) } == .null)
        #expect(call([.t("日本")]) { TextFunctions.octetLength($0[0]) } == .integer(6))
        #expect(call([.real(1.5)]) { TextFunctions.octetLength($0[0]) } == .integer(3))
        #expect(call([.null]) { TextFunctions.octetLength($0[0]) } == .null)
    }
}
