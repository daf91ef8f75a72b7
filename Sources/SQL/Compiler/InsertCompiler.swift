import BTree
import Pager
import VM

/// INSERT and REPLACE into a rowid table (insert.c sqlite3Insert): VALUES rows, DEFAULT VALUES
/// or a SELECT, with a column list or without, and an OR clause. A SELECT's rows are gathered
/// in an ephemeral table first, so a query of the table being written sees none of the new
/// rows.
struct InsertCompiler {
    let gen: CodeGenerator
    let statement: InsertStatement
    /// Set once the statement's row checks are done (sqlite3 reports those errors first).
    private var returning: ReturningClause?
    /// The table's AUTOINCREMENT counter, when it has one.
    private var autoincrement: AutoincrementCounter?

    init(gen: CodeGenerator, statement: InsertStatement) {
        self.gen = gen
        self.statement = statement
    }

    /// BEFORE and AFTER INSERT triggers of the table.
    private var beforeTriggers: [TriggerSchema] = []
    private var afterTriggers: [TriggerSchema] = []
    /// A view's INSTEAD OF INSERT triggers, which take the rows instead of a table.
    private var insteadOfTriggers: [TriggerSchema] = []

    mutating func compile() throws(DatabaseError) -> Program {
        try emitStatement()
        returning?.emitOutput()
        return try gen.finish(columnNames: returning?.names ?? [])
    }

    /// The statement's code without the program's frame: also a step of a trigger program.
    mutating func emitStatement() throws(DatabaseError) {
        if statement.with != nil { throw SQLCompiler.notSupported("WITH clauses") }
        let table: TableSchema
        if let (view, triggers) = try gen.insteadOfTarget(statement.table, .insert) {
            if !statement.upserts.isEmpty { throw DatabaseError(.SQLITE_ERROR, "cannot UPSERT a view") }
            if statement.returning != nil { throw SQLCompiler.notSupported("RETURNING on a view") }
            table = view
            insteadOfTriggers = triggers
        } else {
            table = try gen.table(statement.table)
            beforeTriggers = gen.triggers(on: table.name, .insert, .before)
            afterTriggers = gen.triggers(on: table.name, .insert, .after)
        }
        let targets = try targetColumns(table)
        autoincrement = try AutoincrementCounter.counter(for: table, gen)
        let upsert = statement.upserts.isEmpty ? nil : try UpsertPlan(statement.upserts, table: table, gen: gen)
        if upsert != nil { try checkUpsertExpressions(table) }
        let override: ConflictResolution?
        switch statement.verb {
        case .insert(let resolution): override = resolution
        case .replace: override = .replace
        }

        switch statement.source {
        case .defaultValues:
            returning = try makeReturning(table)
            let writer = try makeWriter(table, override: override)
            try insertRow(writer, table: table, targets: [], values: .none, upsert: upsert, override: override)
        case .select(let select):
            if select.with == nil, select.compounds.isEmpty, select.orderBy.isEmpty, select.limit == nil,
               case .values(let rows) = select.first {
                for row in rows where row.count != rows[0].count {
                    throw DatabaseError(.SQLITE_ERROR, "all VALUES must have the same number of terms")
                }
                try checkCount(rows.first?.count ?? 0, targets: targets, table: table)
                returning = try makeReturning(table)
                let writer = try makeWriter(table, override: override)
                for row in rows {
                    try insertRow(writer, table: table, targets: targets, values: .expressions(row), upsert: upsert, override: override)
                }
            } else {
                try insertSelected(select, table: table, targets: targets, upsert: upsert, override: override)
            }
        }
        autoincrement?.emitEnd(&gen.builder)
    }

