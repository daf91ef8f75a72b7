import BTree
import Pager

/// Ending a run and the transaction instructions (vdbe.c OP_Halt, OP_Transaction,
/// OP_Savepoint, OP_ReadCookie, OP_SetCookie, OP_IntegrityCk, schema changes).
extension VirtualMachine {
    /// Halt P1 P2 _ P4 P5 (and HaltIfNull): P1 is the result code (0 for success); on error P2
    /// is the conflict action (OE_Rollback, OE_Abort, OE_Fail...) and the message is P4, or with
    /// P5 set "NOT NULL / UNIQUE / CHECK / FOREIGN KEY constraint failed" followed by ": P4".
    func halt(_ instruction: Instruction) throws(DatabaseError) -> IOResult<StepResult> {
        let code = instruction.p1
        if code == 0 {
            closeAllCursors()
            runState = .halted
            try connection.endStatement(self, error: nil, action: .abort)
            resultCount = 0
            return .done(.done)
        }
        var message: String
        let detail: String?
        if case .text(let text) = instruction.p4 { detail = text } else { detail = nil }
        if let kind = ConstraintKind(rawValue: instruction.p5) {
            message = "\(kind.prefix) constraint failed"
            if let detail { message += ": \(detail)" }
        } else {
            message = detail ?? ResultCode(rawValue: code).errorString
        }
        pendingAction = ConflictAction(rawValue: instruction.p2) ?? .abort
        throw DatabaseError(ResultCode(rawValue: code), message)
    }

    /// Transaction P1 P2 P3 P4 P5: begins a read (P2 = 0) or write transaction on the main
    /// database when none is active; with P5, the schema cookie must equal P3
    /// (SQLITE_SCHEMA otherwise: the program was compiled against an older schema).
    func transaction(_ instruction: Instruction) throws(DatabaseError) {
        guard instruction.p1 == 0 else {
            throw DatabaseError(.SQLITE_ERROR, "database \(instruction.p1) is not attached (Ringlite has only the main database)")
        }
        try connection.beginTransaction(write: instruction.p2 != 0, for: self)
        if instruction.p5 != 0 {
            let cookie = connection.pager.databaseSize == 0 ? 0 : try connection.store.headerField(DatabaseHeader.Offset.schemaCookie)
            if Int64(cookie) != Int64(instruction.p3) {
                throw DatabaseError(.SQLITE_SCHEMA, "database schema has changed")
            }
        }
    }

    /// Savepoint P1 _ _ P4: SAVEPOINT (P1 = 0), RELEASE (1) or ROLLBACK TO (2) the savepoint
    /// named P4.
    func savepoint(_ instruction: Instruction) throws(DatabaseError) {
        guard case .text(let name) = instruction.p4 else { preconditionFailure("Savepoint without a name") }
        switch instruction.p1 {
        case 0: connection.beginSavepoint(name)
        case 1: try connection.releaseSavepoint(name)
        default:
            closeAllCursors()
            let cookie = try schemaCookie()
            try connection.rollbackToSavepoint(name)
            // DDL after the savepoint is undone too: the connection's schema must be read again
            // (sqlite3 resets its schemas when a rolled-back savepoint changed one).
            if try schemaCookie() != cookie { try connection.schemaChanged(.expire) }
        }
    }

    /// The schema cookie as the open write transaction sees it (nil without one: then no
    /// savepoint holds changes to undo).
    private func schemaCookie() throws(DatabaseError) -> UInt32? {
        guard connection.pager.transaction == .write else { return nil }
        return connection.pager.databaseSize == 0 ? 0 : try connection.store.headerField(DatabaseHeader.Offset.schemaCookie)
    }

    /// The header offset of cookie P3 of ReadCookie/SetCookie (BTREE_FREE_PAGE_COUNT = 0,
    /// BTREE_SCHEMA_VERSION = 1, BTREE_FILE_FORMAT = 2, ..., BTREE_USER_VERSION = 6,
    /// BTREE_APPLICATION_ID = 8).
    private func cookieOffset(_ cookie: Int32) -> Int {
        precondition(cookie >= 0 && cookie <= 15, "cookie \(cookie) does not exist")
        return 36 + 4 * Int(cookie)
    }

    /// ReadCookie _ P2 P3: r[P2] = database header cookie P3 (BTREE_DATA_VERSION, 15, is the
    /// pager's commit count as this connection sees it).
    func readCookie(_ p2: Int32, _ p3: Int32) throws(DatabaseError) {
        if p3 == 15 {
            register(p2).pointee = .integer(Int64(truncatingIfNeeded: connection.pager.shared.committed.sequence))
            return
        }
        let value = connection.pager.databaseSize == 0 ? 0 : try connection.store.headerField(cookieOffset(p3))
        register(p2).pointee = .integer(Int64(Int32(bitPattern: value)))
    }

    /// SetCookie _ P2 P3: header cookie P2 = P3.
    func setCookie(_ p2: Int32, _ p3: Int32) throws(DatabaseError) {
        try connection.store.initializeIfEmpty()
        try connection.store.setHeaderField(cookieOffset(p2), UInt32(bitPattern: p3))
        if p2 == 1 { try connection.schemaChanged(.expire) }
    }

    func dropSchemaObject(_ instruction: Instruction) throws(DatabaseError) {
        guard case .text(let name) = instruction.p4 else { preconditionFailure("\(instruction.opcode.rawValue) without a name") }
        switch instruction.opcode {
        case .dropTable: try connection.schemaChanged(.dropTable(name))
        case .dropIndex: try connection.schemaChanged(.dropIndex(name))
        default: try connection.schemaChanged(.dropTrigger(name))
        }
    }

    /// IntegrityCk P1 P2 P3 P4 P5: checks the trees rooted at P4's pages (quick_check's checks
    /// only when P5 is 1: Ringlite's checker does in one step what sqlite3's program does in
    /// several); r[P1] = the errors, one per line, or NULL; r[P3] (errors still allowed, less
    /// one) goes down by the count.
    func integrityCheck(_ instruction: Instruction) throws(DatabaseError) {
        guard case .intArray(let roots) = instruction.p4 else { preconditionFailure("IntegrityCk without root pages") }
        guard let hook = connection.integrityCheckHook else {
            throw DatabaseError(.SQLITE_ERROR, "integrity_check is not available on this connection")
        }
        let remaining = integerValue(register(instruction.p3).pointee)
        let errors = try hook(connection.store, roots.map { UInt32(bitPattern: $0) }, Int(remaining) + 1, instruction.p5 & 1 != 0)
        if errors.isEmpty {
            register(instruction.p1).pointee = .null
        } else {
            register(instruction.p3).pointee = .integer(remaining - Int64(errors.count - 1))
            register(instruction.p1).pointee = .text(errors.joined(separator: "\n"))
        }
    }
}
