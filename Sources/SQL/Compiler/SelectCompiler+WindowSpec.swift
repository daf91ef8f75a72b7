import Pager

/// OVER clauses made self-contained before anything else looks at them (sqlite3WindowUpdate
/// and sqlite3WindowChain): `OVER w` takes the named window's whole definition, `OVER (w ...)`
/// its PARTITION BY and ORDER BY, with sqlite3's errors for what may not be overridden.
extension SelectCompiler {
    /// The result columns and ORDER BY of `clause` with every window reference resolved.
    static func resolvingWindowReferences(_ clause: SelectClause,
                                          _ orderBy: [OrderingTerm]) throws(DatabaseError) -> (SelectClause, [OrderingTerm]) {
        // Each WINDOW definition with its base folded in (the parser checked the bases).
        var named: [(name: String, spec: WindowSpec)] = []
        for window in clause.windows {
            var spec = window.spec
            if let base = spec.base, let existing = named.first(where: { $0.name.sqlEquals(base.value) }) {
                spec = try chain(spec, onto: existing.spec, baseName: base.value)
            }
            named.append((window.name.value, spec))
        }
        func resolve(_ expr: Expr) throws(DatabaseError) -> Expr {
            try expr.rewritten { (node: Expr) throws(DatabaseError) -> Expr? in
                guard case .function(var call) = node, let over = call.over else { return nil }
                if case .list(_, distinct: true) = call.arguments {
                    throw DatabaseError(.SQLITE_ERROR, "DISTINCT is not supported for window functions")
                }
                switch over {
                case .named(let name):
                    guard let window = named.first(where: { $0.name.sqlEquals(name.value) }) else {
                        throw DatabaseError(.SQLITE_ERROR, "no such window: \(name.value)")
                    }
                    call.over = .spec(window.spec)
                case .spec(let spec):
                    guard let base = spec.base else { break }
                    guard let window = named.first(where: { $0.name.sqlEquals(base.value) }) else {
                        throw DatabaseError(.SQLITE_ERROR, "no such window: \(base.value)")
                    }
                    call.over = .spec(try chain(spec, onto: window.spec, baseName: base.value))
                }
                // Arguments and the window's own terms may hold further calls (errors later).
                if case .list(let arguments, let distinct) = call.arguments {
                    var resolved: [Expr] = []
                    for argument in arguments { resolved.append(try resolve(argument)) }
                    call.arguments = .list(resolved, distinct: distinct)
                }
                return .function(call)
            }
        }
        var clause = clause
        for index in clause.columns.indices {
            if case .expr(let expr, let alias, let span) = clause.columns[index] {
                clause.columns[index] = .expr(try resolve(expr), alias: alias, span: span)
            }
        }
        var terms = orderBy
        for index in terms.indices { terms[index].expr = try resolve(terms[index].expr) }
        return (clause, terms)
    }

    /// sqlite3WindowChain: `spec` (which names `base`) on top of the base's definition.
    private static func chain(_ spec: WindowSpec, onto base: WindowSpec, baseName: String) throws(DatabaseError) -> WindowSpec {
        var overridden: String?
        if !spec.partitionBy.isEmpty {
            overridden = "PARTITION clause"
        } else if !base.orderBy.isEmpty && !spec.orderBy.isEmpty {
            overridden = "ORDER BY clause"
        } else if base.frame != nil {
            overridden = "frame specification"
        }
        if let overridden {
            throw DatabaseError(.SQLITE_ERROR, "cannot override \(overridden) of window: \(baseName)")
        }
        var result = spec
        result.base = nil
        result.partitionBy = base.partitionBy
        if !base.orderBy.isEmpty { result.orderBy = base.orderBy }
        return result
    }
}
