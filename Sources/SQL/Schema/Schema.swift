import BTree
import Pager
import VM

/// The database's schema: every table, index, view and trigger named in sqlite_schema, parsed.
/// Built from the sqlite_schema rows whenever the schema cookie changes; a value, so a
/// statement compiled against one schema keeps seeing that one.
package struct Schema: Sendable {
    package private(set) var tables: [String: TableSchema] = [:]
    package private(set) var views: [String: ViewSchema] = [:]
    package private(set) var triggers: [String: TriggerSchema] = [:]
    /// Index name -> the table that has it.
    package private(set) var indexOwners: [String: String] = [:]
    /// The schema cookie the rows were read at.
    package var cookie: UInt32 = 0
    /// The ordinal the next trigger added gets.
    private var nextTriggerOrdinal = 0

    package init() {
        tables[Self.schemaTableName.sqlKey] = Self.schemaTable
    }

    package static let schemaTableName = "sqlite_schema"

    /// sqlite_schema itself (also reachable as sqlite_master): a rowid table rooted at page 1.
    package static let schemaTable: TableSchema = {
        func column(_ name: String, _ type: String) -> ColumnSchema {
            ColumnSchema(name: name, declaredType: type, affinity: affinity(ofDeclaredType: type), notNull: nil,
                         defaultValue: nil, defaultText: nil, collation: .binary, isPrimaryKey: false, generated: nil,
                         recordIndex: nil)
        }
        var columns = [column("type", "text"), column("name", "text"), column("tbl_name", "text"),
                       column("rootpage", "int"), column("sql", "text")]
        for index in columns.indices { columns[index].recordIndex = index }
        return TableSchema(name: schemaTableName, rootPage: 1, columns: columns, rowidAlias: nil, primaryKey: [],
                           autoincrement: false, withoutRowid: false, strict: false, checks: [], foreignKeys: [],
                           indexes: [], sql: "CREATE TABLE sqlite_schema(type text,name text,tbl_name text,rootpage int,sql text)")
    }()

    // MARK: Lookup

    /// The table named `name` (case-insensitive; sqlite_master and sqlite_temp_master name the
    /// schema table too).
    package func table(_ name: String) -> TableSchema? {
        let key = name.sqlKey
        if key == "sqlite_master" || key == "sqlite_temp_master" || key == "sqlite_temp_schema" {
            return tables[Self.schemaTableName]
        }
        return tables[key]
    }

    package func view(_ name: String) -> ViewSchema? { views[name.sqlKey] }

    package func trigger(_ name: String) -> TriggerSchema? { triggers[name.sqlKey] }

    /// The index named `name` and its table.
    package func index(_ name: String) -> (index: IndexSchema, table: TableSchema)? {
        guard let owner = indexOwners[name.sqlKey], let table = tables[owner],
              let index = table.indexes.first(where: { $0.name.sqlEquals(name) }) else { return nil }
        return (index, table)
    }

    /// Whether any object (table, index, view, trigger) is named `name`.
    package func objectExists(_ name: String) -> Bool {
        let key = name.sqlKey
        return tables[key] != nil || views[key] != nil || indexOwners[key] != nil || triggers[key] != nil
    }

    /// Triggers on `table`, in creation order.
    package func triggers(on table: String) -> [TriggerSchema] {
        triggers.values.filter { $0.tableName.sqlEquals(table) }.sorted { $0.ordinal < $1.ordinal }
    }

    // MARK: Changes (while loading, and for DDL compiled before its commit re-reads the rows)

    package mutating func add(_ table: TableSchema) {
        tables[table.name.sqlKey] = table
        for index in table.indexes { indexOwners[index.name.sqlKey] = table.name.sqlKey }
    }

    package mutating func removeTable(_ name: String) {
        guard let table = tables.removeValue(forKey: name.sqlKey) else { return }
        for index in table.indexes { indexOwners[index.name.sqlKey] = nil }
        for trigger in triggers.values where trigger.tableName.sqlEquals(name) { triggers[trigger.name.sqlKey] = nil }
    }

    package mutating func add(_ index: IndexSchema) {
        let key = index.tableName.sqlKey
        guard tables[key] != nil else { return }
        tables[key]!.indexes.append(index)
        indexOwners[index.name.sqlKey] = key
    }

    package mutating func removeIndex(_ name: String) {
        guard let owner = indexOwners.removeValue(forKey: name.sqlKey) else { return }
        tables[owner]?.indexes.removeAll { $0.name.sqlEquals(name) }
    }

    package mutating func add(_ view: ViewSchema) { views[view.name.sqlKey] = view }
    package mutating func removeView(_ name: String) { views[name.sqlKey] = nil }
    package mutating func add(_ trigger: TriggerSchema) {
        var trigger = trigger
        trigger.ordinal = nextTriggerOrdinal
        nextTriggerOrdinal += 1
        triggers[trigger.name.sqlKey] = trigger
    }
    package mutating func removeTrigger(_ name: String) { triggers[name.sqlKey] = nil }
}
