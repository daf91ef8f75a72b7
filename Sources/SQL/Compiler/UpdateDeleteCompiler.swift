import BTree
import Pager
import VM

/// UPDATE and DELETE of a rowid table (update.c, delete.c). In two passes: the rowids of the
/// rows WHERE selects are gathered in an ephemeral table first, then each row still there is
/// changed or deleted, so the changes never affect which rows are visited. Where a change
/// cannot affect the visit, in one pass (UpdateDeleteCompiler+OnePass.swift).
struct UpdateDeleteCompiler {
    let gen: CodeGenerator

    /// Pass one: the rowids of the rows that satisfy `condition`, in an ephemeral table.
    private func collectRowids(_ writer: TableWriter, _ scope: ExprScope, condition: Expr?,
                               indexHint: IndexHint?) throws(DatabaseError) -> Int32 {
        let rowids = gen.builder.allocateCursor()
        gen.builder.emit(.openEphemeral, rowids, 0)
        if let condition, let call = gen.firstAggregate(in: condition) {
            throw DatabaseError(.SQLITE_ERROR, "misuse of aggregate function \(call)")
        }
        let plan = try gen.plan(gen.conjuncts(condition), scope, indexHint: indexHint)
        var indexCursor: Int32?
        if case .index = plan { indexCursor = gen.builder.allocateCursor() }
        let loop = try gen.beginLoop(plan, scope, indexCursor: indexCursor)
        // The terms the loop's seeks make need no test (disableTerm).
        var consumed = plan.consumed
        for term in gen.conjuncts(condition) {
            if let found = consumed.firstIndex(of: term) { consumed.remove(at: found); continue }
            try gen.jumpIfFalse(term, scope, to: loop.next, jumpIfNull: true)
        }
        let rowid = gen.builder.allocateRegisters()
        let empty = gen.builder.allocateRegisters()
        gen.builder.emit(.rowid, writer.cursor, rowid)
        gen.builder.emit(.null, 0, empty)
        gen.builder.emit(.insert, rowids, empty, rowid)
        gen.endLoop(loop)
        return rowids
    }

    private func scope(_ writer: TableWriter, alias: Name?) -> ExprScope {
        ExprScope(table: ScopeTable(table: writer.table, exposedName: alias?.value ?? writer.table.name, cursor: writer.cursor))
    }

    private func refuseExtras(with: WithClause?, orderBy: [OrderingTerm], limit: Limit?,
                              table: TableSchema) throws(DatabaseError) {
        if with != nil { throw SQLCompiler.notSupported("WITH clauses") }
        if !orderBy.isEmpty || limit != nil { throw SQLCompiler.notSupported("ORDER BY and LIMIT on UPDATE and DELETE") }
    }

    func compileDelete(_ statement: DeleteStatement) throws(DatabaseError) -> Program {
        let returning = try emitDelete(statement)
        returning?.emitOutput()
        return try gen.finish(columnNames: returning?.names ?? [])
    }

