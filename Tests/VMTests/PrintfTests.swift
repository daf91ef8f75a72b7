// printf()/format() against sqlite3 with generated formats and arguments of every storage class.

import Testing
import BTree
@testable import VM

@Suite struct PrintfTests {
    static func conversion(_ rng: inout SeededRandom, args: inout [Value]) -> String {
        var s = "%"
        for flag in ["-", "+", " ", "0", "#", "!", ","] where rng.chance(0.18) { s += flag }
        if rng.chance(0.45) {
            if rng.chance(0.15) {
                s += "*"
                // Small widths: a width near 10^9 is legal but makes a result too big to compare.
                args.append(.integer(Int64(rng.int(-30...30))))
            } else {
                s += String(rng.int(1...30))
            }
        }
        if rng.chance(0.45) {
            s += "."
            if rng.chance(0.15) {
                s += "*"
                args.append(rng.chance(0.8) ? .integer(Int64(rng.int(-5...40))) : .t(String(rng.int(0...9))))
            } else if rng.chance(0.9) {
                s += String(rng.pick([0, 1, 2, 3, 5, 6, 10, 15, 16, 17, 20, 26, 30, 40]))
            }
        }
        if rng.chance(0.05) { s += rng.pick(["l", "ll"]) }
        let conv = rng.pick(["d", "i", "u", "f", "e", "E", "g", "G", "x", "X", "o", "c", "s", "z", "q", "Q", "w",
                             "p", "n", "%", "r", "d", "f", "g", "s", "y", "T"])
        s += conv
        if conv != "%" && conv != "n" { args.append(argument(&rng)) }
        return s
    }

    static func argument(_ rng: inout SeededRandom) -> Value {
        switch rng.int(0...5) {
        case 0: return .integer(rng.int64())
        case 1: return .real(rng.double())
        case 2: return rng.mixedText()
        case 3: return .t(rng.numericText())
        case 4: return rng.chance(0.3) ? .null : .integer(Int64(rng.int(-20...40)))
        default: return rng.chance(0.5) ? .blob(Array(rng.numericText().utf8)) : .real(rng.double())
        }
    }

