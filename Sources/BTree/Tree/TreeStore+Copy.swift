import Pager

/// Copying whole trees between databases (VACUUM's "INSERT INTO vacuum_db.t SELECT * FROM t",
/// which sqlite3's transfer optimization turns into a copy of each tree in key order). Entries
/// are read in order from the source and appended to an empty tree, so every insert lands at
/// the end of the rightmost leaf and the new tree is packed as an append-only tree is.
extension TreeStore {
    /// Appends every row of the table tree `sourceRoot` of `source` to this store's empty table
    /// tree `root`: same rowids, same record bytes.
    package func copyTable(from source: TreeStore, root sourceRoot: UInt32, into root: UInt32) throws(DatabaseError) {
        let reader = BTreeCursor(store: source, root: sourceRoot, kind: .table, writable: false)
        let writer = BTreeCursor(store: self, root: root, kind: .table, writable: true)
        defer {
            reader.close()
            writer.close()
        }
        var more = try reader.blocking { () throws(DatabaseError) -> IOResult<Bool> in try reader.first() }
        while more {
            let rowid = try reader.rowid()
            try reader.withPayload { (payload) throws(DatabaseError) in try writer.insert(rowid: rowid, payload: payload) }
            more = try reader.blocking { () throws(DatabaseError) -> IOResult<Bool> in try reader.next() }
        }
    }

    /// Appends every entry of the index tree `sourceRoot` of `source` (ordered by `keyInfo`,
    /// comparing `keyFields` fields) to this store's empty index tree `root`.
    package func copyIndex(from source: TreeStore, root sourceRoot: UInt32, keyInfo: KeyInfo, keyFields: Int,
                           into root: UInt32) throws(DatabaseError) {
        let reader = BTreeCursor(store: source, root: sourceRoot, kind: .index(keyInfo), writable: false)
        let writer = BTreeCursor(store: self, root: root, kind: .index(keyInfo), writable: true)
        defer {
            reader.close()
            writer.close()
        }
        var more = try reader.blocking { () throws(DatabaseError) -> IOResult<Bool> in try reader.first() }
        while more {
            try reader.withPayload { (record) throws(DatabaseError) in try writer.insert(record: record, keyFields: keyFields) }
            more = try reader.blocking { () throws(DatabaseError) -> IOResult<Bool> in try reader.next() }
        }
    }
}
