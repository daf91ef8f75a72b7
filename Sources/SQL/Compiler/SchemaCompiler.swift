import BTree
import Pager
import VM

/// CREATE and DROP of tables and indexes (build.c). What the statements share lives here: the
/// checks on names sqlite3 makes before anything else, the stored SQL text, and the code that
/// writes sqlite_schema rows and bumps the schema cookie.
enum SchemaCompiler {
    /// The statement being compiled: its text and where it starts in the text the parser read
    /// (names carry ranges in that text).
    struct Source {
        let parsed: ParsedStatement
        let sql: String
        let context: CompileContext

        var schema: Schema { context.schema }

        /// The bytes of `range` (a range in the parser's text) as written.
        func text(_ range: SourceRange) -> String {
            let bytes = Array(sql.utf8)
            let start = range.start - parsed.range.start
            let end = range.end - parsed.range.start
            precondition(start >= 0 && end <= bytes.count && start <= end,
                         "range \(range) outside the statement \(parsed.range)")
            return String(decoding: bytes[start..<end], as: UTF8.self)
        }

        /// A name as written, quotes included (sqlite3's %T of the name token); the bare value
        /// for names the parser made up.
        func written(_ name: Name) -> String {
            name.range.count > 0 ? text(name.range) : name.value
        }

        /// What sqlite3 stores as a CREATE statement's SQL: "CREATE <kind> " and the source from
        /// the object's name token to the end of the statement's last token (so IF NOT EXISTS,
        /// the schema name, TEMP and the spacing before the name are dropped); with
        /// `throughTrailer`, also the white space and comments up to the semicolon, which sqlite3
        /// keeps when it ends the text at the terminating token rather than the last one.
        func storedSQL(kind: String, from name: Name, throughTrailer: Bool) -> String {
            precondition(name.range.count > 0, "a parsed CREATE statement's name has a source range")
            let text = "CREATE \(kind) " + text(SourceRange(start: name.range.start, end: parsed.statementRange.end))
            return throughTrailer ? text + context.statementTrailer : text
        }

        /// The new schema cookie a schema change writes (sqlite3ChangeCookie).
        var nextCookie: Int32 { Int32(bitPattern: schema.cookie &+ 1) }
    }

    // MARK: Names

    /// sqlite3CheckObjectName: names beginning "sqlite_" belong to SQLite.
    static func checkObjectName(_ name: String) throws(DatabaseError) {
        if isReserved(name) {
            throw DatabaseError(.SQLITE_ERROR, "object name reserved for internal use: \(name)")
        }
    }

    static func isReserved(_ name: String) -> Bool {
        name.utf8.count >= 7 && String(decoding: name.utf8.prefix(7), as: UTF8.self).sqlEquals("sqlite_")
    }

    /// The database a CREATE names: main (or none). TEMP objects are not supported yet; any
    /// other name is not attached (sqlite3TwoPartName's "unknown database").
    static func checkCreateDatabase(_ schemaName: Name?, temporary: Bool, what: String) throws(DatabaseError) {
        if temporary { throw SQLCompiler.notSupported("CREATE TEMP \(what)") }
        guard let schemaName else { return }
        if schemaName.value.sqlEquals("main") { return }
        if schemaName.value.sqlEquals("temp") { throw SQLCompiler.notSupported("CREATE TEMP \(what)") }
        throw DatabaseError(.SQLITE_ERROR, "unknown database \(schemaName.value)")
    }

    /// Whether a qualified name refers to the main database (nil: it names a database Ringlite
    /// does not have, where nothing can be found).
    static func isMainDatabase(_ schemaName: Name?) -> Bool {
        guard let schemaName else { return true }
        return schemaName.value.sqlEquals("main")
    }

    /// "name" or "schema.name", as sqlite3's "no such table/index" messages show it.
    static func displayName(_ name: QualifiedName) -> String {
        guard let schema = name.schema else { return name.name.value }
        return "\(schema.value).\(name.name.value)"
    }

    // MARK: Code

    /// The sqlite_schema record's affinity string (type, name, tbl_name, rootpage, sql).
    static let schemaAffinity = "BBBDB"

    /// sqlite3StartTable's file-format check: a database without any schema yet gets file
    /// format 4 and the UTF-8 text encoding in its header.
    static func emitFileFormatCheck(_ builder: inout ProgramBuilder) {
        let format = builder.allocateRegisters()
        builder.emit(.readCookie, 0, format, 2)
        let skip = builder.emit(.if, format, 0)
        builder.emit(.setCookie, 0, 2, 4)
        builder.emit(.setCookie, 0, 5, 1)
        builder.jumpHere(skip)
    }