    /// The DELETE's code without the program's frame (also a step of a trigger program); its
    /// RETURNING clause, whose rows the caller outputs.
    @discardableResult
    func emitDelete(_ statement: DeleteStatement) throws(DatabaseError) -> ReturningClause? {
        if let (view, triggers) = try gen.insteadOfTarget(statement.table, .delete) {
            try refuseExtras(with: statement.with, orderBy: statement.orderBy, limit: statement.limit, table: view)
            try emitViewDelete(statement, view: view, triggers: triggers)
            return nil
        }
        let table = try gen.table(statement.table)
        try refuseExtras(with: statement.with, orderBy: statement.orderBy,
                         limit: statement.limit, table: table)
        let before = gen.triggers(on: table.name, .delete, .before)
        let after = gen.triggers(on: table.name, .delete, .after)
        if let (mode, plan) = try onePassMode(table, alias: statement.alias, condition: statement.where,
                                              indexHint: statement.indexHint,
                                              hasTriggers: !before.isEmpty || !after.isEmpty,
                                              hasReturning: statement.returning != nil, rowsMove: false,
                                              throughIndex: true) {
            try emitOnePassDelete(statement, table, mode: mode, plan: plan)
            return nil
        }
        let writer = try TableWriter(gen, table, override: nil)
        let rowScope = scope(writer, alias: statement.alias)
        let rowids = try collectRowids(writer, rowScope, condition: statement.where, indexHint: statement.indexHint)
        let returning = try statement.returning.map { (list) throws(DatabaseError) in try ReturningClause(gen, list, table: table) }
        let end = gen.builder.makeLabel()
        let next = gen.builder.makeLabel()
        gen.builder.emit(.rewind, rowids, jumpTo: end)
        let top = gen.builder.currentAddress
        let rowid = gen.builder.allocateRegisters()
        gen.builder.emit(.rowid, rowids, rowid)
        gen.builder.emit(.notExists, writer.cursor, jumpTo: next, rowid)
        var old: RegisterRow?
        if !before.isEmpty || !after.isEmpty { old = loadRow(writer, rowid: rowid) }
        if !before.isEmpty, let old {
            try gen.fireTriggers(before, table: table, new: nil, old: old, conflict: nil, ignore: next)
            // The trigger may have deleted the row (delete.c sqlite3GenerateRowDelete).
            gen.builder.emit(.notExists, writer.cursor, jumpTo: next, rowid)
        }
        if let returning { try returning.emitRow(returning.cursorScope(writer.cursor)) }
        try writer.emitDeleteIndexEntries()
        gen.builder.emit(.delete, writer.cursor, Int32(gen.changeFlag), 0, .table(TableDescription(name: table.name)))
        if !after.isEmpty, let old {
            try gen.fireTriggers(after, table: table, new: nil, old: old, conflict: nil, ignore: next)
        }
        gen.builder.resolve(next)
        gen.builder.emit(.next, rowids, top)
        gen.builder.resolve(end)
        return returning
    }

    /// OLD for triggers: the rowid and every column of the row the writer's cursor is on.
    func loadRow(_ writer: TableWriter, rowid: Int32) -> RegisterRow {
        let table = writer.table
        let first = gen.builder.allocateRegisters(table.columns.count + 1)
        gen.builder.emit(.sCopy, rowid, first)
        for index in table.columns.indices {
            let key: ColumnKey = index == table.rowidAlias ? .rowid : .column(index)
            gen.emitTableColumn(table, cursor: writer.cursor, key, into: first + 1 + Int32(index))
        }
        return RegisterRow(rowid: first, firstColumn: first + 1)
    }

    /// The BEFORE and AFTER UPDATE triggers of `table` that a SET of `set` fires.
    func updateTriggers(_ table: TableSchema, _ set: [SetAssignment]) -> UpdateTriggers {
        let names = set.flatMap { $0.columns.map(\.value) }
        return UpdateTriggers(before: gen.triggers(on: table.name, .update, .before, setting: names),
                              after: gen.triggers(on: table.name, .update, .after, setting: names))
    }

    func compileUpdate(_ statement: UpdateStatement) throws(DatabaseError) -> Program {
        let returning = try emitUpdate(statement)
        returning?.emitOutput()
        return try gen.finish(columnNames: returning?.names ?? [])
    }

