import BTree
import Pager
import VM

/// Compiles one SELECT core with the ORDER BY and LIMIT that apply to it (select.c
/// sqlite3Select): the FROM items joined in nested loops, result columns, WHERE, DISTINCT,
/// GROUP BY/HAVING/aggregates, ORDER BY through a sorter, LIMIT/OFFSET. Compounds, VALUES and
/// WITH are handled around it by `compileQuery`.
struct SelectCompiler {
    let gen: CodeGenerator
    let clause: SelectClause
    let orderBy: [OrderingTerm]
    let limit: Limit?
    /// The enclosing query, when this is a subquery.
    let outer: OuterScope?
    /// The FROM items in FROM order, with their cursors.
    let from: [FromTerm]

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

    /// The statement-level entry point, for SELECT statements and INSERT ... SELECT.
    init(_ gen: CodeGenerator, _ select: Select) throws(DatabaseError) {
        self.gen = gen
        self.clause = SelectClause(columns: [])
        self.orderBy = []
        self.limit = nil
        self.outer = nil
        self.from = []
        self.statement = select
    }

    /// The whole statement, for the statement-level entry points.
    private var statement: Select?

    /// One core. Allocates the FROM items' cursors (`describeOnly`: none, for working out a
    /// subquery's column types without emitting code).
    init(_ gen: CodeGenerator, core clause: SelectClause, orderBy: [OrderingTerm], limit: Limit?,
         outer: OuterScope?, describeOnly: Bool = false) throws(DatabaseError) {
        self.gen = gen
        self.limit = limit
        self.outer = outer
        self.from = try gen.fromTerms(clause.from, outer: outer, describeOnly: describeOnly)
        (self.clause, self.orderBy) = try Self.resolvingWindowReferences(clause, orderBy)
    }

    func compile() throws(DatabaseError) -> Program {
        guard let statement else { preconditionFailure("compile() of a core") }
        let columns = try gen.compileQuery(statement, outer: nil, destination: .resultRow)
        return try gen.finish(columnNames: columns.map(\.name), declaredTypes: columns.map(\.declaredType))
    }

    /// Compiles the query with its rows going into the ephemeral table `cursor` (for INSERT ...
    /// SELECT); returns the number of result columns.
    func compileRows(into cursor: Int32) throws(DatabaseError) -> Int {
        guard let statement else { preconditionFailure("compileRows() of a core") }
        return try gen.compileQuery(statement, outer: nil, destination: .table(cursor)).count
    }

    /// The scope the core's expressions are compiled in.
    var scope: ExprScope { ExprScope(tables: from.map(\.item), outer: outer) }

    /// The result columns (expanded and named) of the core, without compiling anything.
    func describeColumns() throws(DatabaseError) -> [OutputColumn] {
        try resultColumns(scope).map(\.column)
    }

