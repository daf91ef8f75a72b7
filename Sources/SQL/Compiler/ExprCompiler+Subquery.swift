import BTree
import Pager
import VM

/// Subqueries in expressions (expr.c sqlite3CodeSubselect, sqlite3CodeRhsOfIN,
/// sqlite3ExprCodeIN). Each is compiled inline with the enclosing scope as its outer scope; one
/// that reads no column of an enclosing query runs once (Once), a correlated one every time.
extension CodeGenerator {
    /// `(SELECT ...)`: the first row's only column, NULL without rows.
    func compileScalarSubquery(_ select: Select, _ scope: ExprScope, into target: Int32) throws(DatabaseError) {
        let boundary = OuterScope(scope)
        let count = try describeQuery(select, outer: boundary).count
        if count != 1 { throw DatabaseError(.SQLITE_ERROR, "sub-select returns \(count) columns - expected 1") }
        let result = builder.allocateRegisters()
        let once = builder.emit(.once, 0, 0)
        builder.emit(.null, 0, result)
        let row = explainSubquery("SCALAR SUBQUERY", select)
        _ = try compileQuery(select, outer: boundary, destination: .scalar(result))
        explainClose(row, correlated: boundary.correlated)
        finishOnce(once, boundary)
        builder.emit(.copy, result, target)
    }

    /// `EXISTS (SELECT ...)`: 1 when the query has a row, else 0.
    func compileExists(_ select: Select, _ scope: ExprScope, into target: Int32) throws(DatabaseError) {
        let boundary = OuterScope(scope)
        let result = builder.allocateRegisters()
        let once = builder.emit(.once, 0, 0)
        builder.emit(.integer, 0, result)
        let row = explainSubquery("SCALAR SUBQUERY", select)
        _ = try compileQuery(select, outer: boundary, destination: .exists(result))
        explainClose(row, correlated: boundary.correlated)
        finishOnce(once, boundary)
        builder.emit(.copy, result, target)
    }

    /// `x IN (SELECT ...)`: the query's rows go into an ephemeral index with the comparison's
    /// affinity and collation; then 1 when x is there, NULL when x is NULL or the set holds a
    /// NULL, 0 otherwise (0 for an empty set whatever x is).
    func compileInSubquery(_ subject: Expr, _ select: Select, _ scope: ExprScope, into target: Int32) throws(DatabaseError) {
        if case .vector = subject { throw SQLCompiler.notSupported("row values") }
        let boundary = OuterScope(scope)
        let described = try describeQuery(select, outer: boundary)
        if described.count != 1 {
            throw DatabaseError(.SQLITE_ERROR, "sub-select returns \(described.count) columns - expected 1")
        }
        let column = described[0]
        let collation: Collation
        if hasExplicitCollation(subject) {
            collation = exprCollation(subject, scope) ?? .binary
        } else if column.explicitCollation {
            collation = column.collation ?? .binary
        } else {
            collation = exprCollation(subject, scope) ?? column.collation ?? .binary
        }
        let cursor = builder.allocateCursor()
        let affinityString = try fillInSet(select, scope, cursor: cursor, subjectAffinity: exprAffinity(subject, scope),
                                           collation: collation)

        let isFalse = builder.makeLabel()
        let isTrue = builder.makeLabel()
        let isNull = builder.makeLabel()
        let done = builder.makeLabel()
        let x = try compileExpr(subject, scope)
        builder.emit(.rewind, cursor, jumpTo: isFalse)
        builder.emit(.isNull, x, jumpTo: isNull)
        let probe = builder.allocateRegisters()
        builder.emit(.copy, x, probe)
        if let affinityString { builder.emit(.affinity, probe, 1, 0, .text(affinityString)) }
        builder.emit(.found, cursor, jumpTo: isTrue, probe, .int32(1))
        // Not there: NULL if the set has a NULL (NULLs sort first).
        builder.emit(.rewind, cursor, jumpTo: isFalse)
        let first = builder.allocateRegisters()
        builder.emit(.column, cursor, 0, first)
        builder.emit(.isNull, first, jumpTo: isNull)
        builder.resolve(isFalse)
        builder.emit(.integer, 0, target)
        builder.emit(.goto, 0, jumpTo: done)
        builder.resolve(isTrue)
        builder.emit(.integer, 1, target)
        builder.emit(.goto, 0, jumpTo: done)
        builder.resolve(isNull)
        builder.emit(.null, 0, target)
        builder.resolve(done)
    }

