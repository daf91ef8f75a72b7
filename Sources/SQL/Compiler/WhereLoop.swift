import BTree
import Pager
import VM

/// One pass over the rows of a table that may satisfy a WHERE clause (SQLite's WhereLoop for a
/// single table): a full scan, a rowid lookup or range, or a search of an index on equality and
/// range terms of its leading columns. Every row the pass visits is still tested against the
/// whole WHERE clause, so a plan only needs to visit a superset of the matching rows.
struct WhereLoop {
    /// Where the body jumps to go on with the next row.
    let next: ProgramBuilder.Label
    /// Where the loop ends.
    let end: ProgramBuilder.Label
    fileprivate let advance: Advance

    /// The cursor the loop steps, if any: a LEFT JOIN's NULL row must end it too.
    var steppedCursor: Int32? {
        switch advance {
        case .cursor(let cursor, _), .backward(let cursor, _), .inList(let cursor, _, _, _, _): return cursor
        case .once: return nil
        }
    }

    fileprivate enum Advance {
        /// Next on the cursor, back to `top`.
        case cursor(Int32, top: Int32)
        /// Prev on the cursor, back to `top` (a scan in descending order).
        case backward(Int32, top: Int32)
        /// Next on the index cursor, back to `top`; past a value's entries, the IN list's next
        /// value (Next on `values`, back to `valuesTop`).
        case inList(Int32, top: Int32, values: Int32, valuesTop: Int32, valuesNext: ProgramBuilder.Label)
        /// A single-row lookup: nothing to advance.
        case once
    }
}

/// The access path the planner chose. `consumed`: the WHERE (or ON) terms the seeks and range
/// checks of the plan make exactly, which the loop body need not test again (wherecode.c
/// disableTerm); a BETWEEN is consumed only when both of its bounds are.
enum AccessPlan {
    case fullScan
    case rowidEquals(Expr, consumed: [Expr])
    /// `rowid IN (list)`: each distinct value looked up in turn, in order.
    case rowidIn([Expr])
    /// `rowid IN (SELECT ...)`: each distinct row of the query looked up in turn.
    case rowidInSelect(Select)
    case rowidRange(lower: (Expr, inclusive: Bool)?, upper: (Expr, inclusive: Bool)?, consumed: [Expr])
    /// Equality on the first `equals.count` columns of `index`, then optionally a range on the
    /// next one.
    /// `covering`: the index holds every column the query reads of the table, which is then
    /// never read.
    case index(IndexSchema, equals: [Expr], lower: (Expr, inclusive: Bool)?, upper: (Expr, inclusive: Bool)?,
               covering: Bool = false, consumed: [Expr] = [])

    /// The terms the loop makes exactly (see the type's comment).
    var consumed: [Expr] {
        switch self {
        case .rowidEquals(_, let consumed), .rowidRange(_, _, let consumed), .index(_, _, _, _, _, let consumed):
            return consumed
        case .fullScan, .rowidIn, .rowidInSelect:
            return []
        }
    }
}

extension CodeGenerator {
    /// Splits a WHERE clause on its ANDs.
    func conjuncts(_ expr: Expr?) -> [Expr] {
        guard let expr else { return [] }
        if case .binary(.and, let left, let right) = expr { return conjuncts(left) + conjuncts(right) }
        return [expr]
    }

    /// Whether `expr` reads nothing of the scope's first table (so it can be computed before the
    /// loop).
    func isIndependent(_ expr: Expr, _ scope: ExprScope) -> Bool {
        isIndependent(expr, scope, of: 0, available: [])
    }

    /// Whether `expr` can be computed when the FROM items in `available` are on their rows:
    /// it reads no other item of the query (in particular not item `table`), and nothing that
    /// changes from call to call.
    func isIndependent(_ expr: Expr, _ scope: ExprScope, of table: Int, available: Set<Int>) -> Bool {
        guard let references = tableReferences(expr, scope) else { return false }
        return !references.contains(table) && references.isSubset(of: available)
    }

