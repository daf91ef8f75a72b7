import BTree
import Pager
import VM

/// One FROM item and how it joins the items on its left (sqlite3's SrcItem after
/// sqlite3ProcessJoin): USING and NATURAL become equalities among the ON terms.
struct FromTerm {
    var item: ScopeTable
    /// LEFT JOIN: the item's ON terms decide whether a row matched; without a match the item
    /// reads as NULLs.
    var isLeft = false
    /// LEFT and CROSS JOIN items keep their place in the loop order: no item moves before them.
    var fixedOrder = false
    var on: [Expr] = []
    var indexHint: IndexHint?
    /// A subquery, CTE or view, materialized into the item's ephemeral table.
    var derived: DerivedSource?
    /// A recursive CTE's reference to itself: the cursor is already open.
    var opened = false
    /// A recursive CTE that is its query's only FROM item: run as a coroutine.
    var stream: CoroutineState?
}

/// Where a streamed recursive CTE's coroutine lives, known once its body is emitted.
final class CoroutineState {
    var register: Int32 = 0
    var entry: Int32 = 0
}

/// The query a derived FROM item is filled from.
struct DerivedSource {
    var select: Select
    /// The WITH clauses the query sees: a view sees none of the statement's, a CTE those
    /// around its definition.
    var commonTables: [[CommonTableExpression]]
    /// Names sqlite3 gives the columns (a CTE's or view's column list), when given.
    var columnNames: [Name]?
    /// The CTE's or view's name (nil for a subquery), for errors and recursion.
    var name: String?
    var isView = false
    /// A CTE that refers to itself.
    var recursive = false
}

/// A column of a query's result as a derived table sees it (sqlite3ColumnsFromExprList and
/// sqlite3SelectAddColumnTypeAndCollation).
struct DerivedColumn {
    var name: String
    var affinity: UInt8
    var collation: Collation?
    /// The collation comes from a COLLATE in the expression (it then wins a comparison).
    var explicitCollation = false
    var declaredType: String?
}

extension CodeGenerator {
    /// The FROM items of a core, with cursors allocated unless `describeOnly`.
    func fromTerms(_ from: FromClause?, outer: OuterScope?, describeOnly: Bool) throws(DatabaseError) -> [FromTerm] {
        guard let from else { return [] }
        var terms: [FromTerm] = [try fromTerm(from.first, outer: outer, describeOnly: describeOnly)]
        if from.joins.isEmpty, terms[0].derived?.recursive == true { terms[0].stream = CoroutineState() }
        for join in from.joins {
            var term = try fromTerm(join.source, outer: outer, describeOnly: describeOnly)
            var natural = false
            switch join.op {
            case .comma:
                break
            case .join(let kind, let isNatural):
                natural = isNatural
                switch kind {
                case .inner: break
                case .cross: term.fixedOrder = true
                case .left: term.isLeft = true; term.fixedOrder = true
                case .right, .full: throw SQLCompiler.notSupported("RIGHT and FULL OUTER JOIN")
                }
            }
            if natural, join.constraint != nil {
                throw DatabaseError(.SQLITE_ERROR, "a NATURAL join may not have an ON or USING clause")
            }
            var usingNames: [String] = []
            if natural {
                // Every column of the right item that an item on the left has too.
                for column in term.item.table.columns
                where terms.contains(where: { $0.item.table.column(named: column.name) != nil }) {
                    usingNames.append(column.name)
                }
            }
            switch join.constraint {
            case .on(let condition)?: term.on = conjuncts(condition)
            case .using(let names)?: usingNames = names.map(\.value)
            case nil: break
            }
            for name in usingNames {
                guard let rightColumn = term.item.table.column(named: name),
                      let left = terms.firstIndex(where: { $0.item.table.column(named: name) != nil }) else {
                    throw DatabaseError(.SQLITE_ERROR, "cannot join using column \(name) - column not present in both tables")
                }
                let leftItem = terms[left].item
                let leftColumn = leftItem.table.column(named: name)!
                let leftKey: ColumnKey = leftItem.table.rowidAlias == leftColumn && !leftItem.derived ? .rowid : .column(leftColumn)
                let rightKey: ColumnKey = term.item.table.rowidAlias == rightColumn && !term.item.derived ? .rowid : .column(rightColumn)
                term.on.append(.binary(.equal,
                                       Self.slotReference(ColumnSlot(table: left, key: leftKey), name: name),
                                       Self.slotReference(ColumnSlot(table: terms.count, key: rightKey), name: name)))
                term.item.usingColumns.append(name)
            }
            terms.append(term)
        }
        return terms
    }

