import BTree
import Pager
import VM

/// CREATE TRIGGER (trigger.c sqlite3BeginTrigger, sqlite3FinishTrigger): a sqlite_schema row of
/// type 'trigger' with root page 0, the table's name as written, and the statement's text as
/// sqlite3 stores it. As in sqlite3 the body is only parsed here: its statements are resolved
/// when a statement that fires the trigger is compiled (CodeGenerator+Triggers.swift). DROP
/// TRIGGER is compiled with the other DROPs (SchemaCompiler.drop).
enum TriggerCompiler {
    static func create(_ statement: CreateTriggerStatement, _ source: SchemaCompiler.Source) throws(DatabaseError) -> Program {
        try SchemaCompiler.checkCreateDatabase(statement.name.schema, temporary: statement.temporary, what: "TRIGGER")
        if let tableSchema = statement.table.schema, !tableSchema.value.sqlEquals("main") {
            if tableSchema.value.sqlEquals("temp") { throw SQLCompiler.notSupported("triggers on temp tables") }
            // sqlite3FixSrcList: a trigger's table is in the trigger's database.
            throw DatabaseError(.SQLITE_ERROR, "trigger \(source.written(statement.name.name)) cannot reference objects in database \(tableSchema.value)")
        }
        let schema = source.schema
        let tableName = statement.table.name.value
        let table = schema.table(tableName)
        let view = schema.view(tableName)
        guard table != nil || view != nil else {
            throw DatabaseError(.SQLITE_ERROR, "no such table: main.\(tableName)")
        }
        let nameToken = statement.name.name
        let name = nameToken.value
        try SchemaCompiler.checkObjectName(name)
        if schema.trigger(name) != nil {
            if statement.ifNotExists { return try SchemaCompiler.noOpProgram(source) }
            throw DatabaseError(.SQLITE_ERROR, "trigger \(source.written(nameToken)) already exists")
        }
        if SchemaCompiler.isReserved(tableName) {
            throw DatabaseError(.SQLITE_ERROR, "cannot create trigger on system table")
        }
        let timing = statement.timing ?? .before
        if view != nil, timing != .insteadOf {
            throw DatabaseError(.SQLITE_ERROR,
                                "cannot create \(timing == .before ? "BEFORE" : "AFTER") trigger on view: \(tableName)")
        }
        if table != nil, timing == .insteadOf {
            throw DatabaseError(.SQLITE_ERROR, "cannot create INSTEAD OF trigger on table: \(tableName)")
        }
        if source.parsed.parameterCount > 0 {
            throw DatabaseError(.SQLITE_ERROR, "trigger cannot use variables")
        }
        let sql = source.storedSQL(kind: "TRIGGER", from: nameToken, throughTrailer: false)

        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: schema.cookie)
        SchemaCompiler.emitFileFormatCheck(&builder)
        let cursor = builder.allocateCursor()
        builder.emit(.openWrite, cursor, Int32(TreeStore.schemaRoot), 0, .int32(5))
        SchemaCompiler.emitSchemaRow(&builder, cursor: cursor, type: "trigger", name: name, tableName: tableName,
                                     rootRegister: nil, sql: sql)
        builder.emit(.close, cursor)
        SchemaCompiler.emitCookieChange(&builder, source)
        builder.emit(.parseSchema, 0, 0, 0,
                     .text("type='trigger' AND name=\(SchemaCompiler.quoted(name))"))
        frame.finish(&builder, access: .write)
        return try builder.finish(sql: source.sql)
    }
}