    /// The FROM items of the scope's query `expr` reads (subqueries included, conservatively:
    /// any name in them that could be a column of an item counts), or nil when it calls an
    /// aggregate or a volatile function.
    func tableReferences(_ expr: Expr, _ scope: ExprScope) -> Set<Int>? {
        var references: Set<Int> = []
        var usable = true
        walk(expr) { (node: Expr) -> Bool in
            switch node {
            case .column(let reference):
                switch try? resolve(reference, in: scope) {
                case .column(let column)?:
                    if column.depth == 0 { references.insert(column.slot.table) }
                case .alias(let aliased)?:
                    // A result alias stands for its expression.
                    if let inner = tableReferences(aliased, scope.withoutAliases) {
                        references.formUnion(inner)
                    } else {
                        usable = false
                    }
                case .constant?, .register?:
                    // excluded./NEW./OLD. hold one value for the whole statement (or trigger run).
                    break
                case nil:
                    usable = false
                }
            case .function(let call):
                if isAggregateCall(call) { usable = false }
                if let definition = try? functionDefinition(call), definition.flags.contains(.volatile) { usable = false }
            case .exists(let select), .subquery(let select), .inSelect(_, _, let select):
                references.formUnion(subqueryReferences(select, scope))
            case .inTable, .raise:
                usable = false
            default: break
            }
            return usable
        }
        return usable ? references : nil
    }

    /// The items of `scope` that names inside `select` could refer to: names that no base
    /// table in the subquery's FROM clauses has (a subquery's own columns are not the
    /// enclosing query's), conservatively.
    private func subqueryReferences(_ select: Select, _ scope: ExprScope) -> Set<Int> {
        var references: Set<Int> = []
        var innerTables: [(exposed: String, table: TableSchema?)] = []
        for (name, alias, isCTE) in SubqueryNames.fromTables(in: select) {
            let table = isCTE || commonTable(named: name) != nil ? nil : schema.table(name)
            innerTables.append((alias ?? name, table))
        }
        for reference in SubqueryNames.columnReferences(in: select) {
            if let qualifier = reference.table {
                if innerTables.contains(where: { $0.exposed.sqlEquals(qualifier.value) }) { continue }
            } else if innerTables.contains(where: { $0.table?.column(named: reference.column.value) != nil }) {
                continue
            }
            for (position, item) in scope.tables.enumerated() {
                if let qualifier = reference.table, !qualifier.value.sqlEquals(item.exposedName) { continue }
                if item.table.column(named: reference.column.value) != nil
                    || Self.rowidNames.contains(where: { $0.sqlEquals(reference.column.value) }) {
                    references.insert(position)
                }
            }
        }
        return references
    }

    private static func isVector(_ expr: Expr) -> Bool {
        if case .vector = expr { return true }
        return false
    }

    /// The column a term's side names, if it is a plain column of FROM item `table`.
    private func columnKey(_ expr: Expr, _ scope: ExprScope, table: Int) -> ColumnKey? {
        guard case .column(let reference) = expr, case .column(let column)? = try? resolve(reference, in: scope),
              column.depth == 0, column.slot.table == table else { return nil }
        return column.slot.key
    }

    private struct Constraint {
        var key: ColumnKey
        var op: BinaryOperator
        var value: Expr
        var term: Expr
        /// The WHERE term this comparison is (or, for a BETWEEN, one of the two halves of).
        var origin: Expr
    }

    /// The terms a plan using the comparisons `used` makes exactly: each whole term, a BETWEEN
    /// only when both of its halves are used (disableTerm's parent/child count).
    private func consumedTerms(_ used: [Constraint]) -> [Expr] {
        var result: [Expr] = []
        for constraint in used where !result.contains(constraint.origin) {
            if case .between = constraint.origin {
                let halves = used.filter { $0.origin == constraint.origin }.map(\.term)
                guard halves.count == 2 else { continue }
            }
            result.append(constraint.origin)
        }
        return result
    }

    /// The terms `column op value` (either way round) with a value computable before the loop
    /// of item `table`.
    private func constraints(_ terms: [Expr], _ scope: ExprScope, table: Int, available: Set<Int>) -> [Constraint] {
        var result: [Constraint] = []
        // x BETWEEN a AND b constrains as x >= a and x <= b (the comparisons it is made of).
        let expanded = terms.flatMap { term -> [(Expr, origin: Expr)] in
            if case .between(false, let subject, let low, let high) = term {
                return [(.binary(.greaterEqual, subject, low), term), (.binary(.lessEqual, subject, high), term)]
            }
            return [(term, term)]
        }
        for (term, origin) in expanded {
            guard case .binary(let op, let left, let right) = term else { continue }
            let flipped: BinaryOperator
            switch op {
            case .equal: flipped = .equal
            case .less: flipped = .greater
            case .lessEqual: flipped = .greaterEqual
            case .greater: flipped = .less
            case .greaterEqual: flipped = .lessEqual
            default: continue
            }
            if let key = columnKey(left, scope, table: table), isIndependent(right, scope, of: table, available: available) {
                result.append(Constraint(key: key, op: op, value: right, term: term, origin: origin))
            } else if let key = columnKey(right, scope, table: table),
                      isIndependent(left, scope, of: table, available: available) {
                result.append(Constraint(key: key, op: flipped, value: left, term: term, origin: origin))
            }
        }
        return result
    }

