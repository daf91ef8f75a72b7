import BTree
import Pager
import VM

/// How an INSERT's ON CONFLICT clauses take part in the uniqueness checks: the plan says which
/// clause handles which constraint; `emitUpdate` compiles a DO UPDATE for the row whose rowid is
/// in the register it is given (the table cursor is on that row).
struct UpsertHandling {
    let plan: UpsertPlan
    let emitUpdate: (_ set: [SetAssignment], _ condition: Expr?, _ conflictingRowid: Int32) throws(DatabaseError) -> Void
}

/// The constraint checks of a new row (insert.c sqlite3GenerateConstraintChecks).
extension TableWriter {
    /// NOT NULL, CHECK, rowid and UNIQUE checks of the new row. `ignore` skips the row (OR
    /// IGNORE, DO NOTHING, and after a DO UPDATE). For an UPDATE, `oldRowid` is the row's rowid
    /// before the change (its own index entries are not conflicts).
    func checkConstraints(rowid: Int32, ignore: ProgramBuilder.Label, checkRowid: Bool,
                          oldRowid: Int32? = nil, upsert: UpsertHandling? = nil) throws(DatabaseError) {
        let first = rowid + 1
        try checkNotNull(first: first, ignore: ignore)
        var affinityDone = false
        if !table.checks.isEmpty {
            applyAffinity(first)
            affinityDone = true
            try checkChecks(rowid: rowid, ignore: ignore)
        }
        let order: [UpsertPlan.Constraint] = upsert?.plan.checkOrder(indexCount: table.indexes.count, checksRowid: checkRowid)
            ?? (checkRowid ? [.rowid] : []) + table.indexes.indices.map { .index($0) }
        for constraint in order {
            switch constraint {
            case .rowid:
                try checkRowidUnique(rowid: rowid, ignore: ignore, oldRowid: oldRowid, upsert: upsert)
            case .index(let position):
                // The row takes its column affinities before the first index key is built from it
                // (so excluded.* in a DO UPDATE sees them too), as sqlite3 orders it.
                if !affinityDone {
                    applyAffinity(first)
                    affinityDone = true
                }
                if table.indexes[position].unique && maintains(position) {
                    try checkIndexUnique(position, rowid: rowid, ignore: ignore, oldRowid: oldRowid, upsert: upsert)
                }
            }
        }
    }

    private func checkNotNull(first: Int32, ignore: ProgramBuilder.Label) throws(DatabaseError) {
        for (index, column) in table.columns.enumerated() where index != table.rowidAlias {
            guard let own = column.notNull else { continue }
            var resolution = action(own)
            let register = first + Int32(index)
            if resolution == .replace {
                if let defaultValue = column.defaultValue {
                    let skip = gen.builder.emit(.notNull, register, 0)
                    try gen.compileExpr(defaultValue, ExprScope(table: nil), into: register)
                    gen.builder.jumpHere(skip)
                    continue
                }
                resolution = .abort
            }
            if resolution == .ignore {
                gen.builder.emit(.isNull, register, jumpTo: ignore)
            } else {
                gen.builder.emit(.haltIfNull, ResultCode.SQLITE_CONSTRAINT_NOTNULL.rawValue, haltAction(resolution), register,
                                 .text("\(table.name).\(column.name)"), ConstraintKind.notNull.rawValue)
            }
        }
    }

    private func checkChecks(rowid: Int32, ignore: ProgramBuilder.Label) throws(DatabaseError) {
        let scope = newRowScope(rowid: rowid)
        let texts = CheckConstraintText.texts(of: table.sql ?? "")
        for (position, check) in table.checks.enumerated() {
            let passed = gen.builder.makeLabel()
            try gen.jumpIfTrue(check.expr, scope, to: passed, jumpIfNull: true)
            let name = check.name ?? (position < texts.count ? texts[position] : "")
            let resolution = action(nil)
            if resolution == .ignore {
                gen.builder.emit(.goto, 0, jumpTo: ignore)
            } else {
                gen.builder.emit(.halt, ResultCode.SQLITE_CONSTRAINT_CHECK.rawValue,
                                 haltAction(resolution == .replace ? .abort : resolution), 0, .text(name),
                                 ConstraintKind.check.rawValue)
            }
            gen.builder.resolve(passed)
        }
    }

