import BTree
// SQLite's printf as the SQL functions printf() and format() see it (printf.c
// sqlite3_str_vappendf with SQLITE_PRINTF_SQLFUNC, func.c printfFunc; 3.40.1).
//
// Each conversion pulls the next argument and coerces it the way the C code does: integer
// conversions through sqlite3_value_int64 (so '12abc' is 12 and 3.9 is 3), float conversions
// through sqlite3_value_double, string conversions through sqlite3_value_text (NULL is "" for %s,
// "(NULL)" for %q, NULL for %Q). A missing argument reads as 0, 0.0 or NULL. Strings are C strings
// there, so the format and text arguments end at their first NUL. An unknown conversion, or one of
// the internal ones (%T, %S), ends the output where it stands.

package enum Printf {
    /// printf(FORMAT, ...) / format(FORMAT, ...): NULL when FORMAT is NULL or absent, or when the
    /// result would exceed `maxLength` bytes (sqlite3 reports SQLITE_TOOBIG there as a NULL result).
    package static func function(_ args: FunctionArguments, maxLength: Int = 1_000_000_000) -> Value {
        guard let first = args.first else { return .null }
        let output: [UInt8]?? = first.withText { fmt in
            format(UTF8Scan.cString(fmt), arguments: args.dropFirst(), maxLength: maxLength)
        }
        guard let rendered = output, let bytes = rendered else { return .null }
        return .text(bytes)
    }

    /// The formatter itself. nil where sqlite3's printf() gives NULL: on SQLITE_TOOBIG, and when
    /// nothing at all was appended (an empty format, or one that stops at an unknown conversion
    /// before any output), because its accumulator then never allocated a string.
    package static func format(
        _ fmt: UnsafeBufferPointer<UInt8>, arguments: Slice<FunctionArguments>, maxLength: Int = 1_000_000_000
    ) -> [UInt8]? {
        var f = PrintfFormatter(fmt: fmt, args: arguments, maxLength: maxLength)
        f.run()
        return f.out.failed || !f.out.touched ? nil : f.out.bytes
    }
}

struct PrintfFormatter {
    let fmt: UnsafeBufferPointer<UInt8>
    var args: Slice<FunctionArguments>
    var out: OutputAccumulator

    init(fmt: UnsafeBufferPointer<UInt8>, args: Slice<FunctionArguments>, maxLength: Int) {
        self.fmt = fmt
        self.args = args
        self.out = OutputAccumulator(maxLength: maxLength)
    }

    @inline(__always) func at(_ i: Int) -> UInt8 { UTF8Scan.byte(fmt, i) }

    mutating func nextInt() -> Int64 { args.popFirst()?.int64Value ?? 0 }
    mutating func nextDouble() -> Double { args.popFirst()?.doubleValue ?? 0 }

    /// getTextArg: the argument as a C string, nil for NULL or a missing argument.
    mutating func withNextText<R>(_ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        guard let arg = args.popFirst() else { return body(nil) }
        if let r = arg.withText({ body(UTF8Scan.cString($0)) }) { return r }
        return body(nil)
    }