    static func isInList(_ expr: Expr) -> Bool {
        if case .inList = expr { return true }
        return false
    }

    /// A term `column IN (values)` on `key` whose values are known before the loop and that an
    /// index column with `affinity` and `collation` can answer for each value.
    private func inListTerm(_ terms: [Expr], key: ColumnKey, affinity: UInt8, collation: Collation, _ scope: ExprScope,
                            table: Int, available: Set<Int>) -> Expr? {
        for term in terms {
            guard case .inList(false, let subject, let list) = term, !list.isEmpty, !Self.isVector(subject),
                  columnKey(subject, scope, table: table) == key,
                  list.allSatisfy({ isIndependent($0, scope, of: table, available: available) && !Self.isVector($0) })
            else { continue }
            let answerable = list.allSatisfy { value in
                let constraint = Constraint(key: key, op: .equal, value: value, term: .binary(.equal, subject, value),
                                            origin: term)
                return indexCanAnswer(constraint, affinity: affinity, collation: collation, scope)
            }
            if answerable { return term }
        }
        return nil
    }

    /// sqlite3IndexAffinityOk and the collation check: whether an index column with
    /// `affinity` and `collation` can answer `term`.
    private func indexCanAnswer(_ constraint: Constraint, affinity: UInt8, collation: Collation,
                                _ scope: ExprScope) -> Bool {
        guard case .binary(_, let left, let right) = constraint.term else { return false }
        let aff = comparisonAffinity(left, right, scope)
        let affinityOK: Bool
        if aff < AffinityCode.text {
            affinityOK = true
        } else if aff == AffinityCode.text {
            affinityOK = affinity == AffinityCode.text
        } else {
            affinityOK = affinity >= AffinityCode.numeric
        }
        return affinityOK && comparisonCollation(left, right, scope) == collation
    }

    /// Chooses how to visit the rows of the scope's only table for `terms`.
    func plan(_ terms: [Expr], _ scope: ExprScope, indexHint: IndexHint? = nil) throws(DatabaseError) -> AccessPlan {
        guard scope.table != nil else { return .fullScan }
        return try plan(terms, scope, table: 0, available: [], indexHint: indexHint)
    }

