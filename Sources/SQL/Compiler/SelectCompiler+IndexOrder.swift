import BTree
import Pager
import VM

/// A scan of the only FROM item whose rows come in ORDER BY's order, so no sorter is needed
/// (where.c wherePathSatisfiesOrderBy, for one table): the rowid order of a table scan, rowid
/// range or rowid lookup, or the order of an index whose columns (after those WHERE fixes by equality) are the
/// ORDER BY terms with their collations. A descending ORDER BY walks a table, a rowid range or a
/// whole index backwards. Without statistics sqlite3 prefers such a scan to sorting, unless an equality
/// constraint picks another index, and so does this.
struct OrderedScan {
    let plan: AccessPlan
    /// Walk backwards (Last, Prev).
    let reverse: Bool
}

extension SelectCompiler {
    func orderedScan(_ sortKeys: [SortKey], _ scope: ExprScope) throws(DatabaseError) -> OrderedScan? {
        guard from.count == 1, from[0].stream == nil, from[0].derived == nil, !sortKeys.isEmpty else { return nil }
        let item = scope.tables[0]
        guard !item.derived, !item.table.withoutRowid else { return nil }
        guard let keys = scanKeys(sortKeys.map(\.expr), scope) else { return nil }
        let descending = sortKeys[0].descending
        guard sortKeys.allSatisfy({ $0.descending == descending }) else { return nil }
        let terms = gen.conjuncts(clause.where)
        let needed = neededColumns(scope).map { $0[0] ?? [] }
        let hint = from[0].indexHint
        let natural = try gen.plan(terms, scope, table: 0, available: [], indexHint: hint, needed: needed)
        if let reverse = delivers(natural, keys, descending, item.table) { return OrderedScan(plan: natural, reverse: reverse) }
        switch natural {
        case .rowidIn, .rowidInSelect: return nil
        case .index(_, let equals, _, _, _, _) where !equals.isEmpty: return nil
        default: break
        }
        if case .indexedBy = hint { return nil }
        if keys.count == 1, keys[0].key == .rowid { return OrderedScan(plan: .fullScan, reverse: descending) }
        if case .notIndexed = hint { return nil }
        for index in item.table.indexes where index.predicate == nil {
            var forced = try gen.plan(terms, scope, table: 0, available: [], indexHint: .indexedBy(Name(index.name)),
                                      needed: needed)
            if descending, case .index(let index, _, _, _, let covering, _) = forced {
                // Backwards only over the whole index.
                forced = .index(index, equals: [], lower: nil, upper: nil, covering: covering)
            }
            if let reverse = delivers(forced, keys, descending, item.table) { return OrderedScan(plan: forced, reverse: reverse) }
        }
        return nil
    }

    /// A scan that brings the rows of each group of `keys` together: in the keys' order, or in
    /// that of an index whose leading columns are the keys in another order (grouping does not
    /// care, and sqlite3 then outputs the groups in the index's order). Also the keys in the
    /// scan's order.
    func groupScan(_ keys: [Expr], _ scope: ExprScope,
                   descending: Bool) throws(DatabaseError) -> (scan: OrderedScan, order: [Expr])? {
        if let scan = try orderedScan(keys.map { SortKey(expr: $0, descending: descending) }, scope) { return (scan, keys) }
        guard keys.count > 1, from.count == 1, let resolved = scanKeys(keys, scope) else { return nil }
        let table = scope.tables[0].table
        for index in table.indexes where index.predicate == nil && index.columns.count >= keys.count {
            var order: [Expr] = []
            var used: Set<Int> = []
            for column in index.columns.prefix(keys.count) {
                guard case .column(let c) = column.term else { break }
                let key: ColumnKey = table.rowidAlias == c ? .rowid : .column(c)
                guard let position = resolved.indices.first(where: { !used.contains($0) && resolved[$0].key == key
                          && (key == .rowid || resolved[$0].collation == column.collation) }) else { break }
                used.insert(position)
                order.append(keys[position])
            }
            guard order.count == keys.count else { continue }
            if let scan = try orderedScan(order.map { SortKey(expr: $0, descending: descending) }, scope) {
                return (scan, order)
            }
        }
        return nil
    }

    /// The column of the only FROM item each expression reads, with the collation it is compared
    /// with; nil unless every expression is such a column.
    func scanKeys(_ exprs: [Expr], _ scope: ExprScope) -> [(key: ColumnKey, collation: Collation)]? {
        var keys: [(key: ColumnKey, collation: Collation)] = []
        for original in exprs {
            var expr = original
            while case .collate(let inner, _) = expr { expr = inner }
            guard case .column(let reference) = expr, case .column(let column)? = try? gen.resolve(reference, in: scope),
                  column.depth == 0, column.slot.table == 0 else { return nil }
            keys.append((column.slot.key, gen.exprCollation(original, scope) ?? .binary))
        }
        return keys
    }

    /// Whether `plan` yields its rows in the order of `keys` (nil: it does not), and whether it
    /// must walk backwards for that.
    private func delivers(_ plan: AccessPlan, _ keys: [(key: ColumnKey, collation: Collation)], _ descending: Bool,
                          _ table: TableSchema) -> Bool? {
        let rowidOnly = keys.count == 1 && keys[0].key == .rowid
        switch plan {
        case .rowidEquals:
            return false
        case .fullScan:
            return rowidOnly ? descending : nil
        case .rowidRange:
            return rowidOnly ? descending : nil
        case .rowidIn, .rowidInSelect:
            return rowidOnly && !descending ? false : nil
        case .index(let index, let equals, let lower, let upper, _, _):
            // An IN list's values are looked up one after another: that column is not fixed.
            if equals.contains(where: CodeGenerator.isInList) { return nil }
            if index.unique && equals.count == index.columns.count { return false }
            if descending && (!equals.isEmpty || lower != nil || upper != nil) { return nil }
            var position = equals.count
            for key in keys {
                if position < index.columns.count {
                    let column = index.columns[position]
                    guard case .column(let c) = column.term, !column.descending,
                          key.key == (table.rowidAlias == c ? .rowid : .column(c)),
                          key.key == .rowid || key.collation == column.collation else { return nil }
                } else if position > index.columns.count || key.key != .rowid {
                    return nil
                }
                position += 1
            }
            return descending
        }
    }
}
