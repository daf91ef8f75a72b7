import BTree
import Pager
import VM

/// Result columns: `*` and `t.*` expanded over the FROM items (leaving out the columns a USING
/// or NATURAL join coalesces, as sqlite3's selectExpander does), and each column's name and
/// declared type as sqlite3_column_name and sqlite3_column_decltype give them.
extension SelectCompiler {
    struct ExpandedColumn {
        var column: OutputColumn
        var source: ResultColumn
    }

    func resultColumns(_ scope: ExprScope) throws(DatabaseError) -> [ExpandedColumn] {
        var columns: [ExpandedColumn] = []
        for column in clause.columns {
            switch column {
            case .all:
                guard !scope.tables.isEmpty else { throw DatabaseError(.SQLITE_ERROR, "no tables specified") }
                for (position, item) in scope.tables.enumerated() {
                    for index in item.table.columns.indices {
                        let name = item.table.columns[index].name
                        if position > 0, item.usingColumns.contains(where: { $0.sqlEquals(name) }) { continue }
                        columns.append(expanded(item, position, index, source: column))
                    }
                }
            case .allFrom(let name):
                let matching = scope.tables.indices.filter { scope.tables[$0].exposedName.sqlEquals(name.value) }
                guard !matching.isEmpty else { throw DatabaseError(.SQLITE_ERROR, "no such table: \(name.value)") }
                for position in matching {
                    let item = scope.tables[position]
                    for index in item.table.columns.indices {
                        columns.append(expanded(item, position, index, source: column))
                    }
                }
            case .expr(let expr, let alias, let span):
                var name = alias?.value ?? gen.sourceText(span)
                var declaredType: String?
                if case .column(let reference) = expr, case .column(let resolved)? = try? gen.resolve(reference, in: scope) {
                    let item = gen.scopeTable(resolved, scope)
                    switch resolved.slot.key {
                    case .column(let index):
                        if alias == nil { name = item.table.columns[index].name }
                        declaredType = item.table.columns[index].declaredType
                    case .rowid:
                        if let aliasColumn = item.table.rowidAlias {
                            if alias == nil { name = item.table.columns[aliasColumn].name }
                            declaredType = item.table.columns[aliasColumn].declaredType
                        } else if alias == nil {
                            name = reference.column.value
                        }
                    }
                }
                columns.append(ExpandedColumn(column: OutputColumn(expr: expr, name: name, declaredType: declaredType),
                                              source: column))
            }
        }
        return columns
    }

    private func expanded(_ item: ScopeTable, _ position: Int, _ index: Int, source: ResultColumn) -> ExpandedColumn {
        let schemaColumn = item.table.columns[index]
        let key: ColumnKey = item.table.rowidAlias == index && !item.derived ? .rowid : .column(index)
        let expr = CodeGenerator.slotReference(ColumnSlot(table: position, key: key), name: schemaColumn.name)
        return ExpandedColumn(column: OutputColumn(expr: expr, name: schemaColumn.name, declaredType: schemaColumn.declaredType),
                              source: source)
    }
}

extension CodeGenerator {
    /// The marker schema name of a reference to a FROM item by position (what `*` expands to:
    /// two items may share a name, and a USING column must read its own item's value).
    private static let slotMarker: Character = "\u{1}"

    /// A column reference that resolves to `slot` of the query it was made for, whatever the
    /// names of the FROM items.
    static func slotReference(_ slot: ColumnSlot, name: String) -> Expr {
        let key: String
        switch slot.key {
        case .rowid: key = "r"
        case .column(let index): key = "c\(index)"
        }
        return .column(ColumnReference(schema: Name("\(slotMarker)\(slot.table):\(key)"), column: Name(name)))
    }

    /// The slot a reference made by `slotReference` names, nil for any other reference.
    static func referencedSlot(_ reference: ColumnReference) -> ColumnSlot? {
        guard let schema = reference.schema?.value, schema.first == slotMarker else { return nil }
        let parts = schema.dropFirst().split(separator: ":")
        guard parts.count == 2, let table = Int(parts[0]) else { return nil }
        if parts[1] == "r" { return ColumnSlot(table: table, key: .rowid) }
        guard let column = Int(parts[1].dropFirst()) else { return nil }
        return ColumnSlot(table: table, key: .column(column))
    }
}