    @Test func generatedFormats() throws {
        var rng = SeededRandom(seed: oracleSeed(11))
        var rows: [[Value]] = []
        for _ in 0..<scaled(6000) {
            var fmt = ""
            var args: [Value] = []
            for _ in 0..<rng.int(1...2) {
                if rng.chance(0.3) { fmt += rng.pick(["a", "x=", " ", "é", "[", "]"]) }
                fmt += Self.conversion(&rng, args: &args)
            }
            if rng.chance(0.1) { fmt += rng.pick(["%", "tail", "%5"]) }
            // Sometimes leave arguments out to exercise the missing-argument defaults.
            if rng.chance(0.1) && !args.isEmpty { args.removeLast() }
            rows.append([.t(fmt)] + args.prefix(5))
        }
        let bad = try Oracle.mismatches(rows, "printf(a, b, c, d, e, f)") { args in
            // sqlite3 sees all six columns; the unused ones are NULL, as missing arguments would be
            // only when a format reads past them, so pass the same six.
            var full = Array(args)
            while full.count < 6 { full.append(.null) }
            return full.withUnsafeBufferPointer { Printf.function($0) }
        }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count))) }
    }

    @Test func floatConversionsDense() throws {
        var rng = SeededRandom(seed: oracleSeed(12))
        var rows: [[Value]] = []
        let formats = ["%f", "%e", "%g", "%.0f", "%.1f", "%.2f", "%.3f", "%.10f", "%.20f", "%.15g", "%.16g",
                       "%.17g", "%!.15g", "%!.20e", "%#g", "%#.0f", "%#.0e", "%!.0f", "%!g", "%+.3e", "%010.2f",
                       "%-12.4g|", "% .5G", "%.30e", "%!.26g", "%.1e", "%G", "%E", "%#.3g", "%!.3g",
                       "%.100f", "%.350e", "%!.60f", "%.0e", "%#.100g", "%400.3f", "%-300e|", "%0300.10g"]
        for _ in 0..<scaled(5000) {
            rows.append([.t(rng.pick(formats)), .real(rng.double())])
        }
        let bad = try Oracle.mismatches(rows, "printf(a, b)") { Printf.function($0) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count))) }
    }

    @Test func integerAndStringConversionsDense() throws {
        var rng = SeededRandom(seed: oracleSeed(13))
        var rows: [[Value]] = []
        let formats = ["%d", "%,d", "%5d", "%-5d|", "%05d", "%+d", "% d", "%.3d", "%08.3d", "%x", "%#x", "%X",
                       "%#X", "%o", "%#o", "%u", "%p", "%#p", "%,u", "%r", "%5r", "%.5r", "%lld", "%,015d",
                       "%s", "%.3s", "%!.3s", "%10s|", "%-10s|", "%!10s|", "%!-10s|", "%q", "%Q", "%w", "%.2q",
                       "%!.2q", "%10Q|", "%c", "%5c|", "%.3c", "%!.3c", "%-4.2c|", "%z", "%%", "%5%|", "%n|"]
        for _ in 0..<scaled(5000) {
            rows.append([.t(rng.pick(formats)), Self.argument(&rng)])
        }
        let bad = try Oracle.mismatches(rows, "printf(a, b)") { Printf.function($0) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count))) }
    }

    @Test func everyFlagOnEveryConversion() throws {
        var rows: [[Value]] = []
        let flags = ["", "-", "+", " ", "0", "#", "!", ","]
        let args: [Value] = [.integer(-1234567), .integer(42), .real(-3.14159), .real(1e21), .t("héllo'\""),
                                .null, .t("12abc"), .blob([0x41, 0x42])]
        for conv in ["d", "i", "u", "f", "e", "E", "g", "G", "x", "X", "o", "c", "s", "z", "q", "Q", "w", "p", "r", "%"] {
            for f1 in flags {
                for f2 in flags {
                    for wp in ["", "8", "8.3", ".0", "*.*"] {
                        for arg in args {
                            var row: [Value] = [.t("[%\(f1)\(f2)\(wp)\(conv)]")]
                            if wp == "*.*" { row += [.integer(-9), .integer(2)] }
                            row.append(arg)
                            rows.append(row)
                        }
                    }
                }
            }
        }
        let bad = try Oracle.mismatches(rows, "printf(a, b, c, d)") { Printf.function($0) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count))) }
    }

    @Test func handPicked() {
        func fmt(_ args: [Value]) -> Value { withValueRefs(args) { Printf.function($0) } }
        #expect(fmt([.t("%d items"), .t("12abc")]) == .t("12 items"))
        #expect(fmt([.t("%s|%d|%f")]) == .t("|0|0.000000"))
        #expect(fmt([.t("%Q %q"), .null, .null]) == .t("NULL (NULL)"))
        #expect(fmt([.t("%,d"), .integer(-1234567)]) == .t("-1,234,567"))
        #expect(fmt([.t("%r %r %r %r"), .integer(1), .integer(2), .integer(3), .integer(11)]) == .t("1st 2nd 3rd 11th"))
        #expect(fmt([.t("a%Tb"), .integer(1)]) == .t("a"))
        #expect(fmt([.null]) == .null)
        #expect(fmt([]) == .null)
        #expect(fmt([.t("%2000000000d"), .integer(1)]) == .null)
        #expect(fmt([.t("%.2000000000d"), .integer(1)]) == .null)
        #expect(fmt([.t("%c"), .null]) == .text([0]))
        #expect(fmt([.t("")]) == .null)
        #expect(fmt([.t("%y")]) == .null)
        #expect(fmt([.t("%n")]) == .t(""))
        #expect(fmt([.t("%s"), .t("")]) == .t(""))
        #expect(fmt([.t("%d%y"), .integer(1)]) == .t("1"))
    }

    /// The fuzz-sql-parser out-of-memory stop: a width near the length limit grew the output by
    /// doubling past the limit (a 1.5 GB allocation for text that may not exceed 1 GB).
    @Test func outputNeverReservesPastTheLengthLimit() {
        var out = OutputAccumulator(maxLength: 10_000)
        out.append(UInt8(ascii: "a"), count: 6_000)
        out.append(UInt8(ascii: "b"), count: 3_000)
        #expect(!out.failed)
        #expect(out.bytes.count == 9_000)
        #expect(out.bytes.capacity < 10_000 + 64, "capacity \(out.bytes.capacity) for a 10,000-byte limit")
        out.append(UInt8(ascii: "c"), count: 1_000)
        #expect(out.failed)
        #expect(out.bytes.isEmpty)
        func fmt(_ args: [Value], limit: Int) -> Value { withValueRefs(args) { Printf.function($0, maxLength: limit) } }
        #expect(fmt([.t("%9000d"), .integer(7)], limit: 10_000) == .text(Array(repeating: 0x20, count: 8_999) + [0x37]))
        #expect(fmt([.t("%10000d"), .integer(7)], limit: 10_000) == .null)
    }
}
