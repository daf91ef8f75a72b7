import BTree
// The arithmetic opcodes (vdbe.c OP_Add...OP_Remainder, 3.40.1). Integer math is exact until it
// would overflow, then the operation is redone in floating point. Division by zero and NaN
// results give NULL.

package enum ArithmeticOperator: Sendable {
    case add
    case subtract
    case multiply
    case divide
    case remainder
}

/// The numeric class an operand takes part in arithmetic with (numericType/computeNumericType).
@inline(__always)
private func operandIsInteger(_ v: ValueRef) -> Int64? {
    switch v {
    case .integer(let i): return i
    case .real, .null: return nil
    case .text(let p), .blob(let p):
        if case .integer(let i) = arithmeticValue(ofText: p) { return i }
        return nil
    }
}

/// `left op right`, e.g. `left / right`. Text and blob operands count as their numeric prefix.
package func arithmetic(_ op: ArithmeticOperator, _ left: ValueRef, _ right: ValueRef) -> Value {
    if left.isNull || right.isNull { return .null }
    if let b = operandIsInteger(left), let a = operandIsInteger(right) {
        switch op {
        case .add:
            let (r, o) = b.addingReportingOverflow(a)
            if !o { return .integer(r) }
        case .subtract:
            let (r, o) = b.subtractingReportingOverflow(a)
            if !o { return .integer(r) }
        case .multiply:
            let (r, o) = b.multipliedReportingOverflow(by: a)
            if !o { return .integer(r) }
        case .divide:
            if a == 0 { return .null }
            if !(a == -1 && b == Int64.min) { return .integer(b / a) }
        case .remainder:
            if a == 0 { return .null }
            return .integer(b % (a == -1 ? 1 : a))
        }
    }
    // Floating point, either by type or after an integer overflow. Operands are re-read from their
    // original form, as sqlite3VdbeRealValue does.
    let rA = right.doubleValue
    var rB = left.doubleValue
    switch op {
    case .add: rB += rA
    case .subtract: rB -= rA
    case .multiply: rB *= rA
    case .divide:
        if rA == 0.0 { return .null }
        rB /= rA
    case .remainder:
        // Remainder is integer-only even here: both operands are cut to integers the way
        // sqlite3VdbeIntValue does, so '1e3' % 7 uses 1, the integer prefix of '1e3'.
        var iA = right.int64Value
        let iB = left.int64Value
        if iA == 0 { return .null }
        if iA == -1 { iA = 1 }
        rB = Double(iB % iA)
    }
    if rB.isNaN { return .null }
    return .real(rB)
}
