import BTree
import Pager
import VM

/// Recursive common table expressions (select.c generateWithRecursiveQuery). The CTE's query is
/// `initial UNION [ALL] recursive...`: the initial cores' rows go into a queue; then, while the
/// queue has a row, the first is taken out, becomes the CTE's next output row and the one row
/// the recursive cores' reference to the CTE reads, and their rows join the queue. UNION keeps
/// a set of the rows seen and queues only new ones; ORDER BY makes the queue a priority queue;
/// LIMIT and OFFSET count output rows, so a LIMIT ends an unbounded recursion.
///
/// A recursive CTE that is the outermost loop of its query runs as a coroutine that yields each
/// row as it is made (through a pseudo cursor), so `SELECT ... FROM c LIMIT n` ends an unbounded
/// one as in sqlite3; anywhere else it is materialized first.
extension CodeGenerator {
    /// The recursive reference being compiled: the CTE's name and the one-row table it reads.
    struct RecursiveReference {
        var name: String
        var item: ScopeTable
    }

    /// Whether `select` (a CTE named `name`) refers to itself in one of its cores' FROM.
    func isRecursive(_ select: Select, name: String) -> Bool {
        ([select.first] + select.compounds.map(\.core)).contains { Self.coreReferences($0, name) > 0 }
    }

    /// How often a core's FROM names `name` at its top level.
    static func coreReferences(_ core: SelectCore, _ name: String) -> Int {
        guard case .select(let clause) = core, let from = clause.from else { return 0 }
        return ([from.first] + from.joins.map(\.source)).filter { source in
            if case .table(let table, _, _) = source, table.schema == nil, table.name.value.sqlEquals(name) { return true }
            return false
        }.count
    }

    /// Compiles the recursion of CTE `source` (its query recursive): each output row is handed
    /// to `emit` in registers `first...first+n-1`.
    func compileRecursive(_ source: DerivedSource, columns: [DerivedColumn], outer: OuterScope?,
                          emit: (Int32) throws(DatabaseError) -> Void) throws(DatabaseError) {
        let select = source.select
        let name = source.name ?? ""
        let cores = [(op: CompoundOperator?.none, core: select.first)] + select.compounds.map { ($0.op, $0.core) }
        guard let firstRecursive = cores.firstIndex(where: { Self.coreReferences($0.core, name) > 0 }), firstRecursive > 0 else {
            throw DatabaseError(.SQLITE_ERROR, "circular reference: \(name)")
        }
        for entry in cores[firstRecursive...] {
            guard entry.op == .unionAll || entry.op == .union else {
                throw DatabaseError(.SQLITE_ERROR, "circular reference: \(name)")
            }
            if Self.coreReferences(entry.core, name) > 1 {
                throw DatabaseError(.SQLITE_ERROR, "multiple references to recursive table: \(name)")
            }
            if case .select(let clause) = entry.core {
                let nested = SubqueryNames.tableNames(inSubqueriesOf: clause)
                if nested.contains(where: { $0.sqlEquals(name) }) {
                    throw DatabaseError(.SQLITE_ERROR, "multiple recursive references: \(name)")
                }
                if !clause.groupBy.isEmpty || clause.columns.contains(where: {
                    if case .expr(let expr, _, _) = $0 { return firstAggregate(in: expr) != nil }
                    return false
                }) {
                    throw DatabaseError(.SQLITE_ERROR, "recursive aggregate queries not supported")
                }
            }
        }
        let isUnion = cores[firstRecursive].op == .union
        let count = columns.count
        let keyInfo = KeyDescription(columns: columns.map { KeyDescription.Column(collation: $0.collation == .binary ? nil : $0.collation) })

        // The priority of queued rows: ORDER BY terms naming result columns, then the order
        // they were queued in.
        // ORDER BY names the query's own result columns, not the CTE's column list.
        var orderColumns: [(column: Int, descending: Bool)] = []
        let resultNames = select.orderBy.isEmpty ? [] : try describeQuery(select, outer: outer).map(\.name)
        for (position, term) in select.orderBy.enumerated() {
            orderColumns.append((try recursiveOrderColumn(term.expr, resultNames, position: position), term.order == .descending))
        }
        let queue = builder.allocateCursor()
        let queueWidth = orderColumns.count + 1 + count
        if orderColumns.isEmpty {
            builder.emit(.openEphemeral, queue, Int32(count))
        } else {
            var keys = orderColumns.map { KeyDescription.Column(collation: columns[$0.column].collation.flatMap { $0 == .binary ? nil : $0 },
                                                                descending: $0.descending) }
            keys += Array(repeating: KeyDescription.Column(), count: 1 + count)
            builder.emit(.openEphemeral, queue, Int32(queueWidth), 0, .keyInfo(KeyDescription(columns: keys)))
        }
        let seen = isUnion ? builder.allocateCursor() : nil
        if let seen { builder.emit(.openEphemeral, seen, Int32(count), 0, .keyInfo(keyInfo)) }
        let sequence = builder.allocateRegisters()
        builder.emit(.integer, 0, sequence)
        let done = builder.makeLabel()
        var limit: Int32?
        var offset: Int32?
        if let limitClause = select.limit {
            let noScope = ExprScope(table: nil)
            let register = builder.allocateRegisters()
            try emitLimitCounter(limitClause.count, noScope, into: register, done: done)
            limit = register
            if let offsetExpr = limitClause.offset {
                let register = builder.allocateRegisters()
                try compileExpr(offsetExpr, noScope, into: register)
                builder.emit(.mustBeInt, register, 0)
                offset = register
            }
        }
        let target = OutputStage.Destination.queue(queue: queue, seen: seen, order: orderColumns.map(\.column), sequence: sequence)
        let setup = explainOpen("SETUP")
        for entry in cores[..<firstRecursive] {
            let clause = Self.clause(of: entry.core)
            let compiler = try SelectCompiler(self, core: clause, orderBy: [], limit: nil, outer: outer)
            let produced = try compiler.compileBody(destination: target)
            if produced.count != count {
                throw DatabaseError(.SQLITE_ERROR, "table \(name) has \(produced.count) values for \(count) columns")
            }
        }

        explainClose(setup)
        // The one-row table the recursive reference reads.
        let current = builder.allocateCursor()
        let row = builder.allocateRegisters(count)
        let top = builder.currentAddress
        builder.emit(.rewind, queue, jumpTo: done)
        let fieldOffset = orderColumns.isEmpty ? 0 : orderColumns.count + 1
        for index in 0..<count { builder.emit(.column, queue, Int32(fieldOffset + index), row + Int32(index)) }
        builder.emit(.delete, queue)
        builder.emit(.openEphemeral, current, Int32(count))
        let record = builder.allocateRegisters()
        let rowid = builder.allocateRegisters()
        builder.emit(.makeRecord, row, Int32(count), record)
        builder.emit(.integer, 1, rowid)
        builder.emit(.insert, current, record, rowid)
        let skipOutput = builder.makeLabel()
        if let offset { builder.emit(.ifPos, offset, jumpTo: skipOutput, 1) }
        try emit(row)
        if let limit { builder.emit(.decrJumpZero, limit, jumpTo: done) }
        builder.resolve(skipOutput)

        let schemaColumns = columns.enumerated().map { index, column in
            ColumnSchema(name: column.name, declaredType: column.declaredType, affinity: .blob, notNull: nil, defaultValue: nil,
                         defaultText: nil, collation: column.collation ?? .binary, isPrimaryKey: false, generated: nil,
                         recordIndex: index)
        }
        let table = TableSchema(name: name, rootPage: 0, columns: schemaColumns, rowidAlias: nil, primaryKey: [],
                                autoincrement: false, withoutRowid: false, strict: false, checks: [], foreignKeys: [],
                                indexes: [], sql: nil)
        let item = ScopeTable(derived: table, affinities: columns.map(\.affinity), exposedName: name, cursor: current)
        recursiveReferences.append(RecursiveReference(name: name, item: item))
        defer { recursiveReferences.removeLast() }
        let step = explainOpen("RECURSIVE STEP")
        defer { explainClose(step) }
        for entry in cores[firstRecursive...] {
            let compiler = try SelectCompiler(self, core: Self.clause(of: entry.core), orderBy: [], limit: nil, outer: outer)
            let produced = try compiler.compileBody(destination: target)
            if produced.count != count {
                throw DatabaseError(.SQLITE_ERROR, "SELECTs to the left and right of \(Self.keyword(entry.op!)) do not have the same number of result columns")
            }
        }
        builder.emit(.goto, 0, top)
        builder.resolve(done)
    }

