import BTree
import Pager
import VM

/// One loop of a join: the FROM item it visits, how, and the terms tested once it is on a row.
struct JoinLevel {
    var table: Int
    var plan: AccessPlan
    var indexCursor: Int32?
    /// A LEFT JOIN item: `onTerms` decide whether its row matches.
    var isLeft: Bool
    var onTerms: [Expr]
    /// WHERE terms (and inner joins' ON terms) whose items are all on their rows at this level.
    var terms: [Expr]
    /// Walk the rows backwards (an ORDER BY ... DESC the scan satisfies).
    var reverse = false
}

/// Chooses the loop order of a join and the access path of each loop (where.c's
/// wherePathSolver, simplified): LEFT and CROSS JOIN items keep their place; the items between
/// them are ordered to make the estimated cost least, with the same estimates for every table
/// (sqlite3 assumes a million rows without ANALYZE), so an item an equality lookup can reach
/// goes inside. Ties keep the FROM order.
extension CodeGenerator {
    func planJoin(_ from: [FromTerm], where condition: Expr?, _ scope: ExprScope,
                  needed: [Int: Set<ColumnKey>]? = nil) throws(DatabaseError) -> [JoinLevel] {
        // Which items each term reads.
        var whereTerms: [(expr: Expr, refs: Set<Int>)] = []
        for term in conjuncts(condition) {
            whereTerms.append((term, tableReferences(term, scope) ?? Set(from.indices)))
        }
        var leftOn: [Int: [(expr: Expr, refs: Set<Int>)]] = [:]
        for (position, term) in from.enumerated() {
            for on in term.on {
                let refs = tableReferences(on, scope) ?? Set(0...position)
                if refs.contains(where: { $0 > position }) {
                    throw DatabaseError(.SQLITE_ERROR, "ON clause references tables to its right")
                }
                if term.isLeft {
                    leftOn[position, default: []].append((on, refs.union([position])))
                } else {
                    whereTerms.append((on, refs))
                }
            }
        }
        let order = try loopOrder(from, terms: whereTerms + leftOn.values.flatMap { $0 }, scope, needed: needed)
        var levels: [JoinLevel] = []
        var available: Set<Int> = []
        for table in order {
            let usable = whereTerms.filter { $0.refs.contains(table) && $0.refs.isSubset(of: available.union([table])) }.map(\.expr)
                + (leftOn[table] ?? []).map(\.expr)
            let plan = try self.plan(usable, scope, table: table, available: available, indexHint: from[table].indexHint,
                                     needed: needed.map { $0[table] ?? [] })
            var indexCursor: Int32?
            if case .index = plan { indexCursor = builder.allocateCursor() }
            levels.append(JoinLevel(table: table, plan: plan, indexCursor: indexCursor, isLeft: from[table].isLeft,
                                    onTerms: (leftOn[table] ?? []).map(\.expr), terms: []))
            available.insert(table)
        }
        // Each WHERE term goes to the first level where every item it reads is on its row
        // (terms that read none, to the first level).
        for term in whereTerms {
            let level = levels.lastIndex { term.refs.contains($0.table) } ?? 0
            levels[level].terms.append(term.expr)
        }
        return levels
    }

    /// The loop order: FROM order across LEFT and CROSS joins, the cheapest order within the
    /// runs of items between them.
    private func loopOrder(_ from: [FromTerm], terms: [(expr: Expr, refs: Set<Int>)], _ scope: ExprScope,
                           needed: [Int: Set<ColumnKey>]?) throws(DatabaseError) -> [Int] {
        var order: [Int] = []
        var segment: [Int] = []
        for position in from.indices {
            if from[position].fixedOrder, !segment.isEmpty {
                order += try cheapestOrder(segment, after: order, from, terms, scope, needed)
                segment = []
            }
            segment.append(position)
        }
        order += try cheapestOrder(segment, after: order, from, terms, scope, needed)
        return order
    }

