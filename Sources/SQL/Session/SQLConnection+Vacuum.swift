import BTree
import Pager
import VM

/// VACUUM (vacuum.c sqlite3RunVacuum). The database is rebuilt in a private in-memory database
/// in the order sqlite3 rebuilds it: each table's tree and sqlite_schema row (its automatic
/// indexes and, with the first AUTOINCREMENT table, sqlite_sequence after it), then the
/// CREATE INDEX indexes, then each table's rows and index entries copied in key order, then the
/// schema rows without trees (views, triggers, virtual tables). Then, inside the write
/// transaction the Vacuum opcode began, every page of the copy replaces the page of the same
/// number in the database, which shrinks to the copy's size: the pager's commit (WAL frames, or
/// pages in place under journal_mode=OFF) makes the swap atomic, as sqlite3BtreeCopyFile
/// relies on its journal. VACUUM INTO writes the copy to a new file instead.
extension SQLConnection {
    func installVacuum() {
        state.vacuumHook = { [unowned self] (into: String?) throws(DatabaseError) in
            try self.vacuum(into: into)
        }
    }

    private func vacuum(into path: String?) throws(DatabaseError) {
        // The schema as the file holds it now (another connection may have changed it).
        try reloadSchema()
        let pager = state.pager
        guard pager.databaseSize > 0 else { return }
        guard pager.usableSize == pager.pageSize else {
            throw SQLCompiler.notSupported("VACUUM of a database with reserved bytes in its pages")
        }
        let copy = try CompactCopy(pageSize: pager.pageSize)
        try copy.build(from: state.store, schema: schema)
        try copy.takeHeader(from: state.store)
        if let path {
            try copy.write(to: path, options: pager.shared.options)
        } else {
            try pager.replaceContents(with: copy.pager)
        }
    }
}

/// The compact copy of a database that VACUUM builds: a MemoryIO database (journal mode OFF)
/// in a write transaction that is never committed.
private final class CompactCopy {
    let shared: PagerShared
    let pager: Pager
    let store: TreeStore

    init(pageSize: Int) throws(DatabaseError) {
        var options = PagerOptions()
        options.journalMode = .off
        options.synchronous = .off
        options.newDatabasePageSize = pageSize
        shared = try PagerShared.open(path: ":memory:", options: options)
        pager = Pager(shared: shared)
        store = try TreeStore(pager: pager)
        try pager.beginWrite()
        try store.initializeIfEmpty()
    }

    deinit {
        if pager.transaction == .write { pager.rollback() }
    }

    private typealias Row = TreeStore.SchemaRow

    /// One tree to fill: where its entries come from and how they are ordered.
    private struct Fill {
        var sourceRoot: UInt32
        var root: UInt32
        /// nil for a rowid table; the key order and the fields compared for index trees.
        var key: (info: KeyInfo, fields: Int)?
    }

    func build(from source: TreeStore, schema: Schema) throws(DatabaseError) {
        let rows = try source.schemaRows().map(\.row)
        var fills: [Fill] = []
        var sequenceMade = false
        let sequenceName = SchemaCompiler.sequenceTableName
        // The tables, each with its automatic indexes (sqlite3 runs each CREATE TABLE again).
        for row in rows where row.type == "table" && row.rootPage > 0 && !row.name.sqlEquals(sequenceName) {
            guard let table = schema.table(row.name) else { throw Self.malformed(row.name) }
            let root = try store.createTree(table: !table.withoutRowid)
            try store.addSchemaRow(Row(type: "table", name: row.name, tableName: row.tableName, rootPage: root, sql: row.sql))
            fills.append(Fill(sourceRoot: row.rootPage, root: root, key: table.withoutRowid ? try Self.tableKey(table) : nil))
            for index in rows where index.type == "index" && index.sql == nil && index.tableName.sqlEquals(row.name) {
                try addIndex(index, of: table, &fills)
            }
            if table.autoincrement && !sequenceMade, let sequence = rows.first(where: { $0.type == "table" && $0.name.sqlEquals(sequenceName) }) {
                // CREATE TABLE of the first AUTOINCREMENT table makes sqlite_sequence (and a
                // database without one loses it, as sqlite3's VACUUM drops it).
                let root = try store.createTree(table: true)
                try store.addSchemaRow(Row(type: "table", name: sequence.name, tableName: sequence.tableName, rootPage: root, sql: sequence.sql))
                fills.append(Fill(sourceRoot: sequence.rootPage, root: root, key: nil))
                sequenceMade = true
            }
        }
        for row in rows where row.type == "index" && row.sql != nil {
            guard let table = schema.table(row.tableName) else { throw Self.malformed(row.name) }
            try addIndex(row, of: table, &fills)
        }
        // Rows and entries, in the order the trees were made.
        for fill in fills {
            if let key = fill.key {
                try store.copyIndex(from: source, root: fill.sourceRoot, keyInfo: key.info, keyFields: key.fields, into: fill.root)
            } else {
                try store.copyTable(from: source, root: fill.sourceRoot, into: fill.root)
            }
        }
        for row in rows where row.type == "view" || row.type == "trigger" || (row.type == "table" && row.rootPage == 0) {
            try store.addSchemaRow(row)
        }
    }

