import Foundation
@testable import SQL

/// Renders an expression with every operator application in parentheses, to show its shape.
func fullyParenthesized(_ expr: Expr) -> String {
    func p(_ e: Expr) -> String {
        switch e {
        case .literal, .parameter, .column, .function, .cast, .case, .exists, .subquery, .vector, .raise:
            return e.sql
        default:
            return "(" + fullyParenthesized(e) + ")"
        }
    }
    switch expr {
    case .unary(let op, let operand):
        switch op {
        case .negate: return "-" + p(operand)
        case .plus: return "+" + p(operand)
        case .bitNot: return "~" + p(operand)
        case .not: return "NOT " + p(operand)
        }
    case .binary(let op, let lhs, let rhs):
        return "\(p(lhs)) \(op.token) \(p(rhs))"
    case .pattern(let op, let negated, let lhs, let pattern, let escape):
        let name: String
        switch op {
        case .like: name = "LIKE"
        case .glob: name = "GLOB"
        case .regexp: name = "REGEXP"
        case .match: name = "MATCH"
        }
        var text = "\(p(lhs)) \(negated ? "NOT " : "")\(name) \(p(pattern))"
        if let escape { text += " ESCAPE \(p(escape))" }
        return text
    case .between(let negated, let lhs, let low, let high):
        return "\(p(lhs)) \(negated ? "NOT " : "")BETWEEN \(p(low)) AND \(p(high))"
    case .inList(let negated, let lhs, let list):
        return "\(p(lhs)) \(negated ? "NOT " : "")IN (\(list.map(fullyParenthesized).joined(separator: ", ")))"
    case .isNull(let operand):
        return "\(p(operand)) ISNULL"
    case .notNull(let operand):
        return "\(p(operand)) NOTNULL"
    case .collate(let operand, let name):
        return "\(p(operand)) COLLATE \(SQLRenderer.quoted(name))"
    default:
        return expr.sql
    }
}

/// Runs `body` on a thread with a 512 KiB stack (a secondary thread's size on some systems).
func onSmallStack(_ body: @escaping @Sendable () -> Void) {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        body()
        done.signal()
    }
    thread.stackSize = 512 * 1024
    thread.start()
    done.wait()
}

/// A small deterministic generator (SplitMix64), so failures replay.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// The message of the first error in `sql`, or nil when every statement parses.
func parseError(_ sql: String, options: ParserOptions = ParserOptions()) -> String? {
    do {
        _ = try SQLParser.parseAll(sql, options: options)
        return nil
    } catch {
        return error.message
    }
}

/// Options matching the oracle's build (SQLITE_MAX_VARIABLE_NUMBER=250000).
var oracleOptions: ParserOptions {
    var options = ParserOptions()
    options.maxVariableNumber = 250000
    return options
}