    private func fromTerm(_ source: TableSource, outer: OuterScope?, describeOnly: Bool) throws(DatabaseError) -> FromTerm {
        let cursor: Int32 = describeOnly ? -1 : builder.allocateCursor()
        switch source {
        case .table(let name, let alias, let hint):
            if name.schema == nil,
               let reference = recursiveReferences.last(where: { $0.name.sqlEquals(name.name.value) }) {
                let item = reference.item
                var term = FromTerm(item: ScopeTable(derived: item.table, affinities: item.affinities,
                                                     exposedName: alias?.value ?? reference.name, cursor: item.cursor))
                term.opened = true
                return term
            }
            if name.schema == nil, let cte = commonTable(named: name.name.value) {
                if expandingTables.contains(where: { $0.sqlEquals(cte.name) }) {
                    throw DatabaseError(.SQLITE_ERROR, "circular reference: \(cte.name)")
                }
                expandingTables.append(cte.name)
                defer { expandingTables.removeLast() }
                if hint != nil { throw DatabaseError(.SQLITE_ERROR, "no such index: \(Self.hintName(hint))") }
                var source = cte.source
                source.recursive = isRecursive(source.select, name: cte.name)
                return try derivedTerm(source, exposedName: alias?.value ?? cte.name, cursor: cursor, outer: outer)
            }
            if name.schema == nil || name.schema!.value.sqlEquals("main"), let view = schema.view(name.name.value) {
                usesDatabase = true
                let source = DerivedSource(select: view.select, commonTables: [],
                                           columnNames: view.columnNames.isEmpty ? nil : view.columnNames.map { Name($0) },
                                           name: view.name, isView: true)
                return try derivedTerm(source, exposedName: alias?.value ?? view.name, cursor: cursor, outer: nil)
            }
            let table = try self.table(name)
            var term = FromTerm(item: ScopeTable(table: table, exposedName: alias?.value ?? table.name, cursor: cursor))
            term.indexHint = hint
            return term
        case .subquery(let select, let alias):
            let source = DerivedSource(select: select, commonTables: commonTables, columnNames: nil)
            let name = alias?.value ?? "(subquery-\(queryPlan?.number(of: select) ?? Int(cursor) + 1))"
            return try derivedTerm(source, exposedName: name, cursor: cursor, outer: outer)
        case .function:
            throw SQLCompiler.notSupported("table-valued functions")
        case .nested:
            throw SQLCompiler.notSupported("parenthesized joins in FROM")
        }
    }

    private static func hintName(_ hint: IndexHint?) -> String {
        if case .indexedBy(let name)? = hint { return name.value }
        return ""
    }

    private func derivedTerm(_ source: DerivedSource, exposedName: String, cursor: Int32,
                             outer: OuterScope?) throws(DatabaseError) -> FromTerm {
        let columns = try describeDerived(source, outer: outer)
        var names: [String] = []
        for column in columns { names.append(Self.uniqueName(column.name, among: names)) }
        let schemaColumns = zip(names, columns).enumerated().map { index, pair in
            ColumnSchema(name: pair.0, declaredType: pair.1.declaredType, affinity: .blob, notNull: nil,
                         defaultValue: nil, defaultText: nil, collation: pair.1.collation ?? .binary,
                         isPrimaryKey: false, generated: nil, recordIndex: index)
        }
        let table = TableSchema(name: exposedName, rootPage: 0, columns: schemaColumns, rowidAlias: nil, primaryKey: [],
                                autoincrement: false, withoutRowid: false, strict: false, checks: [], foreignKeys: [],
                                indexes: [], sql: nil)
        var term = FromTerm(item: ScopeTable(derived: table, affinities: columns.map(\.affinity), exposedName: exposedName,
                                             cursor: cursor))
        term.derived = source
        return term
    }

