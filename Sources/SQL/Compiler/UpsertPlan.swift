import BTree
import Pager
import VM

/// The ON CONFLICT clauses of an INSERT, matched to the uniqueness constraints they handle
/// (upsert.c sqlite3UpsertAnalyzeTarget and sqlite3UpsertOfIndex), and the order in which
/// TableWriter checks those constraints: the targeted ones first, in clause order, as
/// sqlite3GenerateConstraintChecks arranges them (3.35's multiple ON CONFLICT clauses).
struct UpsertPlan {
    /// A uniqueness constraint of the table: the rowid, or the index at a position of
    /// `table.indexes`.
    enum Constraint: Equatable {
        case rowid
        case index(Int)
    }

    struct Clause {
        /// nil: the last clause, without a conflict target, which handles every constraint not
        /// targeted before it.
        let target: Constraint?
        let action: UpsertClause.Action
    }

    let clauses: [Clause]

    /// Matches each clause's target to a constraint of `table`, or throws sqlite3's error.
    init(_ upserts: [UpsertClause], table: TableSchema, gen: CodeGenerator) throws(DatabaseError) {
        precondition(!upserts.isEmpty, "an upsert plan without ON CONFLICT clauses")
        for term in upserts.first?.target?.columns ?? [] {
            if let nulls = term.nulls {
                throw DatabaseError(.SQLITE_ERROR, "unsupported use of NULLS \(nulls == .first ? "FIRST" : "LAST")")
            }
        }
        var clauses: [Clause] = []
        let scope = ExprScope(table: ScopeTable(table: table, exposedName: table.name, cursor: 0))
        for (position, upsert) in upserts.enumerated() {
            guard let target = upsert.target else {
                clauses.append(Clause(target: nil, action: upsert.action))
                continue
            }
            // Every name in the target and its WHERE must resolve, as sqlite3 resolves them first.
            for term in target.columns { try Self.checkNames(term.expr, scope, gen) }
            if let condition = target.where { try Self.checkNames(condition, scope, gen) }
            guard let constraint = Self.match(target, table: table, gen: gen, scope: scope) else {
                let which = upserts.count == 1 ? "" : "\(Self.ordinal(position + 1)) "
                throw DatabaseError(.SQLITE_ERROR, "\(which)ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint")
            }
            clauses.append(Clause(target: constraint, action: upsert.action))
        }
        self.clauses = clauses
    }

    /// The clause that handles a conflict on `constraint` (sqlite3UpsertOfIndex): the first one
    /// targeting it, or the final clause without a target; nil when the constraint's own
    /// resolution applies.
    func clause(for constraint: Constraint) -> Clause? {
        for clause in clauses {
            guard let target = clause.target else { return clause }
            if target == constraint { return clause }
        }
        return nil
    }

    /// The order of the uniqueness checks: the targeted indexes in clause order, the rowid (when
    /// checked) after the run of index clauses before the first rowid or untargeted clause, then
    /// the other indexes in table order.
    func checkOrder(indexCount: Int, checksRowid: Bool) -> [Constraint] {
        var order: [Constraint] = []
        func addRowid() { if checksRowid && !order.contains(.rowid) { order.append(.rowid) } }
        for clause in clauses {
            switch clause.target {
            case .index(let i)?: if !order.contains(.index(i)) { order.append(.index(i)) }
            case .rowid?, nil: addRowid()
            }
        }
        addRowid()
        for i in 0..<indexCount where !order.contains(.index(i)) { order.append(.index(i)) }
        return order
    }

    /// The constraint a conflict target names: the rowid (one term naming the INTEGER PRIMARY KEY
    /// or rowid), or the first UNIQUE index whose every column one of the terms names, with the
    /// index's collation when the term gives one.
    private static func match(_ target: UpsertClause.Target, table: TableSchema, gen: CodeGenerator,
                              scope: ExprScope) -> Constraint? {
        let terms = target.columns.map { term -> (key: ColumnKey?, collation: String?) in
            var expr = term.expr
            var collation: String?
            if case .collate(let inner, let name) = expr {
                collation = name.value
                expr = inner
            }
            guard case .column(let reference) = expr, case .column(let column)? = try? gen.resolve(reference, in: scope) else {
                return (nil, collation)
            }
            return (column.slot.key, collation)
        }
        if !table.withoutRowid, terms.count == 1, terms[0].key == .rowid { return .rowid }
        for (position, index) in table.indexes.enumerated() where index.unique {
            guard index.columns.count == terms.count else { continue }
            // A partial index is the target only of a conflict target whose WHERE is its own.
            if let predicate = index.predicate {
                guard let condition = target.where, condition == predicate else { continue }
            }
            let matched = index.columns.allSatisfy { column in
                guard case .column(let c) = column.term else {
                    // An expression term is matched by the same expression (sqlite3ExprCompare,
                    // COLLATE aside).
                    guard case .expression(let expr) = column.term else { return false }
                    return target.columns.contains { Self.withoutCollate($0.expr) == Self.withoutCollate(expr) }
                }
                let key: ColumnKey = c == table.rowidAlias ? .rowid : .column(c)
                return terms.contains { term in
                    term.key == key && (term.collation.map { $0.sqlEquals(column.collation.name) } ?? true)
                }
            }
            if matched { return .index(position) }
        }
        return nil
    }

    private static func withoutCollate(_ expr: Expr) -> Expr {
        var expr = expr
        while case .collate(let inner, _) = expr { expr = inner }
        return expr
    }

    /// Compiles `expr` into a throwaway program only to surface "no such column" and the like.
    private static func checkNames(_ expr: Expr, _ scope: ExprScope, _ gen: CodeGenerator) throws(DatabaseError) {
        var failure: DatabaseError?
        gen.walk(expr) { node in
            guard failure == nil else { return false }
            if case .column(let reference) = node {
                do throws(DatabaseError) { _ = try gen.resolve(reference, in: scope) } catch { failure = error }
            }
            return true
        }
        if let failure { throw failure }
    }

    /// sqlite3's %r: 1st, 2nd, 3rd, 4th, 11th, 21st...
    static func ordinal(_ n: Int) -> String {
        let suffix: String
        switch (n % 100, n % 10) {
        case (11...13, _): suffix = "th"
        case (_, 1): suffix = "st"
        case (_, 2): suffix = "nd"
        case (_, 3): suffix = "rd"
        default: suffix = "th"
        }
        return "\(n)\(suffix)"
    }
}
