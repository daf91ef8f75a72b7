import BTree
import Pager

/// Transactions as the VM drives them (vdbe.c OP_Transaction, OP_AutoCommit, OP_Savepoint and
/// vdbeaux.c sqlite3VdbeHalt). A statement in autocommit mode begins the pager transaction it
/// needs and, when it is the last statement running, commits it (or ends the read) at its halt.
/// A statement that writes inside an explicit transaction, or while other statements run, does
/// so under a pager savepoint so that an error undoes only that statement (OE_Abort).
///
/// Ringlite differs from SQLite in one place: when a transaction commits or rolls back while
/// other statements are still reading, SQLite trips their cursors (SQLITE_ABORT_ROLLBACK on
/// rollback); Ringlite saves their positions, ends the transaction and starts a new read
/// transaction for them, so they go on reading the new state.
extension ConnectionState {
    /// OP_Transaction: a read or write transaction on the main database, if none is active.
    func beginTransaction(write: Bool, for machine: VirtualMachine) throws(DatabaseError) {
        switch pager.transaction {
        case .none:
            if write { try beginWrite() } else { pager.beginRead() }
        case .read:
            if write { try beginWrite() }
        case .write:
            break
        }
        guard write else { return }
        for index in savepoints.indices where savepoints[index].pagerDepth == nil {
            savepoints[index].pagerDepth = pager.savepointDepth
            pager.openSavepoint()
        }
        if machine.program.writes && machine.statementSavepoint == nil && (!autocommit || activeMachines.count > 1) {
            machine.statementSavepoint = pager.savepointDepth
            pager.openSavepoint()
        }
    }

    /// Starts (or upgrades to) a write transaction, asking the busy handler while another
    /// connection holds the writer lock.
    private func beginWrite() throws(DatabaseError) {
        var retries = 0
        while true {
            do {
                try pager.beginWrite()
                return
            } catch {
                guard error.resultCode == .SQLITE_BUSY, let busyHandler, busyHandler(retries) else { throw error }
                retries += 1
            }
        }
    }

    /// sqlite3VdbeHalt: the statement has finished, successfully or with `error`. Undoes what the
    /// conflict action says, then commits or ends the transaction when it was the last statement
    /// of an autocommit transaction. Throws when the commit itself fails.
    func endStatement(_ machine: VirtualMachine, error: DatabaseError?, action: ConflictAction) throws(DatabaseError) {
        let identity = Unmanaged.passUnretained(machine).toOpaque()
        guard let slot = activeMachines.firstIndex(where: { $0.toOpaque() == identity }) else { return }
        activeMachines.remove(at: slot)
        if let error {
            let primary = error.resultCode.primary
            let forced = primary == .SQLITE_IOERR || (primary == .SQLITE_INTERRUPT && machine.program.writes)
            if action == .rollback || forced {
                machine.statementSavepoint = nil
                machine.changeCount = 0
                machine.auxiliaryChangeCount = 0
                try rollbackAll()
            } else if action == .fail {
                releaseStatementSavepoint(of: machine)
            } else if let depth = machine.statementSavepoint {
                try releaseOtherCursors()
                pager.rollbackToSavepoint(depth)
                pager.releaseSavepoint()
                machine.statementSavepoint = nil
                machine.changeCount = 0
                machine.auxiliaryChangeCount = 0
            } else if autocommit && pager.transaction == .write {
                machine.changeCount = 0
                machine.auxiliaryChangeCount = 0
                try rollbackAll()
            }
        } else {
            releaseStatementSavepoint(of: machine)
        }
        do {
            try finishTransactionIfIdle()
        } catch {
            // The commit failed and rolled everything back: sqlite3VdbeHalt counts no changes.
            if machine.program.countsChanges { changes = 0 }
            throw error
        }
        if machine.program.countsChanges {
            changes = machine.changeCount
            totalChanges += machine.changeCount + machine.auxiliaryChangeCount
        }
    }

    private func releaseStatementSavepoint(of machine: VirtualMachine) {
        guard let depth = machine.statementSavepoint else { return }
        machine.statementSavepoint = nil
        guard pager.transaction == .write else { return }
        while pager.savepointDepth > depth { pager.releaseSavepoint() }
    }

