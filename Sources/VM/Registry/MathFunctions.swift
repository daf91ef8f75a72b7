#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import BTree

/// The SQLITE_ENABLE_MATH_FUNCTIONS built-ins (Debian's sqlite3 has them), as func.c computes
/// them: arguments that are not numbers (or wholly numeric text) give NULL, and so does a NaN.
enum MathFunctions {
    private static func unary(_ name: String, _ f: @escaping @Sendable (Double) -> Double) -> FunctionDefinition {
        FunctionDefinition(name: name, argumentCount: 1, flags: .deterministic, body: .scalar { _, a in
            guard let x = number(a[0]) else { return .null }
            return real(f(x))
        })
    }

    private static func binary(_ name: String, _ f: @escaping @Sendable (Double, Double) -> Double) -> FunctionDefinition {
        FunctionDefinition(name: name, argumentCount: 2, flags: .deterministic, body: .scalar { _, a in
            guard let x = number(a[0]), let y = number(a[1]) else { return .null }
            return real(f(x, y))
        })
    }

    /// ceilingFunc: integers come back unchanged.
    private static func rounding(_ name: String, _ f: @escaping @Sendable (Double) -> Double) -> FunctionDefinition {
        FunctionDefinition(name: name, argumentCount: 1, flags: .deterministic, body: .scalar { _, a in
            switch a[0].numericView {
            case .integer(let i): return .integer(i)
            case .real(let r): return real(f(r))
            default: return .null
            }
        })
    }

    /// logFunc: log(X) is base 10, log(B, X) base B; arguments out of the domain give NULL.
    private static func logarithm(_ name: String, _ argumentCount: Int, base fixedBase: Double?) -> FunctionDefinition {
        FunctionDefinition(name: name, argumentCount: argumentCount, flags: .deterministic, body: .scalar { _, a in
            guard let x = number(a[argumentCount - 1]), x > 0 else { return .null }
            var result: Double
            if argumentCount == 2 {
                guard let b = number(a[0]), b > 0, b != 1 else { return .null }
                result = log(x) / log(b)
            } else {
                switch fixedBase {
                case 10: result = log10(x)
                case 2: result = log2(x)
                default: result = log(x)
                }
            }
            return real(result)
        })
    }

    private static func number(_ value: ValueRef) -> Double? {
        switch value.numericView {
        case .integer(let i): Double(i)
        case .real(let r): r
        default: nil
        }
    }

    private static func real(_ r: Double) -> Value { r.isNaN ? .null : .real(r) }

    static let all: [FunctionDefinition] = [
        rounding("ceil", Glibc.ceil), rounding("ceiling", Glibc.ceil), rounding("floor", Glibc.floor),
        rounding("trunc", Glibc.trunc),
        logarithm("ln", 1, base: nil), logarithm("log", 1, base: 10), logarithm("log10", 1, base: 10),
        logarithm("log2", 1, base: 2), logarithm("log", 2, base: nil),
        unary("exp", Glibc.exp), binary("pow", Glibc.pow), binary("power", Glibc.pow), binary("mod", Glibc.fmod),
        unary("acos", Glibc.acos), unary("asin", Glibc.asin), unary("atan", Glibc.atan), binary("atan2", Glibc.atan2),
        unary("cos", Glibc.cos), unary("sin", Glibc.sin), unary("tan", Glibc.tan),
        unary("cosh", Glibc.cosh), unary("sinh", Glibc.sinh), unary("tanh", Glibc.tanh),
        unary("acosh", Glibc.acosh), unary("asinh", Glibc.asinh), unary("atanh", Glibc.atanh),
        unary("sqrt", Glibc.sqrt),
        unary("radians", { $0 * Double.pi / 180 }), unary("degrees", { $0 * 180 / Double.pi }),
        FunctionDefinition(name: "pi", argumentCount: 0, flags: .deterministic, body: .scalar { _, _ in .real(Double.pi) }),
    ]
}