    /// INSERT ... SELECT (insert.c): the query runs as a coroutine that yields each row. Its rows
    /// go into an ephemeral table first when the query reads the table being written (it must
    /// not see the new rows) or triggers, RETURNING or an upsert run for each row; otherwise
    /// each yielded row is inserted at once.
    private mutating func insertSelected(_ select: Select, table: TableSchema, targets: [Int], upsert: UpsertPlan?,
                                         override: ConflictResolution?) throws(DatabaseError) {
        let count = try gen.describeQuery(select, outer: nil).count
        try checkCount(count, targets: targets, table: table)
        let yield = gen.builder.allocateRegisters()
        // The rows are yielded straight into the new row's registers when the values go to the
        // table's columns in order (insert.c bIdListInOrder).
        let inOrder = targets.enumerated().allSatisfy { $0.offset == $0.element }
        let row = gen.builder.allocateRegisters(table.columns.count + 1)
        let results = inOrder ? row + 1 : gen.builder.allocateRegisters(max(count, 1))
        let start = gen.builder.emit(.initCoroutine, yield, 0, gen.builder.currentAddress + 1)
        _ = try gen.compileQuery(select, outer: nil, destination: .coroutine(yield: yield, results: results))
        gen.builder.emit(.endCoroutine, yield)
        gen.builder.jumpHere(start)
        // sqlite3's readsTable: the query's code opens the table or one of its indexes.
        let roots = Set([Int32(bitPattern: table.rootPage)] + table.indexes.map { Int32(bitPattern: $0.rootPage) })
        let readsTarget = gen.builder.instructions[Int(start)...].contains { $0.opcode == .openRead && roots.contains($0.p2) }
        let buffered = readsTarget || !beforeTriggers.isEmpty || !afterTriggers.isEmpty || !insteadOfTriggers.isEmpty
            || statement.returning != nil || upsert != nil
        let end = gen.builder.makeLabel()
        guard buffered else {
            returning = try makeReturning(table)
            let writer = try makeWriter(table, override: override)
            let top = gen.builder.emit(.yield, yield, jumpTo: end)
            try insertRow(writer, table: table, targets: targets, values: .registers(results), upsert: upsert, override: override,
                          row: row)
            gen.builder.emit(.goto, 0, top)
            gen.builder.resolve(end)
            return
        }
        let rows = gen.builder.allocateCursor()
        gen.builder.emit(.openEphemeral, rows, Int32(count))
        let record = gen.builder.allocateRegisters()
        let rowid = gen.builder.allocateRegisters()
        let filled = gen.builder.makeLabel()
        let fill = gen.builder.emit(.yield, yield, jumpTo: filled)
        gen.builder.emit(.makeRecord, results, Int32(count), record)
        gen.builder.emit(.newRowid, rows, rowid)
        gen.builder.emit(.insert, rows, record, rowid)
        gen.builder.emit(.goto, 0, fill)
        gen.builder.resolve(filled)
        returning = try makeReturning(table)
        let writer = try makeWriter(table, override: override)
        gen.builder.emit(.rewind, rows, jumpTo: end)
        let top = gen.builder.currentAddress
        try insertRow(writer, table: table, targets: targets, values: .cursor(rows), upsert: upsert, override: override)
        gen.builder.emit(.next, rows, top)
        gen.builder.resolve(end)
        gen.builder.emit(.close, rows)
    }

    /// The writer of the target table; nil for a view, whose INSTEAD OF triggers take the rows.
    private func makeWriter(_ table: TableSchema, override: ConflictResolution?) throws(DatabaseError) -> TableWriter? {
        insteadOfTriggers.isEmpty ? try TableWriter(gen, table, override: override) : nil
    }

    private func makeReturning(_ table: TableSchema) throws(DatabaseError) -> ReturningClause? {
        guard let list = statement.returning else { return nil }
        return try ReturningClause(gen, list, table: table)
    }

    private enum RowValues {
        case none
        case expressions([Expr])
        /// Field i of the ephemeral cursor's current record.
        case cursor(Int32)
        /// Register `first + i`: a row a coroutine yielded.
        case registers(Int32)
    }

    /// The table columns the values go to, in order.
    private func targetColumns(_ table: TableSchema) throws(DatabaseError) -> [Int] {
        guard let names = statement.columns else { return Array(table.columns.indices) }
        var targets: [Int] = []
        for name in names {
            if let index = table.column(named: name.value) {
                targets.append(index)
            } else if !table.withoutRowid, ["rowid", "oid", "_rowid_"].contains(where: { $0.sqlEquals(name.value) }),
                      let ipk = table.rowidAlias {
                targets.append(ipk)
            } else if !table.withoutRowid, ["rowid", "oid", "_rowid_"].contains(where: { $0.sqlEquals(name.value) }) {
                throw SQLCompiler.notSupported("inserting an explicit rowid into a table without INTEGER PRIMARY KEY")
            } else {
                throw DatabaseError(.SQLITE_ERROR, "table \(table.name) has no column named \(name.value)")
            }
        }
        return targets
    }

    private func checkCount(_ count: Int, targets: [Int], table: TableSchema) throws(DatabaseError) {
        guard count != targets.count else { return }
        if statement.columns == nil {
            throw DatabaseError(.SQLITE_ERROR, "table \(table.name) has \(table.columns.count) columns but \(count) values were supplied")
        }
        throw DatabaseError(.SQLITE_ERROR, "\(count) values for \(targets.count) columns")
    }

