import BTree
import Pager
import VM

/// Queries: a WITH clause's tables made visible, VALUES, and compound SELECTs (select.c
/// multiSelect). A compound runs its cores left to right into one ephemeral result: a table
/// (rows in order) for UNION ALL, an index (sorted, duplicates merged) for UNION, EXCEPT and
/// INTERSECT; the result is then read out through ORDER BY and LIMIT. UNION ALL alone with
/// neither streams each core's rows straight out.
extension CodeGenerator {
    func compileQuery(_ select: Select, outer: OuterScope?,
                      destination: OutputStage.Destination) throws(DatabaseError) -> [SelectCompiler.OutputColumn] {
        if let with = select.with { try pushCommonTables(with) }
        defer { if select.with != nil { commonTables.removeLast() } }
        var cores: [(op: CompoundOperator?, core: SelectCore)] = []
        for (op, core) in [(nil, select.first)] + select.compounds.map({ ($0.op, $0.core) }) {
            // VALUES with several rows is a UNION ALL of one-row VALUES; on the right of a
            // compound operator it is one term, a subquery (as sqlite3's parser makes it).
            if case .values(let rows) = core, rows.count > 1, op != nil {
                let inner = Select(first: core)
                cores.append((op, .select(SelectClause(columns: [.all], from: FromClause(first: .subquery(inner, alias: nil))))))
            } else if case .values(let rows) = core, rows.count > 1 {
                for (index, row) in rows.enumerated() {
                    if row.count != rows[0].count {
                        throw DatabaseError(.SQLITE_ERROR, "all VALUES must have the same number of terms")
                    }
                    cores.append((index == 0 ? op : .unionAll, .values([row])))
                }
            } else {
                cores.append((op, core))
            }
        }
        if cores.count == 1 {
            return try compileCore(cores[0].core, orderBy: select.orderBy, limit: select.limit, outer: outer,
                                   destination: destination)
        }
        let streams: Bool
        switch destination {
        case .resultRow, .table, .index, .discard: streams = true
        default: streams = false
        }
        if streams, select.orderBy.isEmpty, select.limit == nil, cores.allSatisfy({ $0.op == nil || $0.op == .unionAll }) {
            var first: [SelectCompiler.OutputColumn] = []
            let compound = explainOpen("COMPOUND QUERY")
            defer { explainClose(compound) }
            for (op, core) in cores {
                let part = explainOpen(Self.explainPart(op))
                defer { explainClose(part) }
                let columns = try compileCore(core, orderBy: [], limit: nil, outer: outer, destination: destination)
                if let op { try checkArity(first.count, columns.count, op) } else { first = columns }
            }
            return first
        }
        return try compileCompound(cores, orderBy: select.orderBy, limit: select.limit, outer: outer, destination: destination)
    }

    private func compileCore(_ core: SelectCore, orderBy: [OrderingTerm], limit: Limit?, outer: OuterScope?,
                             destination: OutputStage.Destination) throws(DatabaseError) -> [SelectCompiler.OutputColumn] {
        let compiler = try SelectCompiler(self, core: Self.clause(of: core), orderBy: orderBy, limit: limit, outer: outer)
        return try compiler.compileBody(destination: destination)
    }

    /// A core as a SELECT clause: one-row VALUES selects its terms, named column1, column2...
    static func clause(of core: SelectCore) -> SelectClause {
        switch core {
        case .select(let clause): return clause
        case .values(let rows):
            let row = rows.first ?? []
            return SelectClause(columns: row.enumerated().map { index, expr in
                .expr(expr, alias: Name("column\(index + 1)"), span: .none)
            })
        }
    }

    private func checkArity(_ expected: Int, _ actual: Int, _ op: CompoundOperator) throws(DatabaseError) {
        guard expected != actual else { return }
        throw DatabaseError(.SQLITE_ERROR, "SELECTs to the left and right of \(Self.keyword(op)) do not have the same number of result columns")
    }

