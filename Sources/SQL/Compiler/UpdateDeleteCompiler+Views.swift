import BTree
import Pager
import VM

/// Writing a view through its INSTEAD OF triggers (update.c and delete.c with isView): the
/// view's rows that WHERE selects are materialized first (sqlite3MaterializeView), then each one
/// fires the triggers with OLD as the row (its rowid the row's number in that set) and, for
/// UPDATE, NEW as the row with the SET applied. Nothing is written but what the triggers write,
/// and changes() counts nothing.
extension CodeGenerator {
    /// The view `name` names, as a table of its columns, and its INSTEAD OF triggers for
    /// `event`; nil when `name` is not a view or the view has no such trigger (then writing it
    /// is the "cannot modify" error of `table(_:)`).
    func insteadOfTarget(_ name: QualifiedName, _ event: TriggerEventKind,
                         setting columns: [String] = []) throws(DatabaseError) -> (TableSchema, [TriggerSchema])? {
        if let schemaName = name.schema, !schemaName.value.sqlEquals("main") { return nil }
        guard let view = schema.view(name.name.value) else { return nil }
        let triggers = self.triggers(on: view.name, event, .insteadOf, setting: columns)
        guard !triggers.isEmpty else { return nil }
        let source = FromClause(first: .table(name, alias: nil, indexHint: nil))
        let item = try fromTerms(source, outer: nil, describeOnly: true)[0].item
        return (item.table, triggers)
    }
}

extension UpdateDeleteCompiler {
    /// The rows of the view that `condition` selects, in an ephemeral table that the returned
    /// FROM item reads.
    private func materializeView(_ name: QualifiedName, alias: Name?, condition: Expr?) throws(DatabaseError) -> ScopeTable {
        let source = FromClause(first: .table(name, alias: alias, indexHint: nil))
        let item = try gen.fromTerms(source, outer: nil, describeOnly: false)[0].item
        gen.builder.emit(.openEphemeral, item.cursor, Int32(item.table.columns.count))
        if let condition, let call = gen.firstAggregate(in: condition) {
            throw DatabaseError(.SQLITE_ERROR, "misuse of aggregate function \(call)")
        }
        let select = Select(first: .select(SelectClause(columns: [.all], from: source, where: condition)))
        _ = try gen.compileQuery(select, outer: nil, destination: .table(item.cursor))
        return item
    }

    /// OLD: the materialized row's number and columns.
    private func loadViewRow(_ item: ScopeTable) -> RegisterRow {
        let count = item.table.columns.count
        let first = gen.builder.allocateRegisters(count + 1)
        gen.builder.emit(.rowid, item.cursor, first)
        for index in 0..<count {
            gen.builder.emit(.column, item.cursor, Int32(index), first + 1 + Int32(index))
        }
        return RegisterRow(rowid: first, firstColumn: first + 1)
    }

    func emitViewDelete(_ statement: DeleteStatement, view: TableSchema,
                        triggers: [TriggerSchema]) throws(DatabaseError) {
        if statement.returning != nil { throw SQLCompiler.notSupported("RETURNING on a view") }
        let item = try materializeView(statement.table, alias: statement.alias, condition: statement.where)
        try forEachRow(of: item) { (next) throws(DatabaseError) in
            let old = loadViewRow(item)
            try gen.fireTriggers(triggers, table: view, new: nil, old: old, conflict: nil, ignore: next)
        }
    }

    func emitViewUpdate(_ statement: UpdateStatement, view: TableSchema,
                        triggers: [TriggerSchema]) throws(DatabaseError) {
        if statement.returning != nil { throw SQLCompiler.notSupported("RETURNING on a view") }
        let assignments = try assignmentMap(statement.set, view)
        for value in assignments.values {
            if let call = gen.firstAggregate(in: value) { throw DatabaseError(.SQLITE_ERROR, "misuse of aggregate function \(call)") }
        }
        let item = try materializeView(statement.table, alias: statement.alias, condition: statement.where)
        let scope = ExprScope(table: item)
        try forEachRow(of: item) { (next) throws(DatabaseError) in
            let old = loadViewRow(item)
            let count = view.columns.count
            let new = gen.builder.allocateRegisters(count + 1)
            if let value = assignments[.rowid] {
                try gen.compileExpr(value, scope, into: new)
            } else {
                gen.builder.emit(.sCopy, old.rowid, new)
            }
            for index in 0..<count {
                if let value = assignments[.column(index)] {
                    try gen.compileExpr(value, scope, into: new + 1 + Int32(index))
                } else {
                    gen.builder.emit(.sCopy, old.firstColumn + Int32(index), new + 1 + Int32(index))
                }
            }
            try gen.fireTriggers(triggers, table: view, new: RegisterRow(rowid: new, firstColumn: new + 1), old: old,
                                 conflict: statement.orConflict, ignore: next)
        }
    }

    /// Runs `body` for each row of the materialized view; `body` gets the label of the next row.
    private func forEachRow(of item: ScopeTable,
                            _ body: (ProgramBuilder.Label) throws(DatabaseError) -> Void) throws(DatabaseError) {
        let end = gen.builder.makeLabel()
        let next = gen.builder.makeLabel()
        gen.builder.emit(.rewind, item.cursor, jumpTo: end)
        let top = gen.builder.currentAddress
        try body(next)
        gen.builder.resolve(next)
        gen.builder.emit(.next, item.cursor, top)
        gen.builder.resolve(end)
    }
}
