import BTree
import Pager

/// Changing trees (vdbe.c OP_NewRowid, OP_Insert, OP_Delete, OP_IdxInsert, OP_IdxDelete,
/// OP_SorterInsert). B-tree writes wait for their IO inside BTree, so these never yield.
extension VirtualMachine {
    /// NewRowid P1 P2 P3: r[P2] = a rowid not in the table: one more than the largest, or when
    /// that is the largest integer, a random unused one (SQLITE_FULL after 100 tries). With P3,
    /// r[P3] holds the largest rowid AUTOINCREMENT has handed out, and is updated.
    func newRowid(_ p1: Int32, _ p2: Int32, _ p3: Int32) throws(DatabaseError) -> Flow {
        let cursor = cursor(p1)
        guard let btree = cursor.btree else { preconditionFailure("NewRowid of a cursor that is not a B-tree") }
        let largest: Int64?
        switch try btree.last() {
        case .io(let completion): return .io(completion)
        case .done(let found): largest = found ? try btree.rowid() : nil
        }
        cursor.invalidateRow()
        var rowid = (largest ?? 0) == Int64.max ? Int64.max : (largest ?? 0) + 1
        var random = largest == Int64.max
        if p3 > 0 {
            // AUTOINCREMENT never reuses a rowid: once the largest is taken there is no next one.
            let previous = integerValue(register(p3).pointee)
            if previous == Int64.max || random { throw DatabaseError(.SQLITE_FULL, "database or disk is full") }
            if rowid <= previous { rowid = previous + 1 }
            register(p3).pointee = .integer(rowid)
            random = false
        }
        if random {
            var attempts = 0
            repeat {
                rowid = Int64.random(in: 1...Int64.max)
                let result = try btree.blocking { () throws(DatabaseError) -> IOResult<SeekResult> in try btree.seek(rowid: rowid) }
                if result != .exact { break }
                attempts += 1
            } while attempts < 100
            if attempts >= 100 { throw DatabaseError(.SQLITE_FULL, "database or disk is full") }
        }
        register(p2).pointee = .integer(rowid)
        return .next
    }

    /// Insert P1 P2 P3 P4 P5: writes the record in r[P2] as the row with the rowid in r[P3]
    /// (replacing a row with that rowid). P5: OPFLAG_NCHANGE counts it, OPFLAG_LASTROWID sets
    /// last_insert_rowid(), OPFLAG_ISNOOP makes it do nothing.
    func insert(_ instruction: Instruction) throws(DatabaseError) {
        // WITHOUT ROWID tables: SQLite emits an Insert that only runs the pre-update hook.
        if instruction.p5 & OpFlag.isNoop != 0 { return }
        let cursor = cursor(instruction.p1)
        guard let btree = cursor.btree else { preconditionFailure("Insert into a cursor that is not a B-tree") }
        guard case .integer(let rowid) = register(instruction.p3).pointee else {
            preconditionFailure("Insert's rowid register r[\(instruction.p3)] does not hold an integer")
        }
        let data = register(instruction.p2).pointee
        let payload: [UInt8]
        switch data {
        case .blob(let bytes), .text(let bytes): payload = bytes
        case .null: payload = []
        default: preconditionFailure("Insert's data register r[\(instruction.p2)] does not hold a record")
        }
        try payload.withBytes { (bytes) throws(DatabaseError) in try btree.insert(rowid: rowid, payload: bytes) }
        cursor.invalidateRow()
        cursor.nullRow = false
        if instruction.p5 & OpFlag.nChange != 0 { changeCount += 1 }
        if instruction.p5 & OpFlag.auxiliaryChange != 0 { auxiliaryChangeCount += 1 }
        if instruction.p5 & OpFlag.lastRowid != 0 { connection.lastInsertRowid = rowid }
    }