    /// EXPLAIN QUERY PLAN's row for one term of a compound.
    static func explainPart(_ op: CompoundOperator?) -> String {
        switch op {
        case nil: "LEFT-MOST SUBQUERY"
        case .unionAll?: "UNION ALL"
        case let op?: "\(keyword(op)) USING TEMP B-TREE"
        }
    }

    static func keyword(_ op: CompoundOperator) -> String {
        switch op {
        case .union: "UNION"
        case .unionAll: "UNION ALL"
        case .intersect: "INTERSECT"
        case .except: "EXCEPT"
        }
    }

    private func compileCompound(_ cores: [(op: CompoundOperator?, core: SelectCore)], orderBy: [OrderingTerm],
                                 limit: Limit?, outer: OuterScope?,
                                 destination: OutputStage.Destination) throws(DatabaseError) -> [SelectCompiler.OutputColumn] {
        // The result's columns: names from the leftmost core, each column's collation from the
        // leftmost core that gives it one (multiSelectCollSeq).
        var described: [[DerivedColumn]] = []
        for entry in cores {
            let clause = Self.clause(of: entry.core)
            described.append(try describeQuery(Select(first: .select(clause)), outer: outer))
        }
        let count = described[0].count
        for (index, entry) in cores.enumerated() where index > 0 {
            try checkArity(count, described[index].count, entry.op!)
        }
        let collations: [Collation] = (0..<count).map { column in
            described.lazy.compactMap { $0[column].collation }.first ?? .binary
        }
        let keyInfo = KeyDescription(columns: collations.map { KeyDescription.Column(collation: $0 == .binary ? nil : $0) })

        var current = builder.allocateCursor()
        var isIndex = cores.count > 1 && cores[1].op != .unionAll
        if isIndex {
            builder.emit(.openEphemeral, current, Int32(count), 0, .keyInfo(keyInfo))
        } else {
            builder.emit(.openEphemeral, current, Int32(count))
        }
        var first: [SelectCompiler.OutputColumn] = []
        let compound = explainOpen("COMPOUND QUERY")
        for (op, core) in cores {
            let part = explainOpen(Self.explainPart(op))
            defer { explainClose(part) }
            let target: OutputStage.Destination
            switch op {
            case nil:
                target = isIndex ? .index(current, affinity: nil) : .table(current)
            case .unionAll?:
                if isIndex { current = convert(current, count: count, toIndex: false, keyInfo); isIndex = false }
                target = .table(current)
            case .union?, .except?, .intersect?:
                if !isIndex { current = convert(current, count: count, toIndex: true, keyInfo); isIndex = true }
                if op == .intersect {
                    let result = builder.allocateCursor()
                    builder.emit(.openEphemeral, result, Int32(count), 0, .keyInfo(keyInfo))
                    target = .intersect(source: current, target: result)
                    current = result
                } else {
                    target = op == .union ? .index(current, affinity: nil) : .except(current)
                }
            }
            let columns = try compileCore(core, orderBy: [], limit: nil, outer: outer, destination: target)
            if op == nil { first = columns }
        }
        explainClose(compound)

        // Read the result out through ORDER BY and LIMIT.
        let columnSchemas = (0..<count).map { index in
            ColumnSchema(name: first[index].name, declaredType: first[index].declaredType, affinity: .blob, notNull: nil,
                         defaultValue: nil, defaultText: nil, collation: collations[index], isPrimaryKey: false,
                         generated: nil, recordIndex: index)
        }
        let table = TableSchema(name: "", rootPage: 0, columns: columnSchemas, rowidAlias: nil, primaryKey: [],
                                autoincrement: false, withoutRowid: false, strict: false, checks: [], foreignKeys: [],
                                indexes: [], sql: nil)
        let item = ScopeTable(derived: table, affinities: described[0].map(\.affinity), exposedName: "", cursor: current)
        let scope = ExprScope(tables: [item], outer: outer)
        var columns = first
        for index in columns.indices {
            columns[index].expr = Self.slotReference(ColumnSlot(table: 0, key: .column(index)), name: first[index].name)
        }
        var sortKeys: [SelectCompiler.SortKey] = []
        for (position, term) in orderBy.enumerated() {
            let column = try compoundOrderColumn(term.expr, position: position, cores: cores, first: first, outer: outer)
            var expr = columns[column].expr
            if case .collate(_, let name) = term.expr { expr = .collate(expr, name) }
            sortKeys += SelectCompiler.sortKeys(expr, term)
        }
        let output = try OutputStage(self, columns: columns, sortKeys: sortKeys, distinct: false, limit: limit,
                                     scope: scope, destination: destination)
        let next = builder.makeLabel()
        let end = builder.makeLabel()
        builder.emit(.rewind, current, jumpTo: end)
        let top = builder.currentAddress
        try output.emitRow(self, scope: scope, skip: next)
        builder.resolve(next)
        builder.emit(.next, current, top)
        builder.resolve(end)
        if !sortKeys.isEmpty { explain("USE TEMP B-TREE FOR ORDER BY") }
        try output.finish(self)
        return first
    }

