import BTree
// round(), sign(), abs() (func.c, 3.40.1).

package enum NumericFunctions {
    /// round(X [, N]): N is clamped to 0...30. Whole-number rounding is done directly; otherwise
    /// X goes through printf "%.*f" and back through sqlite3AtoF, so the result carries SQLite's
    /// own decimal rounding.
    package static func round(_ x: ValueRef, _ digits: ValueRef? = nil) -> Value {
        var n = 0
        if let digits {
            if digits.isNull { return .null }
            n = Int(digits.int32Value)
            if n > 30 { n = 30 }
            if n < 0 { n = 0 }
        }
        if x.isNull { return .null }
        var r = x.doubleValue
        if r < -4_503_599_627_370_496.0 || r > 4_503_599_627_370_496.0 {
            // Already integral: nothing to round.
        } else if n == 0 {
            r = Double(cTruncatingInt64(r + (r < 0 ? -0.5 : 0.5)))
        } else {
            var spec = FloatFormatSpec(conversion: .fixed)
            spec.precision = n
            r = FloatFormatting.withFormatted(r, spec) { parseReal($0).value }!
        }
        return .real(r)
    }

    /// sign(X) (SQLite 3.35+): -1, 0 or +1 for numbers and text that is wholly numeric; NULL
    /// otherwise.
    package static func sign(_ x: ValueRef) -> Value {
        switch x.numericView {
        case .integer, .real:
            let v = x.numericView.doubleValue
            return .integer(v < 0.0 ? -1 : v > 0.0 ? 1 : 0)
        default:
            return .null
        }
    }

    /// abs(X): integers stay integers (error on the minimum); anything else becomes a real.
    package static func abs(_ x: ValueRef) throws(FunctionError) -> Value {
        switch x {
        case .null: return .null
        case .integer(let i):
            if i == Int64.min { throw FunctionError("integer overflow") }
            return .integer(i < 0 ? -i : i)
        default:
            let r = x.doubleValue
            return .real(r < 0 ? -r : r)
        }
    }
}
