import BTree
import Pager
import VM

/// DROP TABLE, DROP INDEX, DROP VIEW and DROP TRIGGER (build.c sqlite3DropTable,
/// sqlite3CodeDropTable, sqlite3DropIndex; trigger.c sqlite3DropTrigger): the sqlite_schema
/// rows go, then (tables and indexes) the trees, largest root page first as sqlite3 orders them;
/// the schema cookie changes and Drop* tells the connection its schema is out of date. Ringlite
/// has no autovacuum, so no root page ever moves and the rootpage fix-ups sqlite3 compiles for
/// that case are not needed.
extension SchemaCompiler {
    static func drop(_ statement: DropStatement, _ source: Source) throws(DatabaseError) -> Program {
        switch statement.kind {
        case .table, .view: return try dropTable(statement, source)
        case .index: return try dropIndex(statement, source)
        case .trigger: return try dropTrigger(statement, source)
        }
    }

    private static func dropTable(_ statement: DropStatement, _ source: Source) throws(DatabaseError) -> Program {
        let isView = statement.kind == .view
        let name = statement.name.name.value
        let main = isMainDatabase(statement.name.schema)
        let table = main ? source.schema.table(name) : nil
        let view = main ? source.schema.view(name) : nil
        guard table != nil || view != nil else {
            if statement.ifExists { return try noOpProgram(source) }
            throw DatabaseError(.SQLITE_ERROR, "no such \(isView ? "view" : "table"): \(displayName(statement.name))")
        }
        let storedName = table?.name ?? view!.name
        if let table, table.rootPage == TreeStore.schemaRoot {
            // sqlite3 names the main schema table sqlite_master, the temp one sqlite_temp_master.
            let temp = name.sqlEquals("sqlite_temp_master") || name.sqlEquals("sqlite_temp_schema")
            throw DatabaseError(.SQLITE_ERROR, "table \(temp ? "sqlite_temp_master" : "sqlite_master") may not be dropped")
        }
        if mayNotBeDropped(storedName) {
            throw DatabaseError(.SQLITE_ERROR, "table \(storedName) may not be dropped")
        }
        if isView, table != nil {
            throw DatabaseError(.SQLITE_ERROR, "use DROP TABLE to delete table \(storedName)")
        }
        if !isView, view != nil {
            throw DatabaseError(.SQLITE_ERROR, "use DROP VIEW to delete view \(storedName)")
        }

        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: source.schema.cookie)
        if let table { emitClearStatTables(&builder, source, column: 0, name: table.name) }
        for trigger in source.schema.triggers(on: storedName) {
            emitTriggerRemoval(&builder, source, name: trigger.name)
        }
        if let table, table.autoincrement, let sequence = source.schema.table(sequenceTableName) {
            emitDeleteRows(&builder, root: Int32(bitPattern: sequence.rootPage), columns: 2, column: 0, equals: table.name)
        }
        emitDeleteRows(&builder, root: Int32(TreeStore.schemaRoot), columns: 5, column: 2, equals: storedName,
                       type: ("trigger", false))
        if let table {
            let destroyed = builder.allocateRegisters()
            var roots = Set(table.indexes.map(\.rootPage))
            roots.insert(table.rootPage)
            roots.remove(0)
            for root in roots.sorted(by: >) {
                builder.emit(.destroy, Int32(bitPattern: root), destroyed, 0)
            }
        }
        builder.emit(.dropTable, 0, 0, 0, .text(storedName))
        emitCookieChange(&builder, source)
        frame.finish(&builder, access: .write)
        return try builder.finish(sql: source.sql)
    }

    /// tableMayNotBeDropped: SQLite's own tables, but for the statistics tables ANALYZE makes.
    private static func mayNotBeDropped(_ name: String) -> Bool {
        guard isReserved(name) else { return false }
        let rest = String(decoding: name.utf8.dropFirst(7), as: UTF8.self).sqlKey
        return !rest.hasPrefix("stat") && !rest.hasPrefix("parameters")
    }

    private static func dropIndex(_ statement: DropStatement, _ source: Source) throws(DatabaseError) -> Program {
        let found = isMainDatabase(statement.name.schema) ? source.schema.index(statement.name.name.value) : nil
        guard let (index, table) = found else {
            if statement.ifExists { return try noOpProgram(source) }
            throw DatabaseError(.SQLITE_ERROR, "no such index: \(displayName(statement.name))")
        }
        guard index.origin == .createIndex else {
            throw DatabaseError(.SQLITE_ERROR, "index associated with UNIQUE or PRIMARY KEY constraint cannot be dropped")
        }
        precondition(index.rootPage != 0 && index.rootPage != table.rootPage,
                     "index \(index.name) of \(table.name) has no tree of its own")
        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: source.schema.cookie)
        emitDeleteRows(&builder, root: Int32(TreeStore.schemaRoot), columns: 5, column: 1, equals: index.name,
                       type: ("index", true))
        emitClearStatTables(&builder, source, column: 1, name: index.name)
        emitCookieChange(&builder, source)
        builder.emit(.destroy, Int32(bitPattern: index.rootPage), builder.allocateRegisters(), 0)
        builder.emit(.dropIndex, 0, 0, 0, .text(index.name))
        frame.finish(&builder, access: .write)
        return try builder.finish(sql: source.sql)
    }

    private static func dropTrigger(_ statement: DropStatement, _ source: Source) throws(DatabaseError) -> Program {
        let found = isMainDatabase(statement.name.schema) ? source.schema.trigger(statement.name.name.value) : nil
        guard let trigger = found else {
            if statement.ifExists { return try noOpProgram(source) }
            throw DatabaseError(.SQLITE_ERROR, "no such trigger: \(displayName(statement.name))")
        }
        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: source.schema.cookie)
        emitTriggerRemoval(&builder, source, name: trigger.name)
        frame.finish(&builder, access: .write)
        return try builder.finish(sql: source.sql)
    }

    /// sqlite3DropTriggerPtr: the trigger's row, DropTrigger and the cookie.
    private static func emitTriggerRemoval(_ builder: inout ProgramBuilder, _ source: Source, name: String) {
        emitDeleteRows(&builder, root: Int32(TreeStore.schemaRoot), columns: 5, column: 1, equals: name,
                       type: ("trigger", true))
        emitCookieChange(&builder, source)
        builder.emit(.dropTrigger, 0, 0, 0, .text(name))
    }

    /// sqlite3ClearStatTables: the rows ANALYZE wrote about a dropped table (column 0, "tbl") or
    /// index (column 1, "idx") in whichever of sqlite_stat1...4 exist.
    private static func emitClearStatTables(_ builder: inout ProgramBuilder, _ source: Source, column: Int32, name: String) {
        for number in 1...4 {
            guard let stat = source.schema.table("sqlite_stat\(number)"), column < stat.columns.count else { continue }
            emitDeleteRows(&builder, root: Int32(bitPattern: stat.rootPage), columns: Int32(stat.columns.count),
                           column: column, equals: name)
        }
    }
}