    /// Fills ephemeral index `cursor` with the rows of `select` (once, unless it is
    /// correlated), with the affinity comparing them to a value of `subjectAffinity` takes;
    /// returns that affinity as an Affinity string (nil: none).
    @discardableResult
    func fillInSet(_ select: Select, _ scope: ExprScope, cursor: Int32, subjectAffinity: UInt8,
                   collation: Collation) throws(DatabaseError) -> String? {
        let boundary = OuterScope(scope)
        let column = try describeQuery(select, outer: boundary)[0]
        let affinity = Self.compareAffinity(subjectAffinity, column.affinity)
        let affinityString: String? = affinity > AffinityCode.blob ? String(UnicodeScalar(affinity)) : nil
        let once = builder.emit(.once, 0, 0)
        builder.emit(.openEphemeral, cursor, 1, 0,
                     .keyInfo(KeyDescription(columns: [KeyDescription.Column(collation: collation == .binary ? nil : collation)])))
        let row = explainSubquery("LIST SUBQUERY", select)
        _ = try compileQuery(select, outer: boundary, destination: .index(cursor, affinity: affinityString))
        explainClose(row, correlated: boundary.correlated)
        finishOnce(once, boundary)
        return affinityString
    }

    /// A subquery that read no column of an enclosing query runs once: its Once jumps past it
    /// afterwards. A correlated one runs every time (its Once becomes a Noop).
    func finishOnce(_ once: Int32, _ boundary: OuterScope) {
        // A trigger program compiled inline runs once per row it fires for: "once" means once
        // per firing, which only running every time gives.
        if boundary.correlated || !triggerFrames.isEmpty {
            builder.patch(once) { $0.opcode = .noop }
        } else {
            builder.jumpHere(once)
        }
    }

    /// sqlite3CompareAffinity on two affinity codes.
    static func compareAffinity(_ a: UInt8, _ b: UInt8) -> UInt8 {
        if a > AffinityCode.none && b > AffinityCode.none {
            return a >= AffinityCode.numeric || b >= AffinityCode.numeric ? AffinityCode.numeric : AffinityCode.blob
        }
        return (a <= AffinityCode.none ? b : a) | AffinityCode.none
    }

    /// The affinity of a scalar subquery: its result expression's.
    func subqueryAffinity(_ select: Select, _ scope: ExprScope) -> UInt8 {
        guard let column = (try? describeQuery(select, outer: OuterScope(scope)))?.first else { return 0 }
        return column.affinity
    }

    /// Makes a WITH clause's tables visible to the query it belongs to.
    func pushCommonTables(_ with: WithClause) throws(DatabaseError) {
        var seen: [String] = []
        for table in with.tables {
            if seen.contains(where: { $0.sqlEquals(table.name.value) }) {
                throw DatabaseError(.SQLITE_ERROR, "duplicate WITH table name: \(table.name.value)")
            }
            seen.append(table.name.value)
        }
        commonTables.append(with.tables)
    }
}

