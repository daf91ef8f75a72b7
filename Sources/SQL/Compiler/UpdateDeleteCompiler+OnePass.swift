import BTree
import Pager
import VM

/// UPDATE and DELETE in one pass (sqlite3's ONEPASS strategy, where.c sqlite3WhereOkOnePass):
/// each row is changed as the WHERE loop reaches it, with no ephemeral list of rowids. Only
/// where that gives the two-pass results:
/// - SINGLE: a rowid equality lookup, which reaches at most one row;
/// - MULTI: a scan of the table in rowid order (whole or a rowid range) whose WHERE clause reads
///   only the current row (no subquery), when no row is moved: no triggers, no REPLACE, the rowid
///   not assigned. The b-tree cursor keeps its position across a row's delete or rewrite, so Next
///   goes on with the row after it.
/// A DELETE may also walk an index search in one pass (MULTI): the entry is deleted through the
/// index cursor, which then goes on with the next one. UPDATEs through an index and IN lookups
/// keep two passes (a change to the index being walked could be met again), as do statements
/// with triggers or RETURNING.
extension UpdateDeleteCompiler {
    enum OnePass {
        case single
        case multi
    }

    /// The one-pass mode of a write to `table` whose WHERE clause is `condition`, and its plan;
    /// nil when the statement needs two passes. `rowsMove`: the statement may move or delete other
    /// rows than the current one (REPLACE) or change a rowid.
    func onePassMode(_ table: TableSchema, alias: Name?, condition: Expr?, indexHint: IndexHint?, hasTriggers: Bool,
                     hasReturning: Bool, rowsMove: Bool, throughIndex: Bool = false) throws(DatabaseError) -> (OnePass, AccessPlan)? {
        guard !hasTriggers, !hasReturning, !table.withoutRowid, !table.name.sqlEquals(Schema.schemaTableName),
              !table.columns.contains(where: { $0.generated != nil }) else { return nil }
        if let condition, gen.firstAggregate(in: condition) != nil { return nil }
        // Planning reads no cursor number: the writer's cursor is allocated afterwards.
        let scope = ExprScope(table: ScopeTable(table: table, exposedName: alias?.value ?? table.name, cursor: -1))
        let plan = try gen.plan(gen.conjuncts(condition), scope, indexHint: indexHint)
        switch plan {
        case .rowidEquals:
            return (.single, plan)
        case .fullScan, .rowidRange:
            guard !rowsMove, !readsSubquery(condition) else { return nil }
            return (.multi, plan)
        case .index(_, let equals, _, _, let covering, _):
            precondition(!covering, "a write planned a covering index")
            guard throughIndex, !rowsMove, !readsSubquery(condition), !equals.contains(where: CodeGenerator.isInList)
            else { return nil }
            return (.multi, plan)
        case .rowidIn, .rowidInSelect:
            return nil
        }
    }

    private func readsSubquery(_ condition: Expr?) -> Bool {
        guard let condition else { return false }
        var found = false
        gen.walk(condition) { (node: Expr) -> Bool in
            switch node {
            case .exists, .subquery, .inSelect, .inTable: found = true
            default: break
            }
            return !found
        }
        return found
    }

    /// OP_Delete's P5 OPFLAG_AUXDELETE: another Delete of the same row follows (the VM needs no
    /// more than the position it keeps anyway).
    static let auxiliaryDelete: UInt16 = 0x04

    /// Whether a write with the OR clause `override` may resolve a conflict by REPLACE, which
    /// deletes other rows and moves the table cursor.
    static func mayReplace(_ table: TableSchema, override: ConflictResolution?) -> Bool {
        if let override { return override == .replace }
        return table.indexes.contains { $0.onConflict == .replace } || table.columns.contains { $0.notNull == .replace }
    }

    /// Opens the WHERE loop of a one-pass write and tests the terms its seeks do not make; the
    /// caller's code for the current row follows, then `endLoop`.
    func beginOnePassLoop(_ plan: AccessPlan, _ scope: ExprScope, condition: Expr?,
                          indexCursor: Int32? = nil) throws(DatabaseError) -> WhereLoop {
        let loop = try gen.beginLoop(plan, scope, table: 0, indexCursor: indexCursor, openIndex: false)
        var consumed = plan.consumed
        for term in gen.conjuncts(condition) {
            if let found = consumed.firstIndex(of: term) { consumed.remove(at: found); continue }
            try gen.jumpIfFalse(term, scope, to: loop.next, jumpIfNull: true)
        }
        return loop
    }

