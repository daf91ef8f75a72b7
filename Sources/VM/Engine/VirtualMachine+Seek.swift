import BTree
import Pager

/// Seeks and key probes (vdbe.c OP_SeekRowid, OP_SeekGE..., OP_IdxGE..., OP_Found...).
extension VirtualMachine {
    /// Where a B-tree seek left the cursor, as SQLite's `res`: 0 on an equal entry, +1 on a
    /// larger one, -1 on the last entry when every entry is smaller; nil for an empty tree.
    private func order(of result: SeekResult) -> Int? {
        switch result {
        case .exact: 0
        case .after: 1
        case .before: -1
        case .empty: nil
        }
    }

    /// SeekRowid / NotExists P1 P2 P3: the table row with the rowid in r[P3], or jump to P2.
    /// SeekRowid first gives r[P3] numeric affinity and jumps when it is not an integer.
    func seekRowid(_ instruction: Instruction) throws(DatabaseError) -> Flow {
        let cursor = cursor(instruction.p1)
        guard let btree = cursor.btree else { preconditionFailure("\(instruction.opcode.rawValue) of a cursor that is not a B-tree") }
        var key = register(instruction.p3).pointee
        if instruction.opcode == .seekRowid, !isInteger(key) {
            applyRegisterAffinity(&key, AffinityCode.numeric)
            guard isInteger(key) else {
                cursor.nullRow = true
                cursor.invalidateRow()
                return .jump(instruction.p2)
            }
        }
        switch try btree.seek(rowid: integerValue(key)) {
        case .io(let completion): return .io(completion)
        case .done(let result):
            cursor.invalidateRow()
            cursor.deferredRowid = nil
            cursor.nullRow = result != .exact
            return result == .exact ? .next : .jump(instruction.p2)
        }
    }

    private func isInteger(_ value: Value) -> Bool {
        if case .integer = value { return true }
        return false
    }

    private func applyRegisterAffinity(_ value: inout Value, _ affinity: UInt8) {
        withUnsafeMutablePointer(to: &value) { applyRegisterAffinity($0, affinity) }
    }

    /// SeekGE / SeekGT / SeekLE / SeekLT P1 P2 P3 P4: positions cursor P1 at the first entry
    /// (GE, GT) or last entry (LE, LT) that satisfies the comparison with the key, or jumps to
    /// P2 when there is none. Tables take the rowid in r[P3]; indexes the P4 registers from P3.
    func seek(_ instruction: Instruction) throws(DatabaseError) -> Flow {
        let cursor = cursor(instruction.p1)
        guard let btree = cursor.btree else { preconditionFailure("\(instruction.opcode.rawValue) of a cursor that is not a B-tree") }
        var opcode = instruction.opcode
        let result: IOResult<SeekResult>
        if cursor.isTable {
            let original = register(instruction.p3).pointee
            let value = numericView(original)
            let rowid: Int64
            switch value {
            case .integer(let i):
                rowid = i
            case .real(let r):
                rowid = realToInt64(r)
                let order = ValueOrdering.compare(integer: rowid, real: r)
                if order > 0 {
                    if opcode == .seekGT { opcode = .seekGE } else if opcode == .seekLE { opcode = .seekLT }
                } else if order < 0 {
                    if opcode == .seekLT { opcode = .seekLE } else if opcode == .seekGE { opcode = .seekGT }
                }
            default:
                if value.isNull || opcode == .seekGE || opcode == .seekGT { return .jump(instruction.p2) }
                // Text and blobs sort after every integer: LE/LT land on the last row.
                switch try btree.last() {
                case .io(let completion): return .io(completion)
                case .done(let found):
                    settle(cursor, found: found)
                    return found ? .next : .jump(instruction.p2)
                }
            }
            result = try btree.seek(rowid: rowid)
        } else {
            let count = keyFieldCount(instruction)
            let defaultResult = (opcode == .seekGT || opcode == .seekLE) ? -1 : 1
            loadKey(instruction.p3, count)
            result = try btree.seek(key: keyScratch, defaultResult: defaultResult)
        }
        guard case .done(let seekResult) = result else {
            if case .io(let completion) = result { return .io(completion) }
            preconditionFailure("unreachable")
        }
        guard let position = order(of: seekResult) else {
            settle(cursor, found: false)
            return .jump(instruction.p2)
        }
        var found = true
        if opcode == .seekGE || opcode == .seekGT {
            if position < 0 || (position == 0 && opcode == .seekGT) {
                switch try btree.next() {
                case .io(let completion): return .io(completion)
                case .done(let moved): found = moved
                }
            }
        } else if position > 0 || (position == 0 && opcode == .seekLT) {
            switch try btree.previous() {
            case .io(let completion): return .io(completion)
            case .done(let moved): found = moved
            }
        }
        settle(cursor, found: found)
        return found ? .next : .jump(instruction.p2)
    }

    private func settle(_ cursor: CursorState, found: Bool) {
        cursor.invalidateRow()
        cursor.deferredRowid = nil
        cursor.nullRow = !found
    }

