import BTree
import Pager
import VM

/// REINDEX (build.c sqlite3Reindex, sqlite3RefillIndex): every index, the indexes using a
/// collation, those of a table, or one index, each cleared and filled again from its table.
/// The schema does not change, so neither does its cookie.
extension SchemaCompiler {
    static func reindex(_ name: QualifiedName?, _ source: Source) throws(DatabaseError) -> Program {
        var targets: [(IndexSchema, TableSchema)] = []
        let tables = source.schema.tables.values.filter { $0.rootPage != TreeStore.schemaRoot }
            .sorted { $0.rootPage < $1.rootPage }
        if let name {
            let value = name.name.value
            if name.schema == nil, let collation = Collation(name: value) {
                // A collation's name picks every index with a column using it.
                for table in tables {
                    for index in table.indexes where index.columns.contains(where: { $0.collation == collation }) {
                        targets.append((index, table))
                    }
                }
            } else if !isMainDatabase(name.schema) {
                throw DatabaseError(.SQLITE_ERROR, "unknown database \(name.schema!.value)")
            } else if let table = source.schema.table(value), table.rootPage != TreeStore.schemaRoot {
                targets = table.indexes.map { ($0, table) }
            } else if let (index, table) = source.schema.index(value) {
                targets = [(index, table)]
            } else {
                throw DatabaseError(.SQLITE_ERROR, "unable to identify the object to be reindexed")
            }
        } else {
            for table in tables { targets += table.indexes.map { ($0, table) } }
        }
        let gen = CodeGenerator(parsed: source.parsed, source: source.sql, context: source.context)
        gen.builder.writes = true
        for (index, table) in targets {
            guard !table.withoutRowid else { throw SQLCompiler.notSupported("REINDEX of WITHOUT ROWID tables") }
            let root = gen.builder.allocateRegisters()
            gen.builder.emit(.clear, Int32(bitPattern: index.rootPage), 0, 0)
            gen.builder.emit(.integer, Int32(bitPattern: index.rootPage), root)
            try emitRefill(gen, index, table: table, rootRegister: root)
        }
        return try gen.finish()
    }
}
