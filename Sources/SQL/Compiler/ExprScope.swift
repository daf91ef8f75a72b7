import BTree
import Pager
import VM

/// A column of the table in scope: one of its columns, or the rowid.
enum ColumnKey: Hashable {
    case rowid
    case column(Int)
}

/// A column of one of the FROM items of a scope: `table` indexes `ExprScope.tables`.
struct ColumnSlot: Hashable {
    var table: Int
    var key: ColumnKey
}

/// Where the values of the current row come from while an expression is compiled.
enum RowSource {
    /// Each table's cursor is on its row.
    case cursor
    /// The row is in registers, as SQLite's regNewData: the rowid at `rowid`, column i at
    /// `firstColumn + i` (INSERT and UPDATE's new row, CHECK constraints). Only for a scope of
    /// one table.
    case registers(rowid: Int32, firstColumn: Int32)
    /// The columns an aggregate query's output reads were copied to registers.
    case loaded([ColumnSlot: Int32])
    /// The columns are fields of the records of a sorter cursor (GROUP BY's sorted rows).
    case sorter(cursor: Int32, fields: [ColumnSlot: Int32])
}

/// A FROM item an expression's column names resolve against: a table, or a subquery, CTE or
/// view materialized into an ephemeral table (`derived`), whose columns are described by a
/// synthesized schema.
struct ScopeTable {
    let table: TableSchema
    /// The name a qualifier must match: the alias, or the table's name.
    let exposedName: String
    let cursor: Int32
    /// SQLITE_AFF_* of each column. A derived table's column has the affinity of its expression,
    /// which may be none (sqlite3SelectAddColumnTypeAndCollation).
    var affinities: [UInt8]
    /// Whether the rows come from an ephemeral table the query filled (no rowid of its own: a
    /// "rowid" of it reads NULL, as sqlite3's flattened or materialized subqueries give).
    var derived = false
    /// The affinity of a reference to the rowid: INTEGER, none for a derived table, and column
    /// 0's in RETURNING (see ReturningClause).
    var rowidAffinity = AffinityCode.integer
    /// The columns this item's USING or NATURAL join shares with the items on its left: an
    /// unqualified name of one of them means the left item's column, and `*` leaves them out.
    var usingColumns: [String] = []

    init(table: TableSchema, exposedName: String, cursor: Int32) {
        self.table = table
        self.exposedName = exposedName
        self.cursor = cursor
        affinities = table.columns.map { $0.affinity.code }
    }

    init(derived table: TableSchema, affinities: [UInt8], exposedName: String, cursor: Int32) {
        self.table = table
        self.exposedName = exposedName
        self.cursor = cursor
        self.affinities = affinities
        derived = true
        rowidAffinity = AffinityCode.none
    }

    var hasRowid: Bool { !table.withoutRowid }
}

/// The enclosing query's scope, for correlated subqueries. A class so that `ExprScope` can hold
/// it; `correlated` records that the subquery read a column of an enclosing query (so it cannot
/// be computed once).
final class OuterScope {
    let scope: ExprScope
    var correlated = false

    init(_ scope: ExprScope) {
        self.scope = scope
    }
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
    /// The FROM items in FROM order.
    var tables: [ScopeTable]
    var row: RowSource = .cursor
    /// excluded, NEW and OLD: reached only through their qualifier.
    var registerTables: [RegisterTable] = []
    /// Result-column aliases, which WHERE, GROUP BY, HAVING and ORDER BY may use when no column
    /// has the name (as sqlite3 allows).
    var aliases: [(name: String, expr: Expr)] = []
    /// Where aggregate calls are allowed, and once computed, the registers holding their results.
    var aggregates: AggregatePolicy = .forbidden(clause: nil)
    /// The query this one is a subquery of.
    var outer: OuterScope?

    init(table: ScopeTable?) {
        tables = table.map { [$0] } ?? []
    }

    init(tables: [ScopeTable], outer: OuterScope?) {
        self.tables = tables
        self.outer = outer
    }

    /// The first FROM item (the only one for single-table statements).
    var table: ScopeTable? { tables.first }
}

