import Foundation
import Testing
@testable import Pager
@testable import SQL

/// CREATE TABLE semantics against sqlite3: what PRAGMA table_info and index_list/index_info say
/// for each table, and the errors sqlite3 gives for tables it refuses.
@Suite struct SchemaTests {
    static let accepted: [String] = [
        "CREATE TABLE t(a, b, c)",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL, c REAL DEFAULT 1.5)",
        "CREATE TABLE t(a INTEGER PRIMARY KEY DESC, b)",
        "CREATE TABLE t(a INTEGER, b, PRIMARY KEY(a DESC))",
        "CREATE TABLE t(a INT PRIMARY KEY, b)",
        "CREATE TABLE t(a integer primary key autoincrement, b)",
        "CREATE TABLE t(a UNIQUE, b PRIMARY KEY, c UNIQUE)",
        "CREATE TABLE t(a, b, c, UNIQUE(a, b), PRIMARY KEY(c, a), UNIQUE(b))",
        "CREATE TABLE t(a UNIQUE, b, UNIQUE(a))",
        "CREATE TABLE t(a TEXT COLLATE NOCASE UNIQUE, b COLLATE RTRIM, UNIQUE(b DESC))",
        "CREATE TABLE t(a VARCHAR(10) DEFAULT 'x', b DOUBLE PRECISION DEFAULT -3, c BLOB DEFAULT x'00ff', d DEFAULT (1+2), e DEFAULT CURRENT_TIME, f DEFAULT NULL)",
        "CREATE TABLE t(a CHARINT, b FLOATING POINT, c, d NUMERIC, e DATETIME, f BOOLEAN)",
        "CREATE TABLE t(a PRIMARY KEY ON CONFLICT REPLACE, b UNIQUE ON CONFLICT IGNORE, c NOT NULL ON CONFLICT FAIL)",
        "CREATE TABLE t(a, b, CHECK (a > b), CONSTRAINT positive CHECK (a > 0))",
        "CREATE TABLE t(a, b REFERENCES u(x) ON DELETE CASCADE, FOREIGN KEY (a) REFERENCES u(y))",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b, c) WITHOUT ROWID",
        "CREATE TABLE t(a, b, PRIMARY KEY(b, a)) WITHOUT ROWID",
        "CREATE TABLE t(a INT, b TEXT, c ANY) STRICT",
        "CREATE TABLE t(a, b AS (a * 2), c GENERATED ALWAYS AS (a + 1) STORED)",
        "CREATE TABLE \"odd name\"([weird col], `back`, \"quoted\" TEXT)",
    ]

    static let refused: [String] = [
        "CREATE TABLE t(a, a)",
        "CREATE TABLE t(a PRIMARY KEY, b PRIMARY KEY)",
        "CREATE TABLE t(a INT PRIMARY KEY AUTOINCREMENT)",
        "CREATE TABLE t(a, b) WITHOUT ROWID",
        "CREATE TABLE t(a DEFAULT (b))",
        "CREATE TABLE t(a, UNIQUE(c))",
        "CREATE TABLE t(a, PRIMARY KEY(a + 1))",
        "CREATE TABLE t(a COLLATE unknown)",
        "CREATE TABLE t(a VARCHAR) STRICT",
        "CREATE TABLE t(a) STRICT",
        "CREATE TABLE t(a AS (1))",
        "CREATE TABLE t(a, b AS (a) PRIMARY KEY)",
        "CREATE TABLE t(a INTEGER PRIMARY KEY AUTOINCREMENT) WITHOUT ROWID",
        "CREATE TABLE t(a, FOREIGN KEY (z) REFERENCES u(x))",
    ]

    func build(_ sql: String) throws -> TableSchema {
        let statement = try SQLParser.parseOne(sql).statement
        guard case .createTable(let create) = statement, case .columns(let columns, let constraints, let options) = create.definition else {
            throw DatabaseError(.SQLITE_ERROR, "not a CREATE TABLE")
        }
        return try TableDefinitionBuilder(name: create.name.name.value, sourceText: sql).build(columns, constraints: constraints, options: options)
    }

    /// What sqlite3 reports for the table: table_info rows, then each index's list entry and
    /// columns, in a form Ringlite's schema can be rendered into.
    func sqliteDescription(_ sql: String, table: String) -> String {
        let escaped = table.replacingOccurrences(of: "'", with: "''")
        let query = """
        \(sql);
        SELECT 'col', cid, name, type, "notnull", coalesce(dflt_value, '-'), pk FROM pragma_table_info('\(escaped)');
        SELECT 'idx', l.name, l."unique", l.origin, i.seqno, coalesce(i.name, '-'), x.desc, x.coll
          FROM pragma_index_list('\(escaped)') AS l, pragma_index_info(l.name) AS i, pragma_index_xinfo(l.name) AS x
          WHERE x.seqno = i.seqno ORDER BY l.name, i.seqno;
        """
        return Oracle.run(query).stdout
    }

    func ringliteDescription(_ table: TableSchema) -> String {
        var lines: [String] = []
        var cid = -1
        for (position, column) in table.columns.enumerated() {
            // table_info leaves generated columns out (table_xinfo has them).
            guard column.generated == nil else { continue }
            cid += 1
            let pk = table.primaryKey.firstIndex(of: position).map { $0 + 1 } ?? 0
            lines.append("col|\(cid)|\(column.name)|\(column.declaredType ?? "")|\(column.notNull == nil ? 0 : 1)|\(column.defaultText ?? "-")|\(pk)")
        }
        for index in table.indexes.sorted(by: { $0.name < $1.name }) {
            for (seqno, term) in index.columns.enumerated() {
                guard case .column(let column) = term.term else { continue }
                lines.append("idx|\(index.name)|\(index.unique ? 1 : 0)|\(index.origin.rawValue)|\(seqno)|\(table.columns[column].name)|\(term.descending ? 1 : 0)|\(term.collation.name)")
            }
        }
        return lines.map { $0 + "\n" }.joined()
    }

    @Test(.enabled(if: Oracle.isAvailable), arguments: accepted)
    func tableDefinitionsMatchSQLite(_ sql: String) throws {
        let table = try build(sql)
        #expect(ringliteDescription(table) == sqliteDescription(sql, table: table.name))
    }

    @Test(.enabled(if: Oracle.isAvailable), arguments: refused)
    func refusedTablesGiveSQLitesMessage(_ sql: String) throws {
        let expected = Oracle.prepareError(sql) ?? Oracle.run(sql).stderr
        do {
            _ = try build(sql)
            Issue.record("accepted: \(sql); sqlite3 says \(expected)")
        } catch let error as DatabaseError {
            #expect(expected.contains(error.message), "\(sql)")
        } catch let error as SQLSyntaxError {
            #expect(expected.contains(error.message), "\(sql)")
        }
    }

    @Test func rowidAliasRules() throws {
        #expect(try build("CREATE TABLE t(a INTEGER PRIMARY KEY, b)").rowidAlias == 0)
        #expect(try build("CREATE TABLE t(a integer primary key, b)").rowidAlias == 0)
        #expect(try build("CREATE TABLE t(a INTEGER PRIMARY KEY DESC, b)").rowidAlias == nil)
        #expect(try build("CREATE TABLE t(a INTEGER, b, PRIMARY KEY(a DESC))").rowidAlias == 0)
        #expect(try build("CREATE TABLE t(a INT PRIMARY KEY, b)").rowidAlias == nil)
        #expect(try build("CREATE TABLE t(b, a INTEGER PRIMARY KEY) WITHOUT ROWID").rowidAlias == nil)
        let generated = try build("CREATE TABLE t(a, b AS (a * 2), c GENERATED ALWAYS AS (a + 1) STORED)")
        #expect(generated.columns.map(\.recordIndex) == [0, nil, 1])
    }

    @Test func affinityFromDeclaredTypes() {
        #expect(affinity(ofDeclaredType: nil) == .blob)
        #expect(affinity(ofDeclaredType: "INT") == .integer)
        #expect(affinity(ofDeclaredType: "CHARINT") == .integer)
        #expect(affinity(ofDeclaredType: "VARCHAR(10)") == .text)
        #expect(affinity(ofDeclaredType: "BLOB") == .blob)
        #expect(affinity(ofDeclaredType: "DOUBLE PRECISION") == .real)
        #expect(affinity(ofDeclaredType: "FLOATING POINT") == .integer)
        #expect(affinity(ofDeclaredType: "DATETIME") == .numeric)
    }
}
