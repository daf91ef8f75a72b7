import BTree
// Seeded input generators shared by the oracle tests.

@testable import VM

extension SeededRandom {
    /// Text that is, or nearly is, a number in every form sqlite3AtoF/Atoi64 care about.
    mutating func numericText() -> String {
        var s = ""
        if chance(0.2) { s += pick([" ", "  ", "\t", "\n", "\u{0B}", "\u{0C}", "\r"]) }
        if chance(0.3) { s += pick(["-", "+"]) }
        let digitCount = pick([0, 1, 1, 2, 3, 5, 8, 15, 16, 17, 18, 19, 19, 20, 21, 25, 40])
        if chance(0.1) { s += "000" }
        for i in 0..<digitCount {
            s += String(int(i == 0 ? 1...9 : 0...9))
        }
        if chance(0.05) { s = pick(["9223372036854775807", "9223372036854775808", "-9223372036854775808",
                                     "-9223372036854775809", "18446744073709551616", "9223372036854775806",
                                     "922337203685477580", "9223372036854775800"]) }
        if chance(0.4) {
            s += "."
            for _ in 0..<pick([0, 1, 2, 3, 6, 10, 17, 20, 30]) { s += String(int(0...9)) }
        }
        if chance(0.3) {
            s += pick(["e", "E"])
            if chance(0.5) { s += pick(["-", "+"]) }
            s += pick(["", "0", "1", "5", "10", "22", "100", "300", "307", "308", "309", "320", "340",
                       "342", "400", "5000", "99999"])
        }
        if chance(0.2) { s += pick([" ", "  ", "\t"]) }
        if chance(0.15) { s += pick(["x", "abc", " 1", ".", "e", "-", "é", "\u{0}5"]) }
        if chance(0.05) { s = pick(["", " ", "0x10", "0X1F", "inf", "-inf", "NaN", "1e", "1.e", ".e1", ".5",
                                     "5.", "-.5", "+.", "-", "+", ".", "  12  ", "1e400", "-1e400",
                                     "1e-400", "4.9e-324", "2.2250738585072014e-308", "1.7976931348623157e308",
                                     "0.1", "-0", "-0.0", "00012", "1_000"]) }
        return s
    }

    /// A double from several distributions: raw bit patterns, decimal-looking values, integers.
    mutating func double() -> Double {
        switch int(0...6) {
        case 0:
            let d = Double(bitPattern: next())
            return d.isNaN ? 0.5 : d
        case 1: return Double(int(-1_000_000...1_000_000)) / pick([1, 10, 100, 1000, 7, 3, 1e6, 1e12])
        case 2: return Double(Int64.random(in: Int64.min...Int64.max, using: &self))
        case 3: return Double.random(in: -1...1, using: &self) * pick([1e-300, 1e-20, 1e-5, 1, 1e5, 1e15, 1e16, 1e17, 1e20, 1e300])
        case 4: return pick([0.0, -0.0, 1.0, -1.0, 0.1, 0.5, 1.5, 2.5, -2.5, 1e15, 1e16, 1e17, 9.5, 0.05,
                             123456789012345678.0, 9.223372036854775807e18, -9.223372036854775808e18,
                             4503599627370496.5, 4503599627370497.0, 1e308, Double.leastNonzeroMagnitude, Double.infinity,
                             -Double.infinity, 2.2250738585072014e-308, 0.3, 1.0 / 3.0, 2.0 / 3.0, 99.995,
                             1.005, 0.125, 1e22, 1e23])
        case 5: return Double(int(-100...100)) + pick([0.5, 0.25, 0.005, 0.0005, 0.05, 0.45, 0.55, 0.995])
        default: return Double(Int64(int(-99999...99999))) * pick([1e-10, 1e-3, 1e3, 1e10, 1e18, 1e19])
        }
    }

    mutating func int64() -> Int64 {
        switch int(0...4) {
        case 0: return Int64.random(in: Int64.min...Int64.max, using: &self)
        case 1: return Int64(int(-1000...1000))
        case 2: return pick([Int64.min, Int64.max, Int64.min + 1, Int64.max - 1, 0, -1, 1, 4294967296,
                             -4294967296, 2147483647, 2147483648, -2147483649, 4294967295])
        case 3: return Int64(int(-10...10))
        default: return Int64.random(in: -(1 << 40)...(1 << 40), using: &self)
        }
    }

    /// A value of any storage class, numeric-leaning.
    mutating func numericValue() -> Value {
        switch int(0...9) {
        case 0...2: return .integer(int64())
        case 3...5: return .real(double())
        case 6...7: return .t(numericText())
        case 8: return .blob(Array(numericText().utf8))
        default: return .null
        }
    }

    /// Text mixing ASCII, multi-byte characters and, sometimes, invalid UTF-8 or NULs.
    mutating func mixedText(maxLength: Int = 12) -> Value {
        let alphabet = ["a", "b", "c", "A", "B", "x", " ", "  ", "é", "É", "日", "本", "😀", "ß", "'", "\"", "%",
                        "_", "1", "0", "-", ".", "\t"]
        var bytes: [UInt8] = []
        for _ in 0..<int(0...maxLength) {
            if chance(0.05) {
                bytes.append(pick([0x80, 0xBF, 0xC3, 0xE6, 0xF0, 0xFF, 0xFE, 0xC0, 0x00]))
            } else {
                bytes.append(contentsOf: Array(pick(alphabet).utf8))
            }
        }
        return .text(bytes)
    }
}
