import BTree
import Pager
import VM

/// Function calls: scalar functions through the registry, the functions SQLite compiles inline
/// (coalesce, ifnull, iif, likely...), and aggregate calls, which read their result register in
/// an aggregate query's output and are errors anywhere else.
extension CodeGenerator {
    func isInline(_ call: FunctionCall, named names: String...) -> Bool {
        names.contains { call.name.value.sqlEquals($0) }
    }

    /// The definition a call uses, or sqlite3's error for a name or argument count it lacks.
    func functionDefinition(_ call: FunctionCall) throws(DatabaseError) -> FunctionDefinition {
        let name = call.name.value
        let count: Int
        switch call.arguments {
        case .star: count = 0
        case .list(let arguments, _): count = arguments.count
        }
        let definitions = context.functions.definitions(named: name)
        if definitions.isEmpty { throw DatabaseError(.SQLITE_ERROR, "no such function: \(name)") }
        if case .star = call.arguments, !definitions.contains(where: { $0.isAggregate && $0.argumentCount == 0 }) {
            throw DatabaseError(.SQLITE_ERROR, "wrong number of arguments to function \(name)()")
        }
        guard let definition = context.functions.lookup(name, argumentCount: count) else {
            throw DatabaseError(.SQLITE_ERROR, "wrong number of arguments to function \(name)()")
        }
        if case .list(let arguments, true) = call.arguments, definition.isAggregate, arguments.count != 1 {
            throw DatabaseError(.SQLITE_ERROR, "DISTINCT aggregates must have exactly one argument")
        }
        if call.filter != nil && !definition.isAggregate {
            throw DatabaseError(.SQLITE_ERROR, "FILTER may not be used with non-aggregate \(name)()")
        }
        return definition
    }

    /// Whether `call` is an aggregate call.
    func isAggregateCall(_ call: FunctionCall) -> Bool {
        guard call.over == nil else { return false }
        let count: Int
        switch call.arguments {
        case .star: count = 0
        case .list(let arguments, _): count = arguments.count
        }
        return context.functions.lookup(call.name.value, argumentCount: count)?.isAggregate ?? false
    }

    /// The name of the first aggregate call in `expr` (outside subqueries), as "count()".
    func firstAggregate(in expr: Expr) -> String? {
        var found: String?
        walk(expr) { (node: Expr) -> Bool in
            if found == nil, case .function(let call) = node, isAggregateCall(call) {
                found = "\(call.name.value)()"
            }
            return found == nil
        }
        return found
    }

    /// Compiles a call; with `embeddedJSON` the call is an argument a JSON function embeds and
    /// runs in its form that returns what that function embeds (JSONFunctions.swift).
    func compileFunction(_ call: FunctionCall, _ expr: Expr, _ scope: ExprScope,
                         into target: Int32, embeddedJSON: Bool = false) throws(DatabaseError) {
        // A SELECT's window calls are rewritten into columns of its window rows before their
        // expressions are compiled; one that gets here is where windows are not allowed.
        if call.over != nil || WindowBuiltin(call.name.value) != nil {
            try checkWindowCall(call)
            throw DatabaseError(.SQLITE_ERROR, "misuse of window function \(call.name.value)()")
        }
        let definition = try functionDefinition(call)
        if definition.isAggregate {
            switch scope.aggregates {
            case .forbidden(let clause):
                if let clause { throw DatabaseError(.SQLITE_ERROR, "aggregate functions are not allowed in the \(clause) clause") }
                throw DatabaseError(.SQLITE_ERROR, "misuse of aggregate: \(call.name.value)()")
            case .results(let results):
                guard let result = results.first(where: { $0.call == expr }) else {
                    preconditionFailure("aggregate \(call.name.value)() has no result register")
                }
                // Copy, as sqlite3's result rows copy an aggregate's register (SQLITE_ECEL_DUP).
                builder.emitCopy(from: result.register, to: target)
                return
            }
        }
        guard case .list(let arguments, _) = call.arguments else { preconditionFailure("f(*) of a scalar") }
        if definition.flags.contains(.inline) {
            try compileInline(call.name.value, arguments, scope, into: target)
            return
        }
        let (first, called) = try compileCallArguments(arguments, definition, scope, embeddedJSON: embeddedJSON)
        if definition.flags.contains(.needsCollation) {
            let collation = arguments.lazy.compactMap { self.exprCollation($0, scope) }.first ?? .binary
            builder.emit(.collSeq, 0, 0, 0, .collation(collation))
        }
        builder.emit(.function, 0, first, target, .function(called), UInt16(arguments.count))
    }

