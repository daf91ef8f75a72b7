import BTree
import Pager
import VM

/// ALTER TABLE (alter.c): RENAME TO, RENAME COLUMN, ADD COLUMN and DROP COLUMN. sqlite3 runs
/// nested UPDATEs of sqlite_schema through its SQL-editing functions; Ringlite computes the new
/// rows while compiling (the Transaction's cookie check guarantees they were computed from the
/// schema the program runs against) and writes them over the old ones, keeping their rowids.
/// Views and triggers would need their bodies edited too; renames and DROP COLUMN of a table
/// that a view or trigger names are refused as not supported yet.
extension SchemaCompiler {
    static func alterTable(_ statement: AlterTableStatement, _ source: Source) throws(DatabaseError) -> Program {
        let name = statement.table.name.value
        let main = isMainDatabase(statement.table.schema)
        if main, let view = source.schema.view(name) {
            switch statement.action {
            case .renameTable(let newName):
                try checkNewTableName(newName.value, source)
                if isReserved(view.name) { throw DatabaseError(.SQLITE_ERROR, "table \(view.name) may not be altered") }
                try checkObjectName(newName.value)
                throw DatabaseError(.SQLITE_ERROR, "view \(view.name) may not be altered")
            case .renameColumn: throw DatabaseError(.SQLITE_ERROR, "cannot rename columns of view \"\(view.name)\"")
            case .dropColumn: throw DatabaseError(.SQLITE_ERROR, "cannot drop column from view \"\(view.name)\"")
            case .addColumn: throw DatabaseError(.SQLITE_ERROR, "Cannot add a column to a view")
            }
        }
        guard main, let table = source.schema.table(name) else {
            throw DatabaseError(.SQLITE_ERROR, "no such table: \(displayName(statement.table))")
        }
        switch statement.action {
        case .renameTable(let newName):
            try checkNewTableName(newName.value, source)
            try checkAlterable(table)
            try checkObjectName(newName.value)
            return try renameTable(table, to: newName.value, source)
        case .renameColumn(let old, let new):
            try checkAlterable(table)
            return try renameColumn(table, old, to: new, source)
        case .addColumn(let definition):
            try checkAlterable(table)
            return try addColumn(table, definition, source)
        case .dropColumn(let column):
            try checkAlterable(table)
            return try dropColumn(table, column, source)
        }
    }

    /// isAlterableTable: SQLite's own tables stay as they are.
    private static func checkAlterable(_ table: TableSchema) throws(DatabaseError) {
        // sqlite3 calls the schema table sqlite_master in messages.
        let name = table.rootPage == TreeStore.schemaRoot ? "sqlite_master" : table.name
        if isReserved(name) { throw DatabaseError(.SQLITE_ERROR, "table \(name) may not be altered") }
    }

    private static func checkNewTableName(_ name: String, _ source: Source) throws(DatabaseError) {
        if source.schema.table(name) != nil || source.schema.view(name) != nil || source.schema.index(name) != nil {
            throw DatabaseError(.SQLITE_ERROR, "there is already another table or index with this name: \(name)")
        }
    }

    /// Views and triggers that name `table` hold SQL that the change would have to edit as well
    /// (Ringlite does not edit them yet). Whether one names it is judged from its tokens: any
    /// identifier or string spelling the table's name counts, so a false alarm refuses, never a
    /// missed reference.
    static func refuseDependentObjects(_ source: Source, _ what: String, table: String) throws(DatabaseError) {
        let texts = source.schema.views.values.map(\.sql)
            + source.schema.triggers.values.map { $0.tableName.sqlEquals(table) ? "\"\(table)\"" : $0.sql }
        for text in texts where SchemaTextEdit.mentions(text, name: table) {
            throw SQLCompiler.notSupported("\(what) of a table that views or triggers name")
        }
    }

    // MARK: Parsing the stored SQL

    struct StoredTable {
        let sql: String
        let statement: CreateTableStatement
        let columns: [ColumnDefinition]
        let constraints: [TableConstraint]
        let options: TableOptions
    }