    /// sqlite3ColumnsFromExprList's de-duplication: "a", then "a:1", "a:2"...
    static func uniqueName(_ name: String, among names: [String]) -> String {
        var candidate = name
        var counter = 0
        while names.contains(where: { $0.sqlEquals(candidate) }) {
            var base = Substring(candidate)
            if let colon = base.lastIndex(of: ":"), base[base.index(after: colon)...].allSatisfy(\.isNumber), colon != base.startIndex {
                base = base[..<colon]
            }
            counter += 1
            candidate = "\(base):\(counter)"
        }
        return candidate
    }

    /// The columns a derived item's query yields, from its leftmost core, without emitting code.
    func describeDerived(_ source: DerivedSource, outer: OuterScope?) throws(DatabaseError) -> [DerivedColumn] {
        let saved = commonTables
        commonTables = source.commonTables
        if source.isView { viewDepth += 1 }
        defer {
            commonTables = saved
            if source.isView { viewDepth -= 1 }
        }
        var columns = try describeQuery(source.select, outer: outer)
        if let names = source.columnNames {
            guard names.count == columns.count else {
                let name = source.name ?? ""
                if source.isView {
                    throw DatabaseError(.SQLITE_ERROR, "expected \(names.count) columns for '\(name)' but got \(columns.count)")
                }
                throw DatabaseError(.SQLITE_ERROR, "table \(name) has \(columns.count) values for \(names.count) columns")
            }
            for index in columns.indices { columns[index].name = names[index].value }
        }
        return columns
    }

    /// The result columns of `select` (its leftmost core's), names, affinities and collations.
    func describeQuery(_ select: Select, outer: OuterScope?) throws(DatabaseError) -> [DerivedColumn] {
        if let with = select.with { commonTables.append(with.tables) }
        defer { if select.with != nil { commonTables.removeLast() } }
        let core = try SelectCompiler(self, core: Self.clause(of: select.first), orderBy: [], limit: nil, outer: outer,
                                      describeOnly: true)
        let scope = core.scope
        return try core.describeColumns().map { column in
            let affinity = exprAffinity(column.expr, scope)
            return DerivedColumn(name: column.name, affinity: affinity == 0 ? AffinityCode.none : affinity,
                                 collation: exprCollation(column.expr, scope),
                                 explicitCollation: hasExplicitCollation(column.expr), declaredType: column.declaredType)
        }
    }

    /// The innermost common table expression named `name`, with the WITH clauses it sees.
    func commonTable(named name: String) -> (name: String, source: DerivedSource)? {
        for depth in commonTables.indices.reversed() {
            guard let cte = commonTables[depth].first(where: { $0.name.value.sqlEquals(name) }) else { continue }
            // A CTE sees the WITH clauses around it, and its own clause (for recursion and the
            // CTEs before it).
            let visible = Array(commonTables[...depth])
            return (cte.name.value, DerivedSource(select: cte.select, commonTables: visible,
                                                  columnNames: cte.columns.isEmpty ? nil : cte.columns, name: cte.name.value))
        }
        return nil
    }
}

extension SelectCompiler {
    /// Opens each FROM item's cursor: tables for reading, derived items filled from their query
    /// (once, unless the query reads a column of an enclosing query).
    /// Fills the subqueries, views and CTEs of the FROM clause. Tables are opened by the loops
    /// (forEachRow), in loop order, once the plan shows whether an index covers them.
    func openFromItems(_ scope: ExprScope) throws(DatabaseError) {
        for term in from where !term.opened {
            if let derived = term.derived, let stream = term.stream {
                try gen.stream(derived, into: term.item, state: stream, outer: outer)
            } else if let derived = term.derived {
                try gen.materialize(derived, into: term.item, outer: outer)
            }
        }
    }

