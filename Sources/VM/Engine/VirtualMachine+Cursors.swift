import BTree
import Pager

/// Opening, closing and moving cursors (vdbe.c OP_OpenRead ... OP_Next).
extension VirtualMachine {
    /// OpenRead / OpenWrite / ReopenIdx P1 P2 P3 P4 P5: a cursor on the tree rooted at P2 (or at
    /// the page in register P2 with OPFLAG_P2ISREG) of the main database; an index when P4 is a
    /// KeyInfo, a table otherwise.
    func openBTree(_ instruction: Instruction) throws(DatabaseError) {
        var root = Int64(instruction.p2)
        if instruction.p5 & OpFlag.p2IsRegister != 0 { root = integerValue(register(instruction.p2).pointee) }
        guard root >= 1 && root <= Int64(UInt32.max) else {
            throw DatabaseError.corrupt(page: nil, "root page \(root) of cursor \(instruction.p1)")
        }
        let slot = Int(instruction.p1)
        if instruction.opcode == .reopenIdx, let existing = cursors[slot], existing.btree?.root == UInt32(root) {
            return
        }
        let writable = instruction.opcode == .openWrite
        precondition(!writable || connection.pager.transaction == .write, "OpenWrite outside a write transaction")
        precondition(connection.pager.transaction != .none, "Open\(writable ? "Write" : "Read") before Transaction")
        cursors[slot]?.close()
        // The cursor this instruction opened in an earlier run, closed when that run ended:
        // the same instruction on the same root opens an identical one.
        if let parked = parkedCursors[slot] {
            parkedCursors[slot] = nil
            if parked.openedAt == pc, let btree = parked.btree, btree.root == UInt32(root), btree.store === connection.store {
                parked.reopen()
                cursors[slot] = parked
                return
            }
        }
        let key: KeyDescription?
        if case .keyInfo(let description) = instruction.p4 { key = description } else { key = nil }
        let kind: BTreeCursor.Kind = key.map { .index($0.keyInfo) } ?? .table
        let btree = BTreeCursor(store: connection.store, root: UInt32(root), kind: kind, writable: writable)
        let state = CursorState(source: .btree(btree), isTable: key == nil, key: key)
        state.openedAt = pc
        cursors[slot] = state
    }

    /// OpenEphemeral / OpenAutoindex P1 P2 P3 P4: a new empty tree in the connection's private
    /// memory database, an index when P4 is a KeyInfo; an open ephemeral cursor is emptied.
    func openEphemeral(_ instruction: Instruction) throws(DatabaseError) {
        let slot = Int(instruction.p1)
        if let existing = cursors[slot], let tree = existing.ephemeral, let btree = existing.btree {
            btree.close()
            try tree.database.store.clearTree(root: tree.root)
            existing.invalidateRow()
            existing.nullRow = false
            return
        }
        cursors[slot]?.close()
        let key: KeyDescription?
        if case .keyInfo(let description) = instruction.p4 { key = description } else { key = nil }
        let database = try connection.ephemeral()
        let tree = EphemeralTree(database: database, root: try database.createTree(table: key == nil))
        let kind: BTreeCursor.Kind = key.map { .index($0.keyInfo) } ?? .table
        let btree = BTreeCursor(store: database.store, root: tree.root, kind: kind, writable: true)
        cursors[slot] = CursorState(source: .btree(btree), isTable: key == nil, key: key, ephemeral: tree)
    }

    /// OpenDup P1 P2: a second cursor on cursor P2's ephemeral tree.
    func openDuplicate(_ p1: Int32, _ p2: Int32) throws(DatabaseError) {
        let original = cursor(p2)
        guard let tree = original.ephemeral, let btree = original.btree else {
            preconditionFailure("OpenDup of a cursor that is not ephemeral")
        }
        cursors[Int(p1)]?.close()
        let duplicate = BTreeCursor(store: tree.database.store, root: tree.root, kind: btree.kind, writable: true)
        cursors[Int(p1)] = CursorState(source: .btree(duplicate), isTable: original.isTable, key: original.key, ephemeral: tree)
    }

    func openSorter(_ instruction: Instruction) {
        guard case .keyInfo(let key) = instruction.p4 else { preconditionFailure("SorterOpen without a KeyInfo") }
        cursors[Int(instruction.p1)]?.close()
        cursors[Int(instruction.p1)] = CursorState(source: .sorter(Sorter(key: key)), isTable: false, key: key)
    }

