import BTree
import Pager
import VM

/// RETURNING on INSERT, UPDATE and DELETE as sqlite3 3.40 runs it (trigger.c's RETURNING
/// pseudo-trigger): each changed row's values are computed as the change happens (after an INSERT
/// or UPDATE writes the row, before a DELETE removes it) and kept in an ephemeral table; once every
/// change is made, the statement returns them in order.
struct ReturningClause {
    let gen: CodeGenerator
    let table: TableSchema
    private let exprs: [Expr]
    let names: [String]
    private let cursor: Int32

    /// Expands `*`, checks what sqlite3 refuses in a RETURNING list, and opens the ephemeral
    /// table the rows wait in.
    init(_ gen: CodeGenerator, _ list: [ResultColumn], table: TableSchema) throws(DatabaseError) {
        self.gen = gen
        self.table = table
        var exprs: [Expr] = []
        var names: [String] = []
        let scope = ExprScope(table: Self.scopeTable(table, cursor: 0))
        for column in list {
            switch column {
            case .all:
                for schemaColumn in table.columns {
                    exprs.append(.column(ColumnReference(table: Name(table.name), column: Name(schemaColumn.name))))
                    names.append(schemaColumn.name)
                }
            case .allFrom:
                throw DatabaseError(.SQLITE_ERROR, "RETURNING may not use \"TABLE.*\" wildcards")
            case .expr(let expr, let alias, let span):
                try Self.checkFunctions(expr, gen)
                try Self.refuseSubqueries(expr, gen)
                exprs.append(expr)
                names.append(alias?.value ?? Self.name(of: expr, span: span, scope: scope, gen: gen))
            }
        }
        self.exprs = exprs
        self.names = names
        cursor = gen.builder.allocateCursor()
        gen.builder.emit(.openEphemeral, cursor, Int32(exprs.count))
    }

    /// The scope of the new row of an INSERT or UPDATE, in registers (rowid at `rowid`, column i
    /// at `rowid + 1 + i`).
    func newRowScope(rowid: Int32) -> ExprScope {
        var scope = ExprScope(table: Self.scopeTable(table, cursor: -1))
        scope.row = .registers(rowid: rowid, firstColumn: rowid + 1)
        return scope
    }

    /// The scope of a row under `cursor` (a DELETE's row, before it goes).
    func cursorScope(_ cursor: Int32) -> ExprScope {
        ExprScope(table: Self.scopeTable(table, cursor: cursor))
    }

    /// The table as RETURNING's names see it. resolve.c turns a reference to the changed row into
    /// a TK_REGISTER whose iColumn is never set, so sqlite3ExprAffinity reads column 0's affinity
    /// for every column and the rowid: in comparisons, and for the REAL affinity of a result.
    private static func scopeTable(_ table: TableSchema, cursor: Int32) -> ScopeTable {
        var item = ScopeTable(table: table, exposedName: table.name, cursor: cursor)
        let quirk = table.columns.first?.affinity.code ?? AffinityCode.none
        item.affinities = Array(repeating: quirk, count: table.columns.count)
        item.rowidAffinity = quirk
        return item
    }

    /// Computes one returned row in `scope` and keeps it.
    func emitRow(_ scope: ExprScope) throws(DatabaseError) {
        let first = gen.builder.allocateRegisters(exprs.count)
        for (offset, expr) in exprs.enumerated() {
            let target = first + Int32(offset)
            if let key = bareColumn(expr, scope) {
                // sqlite3 3.40 returns a bare column's register as written (a whole REAL value
                // that MakeRecord held as an integer comes back as that integer).
                switch (scope.row, key) {
                case (.registers(let rowid, _), .rowid): gen.builder.emit(.sCopy, rowid, target)
                case (.registers(_, let firstColumn), .column(let index)): gen.builder.emit(.sCopy, firstColumn + Int32(index), target)
                default: gen.emitTableColumn(table, cursor: scope.table!.cursor, key, into: target)
                }
            } else {
                try gen.compileExpr(expr, scope, into: target)
            }
            // codeReturningTrigger: RealAffinity on each result whose sqlite3ExprAffinity is REAL
            // (for a reference to the row, column 0's: see scopeTable).
            if gen.exprAffinity(expr, scope) == AffinityCode.real { gen.builder.emit(.realAffinity, target) }
        }
        let record = gen.builder.allocateRegisters()
        let key = gen.builder.allocateRegisters()
        gen.builder.emit(.makeRecord, first, Int32(exprs.count), record)
        gen.builder.emit(.newRowid, cursor, key)
        gen.builder.emit(.insert, cursor, record, key, .none, OpFlag.append)
    }

    /// The column `expr` names without computing anything (a column reference, under COLLATE).
    private func bareColumn(_ expr: Expr, _ scope: ExprScope) -> ColumnKey? {
        switch expr {
        case .collate(let inner, _):
            return bareColumn(inner, scope)
        case .column(let reference):
            guard case .column(let column)? = try? gen.resolve(reference, in: scope), column.depth == 0 else { return nil }
            return column.slot.key
        default:
            return nil
        }
    }

    /// Returns the kept rows, after the last change.
    func emitOutput() {
        let end = gen.builder.makeLabel()
        gen.builder.emit(.rewind, cursor, jumpTo: end)
        let top = gen.builder.currentAddress
        let first = gen.builder.allocateRegisters(exprs.count)
        for index in exprs.indices {
            gen.builder.emit(.column, cursor, Int32(index), first + Int32(index))
        }
        gen.builder.emit(.resultRow, first, Int32(exprs.count))
        gen.builder.emit(.next, cursor, top)
        gen.builder.resolve(end)
    }

    /// Subqueries are refused for now: sqlite3 computes RETURNING in one trigger program, so an
    /// uncorrelated subquery runs once per statement (Ringlite compiles the row once per VALUES
    /// row and per upsert path, each with its own Once), and a DELETE's after the row is gone
    /// (Ringlite computes it before the Delete).
    private static func refuseSubqueries(_ expr: Expr, _ gen: CodeGenerator) throws(DatabaseError) {
        var found = false
        gen.walk(expr) { node in
            switch node {
            case .exists, .subquery, .inSelect, .inTable: found = true
            default: break
            }
            return !found
        }
        if found { throw SQLCompiler.notSupported("subqueries in RETURNING") }
    }

    /// Aggregate and window calls have no meaning per changed row; sqlite3 refuses them.
    private static func checkFunctions(_ expr: Expr, _ gen: CodeGenerator) throws(DatabaseError) {
        var failure: DatabaseError?
        gen.walk(expr) { node in
            guard failure == nil else { return false }
            if case .function(let call) = node {
                if call.over != nil {
                    failure = DatabaseError(.SQLITE_ERROR, "misuse of window function \(call.name.value)()")
                } else if gen.isAggregateCall(call) {
                    failure = DatabaseError(.SQLITE_ERROR, "misuse of aggregate function \(call.name.value)()")
                }
            }
            return failure == nil
        }
        if let failure { throw failure }
    }

    /// sqlite3_column_name of an unaliased item: a column's own name (the INTEGER PRIMARY KEY's
    /// for the rowid), else the expression as written.
    private static func name(of expr: Expr, span: SourceRange, scope: ExprScope, gen: CodeGenerator) -> String {
        if case .column(let reference) = expr, case .column(let column)? = try? gen.resolve(reference, in: scope) {
            switch column.slot.key {
            case .column(let index): return scope.table!.table.columns[index].name
            case .rowid:
                if let alias = scope.table!.table.rowidAlias { return scope.table!.table.columns[alias].name }
                return reference.column.value
            }
        }
        return gen.sourceText(span)
    }
}
