import BTree
import Pager
import VM

/// A column of the table in scope: one of its columns, or the rowid.
enum ColumnKey: Hashable {
    case rowid
    case column(Int)
}

/// Where the values of the current row come from while an expression is compiled.
enum RowSource {
    /// The table's cursor is on the row.
    case cursor
    /// The row is in registers, as SQLite's regNewData: the rowid at `rowid`, column i at
    /// `firstColumn + i` (INSERT and UPDATE's new row, CHECK constraints).
    case registers(rowid: Int32, firstColumn: Int32)
    /// The columns an aggregate query's output reads were copied to registers.
    case loaded([ColumnKey: Int32])
    /// The columns are fields of the records of a sorter cursor (GROUP BY's sorted rows).
    case sorter(cursor: Int32, fields: [ColumnKey: Int32])
}

/// The table an expression's column names resolve against.
struct ScopeTable {
    let table: TableSchema
    /// The name a qualifier must match: the alias, or the table's name.
    let exposedName: String
    let cursor: Int32
}

/// A table whose current row is in registers and which only a qualified name reaches:
/// `excluded` in an upsert's DO UPDATE, NEW and OLD in a trigger (resolve.c looks them up after
/// the FROM tables fail). Column i is at `firstColumn + i`, the rowid at `rowid`.
struct RegisterTable {
    let name: String
    let table: TableSchema
    let rowid: Int32
    let firstColumn: Int32
    /// NEW and OLD columns carry their column's collation (TK_TRIGGER); excluded's are bare
    /// registers without one. Neither has the column's affinity, as in sqlite3.
    let keepsCollation: Bool
}

/// A column of a register table, as a reference resolves to it.
struct RegisterColumn {
    let register: Int32
    /// nil for the rowid.
    let column: ColumnSchema?
    let keepsCollation: Bool
}

/// What an expression may refer to and how its references are compiled (SQLite's NameContext
/// and the AggInfo an aggregate query's output reads).
struct ExprScope {
    var table: ScopeTable?
    var row: RowSource = .cursor
    /// excluded, NEW and OLD: reached only through their qualifier.
    var registerTables: [RegisterTable] = []
    /// Result-column aliases, which WHERE, GROUP BY, HAVING and ORDER BY may use when no column
    /// has the name (as sqlite3 allows).
    var aliases: [(name: String, expr: Expr)] = []
    /// Where aggregate calls are allowed, and once computed, the registers holding their results.
    var aggregates: AggregatePolicy = .forbidden(clause: nil)
    /// The clause, for "aggregate functions are not allowed in the GROUP BY clause".
    init(table: ScopeTable?) {
        self.table = table
    }
}

enum AggregatePolicy {
    /// Aggregates are errors here (WHERE; clause names GROUP BY for its own message).
    case forbidden(clause: String?)
    /// Aggregate calls read the registers of their results.
    case results([(call: Expr, register: Int32)])
}

/// What a column name resolved to.
enum ResolvedName {
    case column(ColumnKey)
    /// A result column's alias: its expression.
    case alias(Expr)
    /// A column of excluded, NEW or OLD.
    case register(RegisterColumn)
    /// An unresolved double-quoted name is a string, and a bare TRUE or FALSE a boolean.
    case constant(Value)
}

extension CodeGenerator {
    /// Resolves a column reference the way sqlite3's lookupName does for one table.
    func resolve(_ reference: ColumnReference, in scope: ExprScope) throws(DatabaseError) -> ResolvedName {
        let name = reference.column.value
        if let schemaName = reference.schema, !schemaName.value.sqlEquals("main") {
            throw DatabaseError(.SQLITE_ERROR, "no such column: \(Self.display(reference))")
        }
        if let table = scope.table, reference.table.map({ $0.value.sqlEquals(table.exposedName) }) ?? true {
            if let index = table.table.column(named: name) {
                return .column(table.table.rowidAlias == index ? .rowid : .column(index))
            }
            if !table.table.withoutRowid, ["rowid", "oid", "_rowid_"].contains(where: { $0.sqlEquals(name) }) {
                return .column(.rowid)
            }
        }
        if let qualifier = reference.table, reference.schema == nil,
           let registers = scope.registerTables.last(where: { $0.name.sqlEquals(qualifier.value) }) {
            let isRowidName = ["rowid", "oid", "_rowid_"].contains(where: { $0.sqlEquals(name) })
            if let index = registers.table.column(named: name), index != registers.table.rowidAlias {
                return .register(RegisterColumn(register: registers.firstColumn + Int32(index),
                                                column: registers.table.columns[index],
                                                keepsCollation: registers.keepsCollation))
            } else if registers.table.column(named: name) != nil || (isRowidName && !registers.table.withoutRowid) {
                return .register(RegisterColumn(register: registers.rowid, column: nil, keepsCollation: registers.keepsCollation))
            }
        }
        if reference.table == nil {
            if let alias = scope.aliases.first(where: { $0.name.sqlEquals(name) }) {
                return .alias(alias.expr)
            }
            if reference.column.quoting == .doubleQuoted {
                return .constant(.text(Array(name.utf8)))
            }
            if reference.column.quoting == .bare {
                if name.sqlEquals("true") { return .constant(.integer(1)) }
                if name.sqlEquals("false") { return .constant(.integer(0)) }
            }
        }
        throw DatabaseError(.SQLITE_ERROR, "no such column: \(Self.display(reference))")
    }