    /// DELETE in one pass (delete.c with eOnePass set): the rowid read, the index entries and
    /// the row deleted where the loop stands.
    func emitOnePassDelete(_ statement: DeleteStatement, _ table: TableSchema, mode: OnePass,
                           plan: AccessPlan) throws(DatabaseError) {
        // The RowSet register sqlite3 sets up before it knows it will not need it.
        gen.builder.emit(.null, 0, gen.builder.allocateRegisters())
        let writer = try TableWriter(gen, table, override: nil)
        let rowScope = ExprScope(table: ScopeTable(table: table, exposedName: statement.alias?.value ?? table.name,
                                                   cursor: writer.cursor))
        // An index search walks the writer's own cursor on that index, which deletes its entry.
        var walked: Int?
        if case .index(let index, _, _, _, _, _) = plan {
            walked = table.indexes.firstIndex { $0.name == index.name }
            precondition(walked != nil, "index \(index.name) is not one of \(table.name)'s")
        }
        let loop = try beginOnePassLoop(plan, rowScope, condition: statement.where,
                                        indexCursor: walked.map { writer.indexCursors[$0] })
        if walked != nil { gen.builder.emit(.finishSeek, writer.cursor) }
        gen.builder.emit(.rowid, writer.cursor, gen.builder.allocateRegisters())
        try writer.emitDeleteIndexEntries(except: walked)
        // OPFLAG_AUXDELETE when the walked index's entry goes next; the cursor that goes on with
        // the loop keeps its position (OPFLAG_SAVEPOSITION).
        let keep = mode == .multi ? OpFlag.savePosition : 0
        gen.builder.emit(.delete, writer.cursor, Int32(gen.changeFlag), 0, .table(TableDescription(name: table.name)),
                         walked != nil ? Self.auxiliaryDelete : keep)
        if let walked { gen.builder.emit(.delete, writer.indexCursors[walked], 0, 0, .none, keep) }
        gen.endLoop(loop)
    }

    /// UPDATE in one pass (update.c with eOnePass set): the old rowid is read into the register
    /// the new row's rowid shares (it does not change); a SINGLE lookup ends its loop first and
    /// finds the rowid NULL when no row matched.
    func emitOnePassUpdate(_ statement: UpdateStatement, _ table: TableSchema, _ assignments: [ColumnKey: Expr],
                           mode: OnePass, plan: AccessPlan) throws(DatabaseError) {
        precondition(assignments[.rowid] == nil, "a one-pass UPDATE of the rowid")
        // The RowSet register, then the rowid and the new row's columns after it; the ephemeral
        // table sqlite3 opens before it chooses one pass is a Noop.
        let rowSet = gen.builder.allocateRegisters()
        let rowid = gen.builder.allocateRegisters(table.columns.count + 1)
        gen.builder.emit(.null, 0, rowSet, rowid)
        gen.builder.emit(.noop, 0, 0, rowSet)
        var writer = try TableWriter(gen, table, override: statement.orConflict)
        writer.maintainedIndexes = Self.indexesChanged(by: assignments, in: table, joined: nil)
        for value in assignments.values {
            if let call = gen.firstAggregate(in: value) { throw DatabaseError(.SQLITE_ERROR, "misuse of aggregate function \(call)") }
        }
        let rowScope = ExprScope(table: ScopeTable(table: table, exposedName: statement.alias?.value ?? table.name,
                                                   cursor: writer.cursor))
        let done = gen.builder.makeLabel()
        let loop = try beginOnePassLoop(plan, rowScope, condition: statement.where)
        gen.builder.emit(.rowid, writer.cursor, rowid)
        if mode == .single { gen.endLoop(loop) }
        gen.builder.emit(.isNull, rowid, jumpTo: done)
        let skip = mode == .single ? done : loop.next
        for index in table.columns.indices {
            let register = rowid + 1 + Int32(index)
            if index == table.rowidAlias {
                gen.builder.emit(.null, 0, register)
            } else if let value = assignments[.column(index)] {
                try gen.compileExpr(value, rowScope, into: register)
            } else {
                gen.emitTableColumn(table, cursor: writer.cursor, .column(index), into: register)
            }
        }
        try writer.checkConstraints(rowid: rowid, ignore: skip, checkRowid: false, oldRowid: rowid)
        let records = try writer.buildRecords(rowid: rowid, ipkIsNull: true)
        // A REPLACE may have moved the cursor: back to the row (update.c bReplace).
        if Self.mayReplace(table, override: statement.orConflict) {
            gen.builder.emit(.notExists, writer.cursor, jumpTo: skip, rowid)
        }
        try writer.emitDeleteIndexEntries(maintainedOnly: true)
        // The row is rewritten in place: sqlite3 emits a Delete that does nothing but call the
        // pre-update hook (OPFLAG_ISNOOP).
        let keep = mode == .multi ? OpFlag.savePosition : 0
        gen.builder.emit(.delete, writer.cursor, Int32(OpFlag.isUpdate | OpFlag.isNoop), rowid,
                         .table(TableDescription(name: table.name)), keep)
        try writer.insertRecords(records, rowid: rowid, flags: gen.changeFlag | OpFlag.isUpdate | keep)
        if mode == .multi { gen.endLoop(loop) }
        gen.builder.resolve(done)
    }
}