    /// One row: its values (DEFAULTs for columns not given), its rowid, the constraint checks and
    /// the writes.
    /// `row`: the registers of the new row (rowid, then the columns) when the caller allocated
    /// them (a coroutine yields straight into them).
    private func insertRow(_ target: TableWriter?, table: TableSchema, targets: [Int], values: RowValues,
                           upsert plan: UpsertPlan?, override: ConflictResolution?,
                           row: Int32? = nil) throws(DatabaseError) {
        let rowid = row ?? gen.builder.allocateRegisters(table.columns.count + 1)
        let noRow = ExprScope(table: nil)
        // A rowid yielded into the INTEGER PRIMARY KEY column's own register is taken before
        // that register is made NULL (insert.c tag-20191021-001).
        var rowidTaken = false
        if case .registers(let first) = values, let ipk = table.rowidAlias, let position = targets.firstIndex(of: ipk) {
            gen.builder.emit(.copy, first + Int32(position), rowid)
            rowidTaken = true
        }
        func load(_ position: Int, into register: Int32) throws(DatabaseError) {
            switch values {
            case .expressions(let exprs):
                try gen.compileExpr(exprs[position], noRow, into: register)
            case .cursor(let cursor):
                gen.builder.emit(.column, cursor, Int32(position), register)
            case .registers(let first):
                // Nothing to move when the value was yielded into its place.
                if first + Int32(position) != register { gen.builder.emit(.sCopy, first + Int32(position), register) }
            case .none:
                preconditionFailure("a target column without a value")
            }
        }
        // The columns in order; the INTEGER PRIMARY KEY column's register is NULL in the record
        // and its value, the rowid, is computed after the others (insert.c tag-sqlite3-insert-ipk).
        for (index, column) in table.columns.enumerated() {
            let register = rowid + 1 + Int32(index)
            if index == table.rowidAlias {
                gen.builder.emit(.softNull, register)
            } else if let position = targets.firstIndex(of: index) {
                try load(position, into: register)
            } else {
                // A constant DEFAULT is loaded once, in the Init section (sqlite3ExprCodeFactorable).
                try gen.compileFactorable(column.defaultValue ?? .literal(.null), noRow, into: register)
            }
        }
        var explicitRowid = false
        // The rowid is checked for uniqueness whenever the INTEGER PRIMARY KEY is given, even as
        // a NULL literal, which asks for a new rowid as no value does (sqlite3 checks it too).
        var checkRowid = false
        if let ipk = table.rowidAlias, let position = targets.firstIndex(of: ipk) {
            checkRowid = true
            if case .expressions(let exprs) = values, exprs[position] == .literal(.null) {
                explicitRowid = false
            } else {
                if !rowidTaken { try load(position, into: rowid) }
                explicitRowid = true
            }
        }
        let ignore = gen.builder.makeLabel()
        guard let writer = target else {
            // A view: NEW is the values as given, with rowid -1, for its INSTEAD OF triggers.
            gen.builder.emit(.integer, -1, rowid)
            try gen.fireTriggers(insteadOfTriggers, table: table, new: RegisterRow(rowid: rowid, firstColumn: rowid + 1),
                                 old: nil, conflict: override, ignore: ignore)
            gen.builder.resolve(ignore)
            return
        }
        if !beforeTriggers.isEmpty {
            // NEW for BEFORE triggers: the values with the columns' affinities, and the rowid
            // given or -1, since none is chosen yet (insert.c regCols).
            let new = gen.builder.allocateRegisters(table.columns.count + 1)
            if explicitRowid {
                gen.builder.emit(.copy, rowid, new)
                let given = gen.builder.emit(.notNull, new, 0)
                gen.builder.emit(.integer, -1, new)
                gen.builder.jumpHere(given)
                gen.builder.emit(.mustBeInt, new, 0)
            } else {
                gen.builder.emit(.integer, -1, new)
            }
            gen.builder.emit(.copy, rowid + 1, new + 1, Int32(table.columns.count - 1))
            writer.applyAffinity(new + 1)
            try gen.fireTriggers(beforeTriggers, table: table, new: RegisterRow(rowid: new, firstColumn: new + 1),
                                 old: nil, conflict: writer.override, ignore: ignore)
        }
        let counter = autoincrement?.register ?? 0
        if explicitRowid {
            let given = gen.builder.emit(.notNull, rowid, 0)
            gen.builder.emit(.newRowid, writer.cursor, rowid, counter)
            gen.builder.jumpHere(given)
            gen.builder.emit(.mustBeInt, rowid, 0)
        } else {
            gen.builder.emit(.newRowid, writer.cursor, rowid, counter)
        }
        autoincrement?.emitStep(&gen.builder, rowid: rowid)
        let upsert = plan.map { plan in
            UpsertHandling(plan: plan) { (set, condition, conflicting) throws(DatabaseError) in
                try emitDoUpdate(writer, set: set, condition: condition, conflicting: conflicting, excludedRowid: rowid)
            }
        }
        try writer.checkConstraints(rowid: rowid, ignore: ignore, checkRowid: checkRowid, upsert: upsert)
        try writer.insertRecords(try writer.buildRecords(rowid: rowid, ipkIsNull: true), rowid: rowid,
                                 flags: gen.insertFlags | (explicitRowid ? 0 : OpFlag.append))
        if let returning { try returning.emitRow(returning.newRowScope(rowid: rowid)) }
        if !afterTriggers.isEmpty {
            // NEW as stored: the values with the columns' affinities.
            let new = gen.builder.allocateRegisters(table.columns.count + 1)
            gen.builder.emit(.copy, rowid, new, Int32(table.columns.count))
            writer.applyAffinity(new + 1)
            try gen.fireTriggers(afterTriggers, table: table, new: RegisterRow(rowid: new, firstColumn: new + 1),
                                 old: nil, conflict: writer.override, ignore: ignore)
        }
        gen.builder.resolve(ignore)
    }

