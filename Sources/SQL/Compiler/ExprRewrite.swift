/// Rebuilding expressions with some subexpressions replaced (the window rewrite of window.c
/// replaces window calls and the terms around them with columns of its row buffer).
extension Expr {
    /// This expression with every node for which `replace` returns a value replaced by it
    /// (pre-order: a replaced node's children are not visited). Subqueries are left as they
    /// are; a window call's PARTITION BY and ORDER BY terms are visited with its arguments.
    func rewritten<E: Error>(_ replace: (Expr) throws(E) -> Expr?) throws(E) -> Expr {
        if let replacement = try replace(self) { return replacement }
        func r(_ e: Expr) throws(E) -> Expr { try e.rewritten(replace) }
        func list(_ es: [Expr]) throws(E) -> [Expr] {
            var out: [Expr] = []
            out.reserveCapacity(es.count)
            for e in es { out.append(try r(e)) }
            return out
        }
        switch self {
        case .literal, .parameter, .column, .raise, .exists, .subquery:
            return self
        case .unary(let op, let e): return .unary(op, try r(e))
        case .binary(let op, let left, let right): return .binary(op, try r(left), try r(right))
        case .pattern(let op, let negated, let subject, let pattern, let escape):
            return .pattern(op, negated: negated, try r(subject), pattern: try r(pattern), escape: try escape.map { (e) throws(E) in try r(e) })
        case .between(let negated, let subject, let low, let high):
            return .between(negated: negated, try r(subject), low: try r(low), high: try r(high))
        case .inList(let negated, let subject, let items): return .inList(negated: negated, try r(subject), try list(items))
        case .inSelect(let negated, let subject, let select): return .inSelect(negated: negated, try r(subject), select)
        case .inTable(let negated, let subject, let name, let arguments):
            return .inTable(negated: negated, try r(subject), name, arguments: try arguments.map { (a) throws(E) in try list(a) })
        case .isNull(let e): return .isNull(try r(e))
        case .notNull(let e): return .notNull(try r(e))
        case .collate(let e, let name): return .collate(try r(e), name)
        case .cast(let e, let type): return .cast(try r(e), type)
        case .case(var expression):
            expression.operand = try expression.operand.map { (e) throws(E) in try r(e) }
            for index in expression.branches.indices {
                expression.branches[index].when = try r(expression.branches[index].when)
                expression.branches[index].then = try r(expression.branches[index].then)
            }
            expression.otherwise = try expression.otherwise.map { (e) throws(E) in try r(e) }
            return .case(expression)
        case .function(var call):
            if case .list(let arguments, let distinct) = call.arguments { call.arguments = .list(try list(arguments), distinct: distinct) }
            call.filter = try call.filter.map { (e) throws(E) in try r(e) }
            if case .spec(var spec)? = call.over {
                spec.partitionBy = try list(spec.partitionBy)
                for index in spec.orderBy.indices { spec.orderBy[index].expr = try r(spec.orderBy[index].expr) }
                call.over = .spec(spec)
            }
            return .function(call)
        case .vector(let items): return .vector(try list(items))
        }
    }
}
