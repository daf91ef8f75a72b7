import BTree
import Pager
import VM

/// One connection's SQL front end: its VM state, the schema it compiles against, and preparing
/// statements (SQLite's sqlite3 object with sqlite3_prepare_v2). The schema is read from
/// sqlite_schema when first needed and again after anything changes it (a schema-changing
/// statement's ParseSchema or Drop*, or another connection's DDL, which a program notices
/// through its Transaction's cookie check and answers by being compiled again).
/// Confined to one thread.
package final class SQLConnection {
    package let state: ConnectionState
    package private(set) var schema = Schema()
    /// False until the schema has been read, and again once something may have changed it.
    private var schemaIsCurrent = false
    /// What PRAGMAs such as cache_size change (made on first use).
    private lazy var pragmaSettings = PragmaSettings(state: state)

    package init(state: ConnectionState) {
        self.state = state
        state.schemaHook = { [unowned self] (_: SchemaChange) throws(DatabaseError) in
            self.schemaIsCurrent = false
        }
        installIntegrityCheck()
        installVacuum()
    }

    package convenience init(shared: PagerShared) throws(DatabaseError) {
        self.init(state: try ConnectionState(shared: shared))
    }

    package var context: CompileContext {
        CompileContext(schema: schema, functions: state.functions, pragmaSettings: pragmaSettings)
    }

    /// Prepares the first statement at or after byte `offset` of `sql`. Returns nil for a
    /// statement when only white space, comments or semicolons remain, and the offset where the
    /// next statement starts.
    package func prepare(_ sql: String, at offset: Int = 0) throws(DatabaseError) -> (statement: PreparedStatement?, next: Int) {
        let parsed: ParsedStatement?
        let next: Int
        do {
            (parsed, next) = try SQLParser.parseStatement(sql, at: offset)
        } catch {
            // sqlite3_error_offset is -1 for errors whose message names no token: the text
            // ending too soon, and the two depth limits (sqlite3ErrorMsg without a %T).
            let withoutToken = error.message == "incomplete input" || error.message == "parser stack overflow"
                || error.message.hasPrefix("Expression tree is too large")
            let offset = withoutToken ? nil : error.offset
            throw DatabaseError(.SQLITE_ERROR, error.message, sql: sql, offset: offset)
        }
        guard let parsed else { return (nil, next) }
        let text = Self.text(of: parsed.range, in: sql)
        let statement = PreparedStatement(connection: self, parsed: parsed, sql: text,
                                          trailer: Self.trailer(after: parsed.range, next: next, in: sql))
        do {
            try statement.compile()
        } catch {
            // sqlite3's schemaIsValid: a statement that fails to compile against a schema another
            // connection has changed since it was read ("no such table" for a table just
            // created) is compiled again against the new one.
            guard schemaIsCurrent, try schemaCookieChanged() else { throw error }
            expireSchema()
            try statement.compile()
        }
        return (statement, next)
    }

    /// Whether the database's schema cookie differs from the one the cached schema was read at
    /// (within the connection's transaction, or a read transaction of its own).
    private func schemaCookieChanged() throws(DatabaseError) -> Bool {
        let pager = state.pager
        let ownsRead = pager.transaction == .none
        if ownsRead { pager.beginRead() }
        defer { if ownsRead { pager.endRead() } }
        let cookie = pager.databaseSize == 0 ? 0 : try state.store.headerField(DatabaseHeader.Offset.schemaCookie)
        return cookie != schema.cookie
    }

    /// The source text of a statement (its UTF-8 bytes in `range`).
    static func text(of range: SourceRange, in sql: String) -> String {
        let utf8 = Array(sql.utf8)
        let start = min(max(range.start, 0), utf8.count)
        let end = min(max(range.end, start), utf8.count)
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    /// The white space and comments between a statement's last token and its semicolon (or the
    /// end of the text): the parser's `next` is just past the semicolon when there is one.
    static func trailer(after range: SourceRange, next: Int, in sql: String) -> String {
        let utf8 = Array(sql.utf8)
        var end = min(max(next, range.end), utf8.count)
        if end > range.end && utf8[end - 1] == UInt8(ascii: ";") { end -= 1 }
        let start = min(max(range.end, 0), end)
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }

    /// Reads the schema again if it may have changed.
    package func refreshSchema() throws(DatabaseError) {
        guard !schemaIsCurrent else { return }
        try reloadSchema()
    }

    /// Reads sqlite_schema within the connection's transaction, or a read transaction of its
    /// own when it has none.
    package func reloadSchema() throws(DatabaseError) {
        let pager = state.pager
        let ownsRead = pager.transaction == .none
        if ownsRead { pager.beginRead() }
        defer { if ownsRead { pager.endRead() } }
        let cookie = pager.databaseSize == 0 ? 0 : try state.store.headerField(DatabaseHeader.Offset.schemaCookie)
        let rows = try state.store.schemaRows().map { entry in
            Schema.Row(type: entry.row.type, name: entry.row.name, tableName: entry.row.tableName,
                       rootPage: entry.row.rootPage, sql: entry.row.sql)
        }
        schema = try Schema.load(rows, cookie: cookie)
        schemaIsCurrent = true
    }

    /// Marks the schema as possibly changed (another connection's DDL was noticed).
    package func expireSchema() {
        schemaIsCurrent = false
    }
}

@available(*, unavailable)
extension SQLConnection: Sendable {}
