import BTree
import Pager
import VM

/// The nested loops of a query's FROM items (where.c sqlite3WhereBegin / sqlite3WhereEnd): one
/// loop per item in the planner's order, each WHERE term tested in the innermost loop that has
/// every item it reads on its row. A LEFT JOIN item's loop records whether any of its rows
/// matched the ON terms; when none did, the loop's body runs once more with the item on a row of
/// NULLs (NullRow), as sqlite3 does by jumping back to the instruction after the ON tests.
extension SelectCompiler {
    /// Runs `body` for each combination of rows that passes WHERE (once without FROM); `body`
    /// is given the label that goes on with the next combination.
    func forEachRow(_ scope: ExprScope, ordered: OrderedScan? = nil,
                    _ body: (ProgramBuilder.Label) throws(DatabaseError) -> Void) throws(DatabaseError) {
        guard !from.isEmpty else {
            gen.explain("SCAN CONSTANT ROW")
            let skip = gen.builder.makeLabel()
            if let condition = clause.where { try gen.jumpIfFalse(condition, scope, to: skip, jumpIfNull: true) }
            try body(skip)
            gen.builder.resolve(skip)
            return
        }
        if let stream = from[0].stream {
            // The only item is a recursive CTE's coroutine: each Yield brings its next row.
            precondition(from.count == 1, "a streamed CTE is the only FROM item")
            let next = gen.builder.makeLabel()
            let end = gen.builder.makeLabel()
            gen.explain("SCAN \(from[0].item.exposedName)")
            gen.builder.emit(.initCoroutine, stream.register, 0, stream.entry)
            let top = gen.builder.emit(.yield, stream.register, jumpTo: end)
            if let condition = clause.where { try gen.jumpIfFalse(condition, scope, to: next, jumpIfNull: true) }
            try body(next)
            gen.builder.resolve(next)
            gen.builder.emit(.goto, 0, top)
            gen.builder.resolve(end)
            return
        }
        var levels = try gen.planJoin(from, where: clause.where, scope, needed: neededColumns(scope))
        if let ordered {
            precondition(levels.count == 1, "an ordered scan of a join")
            levels[0].plan = ordered.plan
            levels[0].reverse = ordered.reverse
            if case .index = ordered.plan, levels[0].indexCursor == nil { levels[0].indexCursor = gen.builder.allocateCursor() }
        }
        // Each loop's table, unless an index covers it (sqlite3 never opens it then), then its
        // index, in loop order as sqlite3WhereBegin opens them.
        for level in levels {
            var covered = false
            if case .index(_, _, _, _, let covering, _) = level.plan { covered = covering }
            if isBaseTable(level.table), !covered { gen.openForReading(scope.tables[level.table]) }
            guard case .index(let index, _, _, _, _, _) = level.plan, let indexCursor = level.indexCursor else { continue }
            let table = scope.tables[level.table].table
            gen.builder.emit(.openRead, indexCursor, Int32(bitPattern: index.rootPage), 0,
                             .keyInfo(gen.keyDescription(index, table)))
        }
        var loops: [(loop: WhereLoop, match: Int32?, firstMatched: Int32)] = []
        for level in levels {
            var match: Int32?
            if level.isLeft {
                let register = gen.builder.allocateRegisters()
                gen.builder.emit(.integer, 0, register)
                match = register
            }
            gen.explain(CodeGenerator.explainDetail(level.plan, scope.tables[level.table], isLeft: level.isLeft))
            let loop = try gen.beginLoop(level.plan, scope, table: level.table, indexCursor: level.indexCursor,
                                         openIndex: false, reverse: level.reverse)
            // The terms the loop's seeks make need no test (disableTerm); but a LEFT JOIN item's
            // WHERE terms are tested on its row of NULLs too, so only its ON terms are skipped.
            var consumed = level.plan.consumed
            for term in level.onTerms {
                if let found = consumed.firstIndex(of: term) { consumed.remove(at: found); continue }
                try gen.jumpIfFalse(term, scope, to: loop.next, jumpIfNull: true)
            }
            var firstMatched = gen.builder.currentAddress
            if let match { firstMatched = gen.builder.emit(.integer, 1, match) }
            for term in level.terms {
                if !level.isLeft, let found = consumed.firstIndex(of: term) { consumed.remove(at: found); continue }
                try gen.jumpIfFalse(term, scope, to: loop.next, jumpIfNull: true)
            }
            loops.append((loop, match, firstMatched))
        }
        try body(loops[loops.count - 1].loop.next)
        for (level, entry) in zip(levels, loops).reversed() {
            gen.endLoop(entry.loop)
            guard let match = entry.match else { continue }
            // No row matched: once more with the item's row all NULLs.
            let matched = gen.builder.emit(.ifPos, match, 0)
            let item = scope.tables[level.table]
            gen.builder.emit(.nullRow, item.cursor)
            if let stepped = entry.loop.steppedCursor, stepped != item.cursor { gen.builder.emit(.nullRow, stepped) }
            gen.builder.emit(.goto, 0, entry.firstMatched)
            gen.builder.jumpHere(matched)
        }
    }

    /// The columns the core reads of each FROM item (for covering indexes), nil when that is
    /// not certain (a name that does not resolve).
    func neededColumns(_ scope: ExprScope) -> [Int: Set<ColumnKey>]? {
        var needed: [Int: Set<ColumnKey>] = [:]
        var certain = true
        func add(_ expr: Expr, _ scope: ExprScope) {
            gen.walk(expr) { (node: Expr) -> Bool in
                switch node {
                case .column(let reference):
                    switch try? gen.resolve(reference, in: scope) {
                    case .column(let column)?:
                        if column.depth == 0 { needed[column.slot.table, default: []].insert(column.slot.key) }
                    case .alias(let aliased)?: add(aliased, scope.withoutAliases)
                    // excluded., NEW. and OLD. values are in registers, not in any FROM item.
                    case .constant?, .register?: break
                    case nil: certain = false
                    }
                case .exists(let select), .subquery(let select), .inSelect(_, _, let select):
                    for reference in SubqueryNames.columnReferences(in: select) {
                        if case .column(let column)? = try? gen.resolve(reference, in: scope), column.depth == 0 {
                            needed[column.slot.table, default: []].insert(column.slot.key)
                        }
                    }
                default: break
                }
                return certain
            }
        }
        for column in clause.columns {
            switch column {
            case .all:
                for (position, item) in scope.tables.enumerated() {
                    for index in item.table.columns.indices {
                        needed[position, default: []].insert(item.table.rowidAlias == index && !item.derived ? .rowid : .column(index))
                    }
                }
            case .allFrom(let name):
                for (position, item) in scope.tables.enumerated() where item.exposedName.sqlEquals(name.value) {
                    for index in item.table.columns.indices {
                        needed[position, default: []].insert(item.table.rowidAlias == index && !item.derived ? .rowid : .column(index))
                    }
                }
            case .expr(let expr, _, _):
                add(expr, scope.withoutAliases)
            }
        }
        var withAliases = scope
        withAliases.aliases = clause.columns.compactMap { column in
            if case .expr(let expr, let alias?, _) = column { return (alias.value, expr) }
            return nil
        }
        for expr in [clause.where, clause.having].compactMap({ $0 }) + clause.groupBy + orderBy.map(\.expr) {
            add(expr, withAliases)
        }
        for term in from { for on in term.on { add(on, scope) } }
        return certain ? needed : nil
    }
}
