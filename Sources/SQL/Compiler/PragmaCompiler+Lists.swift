import BTree
import Pager
import VM

/// foreign_key_list, table_list and database_list (pragma.c).
extension PragmaCompiler {
    /// foreign_key_list(table): one row per column pair of each FOREIGN KEY, the last declared
    /// first (sqlite3 prepends each to the table's list), with its actions; match is always NONE.
    static func foreignKeyList(_ request: Request) throws(DatabaseError) -> Program {
        let columns = ["id", "seq", "table", "from", "to", "on_update", "on_delete", "match"]
        guard let name = request.argumentText, let table = request.source.schema.table(name) else {
            return try request.rows([], columns: [], access: .read)
        }
        var rows: [[Value]] = []
        for (id, key) in table.foreignKeys.reversed().enumerated() {
            var onUpdate = ForeignKeyAction.noAction
            var onDelete = ForeignKeyAction.noAction
            for argument in key.clause.arguments {
                switch argument {
                case .onUpdate(let action): onUpdate = action
                case .onDelete(let action): onDelete = action
                default: break
                }
            }
            for (seq, from) in key.columns.enumerated() {
                let to: Value = seq < key.clause.columns.count ? .text(Array(key.clause.columns[seq].value.utf8)) : .null
                rows.append([.integer(Int64(id)), .integer(Int64(seq)), .text(Array(key.clause.table.value.utf8)),
                              .text(Array(from.utf8)), to, .text(Array(actionName(onUpdate).utf8)),
                              .text(Array(actionName(onDelete).utf8)), .text(Array("NONE".utf8))])
            }
        }
        return try request.rows(rows, columns: columns, access: .read)
    }

    private static func actionName(_ action: ForeignKeyAction) -> String {
        switch action {
        case .setNull: "SET NULL"
        case .setDefault: "SET DEFAULT"
        case .cascade: "CASCADE"
        case .restrict: "RESTRICT"
        case .noAction: "NO ACTION"
        }
    }

    /// table_list [(name)]: schema, name, type, ncol, wr (WITHOUT ROWID), strict; the main
    /// database's tables and views, then its schema table, then temp's. sqlite3 walks its schema
    /// hash, which for a small schema holds the objects newest first; Ringlite orders them by
    /// root page, newest first, which agrees until pages are reused after a DROP.
    static func tableList(_ request: Request) throws(DatabaseError) -> Program {
        let columns = ["schema", "name", "type", "ncol", "wr", "strict"]
        let schema = request.source.schema
        func row(_ database: String, _ name: String, _ type: String, _ count: Int, _ wr: Bool, _ strict: Bool) -> [Value] {
            [.text(Array(database.utf8)), .text(Array(name.utf8)), .text(Array(type.utf8)), .integer(Int64(count)),
             .integer(wr ? 1 : 0), .integer(strict ? 1 : 0)]
        }
        func viewRow(_ view: ViewSchema) throws(DatabaseError) -> [Value] {
            row("main", view.name, "view", try viewColumnCount(view), false, false)
        }
        if let name = request.argumentText {
            // sqlite3 finds its schema tables by their legacy names only.
            if name.sqlEquals("sqlite_temp_master") {
                return try request.rows([row("temp", "sqlite_temp_schema", "table", 5, false, false)], columns: columns, access: .read)
            }
            if let table = schema.table(name), table.rootPage != TreeStore.schemaRoot || name.sqlEquals("sqlite_master") {
                let shown = table.rootPage == TreeStore.schemaRoot ? Schema.schemaTableName : table.name
                return try request.rows([row("main", shown, "table", table.columns.count, table.withoutRowid, table.strict)],
                                        columns: columns, access: .read)
            }
            if let view = schema.view(name) { return try request.rows([try viewRow(view)], columns: columns, access: .read) }
            return try request.rows([], columns: columns, access: .read)
        }
        var rows: [[Value]] = []
        for view in schema.views.values.sorted(by: { $0.name < $1.name }) { rows.append(try viewRow(view)) }
        let tables = schema.tables.values.filter { $0.rootPage != TreeStore.schemaRoot }.sorted { $0.rootPage > $1.rootPage }
        rows = tables.map { row("main", $0.name, "table", $0.columns.count, $0.withoutRowid, $0.strict) } + rows
        rows.append(row("main", Schema.schemaTableName, "table", 5, false, false))
        rows.append(row("temp", "sqlite_temp_schema", "table", 5, false, false))
        if !schema.views.isEmpty { throw SQLCompiler.notSupported("PRAGMA table_list with views (their order)") }
        return try request.rows(rows, columns: columns, access: .read)
    }

    /// A view's column count: its column list, or its first SELECT's result columns.
    private static func viewColumnCount(_ view: ViewSchema) throws(DatabaseError) -> Int {
        if !view.columnNames.isEmpty { return view.columnNames.count }
        switch view.select.first {
        case .values(let rows): return rows.first?.count ?? 0
        case .select(let clause):
            if clause.columns.contains(where: { if case .expr = $0 { return false } else { return true } }) {
                throw SQLCompiler.notSupported("PRAGMA table_list of a view with * in its result")
            }
            return clause.columns.count
        }
    }

    /// database_list: the main database and its file (Ringlite attaches nothing else).
    static func databaseList(_ request: Request) throws(DatabaseError) -> Program {
        let path = try request.settings().state.pager.shared.path
        return try request.rows([[.integer(0), .text(Array("main".utf8)), .text(Array(path.utf8))]],
                                columns: ["seq", "name", "file"])
    }
}
