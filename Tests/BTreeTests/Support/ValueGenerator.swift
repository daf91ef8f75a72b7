@testable import BTree

/// Seeded values across every storage class and the boundaries of the integer encodings.
struct ValueGenerator {
    var random: SeededGenerator

    init(seed: UInt64) {
        random = SeededGenerator(seed: seed)
    }

    static let boundaryIntegers: [Int64] = {
        var values: [Int64] = [0, 1, -1, 2, 127, 128, -128, -129, 255, 256, 32767, 32768, -32768, -32769,
                               8_388_607, 8_388_608, -8_388_608, -8_388_609, 2_147_483_647, 2_147_483_648,
                               -2_147_483_648, -2_147_483_649, 140_737_488_355_327, 140_737_488_355_328,
                               -140_737_488_355_328, -140_737_488_355_329, Int64.max, Int64.min, Int64.max - 1,
                               Int64.min + 1, 9_007_199_254_740_992, 9_007_199_254_740_993, -9_007_199_254_740_993]
        for shift in stride(from: 0, to: 63, by: 7) {
            values.append(Int64(1) << Int64(shift))
        }
        return values
    }()

    static let boundaryReals: [Double] = [
        0.0, -0.0, 1.0, -1.0, 0.5, 1.5, -2.5, 1e300, -1e300, 1e-300, .infinity, -.infinity,
        Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, 9_223_372_036_854_775_808.0,
        -9_223_372_036_854_775_808.0, 9_223_372_036_854_774_784.0, 9_007_199_254_740_992.0,
        9_007_199_254_740_994.0, 127.0, 128.5, 3.0,
    ]

    static let sampleTexts: [String] = [
        "", " ", "a", "A", "b", "B", "abc", "ABC", "abc ", "abc  ", "ab", "abd", "Abd", "a b", "a\u{0}b", "a\u{0}c",
        "Z", "z", "_", "[", "`", "{", "é", "É", "straße", "STRASSE", "日本語", "😀", "\u{7f}", "quote's",
        "trailing\t", "MiXeD cAsE", "mixed case ",
    ]

    mutating func integer() -> Int64 {
        switch Int.random(in: 0..<4, using: &random) {
        case 0: return Self.boundaryIntegers.randomElement(using: &random)!
        case 1: return Int64.random(in: -300...300, using: &random)
        case 2: return Int64.random(in: Int64.min...Int64.max, using: &random)
        default: return Int64.random(in: -1_000_000_000...1_000_000_000, using: &random)
        }
    }

    mutating func real() -> Double {
        switch Int.random(in: 0..<3, using: &random) {
        case 0: return Self.boundaryReals.randomElement(using: &random)!
        case 1: return Double(Int.random(in: -1000...1000, using: &random)) / 8
        default:
            while true {
                let value = Double(bitPattern: random.next())
                if !value.isNaN { return value }
            }
        }
    }

    mutating func text(maxLength: Int = 200) -> [UInt8] {
        if Bool.random(using: &random) {
            return Array(Self.sampleTexts.randomElement(using: &random)!.utf8)
        }
        let length = Int.random(in: 0...maxLength, using: &random)
        var scalars = String.UnicodeScalarView()
        for _ in 0..<length {
            switch Int.random(in: 0..<10, using: &random) {
            case 0: scalars.append(Unicode.Scalar(UInt32.random(in: 0xa0...0x2fff, using: &random))!)
            case 1: scalars.append(" ")
            default: scalars.append(Unicode.Scalar(UInt8.random(in: 0x21...0x7e, using: &random)))
            }
        }
        return Array(String(scalars).utf8)
    }

    mutating func blob(maxLength: Int = 300) -> [UInt8] {
        random.bytes(Int.random(in: 0...maxLength, using: &random))
    }

    mutating func value(maxLength: Int = 300) -> Value {
        switch Int.random(in: 0..<9, using: &random) {
        case 0: return .null
        case 1, 2: return .integer(integer())
        case 3, 4: return .real(real())
        case 5, 6: return .text(text(maxLength: maxLength))
        default: return .blob(blob(maxLength: maxLength))
        }
    }
}

extension Value {
    /// A SQL expression that produces exactly this value in sqlite3.
    var sqlLiteral: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return value == Int64.min ? "(-9223372036854775807-1)" : String(value)
        case .real(let value): return "ieee754_from_blob(x'\(hexString(value.bitPattern.bigEndianBytes))')"
        case .text(let bytes): return "CAST(x'\(hexString(bytes))' AS TEXT)"
        case .blob(let bytes): return "x'\(hexString(bytes))'"
        }
    }
}

extension UInt64 {
    var bigEndianBytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: self >> (56 - 8 * UInt64($0))) } }
}

/// Upper-case hex, as sqlite3's hex() writes it.
func hexString(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    var out = [UInt8]()
    out.reserveCapacity(bytes.count * 2)
    for byte in bytes {
        out.append(digits[Int(byte >> 4)])
        out.append(digits[Int(byte & 0x0f)])
    }
    return String(decoding: out, as: UTF8.self)
}