    /// The UPDATE's code without the program's frame (also a step of a trigger program); its
    /// RETURNING clause, whose rows the caller outputs.
    @discardableResult
    func emitUpdate(_ statement: UpdateStatement) throws(DatabaseError) -> ReturningClause? {
        let names = statement.set.flatMap { $0.columns.map(\.value) }
        if let (view, triggers) = try gen.insteadOfTarget(statement.table, .update, setting: names) {
            try refuseExtras(with: statement.with, orderBy: statement.orderBy, limit: statement.limit, table: view)
            if statement.from != nil { throw SQLCompiler.notSupported("UPDATE ... FROM") }
            try emitViewUpdate(statement, view: view, triggers: triggers)
            return nil
        }
        let table = try gen.table(statement.table)
        try refuseExtras(with: statement.with, orderBy: statement.orderBy,
                         limit: statement.limit, table: table)
        let triggers = updateTriggers(table, statement.set)
        let assignments = try assignmentMap(statement.set, table)
        if statement.from == nil, assignments[.rowid] == nil,
           let (mode, plan) = try onePassMode(table, alias: statement.alias, condition: statement.where,
                                              indexHint: statement.indexHint,
                                              hasTriggers: !triggers.before.isEmpty || !triggers.after.isEmpty,
                                              hasReturning: statement.returning != nil,
                                              rowsMove: Self.mayReplace(table, override: statement.orConflict)) {
            try emitOnePassUpdate(statement, table, assignments, mode: mode, plan: plan)
            return nil
        }
        let writer = try TableWriter(gen, table, override: statement.orConflict)
        let rowScope = scope(writer, alias: statement.alias)
        // With FROM, the SET values are result columns of a join, where aggregates are allowed.
        for value in assignments.values where statement.from == nil {
            if let call = gen.firstAggregate(in: value) { throw DatabaseError(.SQLITE_ERROR, "misuse of aggregate function \(call)") }
        }
        let rowids: Int32
        var joined: JoinedValues?
        if let from = statement.from {
            joined = try collectJoinedRows(statement, from: from, table: table, assignments: assignments)
            rowids = joined!.cursor
        } else {
            rowids = try collectRowids(writer, rowScope, condition: statement.where, indexHint: statement.indexHint)
        }
        let returning = try statement.returning.map { (list) throws(DatabaseError) in try ReturningClause(gen, list, table: table) }
        let end = gen.builder.makeLabel()
        let next = gen.builder.makeLabel()
        gen.builder.emit(.rewind, rowids, jumpTo: end)
        let top = gen.builder.currentAddress
        let oldRowid = gen.builder.allocateRegisters()
        gen.builder.emit(.rowid, rowids, oldRowid)
        gen.builder.emit(.notExists, writer.cursor, jumpTo: next, oldRowid)

        try emitRowUpdate(writer, assignments, rowScope, oldRowid: oldRowid, skip: next, returning: returning,
                          triggers: triggers, joined: joined)
        gen.builder.resolve(next)
        gen.builder.emit(.next, rowids, top)
        gen.builder.resolve(end)
        return returning
    }

    /// Which of the table's indexes an UPDATE setting these columns can change the row's entry
    /// in (update.c: indexColumnIsBeingUpdated, indexWhereClauseMightChange): every one when
    /// the rowid changes (each entry ends with it); an index on columns when one of them is
    /// set; an index with expression terms or a WHERE clause always (Ringlite does not look
    /// into the expressions; rewriting such an entry is only extra work).
    static func indexesChanged(by assignments: [ColumnKey: Expr], in table: TableSchema,
                               joined: JoinedValues?) -> [Bool] {
        var changed = Set(assignments.keys)
        if let joined { changed.formUnion(joined.fields.keys) }
        if changed.contains(.rowid) { return table.indexes.map { _ in true } }
        return table.indexes.map { index in
            guard index.predicate == nil else { return true }
            return index.columns.contains { column in
                switch column.term {
                case .column(let position): changed.contains(.column(position))
                case .expression: true
                }
            }
        }
    }

    /// The assignments of a SET list by column: the last one of a column wins, as in sqlite3.
    func assignmentMap(_ set: [SetAssignment], _ table: TableSchema) throws(DatabaseError) -> [ColumnKey: Expr] {
        var assignments: [ColumnKey: Expr] = [:]
        for assignment in set {
            guard assignment.columns.count == 1 else { throw SQLCompiler.notSupported("row values") }
            if case .vector = assignment.value { throw SQLCompiler.notSupported("row values") }
            let name = assignment.columns[0].value
            if let index = table.column(named: name) {
                assignments[index == table.rowidAlias ? .rowid : .column(index)] = assignment.value
            } else if !table.withoutRowid, ["rowid", "oid", "_rowid_"].contains(where: { $0.sqlEquals(name) }) {
                assignments[.rowid] = assignment.value
            } else {
                throw DatabaseError(.SQLITE_ERROR, "no such column: \(name)")
            }
        }
        return assignments
    }

