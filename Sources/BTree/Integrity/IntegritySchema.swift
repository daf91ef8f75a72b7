import Pager

/// What the integrity check is told about the database: every tree to check, in the order
/// SQLite's `PRAGMA integrity_check` would visit them, and for rowid tables enough of their schema
/// to check their indexes against their rows.
///
/// The schema's SQL is parsed above this module, so the caller describes it: which table columns
/// (or the rowid, or an expression computed by a closure) make each index's key, and in what
/// order the index sorts them. The order of `trees` matters twice, as it does in SQLite: it is the
/// order trees are walked (which decides which of two trees sharing a page gets the "2nd
/// reference" message) and the order tables' rows are checked against their indexes. SQLite
/// visits its schema hash table; `EXPLAIN PRAGMA integrity_check` shows that order in
/// IntegrityCk's P4.
package struct IntegritySchema {
    package var trees: [IntegrityTree]

    package init(trees: [IntegrityTree]) {
        self.trees = trees
    }

    /// Every root page the check walks, in order (page 1's sqlite_schema included when listed).
    package var roots: [UInt32] {
        trees.flatMap { tree -> [UInt32] in
            switch tree {
            case .table(let table): [table.root] + table.indexes.map(\.root)
            case .structureOnly(let root): [root]
            }
        }
    }
}

/// One entry of the schema, as the check sees it.
package enum IntegrityTree {
    /// A rowid table and its indexes: structure, then rows against index entries.
    case table(IntegrityTable)
    /// A tree checked for structure only: a WITHOUT ROWID table's tree, an index whose table is
    /// not described, or any root the caller does not describe further.
    case structureOnly(root: UInt32)
}

/// A rowid table.
package struct IntegrityTable {
    package var name: String
    package var root: UInt32
    /// Columns the table declares. A record may hold fewer (columns added by ALTER TABLE later).
    package var columnCount: Int
    /// The INTEGER PRIMARY KEY column, if any: stored as NULL in the record, read as the rowid.
    package var integerPrimaryKey: Int?
    /// Values of columns a record lacks (ALTER TABLE ADD COLUMN defaults); NULL when absent here.
    package var defaults: [Int: Value]
    package var indexes: [IntegrityIndex]

    package init(name: String, root: UInt32, columnCount: Int, integerPrimaryKey: Int? = nil,
                 defaults: [Int: Value] = [:], indexes: [IntegrityIndex] = []) {
        self.name = name
        self.root = root
        self.columnCount = columnCount
        self.integerPrimaryKey = integerPrimaryKey
        self.defaults = defaults
        self.indexes = indexes
    }

    /// The last column whose value lives in the record (SQLite reads it first, which parses and
    /// checks the record header); nil when every column is the INTEGER PRIMARY KEY.
    var lastStoredColumn: Int? {
        var column = columnCount - 1
        while column >= 0 && column == integerPrimaryKey { column -= 1 }
        return column >= 0 ? column : nil
    }
}

/// An index on a rowid table: its entries are the key columns followed by the rowid.
package struct IntegrityIndex {
    package var name: String
    package var root: UInt32
    /// The sort order of the whole entry; columns past `keyInfo.columns` (the rowid) sort
    /// BINARY ascending.
    package var keyInfo: KeyInfo
    /// What each key column holds, in index order (the trailing rowid is implied).
    package var columns: [IndexKeyColumn]
    /// A UNIQUE index: no two entries without NULLs may share their key columns.
    package var unique: Bool
    /// A partial index's WHERE clause: rows for which it is false have no entry.
    package var includes: ((IntegrityRow) throws(DatabaseError) -> Bool)?

    package init(name: String, root: UInt32, keyInfo: KeyInfo, columns: [IndexKeyColumn], unique: Bool = false,
                 includes: ((IntegrityRow) throws(DatabaseError) -> Bool)? = nil) {
        self.name = name
        self.root = root
        self.keyInfo = keyInfo
        self.columns = columns
        self.unique = unique
        self.includes = includes
    }
}

/// One column of an index key.
package enum IndexKeyColumn {
    /// Table column `n` (the rowid for the INTEGER PRIMARY KEY column).
    case column(Int)
    /// The rowid itself.
    case rowid
    /// An expression over the row, evaluated by the layer that parsed it.
    case expression((IntegrityRow) throws(DatabaseError) -> Value)
}

/// A table row handed to index expressions and partial-index conditions.
package struct IntegrityRow {
    package let rowid: Int64
    /// Every declared column, defaults filled in for columns the record lacks, the INTEGER
    /// PRIMARY KEY column holding the rowid.
    package let values: [Value]

    package func column(_ index: Int) -> Value {
        index >= 0 && index < values.count ? values[index] : .null
    }
}

extension TreeStore {
    /// A schema description naming every tree in sqlite_schema for a structural check (no index
    /// content checks): page 1 first, then each root in rowid order. Call inside a transaction.
    package func structuralIntegritySchema() throws(DatabaseError) -> IntegritySchema {
        var trees: [IntegrityTree] = [.structureOnly(root: Self.schemaRoot)]
        for (_, row) in try schemaRows() where row.rootPage != 0 {
            trees.append(.structureOnly(root: row.rootPage))
        }
        return IntegritySchema(trees: trees)
    }
}
