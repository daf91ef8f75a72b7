// How SQLite renders numbers as text (vdbemem.c vdbeMemRenderNum, 3.40.1): integers in plain
// decimal, reals with printf "%!.15g" -- 15 significant digits, always a '.' or an exponent, so 1.0
// stays "1.0" and 1e20 becomes "1.0e+20". (SQLite 3.43 switched to round-trip 17-digit output; this
// follows 3.40.1.) -0.0 renders as "0.0" and infinities as "Inf"/"-Inf"; NaN never reaches here
// because SQLite turns NaN results into NULL.

package enum NumberText {
    /// The longest integer rendering: "-9223372036854775808".
    package static let maxIntegerLength = 20

    /// sqlite3Int64ToText into `out`, which must hold `maxIntegerLength` bytes; returns the length.
    @discardableResult
    package static func renderInteger(_ v: Int64, into out: UnsafeMutableBufferPointer<UInt8>) -> Int {
        var x = v.magnitude
        var tmp: (UInt64, UInt64, UInt64) = (0, 0, 0)
        return withUnsafeMutableBytes(of: &tmp) { raw -> Int in
            var i = raw.count
            repeat {
                i -= 1
                raw[i] = UInt8(truncatingIfNeeded: x % 10) &+ 0x30
                x /= 10
            } while x != 0
            if v < 0 {
                i -= 1
                raw[i] = UInt8(ascii: "-")
            }
            let n = raw.count - i
            for k in 0..<n { out[k] = raw[i + k] }
            return n
        }
    }

    package static func integerText(_ v: Int64) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: maxIntegerLength) { buf, count in
            count = renderInteger(v, into: buf)
        }
    }

    /// The printf spec SQLite uses for REAL -> TEXT.
    package static var realSpec: FloatFormatSpec {
        var spec = FloatFormatSpec(conversion: .generic(uppercase: false))
        spec.precision = 15
        spec.alternateForm2 = true
        return spec
    }

    /// Lends the "%!.15g" rendering of `r` to `body` without touching the heap.
    package static func withRealText<R>(_ r: Double, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        // "%!.15g" never needs more than a few dozen bytes, so the size limit cannot trigger.
        FloatFormatting.withFormatted(r, realSpec, body)!
    }

    package static func realText(_ r: Double) -> [UInt8] {
        withRealText(r) { Array($0) }
    }
}