    /// Rewind / Sort / SorterSort P1 P2: to the first row; jump to P2 when there is none.
    func rewind(_ p1: Int32, _ p2: Int32) throws(DatabaseError) -> Flow {
        let cursor = cursor(p1)
        switch cursor.source {
        case .btree(let btree):
            switch try btree.first() {
            case .io(let completion): return .io(completion)
            case .done(let found):
                cursor.invalidateRow()
                cursor.deferredRowid = nil
                cursor.nullRow = !found
                return found ? .next : .jump(p2)
            }
        case .sorter(let sorter):
            cursor.invalidateRow()
            let found = try sorter.sort()
            cursor.nullRow = !found
            return found ? .next : .jump(p2)
        case .pseudo:
            preconditionFailure("Rewind of a pseudo cursor")
        }
    }

    /// Last P1 P2: to the last row; jump to P2 when there is none.
    func last(_ p1: Int32, _ p2: Int32) throws(DatabaseError) -> Flow {
        let cursor = cursor(p1)
        guard let btree = cursor.btree else { preconditionFailure("Last of a cursor that is not a B-tree") }
        switch try btree.last() {
        case .io(let completion): return .io(completion)
        case .done(let found):
            cursor.invalidateRow()
            cursor.deferredRowid = nil
            cursor.nullRow = !found
            return found ? .next : .jump(p2)
        }
    }

    /// Next / SorterNext P1 P2: to the next row and jump to P2, or fall through at the end.
    func next(_ p1: Int32, _ p2: Int32) throws(DatabaseError) -> Flow {
        try checkInterrupt()
        let cursor = cursor(p1)
        switch cursor.source {
        case .btree(let btree):
            if btree.isUnpositioned || btree.isAtEnd {
                cursor.nullRow = true
                return .next
            }
            switch try btree.next() {
            case .io(let completion): return .io(completion)
            case .done(let found):
                cursor.invalidateRow()
                cursor.deferredRowid = nil
                cursor.nullRow = !found
                return found ? .jump(p2) : .next
            }
        case .sorter(let sorter):
            cursor.invalidateRow()
            let found = sorter.next()
            cursor.nullRow = !found
            return found ? .jump(p2) : .next
        case .pseudo:
            preconditionFailure("Next of a pseudo cursor")
        }
    }

    /// Prev P1 P2: to the previous row and jump to P2, or fall through at the start.
    func previous(_ p1: Int32, _ p2: Int32) throws(DatabaseError) -> Flow {
        try checkInterrupt()
        let cursor = cursor(p1)
        guard let btree = cursor.btree else { preconditionFailure("Prev of a cursor that is not a B-tree") }
        if btree.isUnpositioned || btree.isAtEnd {
            cursor.nullRow = true
            return .next
        }
        switch try btree.previous() {
        case .io(let completion): return .io(completion)
        case .done(let found):
            cursor.invalidateRow()
            cursor.deferredRowid = nil
            cursor.nullRow = !found
            return found ? .jump(p2) : .next
        }
    }

    /// NullRow P1: the cursor reads as a row of NULLs until it moves; a cursor that is not open
    /// becomes a pseudo cursor that only ever has NULL rows.
    func nullRow(_ p1: Int32) {
        if let cursor = cursors[Int(p1)] {
            cursor.nullRow = true
            cursor.invalidateRow()
            cursor.deferredRowid = nil
            if let btree = cursor.btree, !btree.isUnpositioned {
                // SQLite clears the B-tree cursor: a Next after NullRow ends the loop.
                btree.close()
            }
        } else {
            let cursor = CursorState(source: .pseudo(register: 0), isTable: false, key: nil)
            cursor.nullRow = true
            cursors[Int(p1)] = cursor
        }
    }

    /// Count P1 P2: r[P2] = the number of entries in cursor P1's tree.
    func count(_ p1: Int32, _ p2: Int32) throws(DatabaseError) -> Flow {
        guard let btree = cursor(p1).btree else { preconditionFailure("Count of a cursor that is not a B-tree") }
        register(p2).pointee = .integer(Int64(try btree.store.countEntries(root: btree.root)))
        return .next
    }

    /// ResetSorter P1: empties a sorter or an ephemeral tree.
    func resetSorter(_ p1: Int32) throws(DatabaseError) {
        let cursor = cursor(p1)
        cursor.invalidateRow()
        switch cursor.source {
        case .sorter(let sorter):
            sorter.reset()
        case .btree(let btree):
            guard let tree = cursor.ephemeral else { preconditionFailure("ResetSorter of a main-database cursor") }
            btree.close()
            try tree.database.store.clearTree(root: tree.root)
        case .pseudo:
            preconditionFailure("ResetSorter of a pseudo cursor")
        }
    }
}