    /// The new row, computed from the row the writer's cursor is on (its rowid in `oldRowid`),
    /// checked and written in its place; a row the checks drop (OR IGNORE) goes to `skip`.
    func emitRowUpdate(_ writer: TableWriter, _ assignments: [ColumnKey: Expr], _ rowScope: ExprScope,
                       oldRowid: Int32, skip next: ProgramBuilder.Label,
                       returning: ReturningClause? = nil, triggers: UpdateTriggers,
                       joined: JoinedValues? = nil) throws(DatabaseError) {
        let table = writer.table
        var writer = writer
        writer.maintainedIndexes = Self.indexesChanged(by: assignments, in: table, joined: joined)
        var old: RegisterRow?
        if !triggers.before.isEmpty || !triggers.after.isEmpty { old = loadRow(writer, rowid: oldRowid) }
        let newRowid = gen.builder.allocateRegisters(table.columns.count + 1)
        for index in table.columns.indices where index != table.rowidAlias {
            let register = newRowid + 1 + Int32(index)
            if let field = joined?.fields[.column(index)] {
                gen.builder.emit(.column, joined!.cursor, field, register)
            } else if let value = assignments[.column(index)] {
                try gen.compileExpr(value, rowScope, into: register)
            } else {
                gen.emitTableColumn(table, cursor: writer.cursor, .column(index), into: register)
            }
        }
        let rowidChanges = assignments[.rowid] != nil
        if let field = joined?.fields[.rowid] {
            gen.builder.emit(.column, joined!.cursor, field, newRowid)
            gen.builder.emit(.mustBeInt, newRowid, 0)
        } else if let value = assignments[.rowid] {
            try gen.compileExpr(value, rowScope, into: newRowid)
            gen.builder.emit(.mustBeInt, newRowid, 0)
        } else {
            gen.builder.emit(.sCopy, oldRowid, newRowid)
        }
        if let ipk = table.rowidAlias { gen.builder.emit(.softNull, newRowid + 1 + Int32(ipk)) }
        if !triggers.before.isEmpty, let old {
            writer.applyAffinity(newRowid + 1)
            try gen.fireTriggers(triggers.before, table: table, new: RegisterRow(rowid: newRowid, firstColumn: newRowid + 1),
                                 old: old, conflict: writer.override, ignore: next)
            // The triggers may have deleted the row, or changed the columns the SET leaves: those
            // are read again (update.c's After-BEFORE-trigger-reload-loop).
            gen.builder.emit(.notExists, writer.cursor, jumpTo: next, oldRowid)
            for index in table.columns.indices where index != table.rowidAlias && assignments[.column(index)] == nil {
                gen.emitTableColumn(table, cursor: writer.cursor, .column(index), into: newRowid + 1 + Int32(index))
            }
        }
        try writer.checkConstraints(rowid: newRowid, ignore: next, checkRowid: rowidChanges, oldRowid: oldRowid)
        // A REPLACE may have moved the cursor: back to the row, then out with its old entries.
        gen.builder.emit(.notExists, writer.cursor, jumpTo: next, oldRowid)
        try writer.emitDeleteIndexEntries(maintainedOnly: true)
        if rowidChanges { gen.builder.emit(.delete, writer.cursor, 0) }
        try writer.insertRow(rowid: newRowid, flags: gen.changeFlag | OpFlag.isUpdate)
        if let returning { try returning.emitRow(returning.newRowScope(rowid: newRowid)) }
        if !triggers.after.isEmpty, let old {
            let new = gen.builder.allocateRegisters(table.columns.count + 1)
            gen.builder.emit(.copy, newRowid, new, Int32(table.columns.count))
            writer.applyAffinity(new + 1)
            try gen.fireTriggers(triggers.after, table: table, new: RegisterRow(rowid: new, firstColumn: new + 1),
                                 old: old, conflict: writer.override, ignore: next)
        }
    }
}

/// The triggers an UPDATE (or an upsert's DO UPDATE) fires for each row.
struct UpdateTriggers {
    var before: [TriggerSchema] = []
    var after: [TriggerSchema] = []
}
