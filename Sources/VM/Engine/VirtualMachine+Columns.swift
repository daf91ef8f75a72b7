import BTree
import Pager

/// Reading the current row of a cursor (vdbe.c OP_Column, OP_Rowid, OP_IdxRowid, OP_RowData,
/// OP_DeferredSeek). A B-tree cursor's record header is parsed once per row and kept until the
/// cursor moves; a row whose payload spills into overflow pages is copied once per row.
extension VirtualMachine {
    /// Column P1 P2 P3 P4: r[P3] = column P2 of cursor P1's row; P4's value (or NULL) when the
    /// record has fewer columns.
    func column(_ instruction: Instruction) throws(DatabaseError) -> Flow {
        let cursor = cursor(instruction.p1)
        let destination = register(instruction.p3)
        if cursor.deferredRowid != nil {
            if case .io(let completion) = try finishSeek(cursor) { return .io(completion) }
        }
        if cursor.nullRow, !cursor.readsRegister {
            destination.pointee = .null
            return .next
        }
        let index = Int(instruction.p2)
        let value: Value?
        switch cursor.source {
        case .btree(let btree):
            if case .io(let completion) = try prepareRow(cursor, btree) { return .io(completion) }
            if cursor.nullRow {
                destination.pointee = .null
                return .next
            }
            if cursor.rowInBuffer {
                value = cursor.rowBuffer.withUnsafeBytes { cursor.header.column(index, in: $0) }
            } else {
                value = try btree.withPayload { (bytes) throws(DatabaseError) -> Value? in cursor.header.column(index, in: bytes) }
            }
        case .pseudo(let source):
            guard case .blob(let record) = register(source).pointee else {
                destination.pointee = .null
                return .next
            }
            value = try record.withBytes { (bytes) throws(DatabaseError) -> Value? in
                do throws(CorruptionError) { try cursor.header.parse(bytes) } catch { throw error.databaseError }
                return cursor.header.column(index, in: bytes)
            }
        case .sorter(let sorter):
            value = try sorter.current.withBytes { (bytes) throws(DatabaseError) -> Value? in
                do throws(CorruptionError) { try cursor.header.parse(bytes) } catch { throw error.databaseError }
                return cursor.header.column(index, in: bytes)
            }
        }
        if let value {
            destination.pointee = value
        } else if case .value(let defaultValue) = instruction.p4 {
            destination.pointee = defaultValue
        } else {
            destination.pointee = .null
        }
        return .next
    }

    /// Makes the B-tree cursor's row header current: resolves a position saved while another
    /// cursor changed the tree (a row that is gone reads as NULLs) and parses the header.
    func prepareRow(_ cursor: CursorState, _ btree: BTreeCursor) throws(DatabaseError) -> IOResult<Void> {
        if btree.isSaved {
            switch try btree.restorePosition() {
            case .io(let completion): return .io(completion)
            case .done(let exact):
                cursor.invalidateRow()
                if !exact {
                    cursor.nullRow = true
                    return .done
                }
            }
        }
        guard !cursor.cacheValid else { return .done }
        guard btree.isValid else {
            cursor.nullRow = true
            return .done
        }
        let cell = try btree.currentCell()
        if cell.payloadSize == 0 {
            cursor.header.setEmpty()
            cursor.rowInBuffer = false
        } else if cell.hasOverflow {
            let bytes = try btree.withPayload(of: cell) { (bytes) throws(DatabaseError) -> [UInt8] in Array(bytes) }
            cursor.rowBuffer = bytes
            cursor.rowInBuffer = true
            try bytes.withBytes { (record) throws(DatabaseError) in
                do throws(CorruptionError) { try cursor.header.parse(record) } catch { throw error.databaseError }
            }
        } else {
            try btree.withPayload(of: cell) { (record) throws(DatabaseError) in
                do throws(CorruptionError) { try cursor.header.parse(record) } catch { throw error.databaseError }
            }
            cursor.rowInBuffer = false
        }
        cursor.cacheValid = true
        return .done
    }

    /// Rowid P1 P2: r[P2] = the rowid of the table cursor's row (NULL on a null row).
    func rowid(_ p1: Int32, _ p2: Int32) throws(DatabaseError) -> Flow {
        let cursor = cursor(p1)
        if let pending = cursor.deferredRowid {
            register(p2).pointee = .integer(pending)
            return .next
        }
        guard !cursor.nullRow, let btree = cursor.btree else {
            register(p2).pointee = .null
            return .next
        }
        if case .io(let completion) = try prepareRow(cursor, btree) { return .io(completion) }
        register(p2).pointee = cursor.nullRow ? .null : .integer(try btree.rowid())
        return .next
    }

