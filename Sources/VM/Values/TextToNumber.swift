// Ports of sqlite3AtoF, sqlite3Atoi64 and sqlite3GetInt32 (util.c, 3.40.1). They take UTF-8 bytes
// that need not be NUL-terminated; the end of the buffer plays the terminator's part.

/// The outcome of `parseReal`: the value of the longest numeric prefix and how much of the text it
/// covered. `status` keeps sqlite3AtoF's return code because callers branch on its exact values.
package struct RealParse: Equatable, Sendable {
    package var value: Double
    /// 1: the whole text is an integer; 2 or 3: a whole number with '.' and/or exponent;
    /// 0: not a number (value holds the prefix, if any); -1: not a number, but a prefix with
    /// '.' or an exponent.
    package var status: Int

    package var isNumber: Bool { status > 0 }
    package var isPureInteger: Bool { status == 1 }
}

/// The outcome of `parseInt64`, mirroring sqlite3Atoi64's return codes.
package struct Int64Parse: Equatable, Sendable {
    package var value: Int64
    /// -1: no digits at all; 0: whole text is an integer that fits; 1: trailing non-space text;
    /// 2: too large (value saturated); 3: exactly 9223372036854775808 (value is Int64.max).
    package var status: Int
}

/// sqlite3Pow10: E from 0 to 341, by repeated squaring in long double.
@inline(__always)
private func powerOfTen(_ exponent: Int) -> LongDouble {
    var e = exponent
    var x: LongDouble = 10.0
    var r: LongDouble = 1.0
    while true {
        if e & 1 != 0 { r *= x }
        e >>= 1
        if e == 0 { break }
        x *= x
    }
    return r
}

/// sqlite3AtoF: decimal only (no hex), leading and trailing spaces allowed, at most the first ~18
/// significant digits used.
package func parseReal(_ z: UnsafeBufferPointer<UInt8>) -> RealParse {
    let end = z.count
    if end == 0 { return RealParse(value: 0, status: 0) }
    var i = 0
    var sign: Int64 = 1
    var s: Int64 = 0
    var d = 0
    var esign = 1
    var e = 0
    var eValid = true
    var nDigit = 0
    var eType = 1

    while i < end && ASCII.isSpace(z[i]) { i += 1 }
    if i >= end { return RealParse(value: 0, status: 0) }
    if z[i] == UInt8(ascii: "-") {
        sign = -1
        i += 1
    } else if z[i] == UInt8(ascii: "+") {
        i += 1
    }

    scan: do {
        while i < end && ASCII.isDigit(z[i]) {
            s = s * 10 + Int64(z[i] - 0x30)
            i += 1
            nDigit += 1
            if s >= (Int64.max - 9) / 10 {
                // Digits past the 18th only shift the decimal point.
                while i < end && ASCII.isDigit(z[i]) {
                    i += 1
                    d += 1
                }
            }
        }
        if i >= end { break scan }
        if z[i] == UInt8(ascii: ".") {
            i += 1
            eType += 1
            while i < end && ASCII.isDigit(z[i]) {
                if s < (Int64.max - 9) / 10 {
                    s = s * 10 + Int64(z[i] - 0x30)
                    d -= 1
                    nDigit += 1
                }
                i += 1
            }
        }
        if i >= end { break scan }
        if z[i] == UInt8(ascii: "e") || z[i] == UInt8(ascii: "E") {
            i += 1
            eValid = false
            eType += 1
            if i >= end { break scan }
            if z[i] == UInt8(ascii: "-") {
                esign = -1
                i += 1
            } else if z[i] == UInt8(ascii: "+") {
                i += 1
            }
            while i < end && ASCII.isDigit(z[i]) {
                e = e < 10000 ? (e * 10 + Int(z[i] - 0x30)) : 10000
                i += 1
                eValid = true
            }
        }
        while i < end && ASCII.isSpace(z[i]) { i += 1 }
    }

    e = e * esign + d
    if e < 0 {
        esign = -1
        e = -e
    } else {
        esign = 1
    }

    var result: Double
    if s == 0 {
        result = sign < 0 ? -0.0 : 0.0
    } else {
        // Fold the exponent into the significand while that stays exact.
        while e > 0 {
            if esign > 0 {
                if s >= Int64.max / 10 { break }
                s *= 10
            } else {
                if s % 10 != 0 { break }
                s /= 10
            }
            e -= 1
        }
        s = sign < 0 ? -s : s
        if e == 0 {
            result = Double(s)
        } else if e > 307 {
            if e < 342 {
                let scale = powerOfTen(e - 308)
                if esign < 0 {
                    result = Double(LongDouble(s) / scale)
                    result /= 1.0e+308
                } else {
                    result = Double(LongDouble(s) * scale)
                    result *= 1.0e+308
                }
            } else if esign < 0 {
                result = 0.0 * Double(s)
            } else {
                result = Double.infinity * Double(s)
            }
        } else {
            let scale = powerOfTen(e)
            result = Double(esign < 0 ? LongDouble(s) / scale : LongDouble(s) * scale)
        }
    }

    let status: Int
    if i == end && nDigit > 0 && eValid && eType > 0 {
        status = eType
    } else if eType >= 2 && (eType == 3 || eValid) && nDigit > 0 {
        status = -1
    } else {
        status = 0
    }
    return RealParse(value: result, status: status)
}