    /// Chooses how to visit the rows of FROM item `table` for `terms` when the items in
    /// `available` are on their rows.
    func plan(_ terms: [Expr], _ scope: ExprScope, table position: Int, available: Set<Int>,
              indexHint: IndexHint?, needed: Set<ColumnKey>? = nil) throws(DatabaseError) -> AccessPlan {
        let scopeTable = scope.tables[position]
        let table = scopeTable.table
        if case .indexedBy(let name) = indexHint, !table.indexes.contains(where: { $0.name.sqlEquals(name.value) }) {
            throw DatabaseError(.SQLITE_ERROR, "no such index: \(name.value)")
        }
        if case .notIndexed = indexHint { return .fullScan }
        if scopeTable.derived { return .fullScan }
        let found = constraints(terms, scope, table: position, available: available)
        if !table.withoutRowid, indexHint == nil {
            if let equal = found.first(where: { $0.key == .rowid && $0.op == .equal }) {
                // SeekRowid applies the comparison's numeric affinity and finds no row for NULL:
                // the lookup is the term (sqlite3 checks no affinity or collation for the rowid).
                return .rowidEquals(equal.value, consumed: consumedTerms([equal]))
            }
        }
        if !table.withoutRowid, indexHint == nil {
            for term in terms {
                guard case .inList(false, let subject, let list) = term, !list.isEmpty,
                      columnKey(subject, scope, table: position) == .rowid,
                      list.allSatisfy({ isIndependent($0, scope, of: position, available: available) && !Self.isVector($0) })
                else { continue }
                return .rowidIn(list)
            }
            for term in terms {
                guard case .inSelect(false, let subject, let select) = term, columnKey(subject, scope, table: position) == .rowid,
                      isIndependent(.exists(select), scope, of: position, available: available),
                      (try? describeQuery(select, outer: OuterScope(scope)))?.count == 1 else { continue }
                return .rowidInSelect(select)
            }
        }
        var best: (index: IndexSchema, equals: [Expr], lower: (Expr, inclusive: Bool)?, upper: (Expr, inclusive: Bool)?,
                   score: Int, consumed: [Expr])?
        for index in table.indexes where index.predicate == nil {
            if case .indexedBy(let name) = indexHint, !index.name.sqlEquals(name.value) { continue }
            // WITHOUT ROWID tables are scanned: their index entries end with the key, not a rowid.
            if table.withoutRowid { continue }
            var equals: [Expr] = []
            var lower: (Expr, inclusive: Bool)?
            var upper: (Expr, inclusive: Bool)?
            var used: [Constraint] = []
            var inTerms: [Expr] = []
            for indexColumn in index.columns {
                guard case .column(let column) = indexColumn.term else { break }
                let key: ColumnKey = table.rowidAlias == column ? .rowid : .column(column)
                let affinity = table.columns[column].affinity.code
                let usable = found.filter {
                    $0.key == key && indexCanAnswer($0, affinity: affinity, collation: indexColumn.collation, scope)
                }
                if let equal = usable.first(where: { $0.op == .equal }) {
                    // An IN expression compared with the column (`(x IN (1, 2)) = c`) is one
                    // value, not a list to search: a unary + (no affinity, no collation, the same
                    // value) keeps it from reading as the IN lists `equals` also holds.
                    equals.append(Self.isInList(equal.value) ? .unary(.plus, equal.value) : equal.value)
                    used.append(equal)
                    continue
                }
                // One IN list per search: each of its values is looked up in turn.
                if !equals.contains(where: Self.isInList),
                   let list = inListTerm(terms, key: key, affinity: affinity, collation: indexColumn.collation, scope,
                                         table: position, available: available) {
                    equals.append(list)
                    inTerms.append(list)
                    continue
                }
                if !indexColumn.descending {
                    if let l = usable.first(where: { $0.op == .greater || $0.op == .greaterEqual }) {
                        lower = (l.value, l.op == .greaterEqual)
                        used.append(l)
                    }
                    if let u = usable.first(where: { $0.op == .less || $0.op == .lessEqual }) {
                        upper = (u.value, u.op == .lessEqual)
                        used.append(u)
                    }
                }
                break
            }
            // Equal constraints prefer an index that holds every column the query needs.
            var score = (equals.count * 4 + (lower != nil ? 1 : 0) + (upper != nil ? 1 : 0)) * 2
            if score > 0, covers(index, table, needed) { score += 1 }
            let forced: Bool
            if case .indexedBy = indexHint { forced = true } else { forced = false }
            if (score > 0 || forced), score > (best?.score ?? (forced ? -1 : 0)) {
                best = (index, equals, lower, upper, score, consumedTerms(used) + inTerms)
            }
        }
        if let best {
            return .index(best.index, equals: best.equals, lower: best.lower, upper: best.upper,
                          covering: covers(best.index, table, needed), consumed: best.consumed)
        }
        if !table.withoutRowid, indexHint == nil {
            let lower = found.first { $0.key == .rowid && ($0.op == .greater || $0.op == .greaterEqual) }
            let upper = found.first { $0.key == .rowid && ($0.op == .less || $0.op == .lessEqual) }
            if lower != nil || upper != nil {
                // The seek and the end test compare numerically, as the terms do (sqlite3 checks
                // no affinity or collation for the rowid); the end test also leaves on NULL.
                return .rowidRange(lower: lower.map { ($0.value, $0.op == .greaterEqual) },
                                   upper: upper.map { ($0.value, $0.op == .lessEqual) },
                                   consumed: consumedTerms([lower, upper].compactMap { $0 }))
            }
        }
        // A scan of the narrowest index that holds every needed column reads fewer pages.
        if indexHint == nil, !table.withoutRowid {
            let covering = table.indexes.filter { $0.predicate == nil && covers($0, table, needed) }
            if let narrowest = covering.min(by: { $0.columns.count < $1.columns.count }) {
                return .index(narrowest, equals: [], lower: nil, upper: nil, covering: true, consumed: [])
            }
        }
        return .fullScan
    }