    /// The order of `items` (after the items `before`) with the least estimated cost: dynamic
    /// programming over subsets for up to 12 items, greedy beyond.
    private func cheapestOrder(_ items: [Int], after before: [Int], _ from: [FromTerm], _ terms: [(expr: Expr, refs: Set<Int>)],
                               _ scope: ExprScope, _ needed: [Int: Set<ColumnKey>]?) throws(DatabaseError) -> [Int] {
        guard items.count > 1 else { return items }
        let base = Set(before)
        // A loop's plan depends only on which terms can constrain it: planned once per set.
        var memo: [[Int]: (rows: Double, cost: Double)] = [:]
        func step(_ table: Int, _ available: Set<Int>) throws(DatabaseError) -> (rows: Double, cost: Double) {
            // Only the terms that can constrain this item now: the planner then has little to read.
            let usable = terms.indices.filter {
                terms[$0].refs.contains(table) && terms[$0].refs.isSubset(of: available.union([table]))
            }
            if let known = memo[[table] + usable] { return known }
            let plan = try self.plan(usable.map { terms[$0].expr }, scope, table: table, available: available,
                                     indexHint: from[table].indexHint, needed: needed.map { $0[table] ?? [] })
            let estimate = Self.estimate(plan, from[table].item)
            memo[[table] + usable] = estimate
            return estimate
        }
        if items.count > 12 {
            var remaining = items
            var chosen: [Int] = []
            var available = base
            while !remaining.isEmpty {
                var best: (index: Int, cost: Double)?
                for (index, table) in remaining.enumerated() {
                    let cost = try step(table, available).cost
                    if best == nil || cost < best!.cost { best = (index, cost) }
                }
                let table = remaining.remove(at: best!.index)
                chosen.append(table)
                available.insert(table)
            }
            return chosen
        }
        // best[mask]: the cheapest order of the items in mask, its cost and the rows it yields.
        let count = items.count
        var best = [(cost: Double, rows: Double, order: [Int])?](repeating: nil, count: 1 << count)
        best[0] = (0, 1, [])
        for mask in 0..<(1 << count) {
            guard let current = best[mask] else { continue }
            var available = base
            for bit in 0..<count where mask & (1 << bit) != 0 { available.insert(items[bit]) }
            for bit in 0..<count where mask & (1 << bit) == 0 {
                let estimate = try step(items[bit], available)
                let cost = current.cost + current.rows * estimate.cost
                let rows = current.rows * estimate.rows
                let next = mask | (1 << bit)
                // Strictly cheaper only, and a small margin: equal estimates keep FROM order.
                if best[next] == nil || cost < best[next]!.cost * 0.999 {
                    best[next] = (cost, rows, current.order + [items[bit]])
                }
            }
        }
        return best[(1 << count) - 1]!.order
    }

    /// Rows a loop yields and what it costs per run, in the spirit of sqlite3's estimates for
    /// tables without statistics (a million rows; ten rows per index key).
    static func estimate(_ plan: AccessPlan, _ item: ScopeTable) -> (rows: Double, cost: Double) {
        let tableRows = 1_000_000.0
        let seek = 20.0
        switch plan {
        case .fullScan:
            return (tableRows, tableRows * 3)
        case .rowidEquals:
            return (1, seek)
        case .rowidIn(let values):
            return (Double(values.count), Double(values.count) * seek)
        case .rowidInSelect:
            return (25, 25 * seek + 100)
        case .rowidRange(let lower, let upper, _):
            let rows = tableRows / (lower != nil && upper != nil ? 256 : 4)
            return (rows, seek + rows * 3)
        case .index(let index, let equals, let lower, let upper, let covering, _):
            var rows: Double
            if index.unique && equals.count == index.columns.count {
                rows = 1
            } else if equals.isEmpty {
                rows = tableRows
            } else {
                rows = max(1, 10 / Double(1 << min(equals.count - 1, 3)))
            }
            for case .inList(_, _, let list) in equals { rows *= Double(list.count) }
            if lower != nil && upper != nil {
                rows /= 256
            } else if lower != nil || upper != nil {
                rows /= 4
            }
            return (rows, seek + rows * (covering ? 2 : 3 + seek))
        }
    }
}