    static func display(_ reference: ColumnReference) -> String {
        var parts: [String] = []
        if let schema = reference.schema { parts.append(schema.value) }
        if let table = reference.table { parts.append(table.value) }
        parts.append(reference.column.value)
        return parts.joined(separator: ".")
    }

    /// Loads column `key` of the scope's current row into `target`.
    func emitColumn(_ key: ColumnKey, _ scope: ExprScope, into target: Int32) {
        guard let table = scope.table else { preconditionFailure("a column outside any table's scope") }
        switch scope.row {
        case .cursor:
            emitTableColumn(table.table, cursor: table.cursor, key, into: target)
        case .registers(let rowid, let firstColumn):
            switch key {
            case .rowid: builder.emit(.sCopy, rowid, target)
            case .column(let index):
                builder.emit(.sCopy, firstColumn + Int32(index), target)
                // A REAL column's value may still be an integer here (expr.c, iSelfTab columns).
                if table.table.columns[index].affinity == .real { builder.emit(.realAffinity, target) }
            }
        case .loaded(let registers):
            guard let register = registers[key] else { preconditionFailure("column \(key) was not loaded") }
            builder.emit(.sCopy, register, target)
        case .sorter(let cursor, let fields):
            guard let field = fields[key] else { preconditionFailure("column \(key) is not in the sorter") }
            builder.emit(.column, cursor, field, target)
        }
    }

    /// Column (or Rowid) of a table cursor, with RealAffinity for REAL columns (a REAL column
    /// stores whole numbers as integers) and the column's DEFAULT for records written before
    /// ALTER TABLE ADD COLUMN.
    func emitTableColumn(_ table: TableSchema, cursor: Int32, _ key: ColumnKey, into target: Int32) {
        switch key {
        case .rowid:
            precondition(!table.withoutRowid, "the rowid of a WITHOUT ROWID table")
            builder.emit(.rowid, cursor, target)
        case .column(let index):
            let column = table.columns[index]
            guard let field = StorageLayout.field(of: index, in: table) else {
                preconditionFailure("virtual generated column \(column.name) has no field")
            }
            var p4 = P4.none
            if let value = column.defaultValue.flatMap(Self.constantValue) , !value.isNull { p4 = .value(value) }
            builder.emit(.column, cursor, Int32(field), target, p4)
            if column.affinity == .real { builder.emit(.realAffinity, target) }
        }
    }

    /// The value of a constant DEFAULT expression (a literal, or a signed number).
    static func constantValue(_ expr: Expr) -> Value? {
        switch expr {
        case .literal(.null): return .null
        case .literal(.integer(let i)): return .integer(i)
        case .literal(.real(let r)): return .real(r)
        case .literal(.string(let s)): return .text(Array(s.utf8))
        case .literal(.blob(let b)): return .blob(b)
        case .literal(.boolean(let b)): return .integer(b ? 1 : 0)
        case .unary(.negate, .literal(.integer(let i))): return i == Int64.min ? .real(-Double(i)) : .integer(-i)
        case .unary(.negate, .literal(.real(let r))): return .real(-r)
        case .unary(.plus, let inner): return constantValue(inner)
        default: return nil
        }
    }
}

/// How a table's columns map to record fields. A rowid table stores every non-virtual column
/// in table order; a WITHOUT ROWID table's records are its PRIMARY KEY index's entries: the
/// key columns first, then the others in table order.
enum StorageLayout {
    static func field(of column: Int, in table: TableSchema) -> Int? {
        guard table.withoutRowid else { return table.columns[column].recordIndex }
        return storedColumns(of: table).firstIndex(of: column)
    }

    /// The table columns in record order.
    static func storedColumns(of table: TableSchema) -> [Int] {
        guard table.withoutRowid else {
            return table.columns.indices.filter { table.columns[$0].recordIndex != nil }
                .sorted { table.columns[$0].recordIndex! < table.columns[$1].recordIndex! }
        }
        var order: [Int] = []
        for column in table.primaryKey where !order.contains(column) { order.append(column) }
        for column in table.columns.indices where !order.contains(column) && table.columns[column].recordIndex != nil {
            order.append(column)
        }
        return order
    }
}
