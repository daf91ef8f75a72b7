import Pager

/// Trees as a whole: creating, clearing and dropping them, counting their entries, and the
/// sqlite_schema table (rooted at page 1) that names them.
extension TreeStore {
    /// One row of sqlite_schema.
    package struct SchemaRow: Equatable, Sendable {
        package var type: String
        package var name: String
        package var tableName: String
        package var rootPage: UInt32
        package var sql: String?

        package init(type: String, name: String, tableName: String, rootPage: UInt32, sql: String?) {
            self.type = type
            self.name = name
            self.tableName = tableName
            self.rootPage = rootPage
            self.sql = sql
        }

        var record: [Value] {
            [.text(type), .text(name), .text(tableName), .integer(Int64(rootPage)), sql.map { .text($0) } ?? .null]
        }
    }

    package static let schemaRoot: UInt32 = 1

    /// Creates an empty tree and returns its root page.
    package func createTree(table: Bool) throws(DatabaseError) -> UInt32 {
        try initializeIfEmpty()
        let page = try allocatePage()
        _ = BTreePage.initialize(page.bytes, pageNumber: page.pgno, type: table ? .tableLeaf : .indexLeaf, geometry: geometry)
        pager.release(page)
        return page.pgno
    }

    /// Every row of sqlite_schema, in rowid order.
    package func schemaRows() throws(DatabaseError) -> [(rowid: Int64, row: SchemaRow)] {
        guard pager.databaseSize > 0 else { return [] }
        let cursor = BTreeCursor(store: self, root: Self.schemaRoot, kind: .table, writable: false)
        defer { cursor.close() }
        var rows: [(Int64, SchemaRow)] = []
        var more = try cursor.blocking { () throws(DatabaseError) -> IOResult<Bool> in try cursor.first() }
        while more {
            let rowid = try cursor.rowid()
            let values = try cursor.withPayload { (bytes) throws(DatabaseError) -> [Value] in
                do throws(CorruptionError) { return try RecordHeader.decodeAll(bytes) } catch { throw error.onPage(1).databaseError }
            }
            rows.append((rowid, try SchemaRow(values)))
            more = try cursor.blocking { () throws(DatabaseError) -> IOResult<Bool> in try cursor.next() }
        }
        return rows
    }

    /// Adds a row to sqlite_schema (rowid one past the largest) and bumps the schema cookie.
    @discardableResult
    package func addSchemaRow(_ row: SchemaRow) throws(DatabaseError) -> Int64 {
        try initializeIfEmpty()
        let cursor = BTreeCursor(store: self, root: Self.schemaRoot, kind: .table, writable: true)
        defer { cursor.close() }
        let hasRows = try cursor.blocking { () throws(DatabaseError) -> IOResult<Bool> in try cursor.last() }
        let rowid = hasRows ? try cursor.rowid() + 1 : 1
        let record = RecordEncoder.encode(row.record)
        try record.withBytes { (bytes) throws(DatabaseError) in try cursor.insert(rowid: rowid, payload: bytes) }
        try bumpSchemaCookie()
        return rowid
    }

    /// Replaces the sqlite_schema row with `rowid`.
    package func updateSchemaRow(rowid: Int64, _ row: SchemaRow) throws(DatabaseError) {
        let cursor = BTreeCursor(store: self, root: Self.schemaRoot, kind: .table, writable: true)
        defer { cursor.close() }
        let record = RecordEncoder.encode(row.record)
        try record.withBytes { (bytes) throws(DatabaseError) in try cursor.insert(rowid: rowid, payload: bytes) }
        try bumpSchemaCookie()
    }

    /// Removes the sqlite_schema row with `rowid`.
    package func deleteSchemaRow(rowid: Int64) throws(DatabaseError) {
        let cursor = BTreeCursor(store: self, root: Self.schemaRoot, kind: .table, writable: true)
        defer { cursor.close() }
        let found = try cursor.blocking { () throws(DatabaseError) -> IOResult<SeekResult> in try cursor.seek(rowid: rowid) }
        guard found == .exact else { throw DatabaseError(.SQLITE_INTERNAL, "no sqlite_schema row \(rowid)") }
        try cursor.delete()
        try bumpSchemaCookie()
    }

    private func bumpSchemaCookie() throws(DatabaseError) {
        let cookie = try headerField(DatabaseHeader.Offset.schemaCookie)
        try setHeaderField(DatabaseHeader.Offset.schemaCookie, cookie &+ 1)
    }

    /// Creates a table tree and its sqlite_schema row; returns the root page.
    package func createTable(name: String, sql: String) throws(DatabaseError) -> UInt32 {
        let root = try createTree(table: true)
        try addSchemaRow(SchemaRow(type: "table", name: name, tableName: name, rootPage: root, sql: sql))
        return root
    }