    /// Delete P1 P2 _ _ P5: deletes the cursor's row. P2's flags (3.40, vdbe.c OP_Delete):
    /// OPFLAG_NCHANGE counts it; OPFLAG_ISNOOP makes it do nothing but the pre-update hook,
    /// which Ringlite does not have (sqlite3 builds with that hook emit it for an UPDATE that
    /// rewrites a row in place). P5 holds OPFLAG_SAVEPOSITION/AUXDELETE; the cursor always stays
    /// where the row was, so Next goes on with the row after it.
    func delete(_ instruction: Instruction) throws(DatabaseError) {
        if UInt16(truncatingIfNeeded: instruction.p2) & OpFlag.isNoop != 0 { return }
        let cursor = cursor(instruction.p1)
        guard let btree = cursor.btree else { preconditionFailure("Delete from a cursor that is not a B-tree") }
        if cursor.deferredRowid != nil { _ = try btree.blocking { () throws(DatabaseError) -> IOResult<Flow> in try self.deferredFlow(cursor) } }
        if btree.isSaved {
            let exact = try btree.blocking { () throws(DatabaseError) -> IOResult<Bool> in try btree.restorePosition() }
            guard exact else { preconditionFailure("Delete of a row that is gone") }
        }
        try btree.delete()
        cursor.invalidateRow()
        if UInt16(truncatingIfNeeded: instruction.p2) & OpFlag.nChange != 0 { changeCount += 1 }
        if UInt16(truncatingIfNeeded: instruction.p2) & OpFlag.auxiliaryChange != 0 { auxiliaryChangeCount += 1 }
    }

    private func deferredFlow(_ cursor: CursorState) throws(DatabaseError) -> IOResult<Flow> {
        switch try finishSeek(cursor) {
        case .io(let completion): return .io(completion)
        case let flow: return .done(flow)
        }
    }

    /// IdxInsert P1 P2 P3 P4 P5: adds the record in r[P2] to index cursor P1 (P5's
    /// OPFLAG_NCHANGE counts it). P4, when not zero, is how many of the record's fields form its
    /// key: an entry equal on those is replaced (a WITHOUT ROWID table's row by its new version).
    func indexInsert(_ instruction: Instruction) throws(DatabaseError) {
        let cursor = cursor(instruction.p1)
        guard let btree = cursor.btree else { preconditionFailure("IdxInsert into a cursor that is not a B-tree") }
        guard case .blob(let record) = register(instruction.p2).pointee else {
            preconditionFailure("IdxInsert's register r[\(instruction.p2)] does not hold a record")
        }
        var keyFields = Int.max
        if case .int32(let fields) = instruction.p4, fields > 0 { keyFields = Int(fields) }
        try record.withBytes { (bytes) throws(DatabaseError) in try btree.insert(record: bytes, keyFields: keyFields) }
        cursor.invalidateRow()
        cursor.nullRow = false
        if instruction.p5 & OpFlag.nChange != 0 { changeCount += 1 }
        if instruction.p5 & OpFlag.auxiliaryChange != 0 { auxiliaryChangeCount += 1 }
    }

    /// IdxDelete P1 P2 P3 _ P5: deletes the index entry equal to the P3 registers from P2;
    /// a missing entry is SQLITE_CORRUPT_INDEX when P5 is set.
    func indexDelete(_ instruction: Instruction) throws(DatabaseError) -> Flow {
        let cursor = cursor(instruction.p1)
        guard let btree = cursor.btree else { preconditionFailure("IdxDelete from a cursor that is not a B-tree") }
        keyScratch.removeAll(keepingCapacity: true)
        for value in registerRange(instruction.p2, Int(instruction.p3)) { keyScratch.append(value) }
        switch try btree.seek(key: keyScratch, defaultResult: 0) {
        case .io(let completion):
            return .io(completion)
        case .done(let result):
            cursor.invalidateRow()
            if result == .exact {
                try btree.delete()
            } else if instruction.p5 != 0 {
                throw DatabaseError(.SQLITE_CORRUPT_INDEX, "database disk image is malformed (index entry to delete is missing)")
            }
            return .next
        }
    }

    /// SorterInsert P1 P2: adds the record in r[P2] to the sorter.
    func sorterInsert(_ p1: Int32, _ p2: Int32) {
        guard case .sorter(let sorter) = cursor(p1).source, case .blob(let record) = register(p2).pointee else {
            preconditionFailure("SorterInsert needs a sorter cursor and a record")
        }
        sorter.insert(record)
    }
}
