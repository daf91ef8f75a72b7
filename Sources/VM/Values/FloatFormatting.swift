// The floating-point branch of SQLite's printf (printf.c sqlite3_str_vappendf, etFLOAT/etEXP/
// etGENERIC, 3.40.1). SQLite does not use the C library here: it scales the value into [1,10) in
// long double, adds a decimal rounder, and peels digits off one at a time, giving at most 16
// significant digits (26 with the '!' flag) and zeros after that. Its results differ from glibc's
// correctly rounded ones, so this is a faithful port rather than a call to snprintf.

package enum FloatConversion: Sendable {
    /// %f
    case fixed
    /// %e or %E
    case exponent(uppercase: Bool)
    /// %g or %G
    case generic(uppercase: Bool)
}

package struct FloatFormatSpec: Sendable {
    package var conversion: FloatConversion
    /// Negative means "not given" (6).
    package var precision: Int = -1
    package var width: Int = 0
    /// 0, '+' or ' '.
    package var signPrefix: UInt8 = 0
    /// '#'
    package var alternateForm = false
    /// '!': up to 26 significant digits and never strip the last digit after the point.
    package var alternateForm2 = false
    /// '0'
    package var zeroPad = false
    /// '-'
    package var leftJustify = false

    package init(conversion: FloatConversion) {
        self.conversion = conversion
    }
}

/// SQLITE_FP_PRECISION_LIMIT.
private let floatPrecisionLimit = 100_000_000

/// arRound[]: 0.5 * 10^-k for k = 0...9.
private let roundingConstants: [Double] = [
    5.0e-01, 5.0e-02, 5.0e-03, 5.0e-04, 5.0e-05,
    5.0e-06, 5.0e-07, 5.0e-08, 5.0e-09, 5.0e-10,
]

/// et_getdigit: the leading digit of a value in [0,10), then renormalise; '0' once the budget of
/// significant digits is spent.
@inline(__always)
private func nextDigit(_ value: inout LongDouble, _ budget: inout Int) -> UInt8 {
    if budget <= 0 { return 0x30 }
    budget -= 1
    let digit = Int(value)
    value = (value - LongDouble(digit)) * 10.0
    return UInt8(truncatingIfNeeded: digit &+ 0x30)
}