    /// What a conflict on `constraint` does: the upsert clause that handles it, or the statement's
    /// OR clause, or the constraint's own resolution.
    private enum ConflictAction {
        case resolve(ConflictResolution)
        case doUpdate(set: [SetAssignment], condition: Expr?)
    }

    private func conflictAction(_ constraint: UpsertPlan.Constraint, own: ConflictResolution?,
                                upsert: UpsertHandling?) -> ConflictAction {
        guard let clause = upsert?.plan.clause(for: constraint) else { return .resolve(action(own)) }
        switch clause.action {
        case .nothing: return .resolve(.ignore)
        case .update(let set, let condition): return .doUpdate(set: set, condition: condition)
        }
    }

    private func checkRowidUnique(rowid: Int32, ignore: ProgramBuilder.Label, oldRowid: Int32?,
                                  upsert: UpsertHandling?) throws(DatabaseError) {
        let unique = gen.builder.makeLabel()
        if let oldRowid { gen.builder.emit(.eq, rowid, jumpTo: unique, oldRowid) }
        gen.builder.emit(.notExists, cursor, jumpTo: unique, rowid)
        let name = table.rowidAlias.map { "\(table.name).\(table.columns[$0].name)" } ?? "\(table.name).rowid"
        switch conflictAction(.rowid, own: nil, upsert: upsert) {
        case .doUpdate(let set, let condition):
            try upsert!.emitUpdate(set, condition, rowid)
            gen.builder.emit(.goto, 0, jumpTo: ignore)
        case .resolve(.ignore):
            gen.builder.emit(.goto, 0, jumpTo: ignore)
        case .resolve(.replace):
            try emitDeleteIndexEntries()
            gen.builder.emit(.delete, cursor, 0)
        case .resolve(let resolution):
            let code = table.rowidAlias != nil ? ResultCode.SQLITE_CONSTRAINT_PRIMARYKEY : ResultCode.SQLITE_CONSTRAINT_ROWID
            gen.builder.emit(.halt, code.rawValue, haltAction(resolution), 0, .text(name), ConstraintKind.unique.rawValue)
        }
        gen.builder.resolve(unique)
    }

    private func checkIndexUnique(_ position: Int, rowid: Int32, ignore: ProgramBuilder.Label, oldRowid: Int32?,
                                  upsert: UpsertHandling?) throws(DatabaseError) {
        let index = table.indexes[position]
        let unique = gen.builder.makeLabel()
        // A row a partial index does not hold cannot conflict in it.
        try entry(position).emitSkipUnlessIndexed(.registers(rowid: rowid), skip: unique)
        let keys = try entry(position).emitKey(.registers(rowid: rowid))
        let keyCount = Int32(index.columns.count)
        gen.builder.emit(.noConflict, indexCursors[position], jumpTo: unique, keys, .int32(keyCount))
        let conflicting = gen.builder.allocateRegisters()
        gen.builder.emit(.idxRowid, indexCursors[position], conflicting)
        if let oldRowid { gen.builder.emit(.eq, oldRowid, jumpTo: unique, conflicting) }
        switch conflictAction(.index(position), own: index.onConflict, upsert: upsert) {
        case .doUpdate(let set, let condition):
            gen.builder.emit(.notExists, cursor, jumpTo: ignore, conflicting)
            try upsert!.emitUpdate(set, condition, conflicting)
            gen.builder.emit(.goto, 0, jumpTo: ignore)
        case .resolve(.ignore):
            gen.builder.emit(.goto, 0, jumpTo: ignore)
        case .resolve(.replace):
            gen.builder.emit(.notExists, cursor, jumpTo: unique, conflicting)
            try emitDeleteIndexEntries()
            gen.builder.emit(.delete, cursor, 0)
        case .resolve(let resolution):
            let code = index.origin == .primaryKey ? ResultCode.SQLITE_CONSTRAINT_PRIMARYKEY : ResultCode.SQLITE_CONSTRAINT_UNIQUE
            gen.builder.emit(.halt, code.rawValue, haltAction(resolution), 0, .text(IndexEntryCode.constraintName(index, table)),
                             ConstraintKind.unique.rawValue)
        }
        gen.builder.resolve(unique)
    }
}