    /// Opens the table (cursor `scope.table.cursor`, already opened by the caller) loop for
    /// `plan`: positions on each candidate row in turn; the caller's body follows, then
    /// `endLoop`. Index searches open their index on `indexCursor`.
    func beginLoop(_ plan: AccessPlan, _ scope: ExprScope, indexCursor: Int32? = nil) throws(DatabaseError) -> WhereLoop {
        guard scope.table != nil else { preconditionFailure("a loop without a table") }
        return try beginLoop(plan, scope, table: 0, indexCursor: indexCursor, openIndex: true)
    }

    /// `beginLoop` for FROM item `position`; `openIndex` false when the caller opened the index
    /// cursor before the loops (an inner loop must not reopen it for every outer row).
    func beginLoop(_ plan: AccessPlan, _ scope: ExprScope, table position: Int, indexCursor: Int32?,
                   openIndex: Bool, reverse: Bool = false) throws(DatabaseError) -> WhereLoop {
        let table = scope.tables[position]
        let next = builder.makeLabel()
        let end = builder.makeLabel()
        let cursor = table.cursor
        if reverse {
            return try beginBackwardLoop(plan, scope, table: table, indexCursor: indexCursor, openIndex: openIndex,
                                         next: next, end: end)
        }
        switch plan {
        case .fullScan:
            builder.emit(.rewind, cursor, jumpTo: end)
            return WhereLoop(next: next, end: end, advance: .cursor(cursor, top: builder.currentAddress))
        case .rowidEquals(let value, _):
            let key = try compileExpr(value, scope.withoutRow)
            builder.emit(.seekRowid, cursor, jumpTo: end, key)
            return WhereLoop(next: next, end: end, advance: .once)
        case .rowidIn(let values):
            // The values go into an ephemeral index (sorted, duplicates merged), then each is
            // looked up.
            let valuesCursor = builder.allocateCursor()
            builder.emit(.openEphemeral, valuesCursor, 1, 0, .keyInfo(KeyDescription(binaryColumns: 1)))
            let value = builder.allocateRegisters()
            let record = builder.allocateRegisters()
            for expr in values {
                try compileExpr(expr, scope.withoutRow, into: value)
                // The rowid's INTEGER affinity first, as sqlite3CodeRhsOfIN applies the left
                // side's: '2' then sorts (and is looked up) as 2.
                builder.emit(.makeRecord, value, 1, record, .text("D"))
                builder.emit(.idxInsert, valuesCursor, record, value, .int32(1))
            }
            builder.emit(.rewind, valuesCursor, jumpTo: end)
            let top = builder.currentAddress
            builder.emit(.column, valuesCursor, 0, value)
            builder.emit(.seekRowid, cursor, jumpTo: next, value)
            return WhereLoop(next: next, end: end, advance: .cursor(valuesCursor, top: top))
        case .rowidInSelect(let select):
            // The query's rows go into an ephemeral index with the comparison's affinity (as
            // for x IN (SELECT ...)), then each is looked up.
            let valuesCursor = builder.allocateCursor()
            try fillInSet(select, scope, cursor: valuesCursor, subjectAffinity: AffinityCode.integer, collation: .binary)
            let value = builder.allocateRegisters()
            builder.emit(.rewind, valuesCursor, jumpTo: end)
            let top = builder.currentAddress
            builder.emit(.column, valuesCursor, 0, value)
            builder.emit(.seekRowid, cursor, jumpTo: next, value)
            return WhereLoop(next: next, end: end, advance: .cursor(valuesCursor, top: top))
        case .rowidRange(let lower, let upper, _):
            if let (value, inclusive) = lower {
                // A NULL start key finds no row (SeekGE/SeekGT jump), as the term is never true.
                let key = try compileTemp(value, scope.withoutRow)
                builder.emit(inclusive ? .seekGE : .seekGT, cursor, jumpTo: end, key)
            } else {
                builder.emit(.rewind, cursor, jumpTo: end)
            }
            // The end key is computed once, before the loop (wherecode.c memEndValue).
            let endKey = try upper.map { (bound) throws(DatabaseError) in try compileExpr(bound.0, scope.withoutRow) }
            let top = builder.currentAddress
            if let (_, inclusive) = upper, let endKey {
                emitRowidEndTest(cursor, endKey, leaveWhen: inclusive ? .gt : .ge, end: end)
            }
            return WhereLoop(next: next, end: end, advance: .cursor(cursor, top: top))
        case .index(let index, let equals, let lower, let upper, let covering, _):
            guard let indexCursor else { preconditionFailure("an index loop without its cursor") }
            if openIndex {
                builder.emit(.openRead, indexCursor, Int32(bitPattern: index.rootPage), 0, .keyInfo(keyDescription(index, table.table)))
            }
            let keyCount = equals.count + (lower != nil || upper != nil ? 1 : 0)
            let keys = builder.allocateRegisters(max(1, keyCount))
            var affinities: [UInt8] = []
            var inLoop: (cursor: Int32, top: Int32, next: ProgramBuilder.Label)?
            for (offset, value) in equals.enumerated() {
                if case .inList(_, _, let list) = value {
                    inLoop = try beginInListLoop(list, index.columns[offset], table: table, scope, key: keys + Int32(offset),
                                                 end: end)
                    affinities.append(AffinityCode.blob)  // applied as the values went in
                    continue
                }
                try compileExpr(value, scope.withoutRow, into: keys + Int32(offset))
                affinities.append(keyAffinity(value, index.columns[offset], table.table, scope))
            }
            // An equality with NULL is never true: no entry matches (codeAllEqualityTerms).
            for (offset, value) in equals.enumerated() where !CodeGenerator.isInList(value) && canBeNull(value) {
                builder.emit(.isNull, keys + Int32(offset), jumpTo: end)
            }
            // Past the last entry of a value's range: the IN list's next value, or the end.
            let exhausted = inLoop?.next ?? end
            let rangeColumn = equals.count < index.columns.count ? index.columns[equals.count] : nil
            let rangeKey = keys + Int32(equals.count)
            let eqCount = Int32(equals.count)
            // Without a lower bound, an upper bound on a column that may hold NULLs starts past
            // them: they sort first and match no range (wherecode.c bSeekPastNull).
            var seekPastNull = false
            if upper != nil, lower == nil, let rangeColumn, case .column(let position) = rangeColumn.term {
                seekPastNull = table.table.columns[position].notNull == nil
            }
            if let (value, inclusive) = lower, let rangeColumn {
                try compileExpr(value, scope.withoutRow, into: rangeKey)
                if canBeNull(value) { builder.emit(.isNull, rangeKey, jumpTo: exhausted) }
                emitKeyAffinity(keys, affinities + [keyAffinity(value, rangeColumn, table.table, scope)])
                builder.emit(inclusive ? .seekGE : .seekGT, indexCursor, jumpTo: exhausted, keys, .int32(eqCount + 1))
            } else if seekPastNull {
                builder.emit(.null, 0, rangeKey)
                emitKeyAffinity(keys, affinities)
                builder.emit(.seekGT, indexCursor, jumpTo: exhausted, keys, .int32(eqCount + 1))
            } else if eqCount > 0 {
                emitKeyAffinity(keys, affinities)
                builder.emit(.seekGE, indexCursor, jumpTo: exhausted, keys, .int32(eqCount))
            } else {
                builder.emit(.rewind, indexCursor, jumpTo: exhausted)
            }
            // The end key is computed once, before the loop; a NULL one ends the range at once.
            if let (value, _) = upper, let rangeColumn {
                try compileExpr(value, scope.withoutRow, into: rangeKey)
                if canBeNull(value) { builder.emit(.isNull, rangeKey, jumpTo: exhausted) }
                emitKeyAffinity(rangeKey, [keyAffinity(value, rangeColumn, table.table, scope)])
            }
            let top = builder.currentAddress
            if let (_, inclusive) = upper, rangeColumn != nil {
                builder.emit(inclusive ? .idxGT : .idxGE, indexCursor, jumpTo: exhausted, keys, .int32(eqCount + 1))
            } else if eqCount > 0 {
                builder.emit(.idxGT, indexCursor, jumpTo: exhausted, keys, .int32(eqCount))
            }
            emitIndexRow(index, table: table, indexCursor: indexCursor, covering: covering)
            if let inLoop {
                return WhereLoop(next: next, end: end, advance: .inList(indexCursor, top: top, values: inLoop.cursor,
                                                                         valuesTop: inLoop.top, valuesNext: inLoop.next))
            }
            return WhereLoop(next: next, end: end, advance: .cursor(indexCursor, top: top))
        }
    }