    mutating func run() {
        var i = 0
        while true {
            var c = at(i)
            if c == 0 { return }
            if c != UInt8(ascii: "%") {
                let start = i
                while at(i) != 0 && at(i) != UInt8(ascii: "%") { i += 1 }
                out.append(UnsafeBufferPointer(rebasing: fmt[start..<i]))
                if at(i) == 0 { return }
            }
            i += 1
            c = at(i)
            if c == 0 {
                out.append([UInt8(ascii: "%")])
                return
            }
            var leftJustify = false
            var signPrefix: UInt8 = 0
            var alternateForm = false
            var alternateForm2 = false
            var zeroPad = false
            var thousands = false
            var width = 0
            var precision = -1
            var done = false
            repeat {
                switch c {
                case UInt8(ascii: "-"): leftJustify = true
                case UInt8(ascii: "+"): signPrefix = UInt8(ascii: "+")
                case UInt8(ascii: " "): signPrefix = UInt8(ascii: " ")
                case UInt8(ascii: "#"): alternateForm = true
                case UInt8(ascii: "!"): alternateForm2 = true
                case UInt8(ascii: "0"): zeroPad = true
                case UInt8(ascii: ","): thousands = true
                case UInt8(ascii: "l"):
                    i += 1
                    c = at(i)
                    if c == UInt8(ascii: "l") {
                        i += 1
                        c = at(i)
                    }
                    done = true
                case UInt8(ascii: "1")...UInt8(ascii: "9"):
                    var wx = UInt32(c - 0x30)
                    i += 1
                    c = at(i)
                    while ASCII.isDigit(c) {
                        wx = wx &* 10 &+ UInt32(c - 0x30)
                        i += 1
                        c = at(i)
                    }
                    width = Int(wx & 0x7FFF_FFFF)
                    if c != UInt8(ascii: ".") && c != UInt8(ascii: "l") {
                        done = true
                    } else {
                        i -= 1
                    }
                case UInt8(ascii: "*"):
                    var w = Int(Int32(truncatingIfNeeded: nextInt()))
                    if w < 0 {
                        leftJustify = true
                        w = w >= -2_147_483_647 ? -w : 0
                    }
                    width = w
                    let next = at(i + 1)
                    if next != UInt8(ascii: ".") && next != UInt8(ascii: "l") {
                        i += 1
                        c = at(i)
                        done = true
                    }
                case UInt8(ascii: "."):
                    i += 1
                    c = at(i)
                    if c == UInt8(ascii: "*") {
                        var p = Int(Int32(truncatingIfNeeded: nextInt()))
                        if p < 0 { p = p >= -2_147_483_647 ? -p : -1 }
                        precision = p
                        i += 1
                        c = at(i)
                    } else {
                        var px: UInt32 = 0
                        while ASCII.isDigit(c) {
                            px = px &* 10 &+ UInt32(c - 0x30)
                            i += 1
                            c = at(i)
                        }
                        precision = Int(px & 0x7FFF_FFFF)
                    }
                    if c == UInt8(ascii: "l") {
                        i -= 1
                    } else {
                        done = true
                    }
                default:
                    done = true
                }
                if !done {
                    i += 1
                    c = at(i)
                }
            } while !done && c != 0

            // `c` is the conversion character and `i` its index.
            guard let info = conversionInfo(c), info.kind != .internalOnly else { return }
            var spec = Spec(
                leftJustify: leftJustify, signPrefix: signPrefix, alternateForm: alternateForm,
                alternateForm2: alternateForm2, zeroPad: zeroPad, thousands: thousands,
                width: width, precision: precision)
            if !convert(info, &spec) { return }
            i += 1
        }
    }

    struct Spec {
        var leftJustify: Bool
        var signPrefix: UInt8
        var alternateForm: Bool
        var alternateForm2: Bool
        var zeroPad: Bool
        var thousands: Bool
        var width: Int
        var precision: Int
    }