    static func storedTable(_ table: TableSchema) throws(DatabaseError) -> StoredTable {
        guard let sql = table.sql, case .createTable(let create) = try Schema.parse(sql),
              case .columns(let columns, let constraints, let options) = create.definition else {
            throw DatabaseError(.SQLITE_CORRUPT, "malformed database schema (\(table.name))")
        }
        return StoredTable(sql: sql, statement: create, columns: columns, constraints: constraints, options: options)
    }

    static func storedIndex(_ index: IndexSchema) throws(DatabaseError) -> CreateIndexStatement? {
        guard let sql = index.sql else { return nil }
        guard case .createIndex(let create) = try Schema.parse(sql) else {
            throw DatabaseError(.SQLITE_CORRUPT, "malformed database schema (\(index.name))")
        }
        return create
    }

    // MARK: Writing the rows

    /// One sqlite_schema row to write over the row now named `name`.
    struct SchemaRowEdit {
        var name: String
        var type: String
        var newName: String
        var tableName: String
        var sql: String?
    }

    /// Finds each edited row by its name and writes its new record at the same rowid, keeping the
    /// root page.
    static func emitSchemaRowEdits(_ builder: inout ProgramBuilder, _ edits: [SchemaRowEdit]) {
        guard !edits.isEmpty else { return }
        let cursor = builder.allocateCursor()
        builder.emit(.openWrite, cursor, Int32(TreeStore.schemaRoot), 0, .int32(5))
        let target = builder.allocateRegisters()
        let current = builder.allocateRegisters()
        let rowid = builder.allocateRegisters()
        let fields = builder.allocateRegisters(5)
        let record = builder.allocateRegisters()
        for edit in edits {
            let missing = builder.makeLabel()
            let found = builder.makeLabel()
            builder.emit(.string8, 0, target, 0, .text(edit.name))
            builder.emit(.rewind, cursor, jumpTo: missing)
            let top = builder.currentAddress
            builder.emit(.column, cursor, 1, current)
            builder.emit(.eq, target, jumpTo: found, current, .collation(.binary), UInt16(AffinityCode.text))
            builder.emit(.next, cursor, top)
            builder.emit(.goto, 0, jumpTo: missing)
            builder.resolve(found)
            builder.emit(.rowid, cursor, rowid)
            builder.emit(.string8, 0, fields, 0, .text(edit.type))
            builder.emit(.string8, 0, fields + 1, 0, .text(edit.newName))
            builder.emit(.string8, 0, fields + 2, 0, .text(edit.tableName))
            builder.emit(.column, cursor, 3, fields + 3)
            if let sql = edit.sql {
                builder.emit(.string8, 0, fields + 4, 0, .text(sql))
            } else {
                builder.emit(.null, 0, fields + 4)
            }
            builder.emit(.makeRecord, fields, 5, record, .text(schemaAffinity))
            builder.emit(.insert, cursor, record, rowid)
            builder.resolve(missing)
        }
        builder.emit(.close, cursor)
    }

    /// The end of every ALTER TABLE program: the new schema cookie and a reread of the schema.
    static func finishAlter(_ gen: CodeGenerator, _ source: Source) throws(DatabaseError) -> Program {
        emitCookieChange(&gen.builder, source)
        gen.builder.emit(.parseSchema, 0, 0, 0, .none)
        gen.builder.writes = true
        return try gen.finish()
    }

    /// sqlite3NestedParse's `SELECT raise(ABORT, message) FROM table`: the statement fails when
    /// the table has any row.
    static func emitFailIfRows(_ builder: inout ProgramBuilder, _ table: TableSchema, message: String) {
        let cursor = builder.allocateCursor()
        builder.emit(.openRead, cursor, Int32(bitPattern: table.rootPage), 0, .int32(1))
        let empty = builder.emit(.rewind, cursor, 0)
        builder.emit(.halt, ResultCode.SQLITE_CONSTRAINT.rawValue, ConflictAction.abort.rawValue, 0, .text(message))
        builder.jumpHere(empty)
        builder.emit(.close, cursor)
    }
}