    /// The number of key registers of a seek or probe: P4's integer.
    private func keyFieldCount(_ instruction: Instruction) -> Int {
        if case .int32(let count) = instruction.p4 { return Int(count) }
        preconditionFailure("\(instruction.opcode.rawValue) needs the key's register count in P4")
    }

    /// Copies registers into `keyScratch` (no allocation once it has grown).
    private func loadKey(_ start: Int32, _ count: Int) {
        keyScratch.removeAll(keepingCapacity: true)
        for value in registerRange(start, count) { keyScratch.append(value) }
    }

    /// IdxGE / IdxGT / IdxLE / IdxLT P1 P2 P3 P4: compares the index entry (without its rowid)
    /// with the P4 registers from P3 and jumps to P2 when entry >= / > / <= / < key.
    func indexCompare(_ instruction: Instruction) throws(DatabaseError) -> Flow {
        let cursor = cursor(instruction.p1)
        guard let btree = cursor.btree, let key = cursor.key else { preconditionFailure("\(instruction.opcode.rawValue) of a cursor that is not an index") }
        if btree.isSaved, case .io(let completion) = try btree.restorePosition() { return .io(completion) }
        guard btree.isValid else { preconditionFailure("\(instruction.opcode.rawValue) on a cursor that is not at an entry") }
        let opcode = instruction.opcode
        let defaultResult = (opcode == .idxLE || opcode == .idxGT) ? -1 : 0
        loadKey(instruction.p3, keyFieldCount(instruction))
        let keyInfo = key.keyInfo
        let order = try btree.withPayload { (record) throws(DatabaseError) -> Int in
            do throws(CorruptionError) {
                return try keyInfo.compare(record: record, to: keyScratch, defaultResult: defaultResult)
            } catch {
                throw error.databaseError
            }
        }
        let jump = (opcode == .idxGE || opcode == .idxGT) ? order >= 0 : order < 0
        return jump ? .jump(instruction.p2) : .next
    }

    /// Found / NotFound / NoConflict / IfNoHope P1 P2 P3 P4: looks for an index entry equal to
    /// the key (P4 registers from P3, or the record in r[P3] when P4 is 0) and jumps to P2 when
    /// it is there (Found) or not (NotFound, NoConflict; NoConflict also when the key has a NULL).
    func found(_ instruction: Instruction) throws(DatabaseError) -> Flow {
        let cursor = cursor(instruction.p1)
        if instruction.opcode == .ifNoHope, case .int32(let hope) = instruction.p4, cursor.seekHit >= hope {
            return .next
        }
        guard let btree = cursor.btree else { preconditionFailure("\(instruction.opcode.rawValue) of a cursor that is not a B-tree") }
        if case .int32(let count) = instruction.p4, count > 0 {
            loadKey(instruction.p3, Int(count))
        } else {
            guard case .blob(let record) = register(instruction.p3).pointee else {
                preconditionFailure("\(instruction.opcode.rawValue) without a key record in r[\(instruction.p3)]")
            }
            let values = try record.withBytes { (bytes) throws(DatabaseError) -> [Value] in
                do throws(CorruptionError) { return try RecordHeader.decodeAll(bytes) } catch { throw error.databaseError }
            }
            keyScratch = values
        }
        let hasNull = instruction.opcode == .noConflict && keyScratch.contains { $0.isNull }
        switch try btree.seek(key: keyScratch, defaultResult: 0) {
        case .io(let completion):
            return .io(completion)
        case .done(let result):
            let exists = result == .exact
            cursor.invalidateRow()
            cursor.deferredRowid = nil
            cursor.nullRow = !exists
            if instruction.opcode == .found { return exists ? .jump(instruction.p2) : .next }
            return hasNull || !exists ? .jump(instruction.p2) : .next
        }
    }

    /// SorterCompare P1 P2 P3 P4: jump to P2 unless the sorter's record and the record in r[P3]
    /// agree on their first P4 fields (a NULL in either makes them differ).
    func sorterCompare(_ instruction: Instruction) throws(DatabaseError) -> Flow {
        guard case .sorter(let sorter) = cursor(instruction.p1).source,
              case .blob(let record) = register(instruction.p3).pointee else {
            preconditionFailure("SorterCompare needs a sorter cursor and a record")
        }
        let count = Int(keyFieldCount(instruction))
        let current = try sorter.current.withBytes { (bytes) throws(DatabaseError) -> [Value] in
            do throws(CorruptionError) { return try RecordHeader.decodeAll(bytes) } catch { throw error.databaseError }
        }
        let other = try record.withBytes { (bytes) throws(DatabaseError) -> [Value] in
            do throws(CorruptionError) { return try RecordHeader.decodeAll(bytes) } catch { throw error.databaseError }
        }
        for index in 0..<min(count, current.count, other.count) {
            // A NULL key field makes the records distinct (vdbesort.c sqlite3VdbeSorterCompare):
            // a UNIQUE index may hold any number of rows with NULLs.
            if current[index].isNull || other[index].isNull { return .jump(instruction.p2) }
            let column = sorter.key.keyInfo.column(index)
            if ValueOrdering.compare(current[index], other[index], collation: column.collation) != 0 {
                return .jump(instruction.p2)
            }
        }
        return .next
    }
}