    private func addIndex(_ row: Row, of table: TableSchema, _ fills: inout [Fill]) throws(DatabaseError) {
        guard let index = table.indexes.first(where: { $0.name.sqlEquals(row.name) }) else { throw Self.malformed(row.name) }
        let root = try store.createTree(table: false)
        try store.addSchemaRow(Row(type: "index", name: row.name, tableName: row.tableName, rootPage: root, sql: row.sql))
        fills.append(Fill(sourceRoot: row.rootPage, root: root, key: try Self.indexKey(index, of: table)))
    }

    /// A WITHOUT ROWID table's records are ordered by its PRIMARY KEY columns, which come first.
    private static func tableKey(_ table: TableSchema) throws(DatabaseError) -> (KeyInfo, Int) {
        guard let primary = table.indexes.first(where: { $0.origin == .primaryKey }) else { throw malformed(table.name) }
        let columns = primary.columns.map { KeyColumn(collation: $0.collation, descending: $0.descending) }
        return (KeyInfo(columns: columns), columns.count)
    }

    /// An index's entries are ordered by all their fields: its terms, then the rowid (in a
    /// WITHOUT ROWID table's indexes, the PRIMARY KEY columns the terms do not already hold,
    /// with the key's collations and orders, as sqlite3CreateIndex appends them).
    private static func indexKey(_ index: IndexSchema, of table: TableSchema) throws(DatabaseError) -> (KeyInfo, Int) {
        guard table.withoutRowid, index.origin != .primaryKey else { return (index.keyInfo, Int.max) }
        guard let primary = table.indexes.first(where: { $0.origin == .primaryKey }) else { throw malformed(table.name) }
        var columns = index.columns.map { KeyColumn(collation: $0.collation, descending: $0.descending) }
        for key in primary.columns where !index.columns.contains(where: { $0.term == key.term && $0.collation == key.collation }) {
            columns.append(KeyColumn(collation: key.collation, descending: key.descending))
        }
        return (KeyInfo(columns: columns), Int.max)
    }

    private static func malformed(_ name: String) -> DatabaseError {
        DatabaseError(.SQLITE_CORRUPT, "malformed database schema (\(name))")
    }

    /// The header fields VACUUM carries over (vacuum.c aCopy): the schema cookie, one more; the
    /// default cache size, the text encoding, the user version and the application id. The
    /// change counter and the file format bytes are the database's too, so the commit that
    /// stamps them moves the counter on from the old value.
    func takeHeader(from source: TreeStore) throws(DatabaseError) {
        let old = try source.pager.page(1)
        defer { source.pager.release(old) }
        let new = try pager.page(1)
        defer { pager.release(new) }
        pager.makeWritable(new)
        let from = UnsafeRawBufferPointer(old.bytes)
        new.bytes.storeBigEndianUInt32(from.loadBigEndianUInt32(at: DatabaseHeader.Offset.schemaCookie) &+ 1,
                                       at: DatabaseHeader.Offset.schemaCookie)
        for offset in [DatabaseHeader.Offset.fileChangeCounter, 48, 56, DatabaseHeader.Offset.userVersion, 68,
                       DatabaseHeader.Offset.versionValidFor] {
            new.bytes.storeBigEndianUInt32(from.loadBigEndianUInt32(at: offset), at: offset)
        }
        new.bytes[18] = from[18]
        new.bytes[19] = from[19]
    }

    /// VACUUM INTO: the copy, as a database in rollback-journal format (file format bytes 1),
    /// written to a new file (or an empty one) and synced as the database's own commits are.
    func write(to path: String, options sourceOptions: PagerOptions) throws(DatabaseError) {
        let header = try pager.page(1)
        pager.makeWritable(header)
        header.bytes[18] = 1
        header.bytes[19] = 1
        pager.release(header)
        var options = sourceOptions
        options.journalMode = .off
        options.readOnly = false
        options.newDatabasePageSize = pager.pageSize
        let output: PagerShared
        do {
            output = try PagerShared.open(path: path, options: options)
        } catch {
            // A file that is not a database is not overwritten either.
            if error.resultCode.primary == .SQLITE_NOTADB { throw DatabaseError(.SQLITE_ERROR, "output file already exists") }
            throw error
        }
        let writer = Pager(shared: output)
        try writer.beginWrite()
        guard writer.databaseSize == 0 else {
            writer.rollback()
            throw DatabaseError(.SQLITE_ERROR, "output file already exists")
        }
        do throws(DatabaseError) {
            try writer.replaceContents(with: pager)
            try writer.commit()
        } catch {
            if writer.transaction == .write { writer.rollback() }
            throw error
        }
    }
}
