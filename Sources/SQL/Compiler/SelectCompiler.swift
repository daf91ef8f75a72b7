import BTree
import Pager
import VM

/// Compiles a SELECT from one table or from none (select.c sqlite3Select for the simple
/// cases): result columns, WHERE, DISTINCT, GROUP BY/HAVING/aggregates, ORDER BY through a
/// sorter, LIMIT/OFFSET. Joins, subqueries, compounds, CTEs and window functions are refused as
/// not supported.
struct SelectCompiler {
    let gen: CodeGenerator
    let select: Select
    let clause: SelectClause

    /// A result column: its expression, sqlite3_column_name and declared type.
    struct OutputColumn {
        var expr: Expr
        var name: String
        var declaredType: String?
    }

    /// An ORDER BY key: the expression to sort on and its direction.
    struct SortKey {
        var expr: Expr
        var descending: Bool
    }

    init(_ gen: CodeGenerator, _ select: Select) throws(DatabaseError) {
        self.gen = gen
        self.select = select
        if select.with != nil { throw SQLCompiler.notSupported("WITH clauses") }
        if !select.compounds.isEmpty { throw SQLCompiler.notSupported("compound SELECTs") }
        guard case .select(let clause) = select.first else { throw SQLCompiler.notSupported("VALUES as a query") }
        if !clause.windows.isEmpty { throw SQLCompiler.notSupported("window functions") }
        self.clause = clause
    }

    func compile() throws(DatabaseError) -> Program {
        var scope = ExprScope(table: try openSourceTable())
        let results = try resultColumns(scope)
        scope.aliases = results.compactMap { column in
            if case .expr(_, let alias?, _) = column.source { return (alias.value, column.column.expr) }
            return nil
        }
        let columns = results.map(\.column)
        let sortKeys = try orderByKeys(columns, scope)
        let isAggregate = !clause.groupBy.isEmpty || columns.contains { gen.firstAggregate(in: $0.expr) != nil }
            || (clause.having.map { gen.firstAggregate(in: $0) != nil } ?? false)
            || sortKeys.contains { gen.firstAggregate(in: $0.expr) != nil }
        if clause.having != nil && !isAggregate {
            throw DatabaseError(.SQLITE_ERROR, "HAVING clause on a non-aggregate query")
        }
        if let condition = clause.where, let call = gen.firstAggregate(in: condition) {
            throw DatabaseError(.SQLITE_ERROR, "misuse of aggregate: \(call)")
        }
        var output = try OutputStage(gen, columns: columns, sortKeys: sortKeys, distinct: clause.quantifier == .distinct,
                                     limit: select.limit, scope: scope)
        if isAggregate {
            try compileAggregate(columns, sortKeys: sortKeys, scope: scope, output: &output)
        } else {
            try compilePlain(columns, scope: scope, output: &output)
        }
        try output.finish(gen)
        return try gen.finish(columnNames: columns.map(\.name), declaredTypes: columns.map(\.declaredType))
    }

    /// Opens the FROM table, if any, for reading.
    private func openSourceTable() throws(DatabaseError) -> ScopeTable? {
        guard let from = clause.from else { return nil }
        guard from.joins.isEmpty else { throw SQLCompiler.notSupported("joins") }
        guard case .table(let name, let alias, _) = from.first else {
            throw SQLCompiler.notSupported("subqueries and table-valued functions in FROM")
        }
        let table = try gen.table(name)
        let cursor = gen.builder.allocateCursor()
        let scopeTable = ScopeTable(table: table, exposedName: alias?.value ?? table.name, cursor: cursor)
        if table.withoutRowid {
            guard let primary = table.indexes.first(where: { $0.origin == .primaryKey }) else {
                preconditionFailure("WITHOUT ROWID table \(table.name) has no primary key index")
            }
            gen.builder.emit(.openRead, cursor, Int32(bitPattern: table.rootPage), 0,
                             .keyInfo(gen.withoutRowidKey(table, primary)))
        } else {
            gen.builder.emit(.openRead, cursor, Int32(bitPattern: table.rootPage), 0, .int32(Int32(table.columns.count)))
        }
        return scopeTable
    }

    private var indexHint: IndexHint? {
        if case .table(_, _, let hint)? = clause.from?.first { return hint }
        return nil
    }

    /// The rows of the table that pass WHERE: `body` runs for each (or once without FROM).
    func forEachRow(_ scope: ExprScope, _ body: (ProgramBuilder.Label) throws(DatabaseError) -> Void) throws(DatabaseError) {
        guard scope.table != nil else {
            let skip = gen.builder.makeLabel()
            if let condition = clause.where { try gen.jumpIfFalse(condition, scope, to: skip, jumpIfNull: true) }
            try body(skip)
            gen.builder.resolve(skip)
            return
        }
        let terms = gen.conjuncts(clause.where)
        let plan = try gen.plan(terms, scope, indexHint: indexHint)
        var indexCursor: Int32?
        if case .index = plan { indexCursor = gen.builder.allocateCursor() }
        let loop = try gen.beginLoop(plan, scope, indexCursor: indexCursor)
        if let condition = clause.where { try gen.jumpIfFalse(condition, scope, to: loop.next, jumpIfNull: true) }
        try body(loop.next)
        gen.endLoop(loop)
    }

