import BTree
import Pager
import VM

/// CREATE VIEW (build.c sqlite3CreateView): a sqlite_schema row of type 'view' with root page 0
/// and the statement's text as sqlite3 stores it. As in sqlite3 the query is not checked until a
/// statement reads the view (then it expands as a subquery in FROM); only parameters are
/// refused here. DROP VIEW is compiled with DROP TABLE (SchemaCompiler.drop).
enum ViewCompiler {
    static func create(_ statement: CreateViewStatement, _ source: SchemaCompiler.Source) throws(DatabaseError) -> Program {
        try SchemaCompiler.checkCreateDatabase(statement.name.schema, temporary: statement.temporary, what: "VIEW")
        let nameToken = statement.name.name
        let name = nameToken.value
        try SchemaCompiler.checkObjectName(name)
        let schema = source.schema
        if schema.table(name) != nil || schema.view(name) != nil {
            if statement.ifNotExists { return try SchemaCompiler.noOpProgram(source) }
            let kind = schema.view(name) != nil ? "view" : "table"
            throw DatabaseError(.SQLITE_ERROR, "\(kind) \(source.written(nameToken)) already exists")
        }
        if schema.index(name) != nil {
            throw DatabaseError(.SQLITE_ERROR, "there is already an index named \(name)")
        }
        if source.parsed.parameterCount > 0 {
            throw DatabaseError(.SQLITE_ERROR, "parameters are not allowed in views")
        }
        // sqlite3 ends the text at the terminating semicolon (comments before it kept), then
        // drops trailing white space.
        var sql = source.storedSQL(kind: "VIEW", from: nameToken, throughTrailer: true)
        while let last = sql.unicodeScalars.last, last == " " || last == "\t" || last == "\n" || last == "\r" || last == "\u{0C}" {
            sql.unicodeScalars.removeLast()
        }

        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: schema.cookie)
        SchemaCompiler.emitFileFormatCheck(&builder)
        let cursor = builder.allocateCursor()
        builder.emit(.openWrite, cursor, Int32(TreeStore.schemaRoot), 0, .int32(5))
        SchemaCompiler.emitSchemaRow(&builder, cursor: cursor, type: "view", name: name, tableName: name,
                                     rootRegister: nil, sql: sql)
        builder.emit(.close, cursor)
        SchemaCompiler.emitCookieChange(&builder, source)
        builder.emit(.parseSchema, 0, 0, 0, .text(SchemaCompiler.parseClause(table: name)))
        frame.finish(&builder, access: .write)
        return try builder.finish(sql: source.sql)
    }
}