/// Every column reference written anywhere inside a query, nested queries included: what a
/// correlated subquery could read of the queries around it.
enum SubqueryNames {
    /// The tables named in the FROM clauses of a query's own cores (not of queries nested in
    /// it: a name there may be a table of this query or of an enclosing one), with their
    /// aliases and whether the name is one of the query's own CTEs (whose columns are unknown
    /// here). Subqueries in FROM count by alias only.
    static func fromTables(in select: Select) -> [(name: String, alias: String?, isCTE: Bool)] {
        var found: [(name: String, alias: String?, isCTE: Bool)] = []
        let ctes = select.with?.tables.map(\.name.value) ?? []
        func visit(_ from: FromClause) {
            for source in [from.first] + from.joins.map(\.source) {
                switch source {
                case .table(let name, let alias, _):
                    found.append((name.name.value, alias?.value, ctes.contains { $0.sqlEquals(name.name.value) }))
                case .subquery(_, let alias?): found.append((alias.value, nil, true))
                case .nested(let nested, _): visit(nested)
                default: break
                }
            }
        }
        for core in [select.first] + select.compounds.map(\.core) {
            guard case .select(let clause) = core, let from = clause.from else { continue }
            visit(from)
        }
        return found
    }

    static func columnReferences(in select: Select) -> [ColumnReference] {
        var found: [ColumnReference] = []
        visit(select, &found)
        return found
    }

    private static func visit(_ select: Select, _ found: inout [ColumnReference]) {
        for cte in select.with?.tables ?? [] { visit(cte.select, &found) }
        for core in [select.first] + select.compounds.map(\.core) {
            switch core {
            case .values(let rows): for row in rows { for expr in row { visit(expr, &found) } }
            case .select(let clause):
                for column in clause.columns { if case .expr(let expr, _, _) = column { visit(expr, &found) } }
                if let from = clause.from { visit(from, &found) }
                for expr in [clause.where, clause.having].compactMap({ $0 }) + clause.groupBy { visit(expr, &found) }
            }
        }
        for term in select.orderBy { visit(term.expr, &found) }
        if let limit = select.limit {
            visit(limit.count, &found)
            if let offset = limit.offset { visit(offset, &found) }
        }
    }

    private static func visit(_ from: FromClause, _ found: inout [ColumnReference]) {
        visit(from.first, &found)
        for join in from.joins {
            visit(join.source, &found)
            if case .on(let expr)? = join.constraint { visit(expr, &found) }
        }
    }

    private static func visit(_ source: TableSource, _ found: inout [ColumnReference]) {
        switch source {
        case .table: break
        case .function(_, let arguments, _): for expr in arguments { visit(expr, &found) }
        case .subquery(let select, _): visit(select, &found)
        case .nested(let from, _): visit(from, &found)
        }
    }

    private static func visit(_ expr: Expr, _ found: inout [ColumnReference]) {
        switch expr {
        case .literal, .parameter, .raise: break
        case .column(let reference): found.append(reference)
        case .unary(_, let e), .cast(let e, _), .isNull(let e), .notNull(let e), .collate(let e, _): visit(e, &found)
        case .binary(_, let l, let r): visit(l, &found); visit(r, &found)
        case .pattern(_, _, let l, let p, let e):
            visit(l, &found); visit(p, &found)
            if let e { visit(e, &found) }
        case .between(_, let x, let l, let h): visit(x, &found); visit(l, &found); visit(h, &found)
        case .inList(_, let x, let list): visit(x, &found); for e in list { visit(e, &found) }
        case .inSelect(_, let x, let select): visit(x, &found); visit(select, &found)
        case .inTable(_, let x, _, let arguments): visit(x, &found); for e in arguments ?? [] { visit(e, &found) }
        case .exists(let select), .subquery(let select): visit(select, &found)
        case .vector(let list): for e in list { visit(e, &found) }
        case .function(let call):
            if case .list(let arguments, _) = call.arguments { for e in arguments { visit(e, &found) } }
            if let filter = call.filter { visit(filter, &found) }
        case .case(let c):
            if let operand = c.operand { visit(operand, &found) }
            for branch in c.branches { visit(branch.when, &found); visit(branch.then, &found) }
            if let otherwise = c.otherwise { visit(otherwise, &found) }
        }
    }
}