    /// In autocommit mode, ends the transaction once no statement needs it: commits a write
    /// transaction, ends a read. Statements still reading get a new read transaction.
    func finishTransactionIfIdle() throws(DatabaseError) {
        guard autocommit else { return }
        switch pager.transaction {
        case .none:
            return
        case .read:
            if activeMachines.isEmpty { pager.endRead() }
        case .write:
            try releaseOtherCursors()
            savepoints.removeAll()
            do {
                try pager.commit()
            } catch {
                // sqlite3VdbeHalt: a commit that fails rolls the whole transaction back. Left
                // open, its changes would be committed by whatever statement ended next, a
                // SELECT included.
                if pager.transaction == .write { pager.rollback() }
                try forgetSchemaChangesRolledBack()
                if !activeMachines.isEmpty && pager.transaction == .none { pager.beginRead() }
                throw error
            }
            transactionChangedSchema = false
            if !activeMachines.isEmpty { pager.beginRead() }
        }
    }

    /// Rolls back the whole transaction and returns to autocommit mode.
    func rollbackAll() throws(DatabaseError) {
        try releaseOtherCursors()
        switch pager.transaction {
        case .write: pager.rollback()
        case .read: if activeMachines.isEmpty { pager.endRead() }
        case .none: break
        }
        try forgetSchemaChangesRolledBack()
        autocommit = true
        savepoints.removeAll()
        for machine in activeMachines { machine.takeUnretainedValue().statementSavepoint = nil }
        if !activeMachines.isEmpty && pager.transaction == .none { pager.beginRead() }
    }

    /// After a rollback: a schema changed inside the transaction is read again (sqlite3 resets
    /// the connection's schemas when a transaction with DBFLAG_SchemaChange rolls back).
    private func forgetSchemaChangesRolledBack() throws(DatabaseError) {
        guard transactionChangedSchema else { return }
        transactionChangedSchema = false
        try schemaHook?(.expire)
    }

    /// Every running statement's B-tree cursors on the main database let go of their pages, so
    /// the pager can commit or roll back.
    func releaseOtherCursors() throws(DatabaseError) {
        for machine in activeMachines {
            try machine.takeUnretainedValue().releaseMainDatabasePages()
        }
    }

    // MARK: BEGIN / COMMIT / ROLLBACK (OP_AutoCommit)

    func setAutocommit(_ desired: Bool, rollback: Bool, by machine: VirtualMachine) throws(DatabaseError) {
        guard desired != autocommit else {
            let message = !desired ? "cannot start a transaction within a transaction"
                : rollback ? "cannot rollback - no transaction is active" : "cannot commit - no transaction is active"
            throw DatabaseError(.SQLITE_ERROR, message)
        }
        if rollback {
            try rollbackAll()
            return
        }
        if desired {
            let otherWriters = activeMachines.contains { $0.takeUnretainedValue() !== machine && $0.takeUnretainedValue().program.writes }
            if otherWriters {
                throw DatabaseError(.SQLITE_BUSY, "cannot commit transaction - SQL statements in progress")
            }
            savepoints.removeAll()
        }
        autocommit = desired
    }

    // MARK: SAVEPOINT / RELEASE / ROLLBACK TO (OP_Savepoint)

    func beginSavepoint(_ name: String) {
        var savepoint = SQLSavepoint(name: name, pagerDepth: nil, startedTransaction: autocommit)
        if autocommit { autocommit = false }
        if pager.transaction == .write {
            savepoint.pagerDepth = pager.savepointDepth
            pager.openSavepoint()
        }
        savepoints.append(savepoint)
    }

    func releaseSavepoint(_ name: String) throws(DatabaseError) {
        let index = try savepointIndex(name)
        if index == 0 && savepoints[0].startedTransaction {
            // Releasing the savepoint that began the transaction commits it (at the halt).
            savepoints.removeAll()
            autocommit = true
            return
        }
        if let depth = savepoints[index].pagerDepth, pager.transaction == .write {
            while pager.savepointDepth > depth { pager.releaseSavepoint() }
        }
        savepoints.removeSubrange(index...)
    }

    func rollbackToSavepoint(_ name: String) throws(DatabaseError) {
        let index = try savepointIndex(name)
        if let depth = savepoints[index].pagerDepth, pager.transaction == .write {
            try releaseOtherCursors()
            pager.rollbackToSavepoint(depth)
        }
        savepoints.removeSubrange((index + 1)...)
    }

    private func savepointIndex(_ name: String) throws(DatabaseError) -> Int {
        let folded = name.lowercased()
        guard let index = savepoints.lastIndex(where: { $0.name.lowercased() == folded }) else {
            throw DatabaseError(.SQLITE_ERROR, "no such savepoint: \(name)")
        }
        return index
    }
}