    // MARK: Upsert

    /// The scope of a DO UPDATE's SET and WHERE: the table (its cursor on the conflicting row)
    /// and `excluded`, the row the INSERT proposed.
    private func doUpdateScope(_ table: TableSchema, cursor: Int32, excludedRowid: Int32) -> ExprScope {
        var scope = ExprScope(table: ScopeTable(table: table, exposedName: statement.alias?.value ?? table.name, cursor: cursor))
        scope.registerTables = [RegisterTable(name: "excluded", table: table, rowid: excludedRowid,
                                              firstColumn: excludedRowid + 1, keepsCollation: false)]
        return scope
    }

    /// sqlite3UpsertDoUpdate: the conflicting row (the table cursor is on it) updated by the
    /// clause's SET where its WHERE holds, its constraints checked with ABORT.
    private func emitDoUpdate(_ writer: TableWriter, set: [SetAssignment], condition: Expr?, conflicting: Int32,
                              excludedRowid: Int32) throws(DatabaseError) {
        var updater = writer
        updater.override = .abort
        let scope = doUpdateScope(writer.table, cursor: writer.cursor, excludedRowid: excludedRowid)
        let compiler = UpdateDeleteCompiler(gen: gen)
        let assignments = try compiler.assignmentMap(set, writer.table)
        let done = gen.builder.makeLabel()
        if let condition { try gen.jumpIfFalse(condition, scope, to: done, jumpIfNull: true) }
        try compiler.emitRowUpdate(updater, assignments, scope, oldRowid: conflicting, skip: done,
                                   returning: returning, triggers: compiler.updateTriggers(writer.table, set))
        gen.builder.resolve(done)
    }

    /// Compiles every DO UPDATE's SET and WHERE once into a scratch program, so that their errors
    /// (no such column, misused aggregates) are reported even when no constraint they handle is
    /// checked by this INSERT, as sqlite3 resolves them up front.
    private func checkUpsertExpressions(_ table: TableSchema) throws(DatabaseError) {
        let scratch = CodeGenerator(parsed: gen.parsed, source: gen.source, context: gen.context)
        let rowid = scratch.builder.allocateRegisters(table.columns.count + 1)
        let scope = doUpdateScope(table, cursor: scratch.builder.allocateCursor(), excludedRowid: rowid)
        for upsert in statement.upserts {
            guard case .update(let set, let condition) = upsert.action else { continue }
            let assignments = try UpdateDeleteCompiler(gen: scratch).assignmentMap(set, table)
            for value in set.map(\.value) {
                if let call = scratch.firstAggregate(in: value) {
                    throw DatabaseError(.SQLITE_ERROR, "misuse of aggregate function \(call)")
                }
                _ = try scratch.compileExpr(value, scope)
            }
            _ = assignments
            if let condition {
                if let call = scratch.firstAggregate(in: condition) {
                    throw DatabaseError(.SQLITE_ERROR, "misuse of aggregate function \(call)")
                }
                _ = try scratch.compileExpr(condition, scope)
            }
        }
    }
}