    /// The table's row for the index entry the index cursor is on: a covering index's entry
    /// stands in for it, otherwise the table cursor seeks it (deferred until a column is read).
    private func emitIndexRow(_ index: IndexSchema, table: ScopeTable, indexCursor: Int32, covering: Bool) {
        precondition(!table.table.withoutRowid, "an index search of a WITHOUT ROWID table")
        if covering {
            // The rowid is the entry's last field (IdxRowid), also for an INTEGER PRIMARY KEY
            // column the index names.
            var fields: [ColumnKey: Int32] = [.rowid: -1]
            for (offset, column) in index.columns.enumerated() {
                guard case .column(let position) = column.term, table.table.rowidAlias != position else { continue }
                fields[.column(position)] = Int32(offset)
            }
            coveringIndexes[table.cursor] = (indexCursor, fields)
        } else {
            builder.emit(.deferredSeek, indexCursor, 0, table.cursor)
        }
    }

    /// The values of an IN list in an ephemeral index (with the index column's collation, each
    /// with the affinity its comparison gives it, duplicates merged), and the loop over them: at
    /// each value `key` holds it. NULL matches nothing and is skipped.
    private func beginInListLoop(_ list: [Expr], _ column: IndexColumn, table: ScopeTable, _ scope: ExprScope,
                                 key: Int32, end: ProgramBuilder.Label) throws(DatabaseError)
        -> (cursor: Int32, top: Int32, next: ProgramBuilder.Label) {
        let values = builder.allocateCursor()
        let collation = column.collation == .binary ? nil : column.collation
        builder.emit(.openEphemeral, values, 1, 0, .keyInfo(KeyDescription(columns: [KeyDescription.Column(collation: collation)])))
        let value = builder.allocateRegisters()
        let record = builder.allocateRegisters()
        for expr in list {
            try compileExpr(expr, scope.withoutRow, into: value)
            let affinity = keyAffinity(expr, column, table.table, scope)
            builder.emit(.makeRecord, value, 1, record, .text(String(UnicodeScalar(affinity))))
            builder.emit(.idxInsert, values, record, value, .int32(1))
        }
        let next = builder.makeLabel()
        builder.emit(.rewind, values, jumpTo: end)
        let top = builder.currentAddress
        builder.emit(.column, values, 0, key)
        builder.emit(.isNull, key, jumpTo: next)
        return (values, top, next)
    }