    /// Whether the loops open FROM item `position` themselves: a table (not a subquery, view,
    /// CTE or recursive reference).
    func isBaseTable(_ position: Int) -> Bool {
        !from[position].opened && from[position].derived == nil && from[position].stream == nil
    }
}

extension CodeGenerator {
    func openForReading(_ source: ScopeTable) {
        let table = source.table
        if table.withoutRowid {
            guard let primary = table.indexes.first(where: { $0.origin == .primaryKey }) else {
                preconditionFailure("WITHOUT ROWID table \(table.name) has no primary key index")
            }
            builder.emit(.openRead, source.cursor, Int32(bitPattern: table.rootPage), 0,
                         .keyInfo(withoutRowidKey(table, primary)))
        } else {
            builder.emit(.openRead, source.cursor, Int32(bitPattern: table.rootPage), 0, .int32(Int32(table.columns.count)))
        }
    }

    /// Emits the coroutine of a streamed recursive CTE (jumped over; its loop starts it): each
    /// row is made a record that the item's pseudo cursor reads, then yielded.
    func stream(_ source: DerivedSource, into item: ScopeTable, state: CoroutineState,
                outer: OuterScope?) throws(DatabaseError) {
        let saved = commonTables
        commonTables = source.commonTables
        defer { commonTables = saved }
        let columns = try describeDerived(source, outer: outer)
        let record = builder.allocateRegisters()
        state.register = builder.allocateRegisters()
        builder.emit(.openPseudo, item.cursor, record, Int32(columns.count))
        let skip = builder.makeLabel()
        builder.emit(.goto, 0, jumpTo: skip)
        state.entry = builder.currentAddress
        let row = explainOpen("CO-ROUTINE \(item.exposedName)")
        defer { explainClose(row) }
        try compileRecursive(source, columns: columns, outer: outer) { (row) throws(DatabaseError) in
            builder.emit(.makeRecord, row, Int32(columns.count), record)
            builder.emit(.yield, state.register, 0)
        }
        builder.emit(.endCoroutine, state.register)
        builder.resolve(skip)
    }

    /// Fills the ephemeral table of a derived item with its query's rows.
    func materialize(_ source: DerivedSource, into item: ScopeTable, outer: OuterScope?) throws(DatabaseError) {
        let saved = commonTables
        commonTables = source.commonTables
        if source.isView { viewDepth += 1 }
        defer {
            commonTables = saved
            if source.isView { viewDepth -= 1 }
        }
        let boundary = outer.map { OuterScope($0.scope) }
        let once = builder.emit(.once, 0, 0)
        builder.emit(.openEphemeral, item.cursor, Int32(item.table.columns.count))
        let row = explainOpen("MATERIALIZE \(item.exposedName)")
        defer { explainClose(row) }
        if source.recursive {
            let columns = try describeDerived(source, outer: boundary)
            try compileRecursive(source, columns: columns, outer: boundary) { (row) throws(DatabaseError) in
                let record = builder.allocateRegisters()
                let rowid = builder.allocateRegisters()
                builder.emit(.makeRecord, row, Int32(columns.count), record)
                builder.emit(.newRowid, item.cursor, rowid)
                builder.emit(.insert, item.cursor, record, rowid)
            }
        } else {
            _ = try compileQuery(source.select, outer: boundary, destination: .table(item.cursor))
        }
        if boundary?.correlated == true {
            // The boundary stands in for the core's own link to the enclosing query: that
            // query's subquery is correlated too.
            outer?.correlated = true
            builder.patch(once) { $0.opcode = .noop }
        } else if !triggerFrames.isEmpty {
            // Inside a trigger program: materialized again at every firing.
            builder.patch(once) { $0.opcode = .noop }
        } else {
            builder.jumpHere(once)
        }
    }
}
