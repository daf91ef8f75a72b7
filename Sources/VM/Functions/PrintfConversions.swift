// The pieces of SQLite's printf around the main loop in Printf.swift: the output accumulator with
// its length limit, the table of conversions (printf.c fmtinfo[]) and the integer conversions.

/// StrAccum: appends, and gives up once the text would reach the length limit.
struct OutputAccumulator {
    var bytes: [UInt8] = []
    var failed = false
    /// Whether any append happened, even of nothing.
    var touched = false
    let maxLength: Int

    mutating func fits(_ n: Int) -> Bool {
        if failed { return false }
        touched = true
        let needed = bytes.count + n + 1
        if needed > maxLength {
            failed = true
            bytes = []
            return false
        }
        // Grow as StrAccumEnlarge does, doubling but never past the limit: an append that
        // doubled a 700 MB text would take 1.4 GB for output that can never exceed 1 GB.
        if needed > bytes.capacity {
            bytes.reserveCapacity(min(max(needed, bytes.capacity * 2), maxLength))
        }
        return true
    }

    mutating func append(_ p: UnsafeBufferPointer<UInt8>) {
        if fits(p.count) { bytes.append(contentsOf: p) }
    }

    mutating func append(_ a: [UInt8]) {
        if fits(a.count) { bytes.append(contentsOf: a) }
    }

    mutating func append(_ c: UInt8, count: Int) {
        if count > 0 && fits(count) { bytes.append(contentsOf: repeatElement(c, count: count)) }
    }
}

struct ConversionInfo {
    enum Kind { case decimal, radix, pointer, ordinal, float, exponent, generic, size, string,
                dynString, percent, char, sqlEscape, sqlEscape2, sqlEscape3, internalOnly }
    var kind: Kind
    var base: UInt64 = 10
    var signed = false
    var uppercaseDigits = false
    /// aPrefix: what '#' puts in front.
    var alternatePrefix: [UInt8] = []
}

func conversionInfo(_ c: UInt8) -> ConversionInfo? {
    switch c {
    case UInt8(ascii: "d"), UInt8(ascii: "i"): return ConversionInfo(kind: .decimal, signed: true)
    case UInt8(ascii: "u"): return ConversionInfo(kind: .decimal)
    case UInt8(ascii: "s"): return ConversionInfo(kind: .string)
    case UInt8(ascii: "z"): return ConversionInfo(kind: .dynString)
    case UInt8(ascii: "q"): return ConversionInfo(kind: .sqlEscape)
    case UInt8(ascii: "Q"): return ConversionInfo(kind: .sqlEscape2)
    case UInt8(ascii: "w"): return ConversionInfo(kind: .sqlEscape3)
    case UInt8(ascii: "c"): return ConversionInfo(kind: .char)
    case UInt8(ascii: "o"): return ConversionInfo(kind: .radix, base: 8, alternatePrefix: [0x30])
    case UInt8(ascii: "x"): return ConversionInfo(kind: .radix, base: 16, alternatePrefix: Array("0x".utf8))
    case UInt8(ascii: "X"):
        return ConversionInfo(kind: .radix, base: 16, uppercaseDigits: true, alternatePrefix: Array("0X".utf8))
    case UInt8(ascii: "p"):
        return ConversionInfo(kind: .pointer, base: 16, uppercaseDigits: true, alternatePrefix: Array("0x".utf8))
    case UInt8(ascii: "f"): return ConversionInfo(kind: .float, signed: true)
    case UInt8(ascii: "e"): return ConversionInfo(kind: .exponent, signed: true)
    case UInt8(ascii: "E"): return ConversionInfo(kind: .exponent, signed: true, uppercaseDigits: true)
    case UInt8(ascii: "g"): return ConversionInfo(kind: .generic, signed: true)
    case UInt8(ascii: "G"): return ConversionInfo(kind: .generic, signed: true, uppercaseDigits: true)
    case UInt8(ascii: "n"): return ConversionInfo(kind: .size)
    case UInt8(ascii: "%"): return ConversionInfo(kind: .percent)
    case UInt8(ascii: "r"): return ConversionInfo(kind: .ordinal, signed: true)
    case UInt8(ascii: "T"), UInt8(ascii: "S"): return ConversionInfo(kind: .internalOnly)
    default: return nil
    }
}

/// etBUFSIZE: conversions needing more scratch than this go through printfTempBuf, which is
/// where an oversized precision is refused.
let conversionBufferSize = 70

extension PrintfFormatter {
    /// The digits of an integer conversion, with precision zeros, separators, sign and '#' prefix.
    mutating func integerBody(_ info: ConversionInfo, _ spec: inout Spec) -> [UInt8]? {
        var magnitude: UInt64
        var prefix: UInt8 = 0
        var thousands = spec.thousands
        if info.kind != .decimal { thousands = false }
        if info.signed {
            let v = nextInt()
            if v < 0 {
                magnitude = v.magnitude
                prefix = UInt8(ascii: "-")
            } else {
                magnitude = UInt64(v)
                prefix = spec.signPrefix
            }
        } else {
            magnitude = UInt64(bitPattern: nextInt())
        }
        var alternate = spec.alternateForm
        if magnitude == 0 { alternate = false }
        var precision = spec.precision
        let signWidth = prefix != 0 ? 1 : 0
        if spec.zeroPad && precision < spec.width - signWidth {
            precision = spec.width - signWidth
        }
        if precision >= conversionBufferSize - 10 - conversionBufferSize / 3 {
            let n = precision + 10 + (thousands ? precision / 3 : 0)
            if n > out.maxLength { return nil }
        }
        // Built back to front, as the C code does.
        var rev: [UInt8] = []
        rev.reserveCapacity(max(precision, 0) + 30)
        if info.kind == .ordinal {
            let suffixes: [UInt8] = Array("thstndrd".utf8)
            var x = Int(magnitude % 10)
            if x >= 4 || (magnitude / 10) % 10 == 1 { x = 0 }
            rev.append(suffixes[x * 2 + 1])
            rev.append(suffixes[x * 2])
        }
        let digits: StaticString = info.uppercaseDigits ? "0123456789ABCDEF" : "0123456789abcdef"
        digits.withUTF8Buffer { d in
            repeat {
                rev.append(d[Int(magnitude % info.base)])
                magnitude /= info.base
            } while magnitude > 0
        }
        while precision > rev.count { rev.append(0x30) }
        if thousands {
            let length = rev.count
            var grouped: [UInt8] = []
            grouped.reserveCapacity(length + length / 3)
            for (k, b) in rev.enumerated() {
                if k > 0 && k % 3 == 0 { grouped.append(UInt8(ascii: ",")) }
                grouped.append(b)
            }
            rev = grouped
        }
        if prefix != 0 { rev.append(prefix) }
        if alternate && !info.alternatePrefix.isEmpty {
            rev.append(contentsOf: info.alternatePrefix.reversed())
        }
        return rev.reversed()
    }
}
