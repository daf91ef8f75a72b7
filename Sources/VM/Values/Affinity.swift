import BTree
// Type affinity and CAST (vdbe.c applyNumericAffinity/applyAffinity, vdbemem.c
// sqlite3VdbeMemCast/Numerify/IntegerAffinity, 3.40.1).

package enum Affinity: Sendable {
    case blob
    case text
    case numeric
    case integer
    case real
}

package enum NumericValue: Equatable, Sendable {
    case integer(Int64)
    case real(Double)

    package var sqlValue: Value {
        switch self {
        case .integer(let i): return .integer(i)
        case .real(let r): return .real(r)
        }
    }

    package var doubleValue: Double {
        switch self {
        case .integer(let i): return Double(i)
        case .real(let r): return r
        }
    }
}

/// doubleToInt64: truncation toward zero that saturates at the Int64 range (NaN gives Int64.min,
/// the x86 conversion result).
@inline(__always)
package func realToInt64(_ r: Double) -> Int64 {
    if r <= -9_223_372_036_854_775_808.0 { return Int64.min }
    if r >= 9_223_372_036_854_775_808.0 { return Int64.max }
    if r.isNaN { return Int64.min }
    return Int64(r)
}

/// sqlite3VdbeIntegerAffinity: a real becomes an integer when that loses nothing. The extreme
/// integers are excluded (ticket #3922) because they are where the conversion saturated.
package func integerIfExact(_ r: Double) -> NumericValue {
    let ix = realToInt64(r)
    if r == Double(ix) && ix > Int64.min && ix < Int64.max { return .integer(ix) }
    return .real(r)
}

/// sqlite3RealSameAsInt: `i` was derived from `r`; true when they are the same number and `r` is
/// small enough that the integer form is not an approximation.
@inline(__always)
private func realSameAsInt(_ r: Double, _ i: Int64) -> Bool {
    r == 0.0 || (r.bitPattern == Double(i).bitPattern && i >= -2_251_799_813_685_248 && i < 2_251_799_813_685_248)
}

/// applyNumericAffinity: the number a text value becomes under NUMERIC/INTEGER/REAL affinity, or
/// nil when the text (ignoring surrounding spaces) is not entirely a number and so stays text.
/// With `tryForInteger` (column affinity), '3.0' and '1e3' become integers; without it
/// (sqlite3_value_numeric_type), only text without '.' or exponent does.
package func numericAffinity(ofText z: UnsafeBufferPointer<UInt8>, tryForInteger: Bool) -> NumericValue? {
    let parsed = parseReal(z)
    if parsed.status <= 0 { return nil }
    if parsed.status == 1 {
        // alsoAnInt
        let ix = realToInt64(parsed.value)
        if realSameAsInt(parsed.value, ix) { return .integer(ix) }
        let i = parseInt64(z)
        if i.status == 0 { return .integer(i.value) }
    }
    return tryForInteger ? integerIfExact(parsed.value) : .real(parsed.value)
}

/// computeNumericType: the number a text or blob operand stands for in arithmetic. Text that is
/// not a number at all counts as its numeric prefix, or 0.
package func arithmeticValue(ofText z: UnsafeBufferPointer<UInt8>) -> NumericValue {
    let parsed = parseReal(z)
    if parsed.status <= 0 {
        if parsed.status == 0 {
            let i = parseInt64(z)
            if i.status <= 1 { return .integer(i.value) }
        }
        return .real(parsed.value)
    }
    if parsed.status == 1 {
        let i = parseInt64(z)
        if i.status == 0 { return .integer(i.value) }
    }
    return .real(parsed.value)
}

/// sqlite3VdbeMemNumerify (CAST AS NUMERIC): converts as much of the text as looks numeric.
package func numericCast(ofText z: UnsafeBufferPointer<UInt8>) -> NumericValue {
    let parsed = parseReal(z)
    if parsed.status == 0 || parsed.status == 1 {
        let i = parseInt64(z)
        if i.status <= 1 { return .integer(i.value) }
    }
    let ix = realToInt64(parsed.value)
    if realSameAsInt(parsed.value, ix) { return .integer(ix) }
    return .real(parsed.value)
}

/// The value a column of the given affinity holds after storing `v` (applyAffinity). REAL columns
/// store whole numbers as integers on disk but always read back as reals, and that visible value
/// is what is returned.
package func applyAffinity(_ v: ValueRef, _ affinity: Affinity) -> Value {
    switch affinity {
    case .blob:
        return Value(v)
    case .text:
        switch v {
        case .integer, .real: return .text(v.withText { Array($0) }!)
        default: return Value(v)
        }
    case .numeric, .integer, .real:
        var result: Value
        switch v {
        case .integer(let i):
            result = .integer(i)
        case .real(let r):
            result = integerIfExact(r).sqlValue
        case .text(let p):
            result = numericAffinity(ofText: p, tryForInteger: true)?.sqlValue ?? .text(Array(p))
        case .null, .blob:
            result = Value(v)
        }
        if affinity == .real, case .integer(let i) = result { result = .real(Double(i)) }
        return result
    }
}

/// CAST(v AS type) (sqlite3VdbeMemCast).
package func cast(_ v: ValueRef, to affinity: Affinity) -> Value {
    if v.isNull { return .null }
    switch affinity {
    case .blob:
        switch v {
        case .blob(let p), .text(let p): return .blob(Array(p))
        default: return .blob(v.withText { Array($0) }!)
        }
    case .text:
        switch v {
        case .blob(let p), .text(let p): return .text(Array(p))
        default: return .text(v.withText { Array($0) }!)
        }
    case .numeric:
        switch v {
        case .integer(let i): return .integer(i)
        case .real(let r): return .real(r)
        case .text(let p), .blob(let p): return numericCast(ofText: p).sqlValue
        case .null: return .null
        }
    case .integer:
        return .integer(v.int64Value)
    case .real:
        return .real(v.doubleValue)
    }
}

extension Value {
    /// Copies a borrowed value.
    package init(_ v: ValueRef) {
        switch v {
        case .null: self = .null
        case .integer(let i): self = .integer(i)
        case .real(let r): self = .real(r)
        case .text(let p): self = .text(Array(p))
        case .blob(let p): self = .blob(Array(p))
        }
    }
}