    private func compilePlain(_ columns: [OutputColumn], scope: ExprScope, output: inout OutputStage) throws(DatabaseError) {
        try forEachRow(scope) { (next) throws(DatabaseError) in
            try output.emitRow(gen, scope: scope, skip: next)
        }
    }

    // MARK: Result columns

    struct ExpandedColumn {
        var column: OutputColumn
        var source: ResultColumn
    }

    /// The result columns with `*` and `t.*` expanded, named as sqlite3 names them.
    private func resultColumns(_ scope: ExprScope) throws(DatabaseError) -> [ExpandedColumn] {
        var columns: [ExpandedColumn] = []
        for column in clause.columns {
            switch column {
            case .all, .allFrom:
                guard let table = scope.table else {
                    throw DatabaseError(.SQLITE_ERROR, "no tables specified")
                }
                if case .allFrom(let name) = column, !name.value.sqlEquals(table.exposedName) {
                    throw DatabaseError(.SQLITE_ERROR, "no such table: \(name.value)")
                }
                for (index, schemaColumn) in table.table.columns.enumerated() {
                    let reference = ColumnReference(table: Name(table.exposedName), column: Name(schemaColumn.name))
                    _ = index
                    columns.append(ExpandedColumn(column: OutputColumn(expr: .column(reference), name: schemaColumn.name,
                                                                       declaredType: schemaColumn.declaredType),
                                                  source: column))
                }
            case .expr(let expr, let alias, let span):
                var name = alias?.value ?? gen.sourceText(span)
                var declaredType: String?
                if case .column(let reference) = expr, case .column(let key)? = try? gen.resolve(reference, in: scope),
                   let table = scope.table {
                    switch key {
                    case .column(let index):
                        if alias == nil { name = table.table.columns[index].name }
                        declaredType = table.table.columns[index].declaredType
                    case .rowid:
                        if let aliasColumn = table.table.rowidAlias {
                            if alias == nil { name = table.table.columns[aliasColumn].name }
                            declaredType = table.table.columns[aliasColumn].declaredType
                        } else if alias == nil {
                            name = reference.column.value
                        }
                    }
                }
                columns.append(ExpandedColumn(column: OutputColumn(expr: expr, name: name, declaredType: declaredType),
                                              source: column))
            }
        }
        return columns
    }

    // MARK: ORDER BY

    /// ORDER BY terms as sort keys: a number picks a result column, a bare name that is a
    /// result alias picks that column, anything else is an expression (resolveOrderGroupBy).
    private func orderByKeys(_ columns: [OutputColumn], _ scope: ExprScope) throws(DatabaseError) -> [SortKey] {
        var keys: [SortKey] = []
        for (position, term) in select.orderBy.enumerated() {
            var expr = try resultColumnReference(term.expr, columns, scope, clause: "ORDER", position: position) ?? term.expr
            if case .collate(_, let name) = term.expr, !isSameCollate(expr, term.expr) {
                expr = .collate(expr, name)
            }
            let descending = term.order == .descending
            // NULLs sort first ascending and last descending; the other order sorts on
            // "x IS NULL" first.
            if let nulls = term.nulls, (nulls == .last) != descending {
                keys.append(SortKey(expr: .isNull(expr), descending: nulls == .first))
            }
            keys.append(SortKey(expr: expr, descending: descending))
        }
        return keys
    }

    private func isSameCollate(_ a: Expr, _ b: Expr) -> Bool { a == b }

    /// The result column an ORDER BY or GROUP BY term names by number or alias, if it does.
    func resultColumnReference(_ term: Expr, _ columns: [OutputColumn], _ scope: ExprScope, clause: String,
                               position: Int) throws(DatabaseError) -> Expr? {
        var stripped = term
        while case .collate(let inner, _) = stripped { stripped = inner }
        if case .literal(.integer(let number)) = stripped {
            guard number >= 1 && number <= Int64(columns.count) else {
                throw DatabaseError(.SQLITE_ERROR, "\(Self.ordinal(position + 1)) \(clause) BY term out of range - should be between 1 and \(columns.count)")
            }
            return columns[Int(number) - 1].expr
        }
        if clause == "ORDER", case .column(let reference) = stripped, reference.table == nil,
           let alias = scope.aliases.first(where: { $0.name.sqlEquals(reference.column.value) }) {
            return alias.expr
        }
        return nil
    }

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

extension CodeGenerator {
    /// The statement's text in `range` (ranges count bytes of the whole prepared string).
    func sourceText(_ range: SourceRange) -> String {
        let utf8 = Array(source.utf8)
        let base = parsed.range.start
        let start = min(max(range.start - base, 0), utf8.count)
        let end = min(max(range.end - base, start), utf8.count)
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    /// The KeyInfo of a WITHOUT ROWID table's records: the key columns, then the others
    /// (compared as BINARY, ascending).
    func withoutRowidKey(_ table: TableSchema, _ primary: IndexSchema) -> KeyDescription {
        var columns = primary.columns.map { KeyDescription.Column(collation: $0.collation == .binary ? nil : $0.collation, descending: $0.descending) }
        let stored = StorageLayout.storedColumns(of: table)
        while columns.count < stored.count { columns.append(KeyDescription.Column()) }
        return KeyDescription(columns: columns)
    }
}