    /// A table (whole or a rowid range), or a whole index, walked from its last entry to its first.
    private func beginBackwardLoop(_ plan: AccessPlan, _ scope: ExprScope, table: ScopeTable, indexCursor: Int32?,
                                   openIndex: Bool, next: ProgramBuilder.Label,
                                   end: ProgramBuilder.Label) throws(DatabaseError) -> WhereLoop {
        switch plan {
        case .fullScan:
            builder.emit(.last, table.cursor, jumpTo: end)
            return WhereLoop(next: next, end: end, advance: .backward(table.cursor, top: builder.currentAddress))
        case .rowidRange(let lower, let upper, _):
            if let (value, inclusive) = upper {
                let key = try compileTemp(value, scope.withoutRow)
                builder.emit(inclusive ? .seekLE : .seekLT, table.cursor, jumpTo: end, key)
            } else {
                builder.emit(.last, table.cursor, jumpTo: end)
            }
            let endKey = try lower.map { (bound) throws(DatabaseError) in try compileExpr(bound.0, scope.withoutRow) }
            let top = builder.currentAddress
            if let (_, inclusive) = lower, let endKey {
                emitRowidEndTest(table.cursor, endKey, leaveWhen: inclusive ? .lt : .le, end: end)
            }
            return WhereLoop(next: next, end: end, advance: .backward(table.cursor, top: top))
        case .index(let index, let equals, let lower, let upper, let covering, _):
            precondition(equals.isEmpty && lower == nil && upper == nil, "a backward walk of part of an index")
            guard let indexCursor else { preconditionFailure("an index loop without its cursor") }
            if openIndex {
                builder.emit(.openRead, indexCursor, Int32(bitPattern: index.rootPage), 0, .keyInfo(keyDescription(index, table.table)))
            }
            builder.emit(.last, indexCursor, jumpTo: end)
            let top = builder.currentAddress
            emitIndexRow(index, table: table, indexCursor: indexCursor, covering: covering)
            return WhereLoop(next: next, end: end, advance: .backward(indexCursor, top: top))
        default:
            preconditionFailure("a backward walk of \(plan)")
        }
    }