enum AggregatePolicy {
    /// Aggregates are errors here (WHERE; clause names GROUP BY for its own message).
    case forbidden(clause: String?)
    /// Aggregate calls read the registers of their results.
    case results([(call: Expr, register: Int32)])
}

/// A column reference resolved: `depth` enclosing queries out (0: this query's FROM).
struct ResolvedColumn: Hashable {
    var depth: Int
    var slot: ColumnSlot
}

/// What a column name resolved to.
enum ResolvedName {
    case column(ResolvedColumn)
    /// A result column's alias: its expression.
    case alias(Expr)
    /// A column of excluded, NEW or OLD.
    case register(RegisterColumn)
    /// An unresolved double-quoted name is a string, and a bare TRUE or FALSE a boolean.
    case constant(Value)
}

extension CodeGenerator {
    static let rowidNames = ["rowid", "oid", "_rowid_"]

    /// Resolves a column reference the way sqlite3's lookupName does: this query's FROM items,
    /// then the enclosing queries' outward; an alias or a constant only when nothing matched.
    func resolve(_ reference: ColumnReference, in scope: ExprScope) throws(DatabaseError) -> ResolvedName {
        let name = reference.column.value
        if let slot = Self.referencedSlot(reference) { return .column(ResolvedColumn(depth: 0, slot: slot)) }
        if let schemaName = reference.schema, !schemaName.value.sqlEquals("main") {
            throw DatabaseError(.SQLITE_ERROR, "no such column: \(Self.display(reference))")
        }
        var level = scope
        var depth = 0
        var crossed: [OuterScope] = []
        while true {
            if let slot = try resolveLocal(reference, level) {
                for outer in crossed { outer.correlated = true }
                return .column(ResolvedColumn(depth: depth, slot: slot))
            }
            // excluded, NEW and OLD: only after this query's FROM items fail, and only qualified
            // (resolve.c's pTriggerTab / pUpsert step, once per NameContext).
            if let register = resolveRegister(reference, level) {
                for outer in crossed { outer.correlated = true }
                return .register(register)
            }
            // Aliases are the innermost query's only (sqlite3 checks them per NameContext, but
            // only where the clause allows them; an enclosing query's aliases are not visible
            // to a subquery's FROM-level names).
            if depth == 0, reference.table == nil,
               let alias = level.aliases.first(where: { $0.name.sqlEquals(name) }) {
                return .alias(alias.expr)
            }
            guard let outer = level.outer else { break }
            crossed.append(outer)
            level = outer.scope
            depth += 1
        }
        if reference.table == nil {
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

    /// The column `reference` names among one query's FROM items, nil when none has it; sqlite3's
    /// "ambiguous column name" when two do and no USING joins them.
    private func resolveLocal(_ reference: ColumnReference, _ scope: ExprScope) throws(DatabaseError) -> ColumnSlot? {
        let name = reference.column.value
        var match: ColumnSlot?
        var count = 0
        var rowidCandidates: [Int] = []
        for (position, item) in scope.tables.enumerated() {
            if let qualifier = reference.table, !qualifier.value.sqlEquals(item.exposedName) { continue }
            if let index = item.table.column(named: name) {
                if count > 0, reference.table == nil, item.usingColumns.contains(where: { $0.sqlEquals(name) }) {
                    // An INNER or LEFT JOIN's USING column: the left-most table's is meant.
                    continue
                }
                count += 1
                if match == nil {
                    let key: ColumnKey = item.table.rowidAlias == index && !item.derived ? .rowid : .column(index)
                    match = ColumnSlot(table: position, key: key)
                }
            } else if count == 0, item.hasRowid {
                rowidCandidates.append(position)
            }
        }
        if count > 1 {
            throw DatabaseError(.SQLITE_ERROR, "ambiguous column name: \(Self.display(reference))")
        }
        if let match { return match }
        if rowidCandidates.count == 1, Self.rowidNames.contains(where: { $0.sqlEquals(name) }) {
            return ColumnSlot(table: rowidCandidates[0], key: .rowid)
        }
        return nil
    }

    /// The column of a register table (excluded, NEW, OLD) of one query's scope that a qualified
    /// `reference` names, nil when none does.
    private func resolveRegister(_ reference: ColumnReference, _ scope: ExprScope) -> RegisterColumn? {
        guard let qualifier = reference.table, reference.schema == nil else { return nil }
        // A trigger program's NEW and OLD reach every statement and subquery in it.
        let candidates = scope.registerTables.last(where: { $0.name.sqlEquals(qualifier.value) })
            ?? triggerFrames.last?.registerTables.last(where: { $0.name.sqlEquals(qualifier.value) })
        guard let registers = candidates else { return nil }
        let name = reference.column.value
        if let index = registers.table.column(named: name), index != registers.table.rowidAlias {
            return RegisterColumn(register: registers.firstColumn + Int32(index),
                                  column: registers.table.columns[index],
                                  keepsCollation: registers.keepsCollation)
        }
        let isRowidName = Self.rowidNames.contains(where: { $0.sqlEquals(name) })
        if registers.table.column(named: name) != nil || (isRowidName && !registers.table.withoutRowid) {
            return RegisterColumn(register: registers.rowid, column: nil, keepsCollation: registers.keepsCollation)
        }
        return nil
    }

    static func display(_ reference: ColumnReference) -> String {
        var parts: [String] = []
        if let schema = reference.schema { parts.append(schema.value) }
        if let table = reference.table { parts.append(table.value) }
        parts.append(reference.column.value)
        return parts.joined(separator: ".")
    }

    /// The scope `depth` enclosing queries out.
    func scope(_ scope: ExprScope, atDepth depth: Int) -> ExprScope {
        var level = scope
        for _ in 0..<depth {
            guard let outer = level.outer else { preconditionFailure("column resolved \(depth) queries out") }
            level = outer.scope
        }
        return level
    }

    /// The FROM item a resolved column belongs to.
    func scopeTable(_ column: ResolvedColumn, _ scope: ExprScope) -> ScopeTable {
        self.scope(scope, atDepth: column.depth).tables[column.slot.table]
    }

    /// Loads a resolved column of the current row (of its query) into `target`.
    func emitColumn(_ column: ResolvedColumn, _ scope: ExprScope, into target: Int32) {
        emitColumn(column.slot, self.scope(scope, atDepth: column.depth), into: target)
    }

    /// Loads column `slot` of the scope's current row into `target`.
    func emitColumn(_ slot: ColumnSlot, _ scope: ExprScope, into target: Int32) {
        switch scope.row {
        case .cursor:
            let item = scope.tables[slot.table]
            if let covering = coveringIndexes[item.cursor], !item.derived {
                guard let field = covering.fields[slot.key] else { preconditionFailure("column \(slot) is not in the covering index") }
                if field < 0 {
                    builder.emit(.idxRowid, covering.cursor, target)
                } else {
                    builder.emit(.column, covering.cursor, field, target)
                    if case .column(let index) = slot.key, item.table.columns[index].affinity == .real {
                        builder.emit(.realAffinity, target)
                    }
                }
            } else if item.derived {
                switch slot.key {
                case .rowid: builder.emit(.null, 0, target)
                case .column(let index): builder.emit(.column, item.cursor, Int32(index), target)
                }
            } else {
                emitTableColumn(item.table, cursor: item.cursor, slot.key, into: target)
            }
        case .registers(let rowid, let firstColumn):
            precondition(slot.table == 0, "a row in registers belongs to the only table")
            switch slot.key {
            case .rowid: builder.emit(.sCopy, rowid, target)
            case .column(let index):
                builder.emit(.sCopy, firstColumn + Int32(index), target)
                // A REAL column's value may still be an integer here (expr.c, iSelfTab columns).
                if scope.tables[slot.table].table.columns[index].affinity == .real { builder.emit(.realAffinity, target) }
            }
        case .loaded(let registers):
            guard let register = registers[slot] else { preconditionFailure("column \(slot) was not loaded") }
            builder.emit(.sCopy, register, target)
        case .sorter(let cursor, let fields):
            guard let field = fields[slot] else { preconditionFailure("column \(slot) is not in the sorter") }
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