/// sqlite3Atoi64: decimal only; the value saturates on overflow.
package func parseInt64(_ z: UnsafeBufferPointer<UInt8>) -> Int64Parse {
    let end = z.count
    var i = 0
    var negative = false
    while i < end && ASCII.isSpace(z[i]) { i += 1 }
    if i < end {
        if z[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        } else if z[i] == UInt8(ascii: "+") {
            i += 1
        }
    }
    let start = i
    while i < end && z[i] == UInt8(ascii: "0") { i += 1 }
    let digitsStart = i
    var u: UInt64 = 0
    var n = 0
    while digitsStart + n < end, ASCII.isDigit(z[digitsStart + n]) {
        u = u &* 10 &+ UInt64(z[digitsStart + n] - 0x30)
        n += 1
    }

    var value: Int64
    if u > UInt64(Int64.max) {
        value = negative ? Int64.min : Int64.max
    } else if negative {
        value = -Int64(u)
    } else {
        value = Int64(u)
    }

    var status = 0
    if n == 0 && start == digitsStart {
        status = -1
    } else if digitsStart + n < end {
        var j = digitsStart + n
        repeat {
            if !ASCII.isSpace(z[j]) {
                status = 1
                break
            }
            j += 1
        } while j < end
    }

    if n < 19 { return Int64Parse(value: value, status: status) }
    // 19 or more significant digits: compare against 2^63 = 9223372036854775808.
    let c: Int
    if n > 19 {
        c = 1
    } else {
        c = compareToTwoPow63(z, digitsStart)
    }
    if c < 0 { return Int64Parse(value: value, status: status) }
    value = negative ? Int64.min : Int64.max
    if c > 0 { return Int64Parse(value: value, status: 2) }
    return Int64Parse(value: value, status: negative ? status : 3)
}

/// compare2pow63: the sign of (19 digits at `at`) - 9223372036854775808.
private func compareToTwoPow63(_ z: UnsafeBufferPointer<UInt8>, _ at: Int) -> Int {
    let pow63: StaticString = "922337203685477580"
    return pow63.withUTF8Buffer { p in
        var c = 0
        var i = 0
        while c == 0 && i < 18 {
            c = (Int(z[at + i]) - Int(p[i])) * 10
            i += 1
        }
        if c == 0 { c = Int(z[at + 18]) - 0x38 }
        return c
    }
}

/// sqlite3GetInt32: decimal or 0x-hex, trailing text ignored; nil when it does not fit in 32 bits.
package func parseInt32(_ z: UnsafeBufferPointer<UInt8>) -> Int32? {
    var i = 0
    var negative = false
    let c0 = UTF8Scan.byte(z, 0)
    if c0 == UInt8(ascii: "-") {
        negative = true
        i = 1
    } else if c0 == UInt8(ascii: "+") {
        i = 1
    } else if c0 == UInt8(ascii: "0"),
              UTF8Scan.byte(z, 1) == UInt8(ascii: "x") || UTF8Scan.byte(z, 1) == UInt8(ascii: "X"),
              ASCII.isHexDigit(UTF8Scan.byte(z, 2)) {
        i = 2
        while UTF8Scan.byte(z, i) == UInt8(ascii: "0") { i += 1 }
        var u: UInt32 = 0
        var k = 0
        while ASCII.isHexDigit(UTF8Scan.byte(z, i + k)) && k < 8 {
            u = u &* 16 &+ UInt32(ASCII.hexValue(z[i + k]))
            k += 1
        }
        if u & 0x8000_0000 == 0 && !ASCII.isHexDigit(UTF8Scan.byte(z, i + k)) {
            return Int32(bitPattern: u)
        }
        return nil
    }
    if !ASCII.isDigit(UTF8Scan.byte(z, i)) { return nil }
    while UTF8Scan.byte(z, i) == UInt8(ascii: "0") { i += 1 }
    var v: Int64 = 0
    var k = 0
    while k < 11, ASCII.isDigit(UTF8Scan.byte(z, i + k)) {
        v = v * 10 + Int64(z[i + k] - 0x30)
        k += 1
    }
    if k > 10 { return nil }
    if v - (negative ? 1 : 0) > 2_147_483_647 { return nil }
    return Int32(negative ? -v : v)
}