    /// coalesce, ifnull, iif and the likelihood hints, compiled as SQLite compiles them: later
    /// arguments are evaluated only when needed.
    private func compileInline(_ name: String, _ arguments: [Expr], _ scope: ExprScope,
                               into target: Int32) throws(DatabaseError) {
        if name.sqlEquals("coalesce") || name.sqlEquals("ifnull") {
            if arguments.count < 2 {
                throw DatabaseError(.SQLITE_ERROR, "wrong number of arguments to function \(name)()")
            }
            let end = builder.makeLabel()
            for (index, argument) in arguments.enumerated() {
                try compileExpr(argument, scope, into: target)
                if index < arguments.count - 1 { builder.emit(.notNull, target, jumpTo: end) }
            }
            builder.resolve(end)
        } else if name.sqlEquals("iif") {
            let branch = CaseExpression.Branch(when: arguments[0], then: arguments[1])
            try compileExpr(.case(CaseExpression(operand: nil, branches: [branch], otherwise: arguments[2])), scope, into: target)
        } else if name.sqlEquals("likely") || name.sqlEquals("unlikely") || name.sqlEquals("likelihood") {
            if name.sqlEquals("likelihood") {
                guard case .literal(.real(let p)) = arguments[1], p >= 0, p <= 1 else {
                    throw DatabaseError(.SQLITE_ERROR, "second argument to likelihood() must be a constant between 0.0 and 1.0")
                }
            }
            try compileExpr(arguments[0], scope, into: target)
        } else {
            throw SQLCompiler.notSupported("the function \(name)()")
        }
    }

    /// Visits `expr` and its subexpressions (not those of subqueries) while `visit` returns true.
    func walk(_ expr: Expr, _ visit: (Expr) -> Bool) {
        guard visit(expr) else { return }
        switch expr {
        case .literal, .parameter, .column, .raise, .exists, .subquery: break
        case .unary(_, let e), .cast(let e, _), .isNull(let e), .notNull(let e), .collate(let e, _): walk(e, visit)
        case .binary(_, let l, let r): walk(l, visit); walk(r, visit)
        case .pattern(_, _, let l, let p, let e): walk(l, visit); walk(p, visit); if let e { walk(e, visit) }
        case .between(_, let x, let l, let h): walk(x, visit); walk(l, visit); walk(h, visit)
        case .inList(_, let x, let list): walk(x, visit); for e in list { walk(e, visit) }
        case .inSelect(_, let x, _), .inTable(_, let x, _, _): walk(x, visit)
        case .vector(let list): for e in list { walk(e, visit) }
        case .function(let call):
            if case .list(let arguments, _) = call.arguments { for e in arguments { walk(e, visit) } }
            if let filter = call.filter { walk(filter, visit) }
            if case .spec(let spec)? = call.over {
                for e in spec.partitionBy { walk(e, visit) }
                for term in spec.orderBy { walk(term.expr, visit) }
            }
        case .case(let c):
            if let operand = c.operand { walk(operand, visit) }
            for branch in c.branches { walk(branch.when, visit); walk(branch.then, visit) }
            if let otherwise = c.otherwise { walk(otherwise, visit) }
        }
    }
}