    private func recursiveOrderColumn(_ term: Expr, _ columns: [String], position: Int) throws(DatabaseError) -> Int {
        var stripped = term
        while case .collate(let inner, _) = stripped { stripped = inner }
        if case .literal(.integer(let number)) = stripped {
            guard number >= 1 && number <= Int64(columns.count) else {
                throw DatabaseError(.SQLITE_ERROR, "\(SelectCompiler.ordinal(position + 1)) ORDER BY term out of range - should be between 1 and \(columns.count)")
            }
            return Int(number) - 1
        }
        if case .column(let reference) = stripped, reference.table == nil,
           let index = columns.firstIndex(where: { $0.sqlEquals(reference.column.value) }) {
            return index
        }
        if case .column = stripped {
            throw DatabaseError(.SQLITE_ERROR, "\(SelectCompiler.ordinal(position + 1)) ORDER BY term does not match any column in the result set")
        }
        throw SQLCompiler.notSupported("ORDER BY expressions in recursive common table expressions")
    }
}

extension SubqueryNames {
    /// The table names in FROM clauses of subqueries inside `clause` (not its own FROM items).
    static func tableNames(inSubqueriesOf clause: SelectClause) -> [String] {
        var names: [String] = []
        var selects: [Select] = []
        for column in clause.columns { if case .expr(let expr, _, _) = column { selects += subqueries(in: expr) } }
        for expr in [clause.where, clause.having].compactMap({ $0 }) + clause.groupBy { selects += subqueries(in: expr) }
        if let from = clause.from {
            for source in [from.first] + from.joins.map(\.source) {
                if case .subquery(let select, _) = source { selects.append(select) }
            }
            for join in from.joins { if case .on(let expr)? = join.constraint { selects += subqueries(in: expr) } }
        }
        while let select = selects.popLast() {
            for core in [select.first] + select.compounds.map(\.core) {
                guard case .select(let inner) = core else { continue }
                if let from = inner.from {
                    for source in [from.first] + from.joins.map(\.source) {
                        if case .table(let name, _, _) = source { names.append(name.name.value) }
                    }
                }
            }
            names += tableNames(inSubqueriesOf: CodeGenerator.clause(of: select.first))
        }
        return names
    }

    private static func subqueries(in expr: Expr) -> [Select] {
        var found: [Select] = []
        func visit(_ expr: Expr) {
            switch expr {
            case .exists(let select), .subquery(let select): found.append(select)
            case .inSelect(_, let x, let select): visit(x); found.append(select)
            case .unary(_, let e), .cast(let e, _), .isNull(let e), .notNull(let e), .collate(let e, _): visit(e)
            case .binary(_, let l, let r): visit(l); visit(r)
            case .function(let call):
                if case .list(let arguments, _) = call.arguments { arguments.forEach(visit) }
            default: break
            }
        }
        visit(expr)
        return found
    }
}
