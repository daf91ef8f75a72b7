import Pager

/// The content half of the integrity check (the loop PRAGMA integrity_check compiles for each
/// table): every row's record header must parse, every row must have its entry in each index, no
/// UNIQUE index may hold two entries with one key, and each index must hold exactly one entry per
/// row. Ringlite also checks that each index's entries are in its KeyInfo's order, which SQLite
/// 3.40.1 does not check directly (it sees the effect: entries its searches cannot find).
///
/// Damage the structural check reported can stop this one: a page or record it cannot read ends
/// the check with SQLite's "database disk image is malformed" row, as sqlite3 ends it.
struct ContentCheck {
    let store: TreeStore
    let quick: Bool

    /// Checks one table and its indexes, adding rows to `rows`.
    func check(_ table: IntegrityTable, rows: inout IntegrityRows) throws(DatabaseError) {
        // A damaged sqlite_schema row can give a tree root page 0, which names no tree: sqlite3's
        // OpenRead on it fails with SQLITE_CORRUPT, ending the check as malformed.
        if table.root < 1 || (!quick && table.indexes.contains { $0.root < 1 }) {
            throw DatabaseError.corrupt(page: table.root, "root page 0 in the schema of table \(table.name)")
        }
        let cursor = BTreeCursor(store: store, root: table.root, kind: .table, writable: false)
        let indexes = quick ? [] : table.indexes
        let indexCursors = indexes.map { BTreeCursor(store: store, root: $0.root, kind: .index($0.keyInfo), writable: false) }
        defer {
            cursor.close()
            for indexCursor in indexCursors { indexCursor.close() }
        }
        var entries = [Int](repeating: 0, count: indexes.count)
        var ordinal = 0
        var more = try cursor.blocking { () throws(DatabaseError) -> IOResult<Bool> in try cursor.first() }
        while more {
            ordinal += 1
            guard let row = try StoredRow(cursor: cursor, store: store, through: table.lastStoredColumn) else {
                rows.haltMalformed()
                return
            }
            var fullRow: IntegrityRow?
            for (j, index) in indexes.enumerated() {
                if let includes = index.includes {
                    if fullRow == nil { fullRow = try integrityRow(row, table) }
                    guard try includes(fullRow!) else { continue }
                }
                var key: [Value] = []
                key.reserveCapacity(index.columns.count + 1)
                for column in index.columns {
                    switch column {
                    case .column(let c): key.append(try value(ofColumn: c, row, table))
                    case .rowid: key.append(.integer(row.rowid))
                    case .expression(let evaluate):
                        if fullRow == nil { fullRow = try integrityRow(row, table) }
                        key.append(try evaluate(fullRow!))
                    }
                }
                key.append(.integer(row.rowid))
                entries[j] += 1
                let indexCursor = indexCursors[j]
                let found = try indexCursor.blocking { () throws(DatabaseError) -> IOResult<SeekResult> in
                    try indexCursor.seek(key: key, defaultResult: 0)
                }
                if found != .exact {
                    rows.emit("row \(ordinal) missing from index \(index.name)")
                } else if index.unique, try !isUniqueAt(indexCursor, key: key.dropLast(), index) {
                    rows.emit("non-unique entry in index \(index.name)")
                }
                if rows.halted { return }
            }
            more = try cursor.blocking { () throws(DatabaseError) -> IOResult<Bool> in try cursor.next() }
        }
        for (j, index) in indexes.enumerated() {
            let scan = try scanIndex(indexCursors[j], index)
            if scan.count != entries[j] {
                rows.emit("wrong # of entries in index \(index.name)")
                if rows.halted { return }
            }
            if let position = scan.firstOutOfOrder {
                rows.emit("entry \(position) out of order in index \(index.name)")
                if rows.halted { return }
            }
        }
    }

    /// A table column as an index key holds it: the rowid for the INTEGER PRIMARY KEY, the
    /// default for a column the record lacks, else the stored value (a REAL column's integral
    /// value stays an integer, as SQLite stores it in the index).
    private func value(ofColumn column: Int, _ row: StoredRow, _ table: IntegrityTable) throws(DatabaseError) -> Value {
        if column == table.integerPrimaryKey { return .integer(row.rowid) }
        return try row.field(column, store: store) ?? table.defaults[column] ?? .null
    }

    private func integrityRow(_ row: StoredRow, _ table: IntegrityTable) throws(DatabaseError) -> IntegrityRow {
        var values: [Value] = []
        values.reserveCapacity(table.columnCount)
        for column in 0..<table.columnCount { values.append(try value(ofColumn: column, row, table)) }
        return IntegrityRow(rowid: row.rowid, values: values)
    }

    /// With the cursor on an entry equal to `key` plus the rowid: true unless the next entry has
    /// the same key columns (a key with a NULL is never a duplicate).
    private func isUniqueAt(_ cursor: BTreeCursor, key: ArraySlice<Value>, _ index: IntegrityIndex) throws(DatabaseError) -> Bool {
        if key.contains(where: \.isNull) { return true }
        let hasNext = try cursor.blocking { () throws(DatabaseError) -> IOResult<Bool> in try cursor.next() }
        guard hasNext else { return true }
        let prefix = Array(key)
        let order = try cursor.withPayload { (record) throws(DatabaseError) -> Int in
            do throws(CorruptionError) { return try index.keyInfo.compare(record: record, to: prefix, defaultResult: 0) }
            catch { throw error.databaseError }
        }
        return order > 0
    }

    /// Counts an index's entries and finds the first (1-based) that sorts before the one before it.
    private func scanIndex(_ cursor: BTreeCursor, _ index: IntegrityIndex) throws(DatabaseError) -> (count: Int, firstOutOfOrder: Int?) {
        var count = 0
        var outOfOrder: Int?
        var previous: [UInt8] = []
        var more = try cursor.blocking { () throws(DatabaseError) -> IOResult<Bool> in try cursor.first() }
        while more {
            count += 1
            if outOfOrder == nil {
                let inOrder = try cursor.withPayload { (record) throws(DatabaseError) -> Bool in
                    defer { previous.replaceSubrange(previous.indices, with: record) }
                    guard count > 1 else { return true }
                    return try previous.withBytes { (earlier) throws(DatabaseError) -> Bool in
                        do throws(CorruptionError) { return try index.keyInfo.compare(record: earlier, toRecord: record) < 0 }
                        catch { throw error.databaseError }
                    }
                }
                if !inOrder { outOfOrder = count }
            }
            more = try cursor.blocking { () throws(DatabaseError) -> IOResult<Bool> in try cursor.next() }
        }
        return (count, outOfOrder)
    }
}