package enum FloatFormatting {
    /// Renders `value` as printf would for `spec`, up to but excluding the padding to `width` with
    /// spaces (zero padding, when asked for, is included). The bytes are lent to `body`; the
    /// buffer lives on the stack for ordinary sizes. Returns nil when the rendering would need more
    /// than `maxLength` bytes (SQLITE_TOOBIG).
    package static func withFormatted<R>(
        _ value: Double,
        _ spec: FloatFormatSpec,
        maxLength: Int = 1_000_000_000,
        _ body: (UnsafeBufferPointer<UInt8>) -> R
    ) -> R? {
        var precision = spec.precision < 0 ? 6 : spec.precision
        if precision > floatPrecisionLimit { precision = floatPrecisionLimit }
        var real = LongDouble(value)
        let prefix: UInt8
        if real < 0.0 {
            real = -real
            prefix = UInt8(ascii: "-")
        } else {
            prefix = spec.signPrefix
        }
        var isGeneric = false
        var isFixed = false
        var uppercase = false
        switch spec.conversion {
        case .fixed: isFixed = true
        case .exponent(let u): uppercase = u
        case .generic(let u):
            isGeneric = true
            uppercase = u
        }
        if isGeneric && precision > 0 { precision -= 1 }
        var idx = precision & 0xFFF
        var rounder = roundingConstants[idx % 10]
        while idx >= 10 {
            rounder *= 1.0e-10
            idx -= 10
        }
        if isFixed {
            let bits = Double(real).bitPattern
            let ex = -1023 + Int((bits >> 52) & 0x7FF)
            // Nudge the rounder for values whose 16th digit would otherwise decide a tie wrongly.
            if precision + (ex / 3) < 15 {
                rounder = Double(LongDouble(rounder) + real * LongDouble(3e-16 as Double))
            }
            real += LongDouble(rounder)
        }
        var exp = 0
        if real.isNaN {
            return staticText("NaN", body)
        }
        if real > 0.0 {
            var scale: LongDouble = 1.0
            while real >= LongDouble(1e100 as Double) * scale && exp <= 350 {
                scale *= LongDouble(1e100 as Double)
                exp += 100
            }
            while real >= LongDouble(1e10 as Double) * scale && exp <= 350 {
                scale *= LongDouble(1e10 as Double)
                exp += 10
            }
            while real >= 10.0 * scale && exp <= 350 {
                scale *= 10.0
                exp += 1
            }
            real /= scale
            while real < LongDouble(1e-8 as Double) {
                real *= LongDouble(1e8 as Double)
                exp -= 8
            }
            while real < 1.0 {
                real *= 10.0
                exp -= 1
            }
            if exp > 350 {
                if prefix != 0 {
                    let text: [UInt8] = [prefix, 0x49, 0x6E, 0x66]
                    return text.withUnsafeBufferPointer(body)
                }
                return staticText("Inf", body)
            }
        }
        if !isFixed {
            real += LongDouble(rounder)
            if real >= 10.0 {
                real *= LongDouble(0.1 as Double)
                exp += 1
            }
        }
        let stripTrailingZeros: Bool
        var useExponent = !isFixed
        if isGeneric {
            stripTrailingZeros = !spec.alternateForm
            if exp < -4 || exp > precision {
                useExponent = true
            } else {
                precision -= exp
                useExponent = false
            }
        } else {
            stripTrailingZeros = spec.alternateForm2
        }
        var e2 = useExponent ? 0 : exp
        let needed = max(e2, 0) + precision + spec.width + 15
        if needed > maxLength { return nil }

        return withUnsafeTemporaryAllocation(of: UInt8.self, capacity: needed) { buf -> R in
            var n = 0
            var budget = 16 + (spec.alternateForm2 ? 10 : 0)
            let showPoint = precision > 0 || spec.alternateForm || spec.alternateForm2
            if prefix != 0 {
                buf[n] = prefix
                n += 1
            }
            if e2 < 0 {
                buf[n] = 0x30
                n += 1
            } else {
                while e2 >= 0 {
                    buf[n] = nextDigit(&real, &budget)
                    n += 1
                    e2 -= 1
                }
            }
            if showPoint {
                buf[n] = UInt8(ascii: ".")
                n += 1
            }
            e2 += 1
            while e2 < 0 {
                buf[n] = 0x30
                n += 1
                precision -= 1
                e2 += 1
            }
            while precision > 0 {
                buf[n] = nextDigit(&real, &budget)
                n += 1
                precision -= 1
            }
            if stripTrailingZeros && showPoint {
                while buf[n - 1] == 0x30 { n -= 1 }
                if buf[n - 1] == UInt8(ascii: ".") {
                    if spec.alternateForm2 {
                        buf[n] = 0x30
                        n += 1
                    } else {
                        n -= 1
                    }
                }
            }
            if useExponent {
                buf[n] = uppercase ? UInt8(ascii: "E") : UInt8(ascii: "e")
                n += 1
                var x = exp
                if x < 0 {
                    buf[n] = UInt8(ascii: "-")
                    x = -x
                } else {
                    buf[n] = UInt8(ascii: "+")
                }
                n += 1
                if x >= 100 {
                    buf[n] = UInt8(truncatingIfNeeded: x / 100 + 0x30)
                    n += 1
                    x %= 100
                }
                buf[n] = UInt8(truncatingIfNeeded: x / 10 + 0x30)
                buf[n + 1] = UInt8(truncatingIfNeeded: x % 10 + 0x30)
                n += 2
            }
            if spec.zeroPad && !spec.leftJustify && n < spec.width {
                let pad = spec.width - n
                let signLength = prefix != 0 ? 1 : 0
                var i = n - 1
                while i >= signLength {
                    buf[i + pad] = buf[i]
                    i -= 1
                }
                for k in 0..<pad { buf[signLength + k] = 0x30 }
                n = spec.width
            }
            return body(UnsafeBufferPointer(rebasing: buf[0..<n]))
        }
    }

    private static func staticText<R>(_ s: StaticString, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        s.withUTF8Buffer(body)
    }
}
