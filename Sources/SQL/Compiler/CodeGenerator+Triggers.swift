import BTree
import Pager
import VM

/// A trigger whose program is being compiled inline. sqlite3 compiles each trigger into a
/// sub-program that OP_Program runs in a frame of its own; Ringlite emits the program at every
/// place that fires it instead, in the firing statement's registers and cursors. What a frame
/// gives sqlite3 is kept by other means: a trigger already on the stack does not fire again
/// (recursive_triggers is off), which here is a compile-time check; subqueries that sqlite3 runs
/// once per frame run every time; the program's writes count in total_changes() only.
struct TriggerFrame {
    let name: String
    /// NEW and OLD.
    let registerTables: [RegisterTable]
    /// Where RAISE(IGNORE) goes: past the rest of the row that fired the trigger.
    let ignore: ProgramBuilder.Label
    /// The OR clause in force for the program's statements: the firing statement's, when it has
    /// one, overrides their own (trigger.c codeTriggerProgram's eOrconf).
    let conflict: ConflictResolution?
}

/// The statement kind a trigger fires on.
enum TriggerEventKind {
    case insert, update, delete
}

/// A row held in registers: the rowid at `rowid`, column i at `firstColumn + i`.
struct RegisterRow {
    let rowid: Int32
    let firstColumn: Int32
}

extension CodeGenerator {
    /// The flag a write counts itself with: changes() for the statement's own rows,
    /// total_changes() only for a trigger program's.
    var changeFlag: UInt16 { triggerFrames.isEmpty ? OpFlag.nChange : OpFlag.auxiliaryChange }

    /// Insert's P5 for a new row of an INSERT: last_insert_rowid() is the statement's own row
    /// (sqlite3 restores it when a trigger's frame ends).
    var insertFlags: UInt16 { triggerFrames.isEmpty ? OpFlag.nChange | OpFlag.lastRowid : OpFlag.auxiliaryChange }

    /// The conflict resolution a statement runs with: inside a trigger program, the firing
    /// statement's OR clause when it had one, else the statement's own.
    func effectiveConflict(_ own: ConflictResolution?) -> ConflictResolution? {
        triggerFrames.last?.conflict ?? own
    }

    /// The triggers on `table` (a table's or a view's name) that fire for `event` at `timing`,
    /// in the order sqlite3 fires them (newest first). A trigger whose program is being compiled
    /// does not fire again. UPDATE OF fires only when the SET list names one of its columns.
    func triggers(on table: String, _ event: TriggerEventKind, _ timing: TriggerTiming,
                  setting columns: [String] = []) -> [TriggerSchema] {
        schema.triggers(on: table).reversed().filter { trigger in
            guard trigger.timing == timing,
                  !triggerFrames.contains(where: { $0.name.sqlEquals(trigger.name) }) else { return false }
            switch (trigger.statement.event, event) {
            case (.insert, .insert), (.delete, .delete):
                return true
            case (.update(let listed), .update):
                guard let listed else { return true }
                return listed.contains { name in columns.contains { $0.sqlEquals(name.value) } }
            default:
                return false
            }
        }
    }

    /// Compiles the programs of `triggers` for the current row: WHEN, then each step.
    func fireTriggers(_ triggers: [TriggerSchema], table: TableSchema, new: RegisterRow?, old: RegisterRow?,
                      conflict: ConflictResolution?, ignore: ProgramBuilder.Label) throws(DatabaseError) {
        var tables: [RegisterTable] = []
        if let new {
            tables.append(RegisterTable(name: "new", table: table, rowid: new.rowid, firstColumn: new.firstColumn,
                                        keepsCollation: true))
        }
        if let old {
            tables.append(RegisterTable(name: "old", table: table, rowid: old.rowid, firstColumn: old.firstColumn,
                                        keepsCollation: true))
        }
        for trigger in triggers {
            triggerFrames.append(TriggerFrame(name: trigger.name, registerTables: tables, ignore: ignore,
                                              conflict: conflict))
            defer { triggerFrames.removeLast() }
            let skip = builder.makeLabel()
            if let condition = trigger.statement.when {
                try jumpIfFalse(condition, ExprScope(table: nil), to: skip, jumpIfNull: true)
            }
            for step in trigger.statement.body {
                try compileTriggerStep(step)
            }
            builder.resolve(skip)
        }
    }

    private func compileTriggerStep(_ step: TriggerStep) throws(DatabaseError) {
        let conflict = triggerFrames.last?.conflict
        switch step {
        case .insert(var insert):
            if let conflict { insert.verb = .insert(conflict) }
            var compiler = InsertCompiler(gen: self, statement: insert)
            try compiler.emitStatement()
        case .update(var update):
            if let conflict { update.orConflict = conflict }
            try UpdateDeleteCompiler(gen: self).emitUpdate(update)
        case .delete(let delete):
            try UpdateDeleteCompiler(gen: self).emitDelete(delete)
        case .select(let select):
            _ = try compileQuery(select, outer: nil, destination: .discard)
        }
    }

    /// RAISE(...) (expr.c TK_RAISE): IGNORE abandons the row that fired the trigger; the others
    /// end the statement with SQLITE_CONSTRAINT_TRIGGER and their message. The value is NULL.
    func compileRaise(_ action: RaiseAction, into target: Int32) throws(DatabaseError) {
        guard let frame = triggerFrames.last else {
            throw DatabaseError(.SQLITE_ERROR, "RAISE() may only be used within a trigger-program")
        }
        let code = ResultCode.SQLITE_CONSTRAINT_TRIGGER.rawValue
        switch action {
        case .ignore:
            builder.emit(.goto, 0, jumpTo: frame.ignore)
        case .rollback(let message):
            builder.emit(.halt, code, ConflictAction.rollback.rawValue, 0, .text(message))
        case .abort(let message):
            builder.emit(.halt, code, ConflictAction.abort.rawValue, 0, .text(message))
        case .fail(let message):
            builder.emit(.halt, code, ConflictAction.fail.rawValue, 0, .text(message))
        }
        builder.emit(.null, 0, target)
    }
}
