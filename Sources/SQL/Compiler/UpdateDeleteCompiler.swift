import BTree
import Pager
import VM

/// UPDATE and DELETE of a rowid table (update.c, delete.c). Both run in two passes: the rowids
/// of the rows WHERE selects are gathered in an ephemeral table first, then each row still
/// there is changed or deleted, so the changes never affect which rows are visited.
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
        if let condition { try gen.jumpIfFalse(condition, scope, to: loop.next, jumpIfNull: true) }
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
        if !gen.schema.triggers(on: table.name).isEmpty { throw SQLCompiler.notSupported("triggers") }
    }

    func compileDelete(_ statement: DeleteStatement) throws(DatabaseError) -> Program {
        let table = try gen.table(statement.table)
        try refuseExtras(with: statement.with, orderBy: statement.orderBy,
                         limit: statement.limit, table: table)
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
        if let returning { try returning.emitRow(returning.cursorScope(writer.cursor)) }
        try writer.emitDeleteIndexEntries()
        gen.builder.emit(.delete, writer.cursor, Int32(OpFlag.nChange), 0, .table(TableDescription(name: table.name)))
        gen.builder.resolve(next)
        gen.builder.emit(.next, rowids, top)
        gen.builder.resolve(end)
        returning?.emitOutput()
        return try gen.finish(columnNames: returning?.names ?? [])
    }

    func compileUpdate(_ statement: UpdateStatement) throws(DatabaseError) -> Program {
        let table = try gen.table(statement.table)
        try refuseExtras(with: statement.with, orderBy: statement.orderBy,
                         limit: statement.limit, table: table)
        if statement.from != nil { throw SQLCompiler.notSupported("UPDATE ... FROM") }
        let assignments = try assignmentMap(statement.set, table)
        let writer = try TableWriter(gen, table, override: statement.orConflict)
        let rowScope = scope(writer, alias: statement.alias)
        for value in assignments.values {
            if let call = gen.firstAggregate(in: value) { throw DatabaseError(.SQLITE_ERROR, "misuse of aggregate function \(call)") }
        }
        let rowids = try collectRowids(writer, rowScope, condition: statement.where, indexHint: statement.indexHint)
        let returning = try statement.returning.map { (list) throws(DatabaseError) in try ReturningClause(gen, list, table: table) }
        let end = gen.builder.makeLabel()
        let next = gen.builder.makeLabel()
        gen.builder.emit(.rewind, rowids, jumpTo: end)
        let top = gen.builder.currentAddress
        let oldRowid = gen.builder.allocateRegisters()
        gen.builder.emit(.rowid, rowids, oldRowid)
        gen.builder.emit(.notExists, writer.cursor, jumpTo: next, oldRowid)

        try emitRowUpdate(writer, assignments, rowScope, oldRowid: oldRowid, skip: next, returning: returning)
        gen.builder.resolve(next)
        gen.builder.emit(.next, rowids, top)
        gen.builder.resolve(end)
        returning?.emitOutput()
        return try gen.finish(columnNames: returning?.names ?? [])
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
                       returning: ReturningClause? = nil) throws(DatabaseError) {
        let table = writer.table
        let newRowid = gen.builder.allocateRegisters(table.columns.count + 1)
        for index in table.columns.indices where index != table.rowidAlias {
            let register = newRowid + 1 + Int32(index)
            if let value = assignments[.column(index)] {
                try gen.compileExpr(value, rowScope, into: register)
            } else {
                gen.emitTableColumn(table, cursor: writer.cursor, .column(index), into: register)
            }
        }
        let rowidChanges = assignments[.rowid] != nil
        if let value = assignments[.rowid] {
            try gen.compileExpr(value, rowScope, into: newRowid)
            gen.builder.emit(.mustBeInt, newRowid, 0)
        } else {
            gen.builder.emit(.sCopy, oldRowid, newRowid)
        }
        if let ipk = table.rowidAlias { gen.builder.emit(.softNull, newRowid + 1 + Int32(ipk)) }
        try writer.checkConstraints(rowid: newRowid, ignore: next, checkRowid: rowidChanges, oldRowid: oldRowid)
        // A REPLACE may have moved the cursor: back to the row, then out with its old entries.
        gen.builder.emit(.notExists, writer.cursor, jumpTo: next, oldRowid)
        try writer.emitDeleteIndexEntries()
        if rowidChanges { gen.builder.emit(.delete, writer.cursor, 0) }
        try writer.insertRow(rowid: newRowid, flags: OpFlag.nChange | OpFlag.isUpdate)
        if let returning { try returning.emitRow(returning.newRowScope(rowid: newRowid)) }
    }
}
