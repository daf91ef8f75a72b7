import BTree
import VM

/// A column of a table as the schema describes it.
package struct ColumnSchema: Sendable, Equatable {
    package var name: String
    /// The declared type as written (`VARCHAR(10)`), nil when none was given.
    package var declaredType: String?
    package var affinity: Affinity
    package var notNull: ConflictResolution?
    /// The DEFAULT expression, and its source text (for PRAGMA table_info and ALTER TABLE).
    package var defaultValue: Expr?
    package var defaultText: String?
    /// The column's collation (BINARY when none is named).
    package var collation: Collation
    /// Part of the table's PRIMARY KEY (any position).
    package var isPrimaryKey: Bool
    /// `GENERATED ALWAYS AS (expr) [STORED|VIRTUAL]`.
    package var generated: (expr: Expr, stored: Bool)?
    /// The column's field in the table's records; nil for a VIRTUAL generated column, which is
    /// not stored. (The INTEGER PRIMARY KEY column is stored, as NULL: its value is the rowid.)
    package var recordIndex: Int?

    package static func == (lhs: ColumnSchema, rhs: ColumnSchema) -> Bool {
        lhs.name == rhs.name && lhs.declaredType == rhs.declaredType && lhs.affinity == rhs.affinity
            && lhs.notNull == rhs.notNull && lhs.defaultValue == rhs.defaultValue && lhs.collation == rhs.collation
            && lhs.isPrimaryKey == rhs.isPrimaryKey && lhs.generated?.expr == rhs.generated?.expr
            && lhs.generated?.stored == rhs.generated?.stored && lhs.recordIndex == rhs.recordIndex
    }
}

/// A CHECK constraint.
package struct CheckConstraint: Sendable, Equatable {
    package var name: String?
    package var expr: Expr
}

/// A FOREIGN KEY, kept (and reported by PRAGMA foreign_key_list) but not enforced, as sqlite3
/// does with foreign_keys off, its default.
package struct ForeignKeySchema: Sendable, Equatable {
    package var columns: [String]
    package var clause: ForeignKeyClause
}

/// What created an index: CREATE INDEX, a UNIQUE constraint, or a PRIMARY KEY (PRAGMA
/// index_list's "origin": c, u, pk).
package enum IndexOrigin: String, Sendable {
    case createIndex = "c"
    case unique = "u"
    case primaryKey = "pk"
}

/// One key term of an index: a table column, or an expression.
package enum IndexTerm: Sendable, Equatable {
    case column(Int)
    case expression(Expr)
}

package struct IndexColumn: Sendable, Equatable {
    package var term: IndexTerm
    package var collation: Collation
    package var descending: Bool
}

package struct IndexSchema: Sendable, Equatable {
    package var name: String
    package var tableName: String
    package var rootPage: UInt32
    package var columns: [IndexColumn]
    package var unique: Bool
    /// The resolution for a UNIQUE violation (from the constraint), nil meaning ABORT.
    package var onConflict: ConflictResolution?
    package var origin: IndexOrigin
    /// A partial index's WHERE.
    package var predicate: Expr?
    /// The CREATE INDEX text (nil for automatic indexes).
    package var sql: String?

    /// The KeyInfo of the index's records: its columns, then the rowid (binary, ascending).
    package var keyInfo: KeyInfo {
        KeyInfo(columns: columns.map { KeyColumn(collation: $0.collation, descending: $0.descending) } + [KeyColumn()])
    }
}

package struct TableSchema: Sendable, Equatable {
    package var name: String
    package var rootPage: UInt32
    package var columns: [ColumnSchema]
    /// The column that is the rowid (an INTEGER PRIMARY KEY), if any.
    package var rowidAlias: Int?
    /// The PRIMARY KEY's columns (in key order), empty when there is none.
    package var primaryKey: [Int]
    package var autoincrement: Bool
    package var withoutRowid: Bool
    package var strict: Bool
    package var checks: [CheckConstraint]
    package var foreignKeys: [ForeignKeySchema]
    /// Indexes on this table, automatic ones first in the order SQLite creates them.
    package var indexes: [IndexSchema]
    /// The CREATE TABLE text as stored in sqlite_schema.
    package var sql: String?

    /// The index of the column named `name` (case-insensitive), if any.
    package func column(named name: String) -> Int? {
        columns.firstIndex { $0.name.sqlEquals(name) }
    }

    /// Fields in each record of the table (virtual generated columns are not stored).
    package var recordFieldCount: Int { columns.filter { $0.recordIndex != nil }.count }
}

package struct ViewSchema: Sendable, Equatable {
    package var name: String
    package var columnNames: [String]
    package var select: Select
    package var sql: String
}

package struct TriggerSchema: Sendable, Equatable {
    package var name: String
    package var tableName: String
    package var statement: CreateTriggerStatement
    package var sql: String
    /// The order the schema met the trigger in (sqlite_schema's rowid order): sqlite3 keeps each
    /// table's triggers newest first, and fires them in that order.
    package var ordinal = 0

    package init(name: String, tableName: String, statement: CreateTriggerStatement, sql: String) {
        self.name = name
        self.tableName = tableName
        self.statement = statement
        self.sql = sql
    }

    /// BEFORE (the default), AFTER or INSTEAD OF.
    package var timing: TriggerTiming { statement.timing ?? .before }
}

extension String {
    /// SQLite compares identifiers without regard to ASCII case.
    package func sqlEquals(_ other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        for (a, b) in zip(utf8, other.utf8) where Collation.foldASCII(a) != Collation.foldASCII(b) {
            return false
        }
        return true
    }

    /// The key identifiers are stored under: ASCII letters folded to lower case.
    package var sqlKey: String {
        String(decoding: utf8.map { Collation.foldASCII($0) }, as: UTF8.self)
    }
}
