import Pager
import VM

/// The built-in window functions that are not aggregates (window.c sqlite3WindowFunctions).
enum WindowBuiltin: String {
    case rowNumber = "row_number", rank, denseRank = "dense_rank", percentRank = "percent_rank"
    case cumeDist = "cume_dist", ntile, lag, lead, firstValue = "first_value", lastValue = "last_value"
    case nthValue = "nth_value"

    init?(_ name: String) {
        self.init(rawValue: name.lowercased())
    }

    var argumentCounts: ClosedRange<Int> {
        switch self {
        case .rowNumber, .rank, .denseRank, .percentRank, .cumeDist: 0...0
        case .ntile, .firstValue, .lastValue: 1...1
        case .nthValue: 2...2
        case .lag, .lead: 1...3
        }
    }

    /// Whether the window's frame matters: sqlite3WindowUpdate replaces the others' frames by
    /// fixed ones, so their frame offsets are never evaluated.
    var usesFrame: Bool {
        switch self {
        case .firstValue, .lastValue, .nthValue: true
        default: false
        }
    }

    var kind: WindowPlan.Kind {
        switch self {
        case .rowNumber: .rowNumber
        case .rank: .rank
        case .denseRank: .denseRank
        case .percentRank: .percentRank
        case .cumeDist: .cumeDist
        case .ntile: .ntile
        case .lag: .lag
        case .lead: .lead
        case .firstValue: .firstValue
        case .lastValue: .lastValue
        case .nthValue: .nthValue
        }
    }
}

extension CodeGenerator {
    /// sqlite3's errors for a call with OVER whose function cannot be a window function, or
    /// for a window-only function: no such function, not usable as a window function.
    func checkWindowCall(_ call: FunctionCall) throws(DatabaseError) {
        let name = call.name.value
        guard call.over != nil, WindowBuiltin(name) == nil else { return }
        let definitions = context.functions.definitions(named: name)
        if definitions.isEmpty { throw DatabaseError(.SQLITE_ERROR, "no such function: \(name)") }
        if !definitions.contains(where: \.isAggregate) {
            throw DatabaseError(.SQLITE_ERROR, "\(name)() may not be used as a window function")
        }
    }

    /// What a call with OVER computes, and its arguments, or sqlite3's error for it.
    func windowFunction(_ call: FunctionCall, _ scope: ExprScope) throws(DatabaseError) -> (WindowPlan.Kind, [Expr]) {
        try checkWindowCall(call)
        var arguments: [Expr] = []
        if case .list(let list, _) = call.arguments { arguments = list }
        guard case .spec(let spec)? = call.over else { preconditionFailure("window call without a resolved window") }
        if let frame = spec.frame, frame.unit == .range, spec.orderBy.count != 1, Self.hasOffset(frame) {
            throw DatabaseError(.SQLITE_ERROR, "RANGE with offset PRECEDING/FOLLOWING requires one ORDER BY expression")
        }
        if let builtin = WindowBuiltin(call.name.value) {
            if case .star = call.arguments {
                throw DatabaseError(.SQLITE_ERROR, "wrong number of arguments to function \(call.name.value)()")
            }
            guard builtin.argumentCounts.contains(arguments.count) else {
                throw DatabaseError(.SQLITE_ERROR, "wrong number of arguments to function \(call.name.value)()")
            }
            if call.filter != nil {
                throw DatabaseError(.SQLITE_ERROR, "FILTER clause may only be used with aggregate window functions")
            }
            return (builtin.kind, arguments)
        }
        let definition = try functionDefinition(call)
        let collation = definition.flags.contains(.needsCollation)
            ? arguments.lazy.compactMap { self.exprCollation($0, scope) }.first ?? .binary : .binary
        return (.aggregate(definition, collation), arguments)
    }

    static func hasOffset(_ frame: FrameSpec) -> Bool {
        switch (frame.start, frame.end) {
        case (.preceding, _), (.following, _), (_, .preceding), (_, .following): true
        default: false
        }
    }

    /// Whether `expr` holds a window call of this query (outside subqueries).
    func containsWindowCall(_ expr: Expr) -> Bool {
        var found = false
        walk(expr) { (node: Expr) -> Bool in
            if case .function(let call) = node, call.over != nil { found = true }
            return !found
        }
        return found
    }

    /// sqlite3ExprIsConstant as sqlite3WindowOffsetExpr applies it, at parse time: before names
    /// and functions are resolved, so any column name (but TRUE and FALSE), function call or
    /// subquery makes an offset non-constant (it then becomes NULL, an error when evaluated).
    func isConstantOffset(_ expr: Expr) -> Bool {
        var constant = true
        walk(expr) { (node: Expr) -> Bool in
            switch node {
            case .column(let reference):
                let name = reference.column.value
                if reference.table != nil || reference.column.quoting != .bare
                    || !(name.sqlEquals("true") || name.sqlEquals("false")) {
                    constant = false
                }
            case .exists, .subquery, .inSelect, .inTable, .raise, .function:
                constant = false
            default:
                break
            }
            return constant
        }
        return constant
    }
}