    func compileBody(destination: OutputStage.Destination) throws(DatabaseError) -> [OutputColumn] {
        var scope = self.scope
        let results = try resultColumns(scope)
        scope.aliases = results.compactMap { column in
            if case .expr(_, let alias?, _) = column.source { return (alias.value, column.column.expr) }
            return nil
        }
        let columns = results.map(\.column)
        let sortKeys = try orderByKeys(columns, scope)
        // sqlite3 decides from GROUP BY and the result columns alone (an aggregate only in
        // HAVING or ORDER BY is an error).
        let isAggregate = !clause.groupBy.isEmpty || columns.contains { gen.firstAggregate(in: $0.expr) != nil }
        if clause.having != nil && !isAggregate {
            throw DatabaseError(.SQLITE_ERROR, "HAVING clause on a non-aggregate query")
        }
        if let condition = clause.where, let call = gen.firstAggregate(in: condition) {
            throw DatabaseError(.SQLITE_ERROR, "misuse of aggregate: \(call)")
        }
        // Window functions: the output reads the rows the window passes produce.
        let windows = try WindowStage(gen, columns: columns, sortKeys: sortKeys, scope: scope)
        // A scan in ORDER BY's order needs no sorter (windows reorder the rows); one in GROUP BY's
        // order needs none for the groups, nor for an ORDER BY of the leading group keys.
        let ordered = isAggregate || windows != nil ? nil : try orderedScan(sortKeys, scope)
        var groupedScan: OrderedScan?
        var groupOrderSatisfied = false
        if isAggregate, windows == nil, !clause.groupBy.isEmpty {
            let keys = try groupKeys(columns, scope)
            // Backwards when that gives a descending ORDER BY too.
            let descending = !sortKeys.isEmpty && sortKeys.allSatisfy(\.descending)
            var found = descending ? try groupScan(keys, scope, descending: true) : nil
            var foundDescending = found != nil
            if found == nil {
                found = try groupScan(keys, scope, descending: false)
                foundDescending = false
            }
            if let found {
                groupedScan = found.scan
                if let grouped = scanKeys(found.order, scope), let ordering = scanKeys(sortKeys.map(\.expr), scope),
                   sortKeys.allSatisfy({ $0.descending == foundDescending }), ordering.count <= grouped.count,
                   zip(ordering, grouped).allSatisfy({ $0.key == $1.key && $0.collation == $1.collation }) {
                    groupOrderSatisfied = true
                }
            }
        }
        let sorting = ordered == nil && !groupOrderSatisfied ? windows?.sortKeys ?? sortKeys : []
        // As in sqlite3: the sorter and DISTINCT's table, LIMIT, then the tables' cursors.
        let output = try OutputStage(gen, columns: windows?.columns ?? columns, sortKeys: sorting,
                                     distinct: clause.quantifier == .distinct, limit: limit,
                                     scope: windows?.outputScope ?? scope, destination: destination)
        windows?.open(gen)
        let consumer: any RowConsumer = windows ?? output
        if isAggregate, windows == nil, let counted = simpleCountTable(columns, sortKeys: sortKeys) {
            try emitSimpleCount(counted, columns, scope: scope, output: consumer)
        } else if isAggregate {
            try openFromItems(scope)
            try compileAggregate(columns, sortKeys: sortKeys, scope: scope, output: consumer, groupedScan: groupedScan)
        } else {
            try openFromItems(scope)
            try forEachRow(scope, ordered: ordered) { (next) throws(DatabaseError) in
                try consumer.emitRow(gen, scope: scope, skip: next)
            }
        }
        try windows?.finish(gen, output: output)
        if clause.quantifier == .distinct { gen.explain("USE TEMP B-TREE FOR DISTINCT") }
        if !sorting.isEmpty { gen.explain("USE TEMP B-TREE FOR ORDER BY") }
        try output.finish(gen)
        return columns
    }

    // MARK: ORDER BY

    /// ORDER BY terms as sort keys: a number picks a result column, a bare name that is a
    /// result alias picks that column, anything else is an expression (resolveOrderGroupBy).
    private func orderByKeys(_ columns: [OutputColumn], _ scope: ExprScope) throws(DatabaseError) -> [SortKey] {
        var keys: [SortKey] = []
        for (position, term) in orderBy.enumerated() {
            var expr = try resultColumnReference(term.expr, columns, scope, clause: "ORDER", position: position) ?? term.expr
            if case .collate(_, let name) = term.expr, expr != term.expr {
                expr = .collate(expr, name)
            }
            keys += Self.sortKeys(expr, term)
        }
        return keys
    }

    /// The keys one ORDER BY term sorts on: NULLs sort first ascending and last descending; the
    /// other order sorts on "x IS NULL" first.
    static func sortKeys(_ expr: Expr, _ term: OrderingTerm) -> [SortKey] {
        let descending = term.order == .descending
        var keys: [SortKey] = []
        if let nulls = term.nulls, (nulls == .last) != descending {
            keys.append(SortKey(expr: .isNull(expr), descending: nulls == .first))
        }
        keys.append(SortKey(expr: expr, descending: descending))
        return keys
    }

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