    /// Copies the rows of `cursor` into a new ephemeral table or index.
    private func convert(_ cursor: Int32, count: Int, toIndex: Bool, _ keyInfo: KeyDescription) -> Int32 {
        let result = builder.allocateCursor()
        if toIndex {
            builder.emit(.openEphemeral, result, Int32(count), 0, .keyInfo(keyInfo))
        } else {
            builder.emit(.openEphemeral, result, Int32(count))
        }
        let end = builder.makeLabel()
        builder.emit(.rewind, cursor, jumpTo: end)
        let top = builder.currentAddress
        let first = builder.allocateRegisters(count)
        for index in 0..<count { builder.emit(.column, cursor, Int32(index), first + Int32(index)) }
        let record = builder.allocateRegisters()
        builder.emit(.makeRecord, first, Int32(count), record)
        if toIndex {
            builder.emit(.idxInsert, result, record, first, .int32(Int32(count)))
        } else {
            let rowid = builder.allocateRegisters()
            builder.emit(.newRowid, result, rowid)
            builder.emit(.insert, result, record, rowid)
        }
        builder.emit(.next, cursor, top)
        builder.resolve(end)
        return result
    }

    /// The result column a compound's ORDER BY term names (resolveCompoundOrderBy): a number,
    /// an alias of a core's result columns, or an expression one of them is, left to right.
    private func compoundOrderColumn(_ term: Expr, position: Int, cores: [(op: CompoundOperator?, core: SelectCore)],
                                     first: [SelectCompiler.OutputColumn], outer: OuterScope?) throws(DatabaseError) -> Int {
        var stripped = term
        while case .collate(let inner, _) = stripped { stripped = inner }
        if case .literal(.integer(let number)) = stripped {
            guard number >= 1 && number <= Int64(first.count) else {
                throw DatabaseError(.SQLITE_ERROR, "\(SelectCompiler.ordinal(position + 1)) ORDER BY term out of range - should be between 1 and \(first.count)")
            }
            return Int(number) - 1
        }
        for entry in cores {
            let clause = Self.clause(of: entry.core)
            var index = 0
            for column in clause.columns {
                guard case .expr(let expr, let alias, _) = column else { index = -1; break }
                if case .column(let reference) = stripped, reference.table == nil, let alias,
                   alias.value.sqlEquals(reference.column.value) {
                    return index
                }
                if Self.sameTerm(expr, stripped) { return index }
                index += 1
            }
        }
        throw DatabaseError(.SQLITE_ERROR, "\(SelectCompiler.ordinal(position + 1)) ORDER BY term does not match any column in the result set")
    }

    /// Whether two expressions are the same term, ignoring where they were written.
    static func sameTerm(_ a: Expr, _ b: Expr) -> Bool {
        switch (a, b) {
        case (.column(let x), .column(let y)):
            guard x.column.value.sqlEquals(y.column.value) else { return false }
            if let p = x.table, let q = y.table { return p.value.sqlEquals(q.value) }
            return true
        case (.literal(let x), .literal(let y)): return x == y
        default: return false
        }
    }
}
