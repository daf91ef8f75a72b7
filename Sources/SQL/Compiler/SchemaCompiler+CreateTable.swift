import BTree
import Pager
import VM

/// CREATE TABLE (build.c sqlite3StartTable, sqlite3EndTable): the table's tree, one tree per
/// automatic index (UNIQUE and non-rowid PRIMARY KEY constraints), their sqlite_schema rows,
/// sqlite_sequence for the first AUTOINCREMENT table, the schema cookie, and ParseSchema so the
/// connection reads the new schema.
extension SchemaCompiler {
    static func createTable(_ statement: CreateTableStatement, _ source: Source) throws(DatabaseError) -> Program {
        try checkCreateDatabase(statement.name.schema, temporary: statement.temporary, what: "TABLE")
        let nameToken = statement.name.name
        let name = nameToken.value
        try checkObjectName(name)
        if source.schema.table(name) != nil || source.schema.view(name) != nil {
            if statement.ifNotExists {
                if source.schema.index(name) != nil {
                    throw DatabaseError(.SQLITE_ERROR, "there is already an index named \(name)")
                }
                return try noOpProgram(source)
            }
            let kind = source.schema.view(name) != nil ? "view" : "table"
            throw DatabaseError(.SQLITE_ERROR, "\(kind) \(source.written(nameToken)) already exists")
        }
        if source.schema.index(name) != nil {
            throw DatabaseError(.SQLITE_ERROR, "there is already an index named \(name)")
        }
        guard case .columns(let columns, let constraints, let options) = statement.definition else {
            guard case .select(let select) = statement.definition else { preconditionFailure("a table definition") }
            return try createTableAs(select, name: name, source)
        }
        let table = try TableDefinitionBuilder(name: name, sourceText: nil)
            .build(columns, constraints: constraints, options: options)
        try TableExpressionCheck.check(table, functions: source.context.functions)
        return try createTableProgram(table, sql: source.storedSQL(kind: "TABLE", from: nameToken, throughTrailer: !options.isEmpty), source)
    }

    private static func createTableProgram(_ table: TableSchema, sql storedSQL: String,
                                           _ source: Source) throws(DatabaseError) -> Program {
        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: source.schema.cookie)
        let tableRoot = emitTableTree(&builder, withoutRowid: table.withoutRowid, placeholderFor: table.name)

        // Automatic indexes, in constraint order; a WITHOUT ROWID table's PRIMARY KEY index is
        // the table's own tree and has no row of its own.
        for index in table.indexes where !(table.withoutRowid && index.origin == .primaryKey) {
            let root = builder.allocateRegisters()
            builder.emit(.createBtree, 0, root, 2)
            let cursor = builder.allocateCursor()
            builder.emit(.openWrite, cursor, Int32(TreeStore.schemaRoot), 0, .int32(5))
            emitSchemaRow(&builder, cursor: cursor, type: "index", name: index.name, tableName: table.name,
                          rootRegister: root, sql: nil)
            builder.emit(.close, cursor)
        }

        emitTableRowUpdate(&builder, tableRoot, name: table.name, sql: storedSQL)
        emitCookieChange(&builder, source)
        if table.autoincrement && source.schema.table(sequenceTableName) == nil {
            let sequence = emitTableTree(&builder, withoutRowid: false, placeholderFor: sequenceTableName)
            emitTableRowUpdate(&builder, sequence, name: sequenceTableName, sql: sequenceTableSQL)
            emitCookieChange(&builder, source)
            builder.emit(.parseSchema, 0, 0, 0, .text(parseClause(table: sequenceTableName)))
        }
        builder.emit(.parseSchema, 0, 0, 0, .text(parseClause(table: table.name)))
        frame.finish(&builder, access: .write)
        return try builder.finish(sql: source.sql)
    }

    static let sequenceTableName = "sqlite_sequence"
    static let sequenceTableSQL = "CREATE TABLE sqlite_sequence(name,seq)"

    /// The registers and rowid of a table row written in two steps, as sqlite3 writes it.
    struct TableRowSlot {
        var root: Int32
        var rowid: Int32
    }

    /// sqlite3StartTable: the file format check, the table's tree (an index tree for WITHOUT
    /// ROWID: its PRIMARY KEY is the key), and an all-NULL row in sqlite_schema that reserves the
    /// table's rowid before its indexes' rows; `emitTableRowUpdate` fills it in.
    static func emitTableTree(_ builder: inout ProgramBuilder, withoutRowid: Bool,
                                      placeholderFor name: String) -> TableRowSlot {
        emitFileFormatCheck(&builder)
        let root = builder.allocateRegisters()
        let rowid = builder.allocateRegisters()
        let placeholder = builder.allocateRegisters()
        builder.emit(.createBtree, 0, root, withoutRowid ? 2 : 1)
        let cursor = builder.allocateCursor()
        builder.emit(.openWrite, cursor, Int32(TreeStore.schemaRoot), 0, .int32(5))
        builder.emit(.newRowid, cursor, rowid)
        // A record of five NULLs: header length 6, then five serial types 0.
        builder.emit(.blob, 6, placeholder, 0, .blob([6, 0, 0, 0, 0, 0]))
        builder.emit(.insert, cursor, placeholder, rowid, .none, OpFlag.append)
        builder.emit(.close, cursor)
        return TableRowSlot(root: root, rowid: rowid)
    }

    /// sqlite3EndTable: the table's sqlite_schema row, written over the placeholder.
    static func emitTableRowUpdate(_ builder: inout ProgramBuilder, _ slot: TableRowSlot, name: String, sql: String) {
        let cursor = builder.allocateCursor()
        let first = builder.allocateRegisters(5)
        let record = builder.allocateRegisters()
        builder.emit(.openWrite, cursor, Int32(TreeStore.schemaRoot), 0, .int32(5))
        builder.emit(.string8, 0, first, 0, .text("table"))
        builder.emit(.string8, 0, first + 1, 0, .text(name))
        builder.emit(.string8, 0, first + 2, 0, .text(name))
        builder.emit(.sCopy, slot.root, first + 3)
        builder.emit(.string8, 0, first + 4, 0, .text(sql))
        builder.emit(.makeRecord, first, 5, record, .text(schemaAffinity))
        builder.emit(.insert, cursor, record, slot.rowid)
        builder.emit(.close, cursor)
    }

    /// ParseSchema's P4 for a table and its indexes, as sqlite3 writes it.
    static func parseClause(table: String) -> String {
        "tbl_name=\(quoted(table)) AND type!='trigger'"
    }

    /// A string literal ('...' with quotes doubled), as sqlite3's %Q writes one.
    static func quoted(_ text: String) -> String {
        var result = "'"
        for character in text {
            result.append(character)
            if character == "'" { result.append("'") }
        }
        return result + "'"
    }
}

