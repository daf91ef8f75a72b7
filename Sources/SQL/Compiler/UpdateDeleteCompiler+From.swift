import BTree
import Pager
import VM

/// The SET values of an UPDATE ... FROM, computed by the join: an ephemeral table keyed by the
/// target row's rowid, field `fields[key]` holding the new value of column `key`.
struct JoinedValues {
    let cursor: Int32
    let fields: [ColumnKey: Int32]
}

/// UPDATE ... FROM (update.c updateFromSelect): the target table joined with the FROM items as
/// `SELECT rowid, <SET values> FROM target, <FROM items> WHERE ...`, each row going into an
/// ephemeral table keyed by the rowid (SRT_Upfrom), so a target row that several rows of the
/// join match takes the values of the last; then each target row is updated once.
extension UpdateDeleteCompiler {
    func collectJoinedRows(_ statement: UpdateStatement, from: FromClause, table: TableSchema,
                           assignments: [ColumnKey: Expr]) throws(DatabaseError) -> JoinedValues {
        // select.c sameSrcAlias: the target's table under the target's alias (or both without).
        for source in [from.first] + from.joins.map(\.source) {
            guard case .table(let name, let alias, _) = source, name.schema == nil || name.schema!.value.sqlEquals("main"),
                  gen.schema.table(name.name.value)?.name.sqlEquals(table.name) == true else { continue }
            let same = switch (alias, statement.alias) {
            case (nil, nil): true
            case (let a?, let b?): a.value.sqlEquals(b.value)
            default: false
            }
            if same {
                throw DatabaseError(.SQLITE_ERROR,
                                    "target object/alias may not appear in FROM clause: \(statement.alias?.value ?? table.name)")
            }
        }
        let keys = assignments.keys.sorted { Self.order($0) < Self.order($1) }
        var fields: [ColumnKey: Int32] = [:]
        var columns: [ResultColumn] = [.expr(CodeGenerator.slotReference(ColumnSlot(table: 0, key: .rowid), name: "rowid"),
                                             alias: nil, span: .none)]
        for (position, key) in keys.enumerated() {
            fields[key] = Int32(position)
            columns.append(.expr(assignments[key]!, alias: nil, span: .none))
        }
        let target = TableSource.table(statement.table, alias: statement.alias, indexHint: statement.indexHint)
        let joins = [Join(op: .comma, source: from.first)] + from.joins
        let select = Select(first: .select(SelectClause(columns: columns, from: FromClause(first: target, joins: joins),
                                                        where: statement.where)))
        let cursor = gen.builder.allocateCursor()
        gen.builder.emit(.openEphemeral, cursor, Int32(keys.count))
        _ = try gen.compileQuery(select, outer: nil, destination: .upfrom(cursor))
        return JoinedValues(cursor: cursor, fields: fields)
    }

    private static func order(_ key: ColumnKey) -> Int {
        switch key {
        case .rowid: -1
        case .column(let index): index
        }
    }

}