    /// Creates an index tree and its sqlite_schema row; returns the root page.
    package func createIndex(name: String, table: String, sql: String?) throws(DatabaseError) -> UInt32 {
        let root = try createTree(table: false)
        try addSchemaRow(SchemaRow(type: "index", name: name, tableName: table, rootPage: root, sql: sql))
        return root
    }

    /// Frees every page of a tree but its root, which becomes an empty leaf. Returns the number
    /// of entries it held (a table's row count).
    @discardableResult
    package func clearTree(root: UInt32) throws(DatabaseError) -> Int {
        invalidateCursors(on: root)
        let rootNode = try node(root)
        let table = rootNode.header.isTable
        release(rootNode)
        let count = try freeDescendants(of: root, depth: 0, freeSelf: false)
        let page = try pager.page(root)
        pager.makeWritable(page)
        _ = BTreePage.initialize(page.bytes, pageNumber: root, type: table ? .tableLeaf : .indexLeaf, geometry: geometry)
        pager.release(page)
        return count
    }

    /// Frees every page of a tree, its root included.
    package func dropTree(root: UInt32) throws(DatabaseError) {
        precondition(root != Self.schemaRoot, "sqlite_schema is never dropped")
        invalidateCursors(on: root)
        _ = try freeDescendants(of: root, depth: 0, freeSelf: true)
    }

    /// Frees the subtree under `pgno` (and `pgno` itself when asked), overflow chains included;
    /// returns the entries it held.
    private func freeDescendants(of pgno: UInt32, depth: Int, freeSelf: Bool) throws(DatabaseError) -> Int {
        guard depth < BTreeCursor.maxDepth else {
            throw DatabaseError.corrupt(page: pgno, "B-tree deeper than \(BTreeCursor.maxDepth) levels")
        }
        let node = try node(pgno)
        var children: [UInt32] = []
        var cells: [CellInfo] = []
        do {
            for index in 0..<node.cellCount { cells.append(try node.cell(index)) }
            if !node.isLeaf { for index in 0...node.cellCount { children.append(try node.child(index)) } }
        } catch {
            release(node)
            throw error
        }
        let entries = node.header.isTable && !node.isLeaf ? 0 : node.cellCount
        release(node)
        var count = entries
        for cell in cells where cell.hasOverflow { try freeOverflowChain(of: cell) }
        for child in children { count += try freeDescendants(of: child, depth: depth + 1, freeSelf: true) }
        if freeSelf { try freePage(pgno) }
        return count
    }

    /// The number of entries in a tree (rows of a table, records of an index), reading every
    /// page of it but the leaves' payloads.
    package func countEntries(root: UInt32) throws(DatabaseError) -> Int {
        // A database nothing was written to yet has no page 1: its schema table is empty, as
        // BTreeCursor.isUnwrittenSchemaTree reads it.
        if root == 1 && pager.databaseSize == 0 { return 0 }
        return try countEntries(pgno: root, depth: 0)
    }

    private func countEntries(pgno: UInt32, depth: Int) throws(DatabaseError) -> Int {
        guard depth < BTreeCursor.maxDepth else {
            throw DatabaseError.corrupt(page: pgno, "B-tree deeper than \(BTreeCursor.maxDepth) levels")
        }
        let node = try node(pgno)
        defer { release(node) }
        if node.isLeaf { return node.cellCount }
        var count = node.header.isTable ? 0 : node.cellCount
        var children: [UInt32] = []
        for index in 0...node.cellCount { children.append(try node.child(index)) }
        pager.prefetch(children)
        for child in children { count += try countEntries(pgno: child, depth: depth + 1) }
        return count
    }
}

extension TreeStore.SchemaRow {
    init(_ values: [Value]) throws(DatabaseError) {
        guard values.count >= 5 else { throw DatabaseError.corrupt(page: 1, "sqlite_schema row with \(values.count) columns") }
        func text(_ value: Value) -> String? {
            switch value {
            case .text(let bytes): String(decoding: bytes, as: UTF8.self)
            case .null: nil
            case .integer(let i): String(i)
            case .real(let r): String(r)
            case .blob(let bytes): String(decoding: bytes, as: UTF8.self)
            }
        }
        let root: UInt32
        switch values[3] {
        case .integer(let i) where i >= 0 && i <= Int64(UInt32.max): root = UInt32(i)
        case .null: root = 0
        default: throw DatabaseError.corrupt(page: 1, "sqlite_schema row with root page \(values[3])")
        }
        self.init(type: text(values[0]) ?? "", name: text(values[1]) ?? "", tableName: text(values[2]) ?? "",
                  rootPage: root, sql: text(values[4]))
    }
}