    /// The rowid at the end of an index cursor's current record.
    func indexEntryRowid(_ cursor: CursorState, _ btree: BTreeCursor) throws(DatabaseError) -> IOResult<Int64?> {
        if case .io(let completion) = try prepareRow(cursor, btree) { return .io(completion) }
        if cursor.nullRow { return .done(nil) }
        let last = cursor.header.columnCount - 1
        guard last >= 0 else { throw DatabaseError.corrupt(page: nil, "index record without a rowid") }
        let value: Value?
        if cursor.rowInBuffer {
            value = cursor.rowBuffer.withUnsafeBytes { cursor.header.column(last, in: $0) }
        } else {
            value = try btree.withPayload { (bytes) throws(DatabaseError) -> Value? in cursor.header.column(last, in: bytes) }
        }
        guard case .integer(let rowid) = value else {
            throw DatabaseError.corrupt(page: nil, "index record ends in \(value.map { "\($0)" } ?? "nothing") instead of a rowid")
        }
        return .done(rowid)
    }

    /// IdxRowid P1 P2: r[P2] = the rowid of the index cursor's entry.
    func indexRowid(_ p1: Int32, _ p2: Int32) throws(DatabaseError) -> Flow {
        let cursor = cursor(p1)
        guard !cursor.nullRow, let btree = cursor.btree else {
            register(p2).pointee = .null
            return .next
        }
        switch try indexEntryRowid(cursor, btree) {
        case .io(let completion): return .io(completion)
        case .done(let rowid): register(p2).pointee = rowid.map { .integer($0) } ?? .null
        }
        return .next
    }

    /// RowData P1 P2 / SorterData P1 P2 P3: r[P2] = the whole record of the row (and pseudo
    /// cursor P3 reads it afresh).
    func rowData(_ instruction: Instruction) throws(DatabaseError) -> Flow {
        let cursor = cursor(instruction.p1)
        switch cursor.source {
        case .sorter(let sorter):
            register(instruction.p2).pointee = .blob(sorter.current)
        case .btree(let btree):
            if case .io(let completion) = try prepareRow(cursor, btree) { return .io(completion) }
            if cursor.nullRow {
                register(instruction.p2).pointee = .null
            } else {
                register(instruction.p2).pointee = .blob(try btree.withPayload { (bytes) throws(DatabaseError) -> [UInt8] in Array(bytes) })
            }
        case .pseudo(let source):
            register(instruction.p2).pointee = register(source).pointee
        }
        if instruction.opcode == .sorterData, let pseudo = cursors[Int(instruction.p3)] {
            pseudo.invalidateRow()
            pseudo.nullRow = false
        }
        return .next
    }

    /// DeferredSeek P1 _ P3: table cursor P3 will move to the rowid of index cursor P1's entry
    /// when it is next read. (P4's map of columns readable from the index is not used: Ringlite
    /// always seeks the table row.)
    func deferredSeek(_ p1: Int32, _ p3: Int32) throws(DatabaseError) -> Flow {
        let index = cursor(p1)
        guard let btree = index.btree else { preconditionFailure("DeferredSeek from a cursor that is not a B-tree") }
        switch try indexEntryRowid(index, btree) {
        case .io(let completion): return .io(completion)
        case .done(let rowid):
            let table = cursor(p3)
            table.invalidateRow()
            if let rowid {
                table.deferredRowid = rowid
                table.nullRow = false
            } else {
                table.nullRow = true
            }
        }
        return .next
    }

    /// FinishSeek P1, and the reads of a cursor with a deferred seek: moves to the row.
    func finishSeek(_ cursor: CursorState) throws(DatabaseError) -> Flow {
        guard let rowid = cursor.deferredRowid, let btree = cursor.btree else { return .next }
        switch try btree.seek(rowid: rowid) {
        case .io(let completion): return .io(completion)
        case .done(let result):
            cursor.deferredRowid = nil
            cursor.invalidateRow()
            guard result == .exact else {
                throw DatabaseError.corrupt(page: nil, "index entry names rowid \(rowid), which its table does not have")
            }
            cursor.nullRow = false
            return .next
        }
    }
}