    /// Leaves a rowid range at its end: when the rowid compares past `key` numerically, or when
    /// the key is NULL (the range term is then never true).
    private func emitRowidEndTest(_ cursor: Int32, _ key: Int32, leaveWhen opcode: Opcode, end: ProgramBuilder.Label) {
        let rowid = builder.allocateRegisters()
        builder.emit(.rowid, cursor, rowid)
        builder.emit(opcode, key, jumpTo: end, rowid, .none, UInt16(AffinityCode.numeric) | CompareFlag.jumpIfNull)
    }

    /// sqlite3ExprCanBeNull, conservatively: only a non-NULL literal (possibly negated) is
    /// known never to be NULL.
    func canBeNull(_ expr: Expr) -> Bool {
        switch expr {
        case .unary(.negate, let operand), .unary(.plus, let operand): return canBeNull(operand)
        case .literal(.integer), .literal(.real), .literal(.string), .literal(.blob): return false
        default: return true
        }
    }

    /// Whether `index` holds every column in `needed` (the rowid is in every entry).
    func covers(_ index: IndexSchema, _ table: TableSchema, _ needed: Set<ColumnKey>?) -> Bool {
        guard let needed, !table.withoutRowid else { return false }
        for key in needed {
            guard case .column(let column) = key else { continue }
            if !index.columns.contains(where: { $0.term == .column(column) }) { return false }
        }
        return true
    }

    func endLoop(_ loop: WhereLoop) {
        builder.resolve(loop.next)
        switch loop.advance {
        case .cursor(let cursor, let top): builder.emit(.next, cursor, top)
        case .backward(let cursor, let top): builder.emit(.prev, cursor, top)
        case .inList(let cursor, let top, let values, let valuesTop, let valuesNext):
            builder.emit(.next, cursor, top)
            builder.resolve(valuesNext)
            builder.emit(.next, values, valuesTop)
        case .once: break
        }
        builder.resolve(loop.end)
    }

    /// The KeyInfo of an index's entries: its columns, then the rowid.
    func keyDescription(_ index: IndexSchema, _ table: TableSchema) -> KeyDescription {
        var columns = index.columns.map { KeyDescription.Column(collation: $0.collation == .binary ? nil : $0.collation, descending: $0.descending) }
        if !table.withoutRowid { columns.append(KeyDescription.Column()) }
        return KeyDescription(columns: columns)
    }

    /// The affinity a search key for an index column gets: the column's, unless the comparison
    /// would not apply it (codeAllEqualityTerms).
    private func keyAffinity(_ value: Expr, _ column: IndexColumn, _ table: TableSchema, _ scope: ExprScope) -> UInt8 {
        guard case .column(let index) = column.term else { return AffinityCode.blob }
        let columnAffinity = table.columns[index].affinity.code
        let valueAffinity = exprAffinity(value, scope)
        let combined: UInt8
        if valueAffinity > AffinityCode.none {
            combined = valueAffinity >= AffinityCode.numeric || columnAffinity >= AffinityCode.numeric ? AffinityCode.numeric : AffinityCode.blob
        } else {
            combined = columnAffinity
        }
        if combined == AffinityCode.blob || Self.needsNoAffinityChange(value, columnAffinity) { return AffinityCode.blob }
        return columnAffinity
    }

    /// sqlite3ExprNeedsNoAffinityChange: a literal that `affinity` would leave as it is.
    private static func needsNoAffinityChange(_ value: Expr, _ affinity: UInt8) -> Bool {
        if affinity == AffinityCode.blob { return true }
        var expr = value
        var negated = false
        while true {
            if case .unary(.negate, let operand) = expr { negated = true; expr = operand; continue }
            if case .unary(.plus, let operand) = expr { expr = operand; continue }
            break
        }
        switch expr {
        case .literal(.integer), .literal(.real): return affinity >= AffinityCode.numeric
        case .literal(.string): return !negated && affinity == AffinityCode.text
        case .literal(.blob): return !negated
        default: return false
        }
    }

    private func emitKeyAffinity(_ first: Int32, _ affinities: [UInt8]) {
        guard affinities.contains(where: { $0 != AffinityCode.blob }) else { return }
        builder.emit(.affinity, first, Int32(affinities.count), 0, .text(String(decoding: affinities, as: UTF8.self)))
    }
}

extension ExprScope {
    /// The scope for values computed before the loop: no current row.
    var withoutRow: ExprScope { self }
}