    /// Appends a row to sqlite_schema through `cursor` (open for writing on page 1): type, name,
    /// tbl_name, the root page in `rootRegister` (0 when nil) and the SQL (NULL when nil).
    /// Returns the register holding the new row's rowid.
    @discardableResult
    static func emitSchemaRow(_ builder: inout ProgramBuilder, cursor: Int32, type: String, name: String,
                              tableName: String, rootRegister: Int32?, sql: String?) -> Int32 {
        let first = builder.allocateRegisters(5)
        let rowid = builder.allocateRegisters()
        let record = builder.allocateRegisters()
        builder.emit(.string8, 0, first, 0, .text(type))
        builder.emit(.string8, 0, first + 1, 0, .text(name))
        builder.emit(.string8, 0, first + 2, 0, .text(tableName))
        if let rootRegister {
            builder.emit(.sCopy, rootRegister, first + 3)
        } else {
            builder.emit(.integer, 0, first + 3)
        }
        if let sql {
            builder.emit(.string8, 0, first + 4, 0, .text(sql))
        } else {
            builder.emit(.null, 0, first + 4)
        }
        builder.emit(.newRowid, cursor, rowid)
        builder.emit(.makeRecord, first, 5, record, .text(schemaAffinity))
        builder.emit(.insert, cursor, record, rowid, .none, OpFlag.useSeekResult | OpFlag.append)
        return rowid
    }

    /// Deletes every row of the table rooted at `root` whose column `column` equals `value`
    /// (BINARY) and, when `typeColumn` is given, whose column 0 is (`typeEquals`) or is not
    /// `type`: the loop sqlite3 compiles for its nested "DELETE FROM sqlite_master WHERE ...".
    static func emitDeleteRows(_ builder: inout ProgramBuilder, root: Int32, columns: Int32, column: Int32,
                               equals value: String, type: (name: String, equals: Bool)? = nil) {
        let cursor = builder.allocateCursor()
        let valueRegister = builder.allocateRegisters()
        let typeRegister = builder.allocateRegisters()
        let scratch = builder.allocateRegisters()
        let rowid = builder.allocateRegisters()
        builder.emit(.string8, 0, valueRegister, 0, .text(value))
        if let type { builder.emit(.string8, 0, typeRegister, 0, .text(type.name)) }
        builder.emit(.openWrite, cursor, root, 0, .int32(columns))
        let rewind = builder.emit(.rewind, cursor, 0)
        let loop = builder.currentAddress
        let next = builder.makeLabel()
        let textCompare = UInt16(CompareFlag.jumpIfNull) | UInt16(AffinityCode.text)
        builder.emit(.column, cursor, column, scratch)
        builder.emit(.ne, valueRegister, jumpTo: next, scratch, .collation(.binary), textCompare)
        if let type {
            builder.emit(.column, cursor, 0, scratch)
            builder.emit(type.equals ? .ne : .eq, typeRegister, jumpTo: next, scratch, .collation(.binary), textCompare)
        }
        builder.emit(.rowid, cursor, rowid)
        builder.emit(.delete, cursor, 0, 0, .none, OpFlag.savePosition)
        builder.resolve(next)
        builder.emit(.next, cursor, loop, 0, .none, 1)
        builder.jumpHere(rewind)
        builder.emit(.close, cursor)
    }

    /// SetCookie 0 1 (cookie + 1): other connections, and this one's prepared statements, see
    /// that the schema changed.
    static func emitCookieChange(_ builder: inout ProgramBuilder, _ source: Source) {
        builder.emit(.setCookie, 0, 1, source.nextCookie)
    }

    /// A program that only opens a read transaction (checking the schema cookie) and marks
    /// itself as writing, as sqlite3CodeVerifySchema + sqlite3ForceNotReadOnly compile the
    /// statements that find nothing to do (CREATE ... IF NOT EXISTS of an existing object, DROP
    /// ... IF EXISTS of a missing one).
    static func noOpProgram(_ source: Source) throws(DatabaseError) -> Program {
        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: source.schema.cookie)
        builder.emit(.journalMode, 0, builder.allocateRegisters(), -1)
        frame.finish(&builder, access: .read)
        builder.writes = true
        return try builder.finish(sql: source.sql)
    }
}