    /// Emits one conversion; false when formatting must stop (an oversized scratch buffer).
    mutating func convert(_ info: ConversionInfo, _ spec: inout Spec) -> Bool {
        switch info.kind {
        case .decimal, .radix, .pointer, .ordinal:
            guard let body = integerBody(info, &spec) else {
                out.failed = true
                return false
            }
            padded(body, spec)
        case .float, .exponent, .generic:
            let value = nextDouble()
            var fs = FloatFormatSpec(conversion: info.kind == .float ? .fixed
                                     : info.kind == .exponent ? .exponent(uppercase: info.uppercaseDigits)
                                     : .generic(uppercase: info.uppercaseDigits))
            fs.precision = spec.precision
            fs.width = spec.width
            fs.signPrefix = spec.signPrefix
            fs.alternateForm = spec.alternateForm
            fs.alternateForm2 = spec.alternateForm2
            fs.zeroPad = spec.zeroPad
            fs.leftJustify = spec.leftJustify
            let ok: Bool? = FloatFormatting.withFormatted(value, fs, maxLength: out.maxLength) { p in
                padded(p, spec)
                return true
            }
            if ok == nil {
                out.failed = true
                return false
            }
        case .size:
            // %n writes nothing, but its empty append still counts as output.
            spec.width = 0
            padded([], spec)
        case .percent:
            padded([UInt8(ascii: "%")], spec)
        case .char:
            var ch: [UInt8] = withNextText { p in
                guard let p, p.count > 0 else { return [0] }
                var bytes = [p[0]]
                if p[0] & 0xC0 == 0xC0 {
                    var k = 1
                    while bytes.count < 4 && k < p.count && p[k] & 0xC0 == 0x80 {
                        bytes.append(p[k])
                        k += 1
                    }
                }
                return bytes
            }
            if spec.precision > 1 {
                spec.width -= spec.precision - 1
                if spec.width > 1 && !spec.leftJustify {
                    out.append(UInt8(ascii: " "), count: spec.width - 1)
                    spec.width = 0
                }
                var repeated: [UInt8] = []
                for _ in 1..<spec.precision {
                    repeated.append(contentsOf: ch)
                    if repeated.count > out.maxLength { break }
                }
                out.append(repeated)
            }
            ch = ch.isEmpty ? [0] : ch
            spec.alternateForm2 = true
            padded(ch, spec, utf8Adjust: true)
        case .string, .dynString:
            let text: [UInt8] = withNextText { p in
                guard let p else { return [] }
                var length: Int
                if spec.precision >= 0 {
                    if spec.alternateForm2 {
                        var k = 0
                        var left = spec.precision
                        while left > 0 && k < p.count {
                            UTF8Scan.skip(p, &k)
                            left -= 1
                        }
                        length = k
                    } else {
                        length = min(spec.precision, p.count)
                    }
                } else {
                    length = p.count
                }
                return Array(p[0..<length])
            }
            padded(text, spec, utf8Adjust: true)
        case .sqlEscape, .sqlEscape2, .sqlEscape3:
            let quote = info.kind == .sqlEscape3 ? UInt8(ascii: "\"") : UInt8(ascii: "'")
            let maxLength = out.maxLength
            let escaped: [UInt8]? = withNextText { p in
                let isNull = p == nil
                let fallback: StaticString = info.kind == .sqlEscape2 ? "NULL" : "(NULL)"
                return fallback.withUTF8Buffer { nullText -> [UInt8]? in
                    let arg = p ?? nullText
                    var k = spec.precision
                    var n = 0
                    var idx = 0
                    while k != 0 && idx < arg.count {
                        let ch = arg[idx]
                        if ch == quote { n += 1 }
                        if spec.alternateForm2 && ch & 0xC0 == 0xC0 {
                            while idx + 1 < arg.count && arg[idx + 1] & 0xC0 == 0x80 { idx += 1 }
                        }
                        idx += 1
                        k -= 1
                    }
                    let needQuote = !isNull && info.kind == .sqlEscape2
                    if n + idx + 3 > conversionBufferSize && n + idx + 3 > maxLength { return nil }
                    var r: [UInt8] = []
                    r.reserveCapacity(n + idx + 2)
                    if needQuote { r.append(quote) }
                    for j in 0..<idx {
                        r.append(arg[j])
                        if arg[j] == quote { r.append(quote) }
                    }
                    if needQuote { r.append(quote) }
                    return r
                }
            }
            guard let escaped else {
                out.failed = true
                return false
            }
            padded(escaped, spec, utf8Adjust: true)
        case .internalOnly:
            return false
        }
        return !out.failed
    }

    mutating func padded(_ bytes: [UInt8], _ spec: Spec, utf8Adjust: Bool = false) {
        bytes.withUnsafeBufferPointer { padded($0, spec, utf8Adjust: utf8Adjust) }
    }

    /// The common tail of every conversion: pad to the width with spaces. With '!' on string
    /// conversions the width counts characters, so continuation bytes widen it.
    mutating func padded(_ p: UnsafeBufferPointer<UInt8>, _ spec: Spec, utf8Adjust: Bool = false) {
        var width = spec.width
        if utf8Adjust && spec.alternateForm2 && width > 0 {
            for b in p where b & 0xC0 == 0x80 { width += 1 }
        }
        width -= p.count
        if width > 0 {
            if !spec.leftJustify { out.append(UInt8(ascii: " "), count: width) }
            out.append(p)
            if spec.leftJustify { out.append(UInt8(ascii: " "), count: width) }
        } else {
            out.append(p)
        }
    }
}
