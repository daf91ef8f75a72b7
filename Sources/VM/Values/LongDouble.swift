// SQLite 3.40.1 does its text<->real scaling in `long double` (LONGDOUBLE_TYPE), which on x86 Linux
// is the 80-bit x87 format. Reproducing sqlite3's exact digits needs the same intermediate
// precision, so the ports of sqlite3AtoF and the printf float engine compute in Float80 there.
// Elsewhere Swift has no matching type; Double is the fallback and the last digit can differ.
#if arch(x86_64) || arch(i386)
package typealias LongDouble = Float80
#else
package typealias LongDouble = Double
#endif

/// C's `(int)x` / `(i64)x` on a double compile to cvttsd2si on x86, which yields the "integer
/// indefinite" value (the minimum) for NaN and out-of-range inputs instead of trapping.
@inline(__always)
package func cTruncatingInt64(_ x: Double) -> Int64 {
    if x.isNaN || x >= 9_223_372_036_854_775_808.0 || x < -9_223_372_036_854_775_808.0 {
        return Int64.min
    }
    return Int64(x)
}

@inline(__always)
package func cTruncatingInt32(_ x: Double) -> Int32 {
    if x.isNaN || x >= 2_147_483_648.0 || x <= -2_147_483_649.0 { return Int32.min }
    return Int32(x)
}
