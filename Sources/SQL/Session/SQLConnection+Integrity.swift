import BTree
import Pager
import VM

/// PRAGMA integrity_check's hook: the VM's IntegrityCk hands the check to the B-tree layer's
/// checker, described with the schema this connection parsed (which columns each index holds,
/// so each table's rows are checked against its indexes, as sqlite3's program does).
extension SQLConnection {
    func installIntegrityCheck() {
        state.integrityCheckHook = { [unowned self] (store: TreeStore, _: [UInt32], limit: Int, quick: Bool) throws(DatabaseError) -> [String] in
            try self.refreshSchema()
            let options = IntegrityOptions(maxErrors: limit, quick: quick)
            let report = try store.checkIntegrity(Self.integritySchema(self.schema), options: options)
            return report.isOK ? [] : report.rows
        }
    }

    /// Every tree of `schema`: sqlite_schema's first, then each table's and its indexes' in root
    /// page order. Rowid tables are described in full for the row-against-index checks, but for
    /// what only the expression compiler could evaluate (indexes on expressions, partial
    /// indexes, tables with VIRTUAL generated columns), which get the structural check alone; so
    /// do WITHOUT ROWID tables, whose records the checker does not describe.
    static func integritySchema(_ schema: Schema) -> IntegritySchema {
        var trees: [IntegrityTree] = [.structureOnly(root: TreeStore.schemaRoot)]
        let tables = schema.tables.values.filter { $0.rootPage != TreeStore.schemaRoot }.sorted { $0.rootPage < $1.rootPage }
        for table in tables {
            let indexRoots = table.indexes.filter { $0.rootPage != 0 && $0.rootPage != table.rootPage }
            let hasVirtualColumns = table.columns.contains { $0.generated.map { !$0.stored } ?? false }
            if table.withoutRowid || hasVirtualColumns {
                trees.append(.structureOnly(root: table.rootPage))
                trees += indexRoots.map { .structureOnly(root: $0.rootPage) }
                continue
            }
            var described: [IntegrityIndex] = []
            var structural: [IntegrityTree] = []
            for index in indexRoots {
                var keyColumns: [IndexKeyColumn] = []
                for column in index.columns {
                    guard case .column(let cid) = column.term else { break }
                    keyColumns.append(.column(cid))
                }
                if keyColumns.count == index.columns.count && index.predicate == nil {
                    described.append(IntegrityIndex(name: index.name, root: index.rootPage, keyInfo: index.keyInfo,
                                                    columns: keyColumns, unique: index.unique))
                } else {
                    structural.append(.structureOnly(root: index.rootPage))
                }
            }
            var defaults: [Int: Value] = [:]
            for (cid, column) in table.columns.enumerated() {
                if let value = column.defaultValue.flatMap(SchemaCompiler.constantValue) { defaults[cid] = value }
            }
            trees.append(.table(IntegrityTable(name: table.name, root: table.rootPage, columnCount: table.columns.count,
                                               integerPrimaryKey: table.rowidAlias, defaults: defaults, indexes: described)))
            trees += structural
        }
        return IntegritySchema(trees: trees)
    }
}
