import BTree
import Pager
import VM

extension Schema {
    /// One row of sqlite_schema as stored.
    package struct Row: Sendable {
        package var type: String
        package var name: String
        package var tableName: String
        package var rootPage: UInt32
        package var sql: String?

        package init(type: String, name: String, tableName: String, rootPage: UInt32, sql: String?) {
            self.type = type
            self.name = name
            self.tableName = tableName
            self.rootPage = rootPage
            self.sql = sql
        }
    }

    /// Builds the schema from sqlite_schema's rows, in rowid order (an automatic index's row
    /// follows its table's). A row that does not parse, or names what does not exist, makes the
    /// schema malformed, as sqlite3 reports it.
    package static func load(_ rows: [Row], cookie: UInt32) throws(DatabaseError) -> Schema {
        var schema = Schema()
        schema.cookie = cookie
        for row in rows {
            do {
                try schema.load(row)
            } catch {
                throw DatabaseError(.SQLITE_CORRUPT, "malformed database schema (\(row.name)) - \(error.message)")
            }
        }
        return schema
    }

    private mutating func load(_ row: Row) throws(DatabaseError) {
        switch row.type {
        case "table":
            guard let sql = row.sql else { throw DatabaseError(.SQLITE_CORRUPT, "a table without SQL") }
            guard case .createTable(let create) = try Self.parse(sql) else {
                throw DatabaseError(.SQLITE_CORRUPT, "not a CREATE TABLE statement")
            }
            guard case .columns(let columns, let constraints, let options) = create.definition else {
                throw DatabaseError(.SQLITE_CORRUPT, "a stored CREATE TABLE ... AS SELECT")
            }
            var table = try TableDefinitionBuilder(name: row.name, sourceText: sql).build(columns, constraints: constraints, options: options)
            table.rootPage = row.rootPage
            add(table)
        case "index":
            guard let owner = table(row.tableName) else {
                throw DatabaseError(.SQLITE_CORRUPT, "index on missing table \(row.tableName)")
            }
            if row.sql == nil {
                // An automatic index: the table's definition says what it holds.
                guard let position = owner.indexes.firstIndex(where: { $0.name.sqlEquals(row.name) }) else {
                    throw DatabaseError(.SQLITE_CORRUPT, "orphan index")
                }
                var updated = owner
                updated.indexes[position].rootPage = row.rootPage
                add(updated)
                return
            }
            guard case .createIndex(let create) = try Self.parse(row.sql!) else {
                throw DatabaseError(.SQLITE_CORRUPT, "not a CREATE INDEX statement")
            }
            var index = try Self.index(from: create, on: owner)
            index.rootPage = row.rootPage
            index.sql = row.sql
            add(index)
        case "view":
            guard let sql = row.sql, case .createView(let create) = try Self.parse(sql) else {
                throw DatabaseError(.SQLITE_CORRUPT, "not a CREATE VIEW statement")
            }
            add(ViewSchema(name: row.name, columnNames: create.columns.map(\.value), select: create.select, sql: sql))
        case "trigger":
            guard let sql = row.sql, case .createTrigger(let create) = try Self.parse(sql) else {
                throw DatabaseError(.SQLITE_CORRUPT, "not a CREATE TRIGGER statement")
            }
            add(TriggerSchema(name: row.name, tableName: row.tableName, statement: create, sql: sql))
        default:
            // sqlite3 ignores rows of other types.
            break
        }
    }

    /// Parses stored schema SQL (with the leniencies sqlite3 allows when loading a schema).
    static func parse(_ sql: String) throws(DatabaseError) -> Statement {
        var options = ParserOptions()
        options.isLoadingSchema = true
        do {
            return try SQLParser.parseOne(sql, options: options).statement
        } catch {
            throw DatabaseError(.SQLITE_ERROR, error.message)
        }
    }

    /// The index a CREATE INDEX statement describes, on `table` (root page 0).
    package static func index(from create: CreateIndexStatement, on table: TableSchema) throws(DatabaseError) -> IndexSchema {
        var columns: [IndexColumn] = []
        for term in create.columns {
            var expr = term.expr
            var collation: Collation?
            while case .collate(let inner, let name) = expr {
                guard let named = Collation(name: name.value) else {
                    throw DatabaseError(.SQLITE_ERROR, "no such collation sequence: \(name.value)")
                }
                collation = collation ?? named
                expr = inner
            }
            if case .column(let reference) = expr, reference.table == nil {
                guard let column = table.column(named: reference.column.value) else {
                    throw DatabaseError(.SQLITE_ERROR, "no such column: \(reference.column.value)")
                }
                columns.append(IndexColumn(term: .column(column), collation: collation ?? table.columns[column].collation,
                                           descending: term.order == .descending))
            } else {
                columns.append(IndexColumn(term: .expression(expr), collation: collation ?? .binary, descending: term.order == .descending))
            }
        }
        return IndexSchema(name: create.name.name.value, tableName: table.name, rootPage: 0, columns: columns,
                           unique: create.unique, onConflict: nil, origin: .createIndex, predicate: create.where, sql: nil)
    }
}
