import BTree
import Glibc

/// sqllogictest's rendering of result values, as its reference runner (slt_sqlite.c) does it:
/// every value becomes one string according to its column's type letter, the strings are sorted
/// as the query asks, and results longer than the hash threshold are compared by their MD5.
enum SLTFormat {
    static func render(_ value: Value, as type: Character) -> String {
        if case .null = value { return "NULL" }
        switch type {
        case "I": return String(integer(value))
        case "R": return formatReal(real(value))
        default: return text(value)
        }
    }

    /// The rows of a result rendered and ordered as `sort` asks: flat, one value after another.
    static func values(of rows: [[Value]], types: [Character], sort: SLTRecord.SortMode) -> [String] {
        var rendered = rows.map { row in row.enumerated().map { render($0.element, as: types[$0.offset]) } }
        switch sort {
        case .nosort:
            return rendered.flatMap { $0 }
        case .rowsort:
            // Column by column with byte comparison, as the reference runner's strcmp does.
            rendered.sort { left, right in
                for (a, b) in zip(left, right) where a != b { return Array(a.utf8).lexicographicallyPrecedes(Array(b.utf8)) }
                return false
            }
            return rendered.flatMap { $0 }
        case .valuesort:
            return rendered.flatMap { $0 }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        }
    }

    /// The hash sqllogictest prints for a result: MD5 of every value followed by a newline.
    static func hash(_ values: [String]) -> String {
        var bytes: [UInt8] = []
        for value in values { bytes += value.utf8; bytes.append(0x0A) }
        return MD5.hex(bytes)
    }

    /// `%.3f`, as the reference runner prints R columns.
    static func formatReal(_ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 512)
        let count = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.3f", $0) }
        precondition(count >= 0 && count < buffer.count, "%.3f of \(value) does not fit")
        return String(decoding: buffer[..<Int(count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Text with every byte outside printable ASCII shown as `@`, and the empty string as
    /// `(empty)`, so each value stays one line of the file.
    private static func text(_ value: Value) -> String {
        let bytes: [UInt8]
        switch value {
        case .text(let b), .blob(let b): bytes = b
        case .integer(let i): return String(i)
        case .real(let r): return realAsText(r)
        case .null: return "NULL"
        }
        if bytes.isEmpty { return "(empty)" }
        return String(decoding: bytes.map { $0 < 0x20 || $0 > 0x7E ? UInt8(ascii: "@") : $0 }, as: UTF8.self)
    }

    /// sqlite3_column_text of a real: `%!.15g`, with ".0" added when it would read as an integer.
    private static func realAsText(_ value: Double) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let count = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.15g", $0) }
        precondition(count >= 0 && count < buffer.count, "%.15g of \(value) does not fit")
        let text = String(decoding: buffer[..<Int(count)].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        if value.isInfinite { return value < 0 ? "-Inf" : "Inf" }
        return text.contains(where: { $0 == "." || $0 == "e" }) ? text : text + ".0"
    }

    /// sqlite3_column_int64's conversion: reals truncate (clamped), text takes its leading integer.
    private static func integer(_ value: Value) -> Int64 {
        switch value {
        case .integer(let i): return i
        case .real(let r): return clampedInt(r)
        case .text(let bytes), .blob(let bytes): return leadingInteger(bytes)
        case .null: return 0
        }
    }

    private static func real(_ value: Value) -> Double {
        switch value {
        case .integer(let i): return Double(i)
        case .real(let r): return r
        case .text(let bytes), .blob(let bytes): return strtod(String(decoding: bytes, as: UTF8.self), nil)
        case .null: return 0
        }
    }

    private static func clampedInt(_ r: Double) -> Int64 {
        if r.isNaN { return 0 }
        if r <= -9223372036854775808.0 { return .min }
        if r >= 9223372036854775807.0 { return .max }
        return Int64(r)
    }

    /// sqlite3Atoi64 on a prefix: optional spaces and sign, then digits, saturating on overflow.
    private static func leadingInteger(_ bytes: [UInt8]) -> Int64 {
        var index = bytes.startIndex
        while index < bytes.endIndex, bytes[index] == 0x20 || (0x09...0x0D).contains(bytes[index]) { index += 1 }
        var negative = false
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var magnitude: UInt64 = 0
        var overflow = false
        while index < bytes.endIndex, (0x30...0x39).contains(bytes[index]) {
            let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(UInt64(bytes[index] - 0x30))
            overflow = overflow || o1 || o2
            magnitude = sum
            index += 1
        }
        if negative { return overflow || magnitude > UInt64(Int64.max) + 1 ? .min : Int64(truncatingIfNeeded: 0 &- magnitude) }
        return overflow || magnitude > UInt64(Int64.max) ? .max : Int64(magnitude)
    }
}

/// RFC 1321 MD5, for sqllogictest's result hashes (Foundation on Linux has no CryptoKit).
enum MD5 {
    private static let shifts: [UInt32] = [7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22,
                                           5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20,
                                           4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                                           6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21]
    private static let constants: [UInt32] = (0..<64).map { UInt32(truncatingIfNeeded: Int64(abs(sin(Double($0 + 1))) * 4294967296.0)) }

    static func hex(_ message: [UInt8]) -> String {
        var a0: UInt32 = 0x67452301, b0: UInt32 = 0xefcdab89, c0: UInt32 = 0x98badcfe, d0: UInt32 = 0x10325476
        var data = message
        data.append(0x80)
        while data.count % 64 != 56 { data.append(0) }
        let bitLength = UInt64(message.count) &* 8
        for i in 0..<8 { data.append(UInt8(truncatingIfNeeded: bitLength >> (8 * UInt64(i)))) }
        for chunk in stride(from: 0, to: data.count, by: 64) {
            var m = [UInt32](repeating: 0, count: 16)
            for i in 0..<16 {
                let base = chunk + i * 4
                m[i] = UInt32(data[base]) | UInt32(data[base + 1]) << 8 | UInt32(data[base + 2]) << 16 | UInt32(data[base + 3]) << 24
            }
            var a = a0, b = b0, c = c0, d = d0
            for i in 0..<64 {
                var f: UInt32
                let g: Int
                switch i {
                case 0..<16: f = (b & c) | (~b & d); g = i
                case 16..<32: f = (d & b) | (~d & c); g = (5 * i + 1) % 16
                case 32..<48: f = b ^ c ^ d; g = (3 * i + 5) % 16
                default: f = c ^ (b | ~d); g = (7 * i) % 16
                }
                f = f &+ a &+ constants[i] &+ m[g]
                a = d; d = c; c = b
                b = b &+ (f << shifts[i] | f >> (32 - shifts[i]))
            }
            a0 = a0 &+ a; b0 = b0 &+ b; c0 = c0 &+ c; d0 = d0 &+ d
        }
        var out = ""
        for word in [a0, b0, c0, d0] {
            for i in 0..<4 {
                let byte = UInt8(truncatingIfNeeded: word >> (8 * UInt32(i)))
                out += String(byte >> 4, radix: 16) + String(byte & 0xF, radix: 16)
            }
        }
        return out
    }
}
