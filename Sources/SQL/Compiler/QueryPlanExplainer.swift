import BTree
import Pager
import VM

/// EXPLAIN QUERY PLAN (sqlite3's OP_Explain rows): while a query compiles, each loop, temporary
/// b-tree, subquery and compound part records a row worded as sqlite3 words it; the statement's
/// program then returns those rows (id, parent, notused, detail). Ids only need to be unique and
/// increasing with a parent's id smaller than its children's: sqlite3 uses instruction
/// addresses, which differ between the two engines.
final class QueryPlanRecorder {
    struct Row {
        let id: Int
        let parent: Int
        var detail: String
    }

    private(set) var rows: [Row] = []
    private var parents: [Int] = [0]
    private var nextId = 2
    /// Every SELECT of the statement with sqlite3's number for it (its selId: numbered as the
    /// parser finishes each core, inner queries first).
    private var numbers: [(select: Select, number: Int)] = []

    init(_ select: Select) {
        var counter = 0
        number(select, &counter)
    }

    /// Rows are dropped while positive: a subquery compiled a second time (a WHERE term that
    /// also drove a lookup is tested again) has its rows already.
    private var muted = 0
    private var subqueriesSeen: Set<Int> = []
    /// Whether each open row was muted, for `close`.
    private var openMuted: [Bool] = []

    /// Adds a row under the current parent; returns its index (nil when muted).
    @discardableResult
    func add(_ detail: String) -> Int? {
        guard muted == 0 else { return nil }
        rows.append(Row(id: nextId, parent: parents[parents.count - 1], detail: detail))
        nextId += 1
        return rows.count - 1
    }

    /// Adds a row that the rows added until `close` go under.
    @discardableResult
    func open(_ detail: String) -> Int {
        if let index = add(detail) {
            parents.append(rows[index].id)
            openMuted.append(false)
            return index
        }
        muted += 1
        openMuted.append(true)
        return -1
    }

    /// Opens the row of subquery `number`, muted when it was recorded already.
    func openSubquery(_ number: Int, _ detail: String) -> Int {
        if !subqueriesSeen.insert(number).inserted {
            muted += 1
            openMuted.append(true)
            return -1
        }
        return open(detail)
    }

    func close() {
        precondition(!openMuted.isEmpty, "closing the query plan's root")
        if openMuted.removeLast() {
            muted -= 1
        } else {
            parents.removeLast()
        }
    }

    func setDetail(_ index: Int, _ detail: String) {
        guard index >= 0 else { return }
        rows[index].detail = detail
    }

    /// sqlite3's number of a subquery.
    func number(of select: Select) -> Int {
        numbers.first { $0.select == select }?.number ?? 0
    }

    private func number(_ select: Select, _ counter: inout Int) {
        for cte in select.with?.tables ?? [] { number(cte.select, &counter) }
        let cores = [select.first] + select.compounds.map(\.core)
        for (index, core) in cores.enumerated() {
            if case .select(let clause) = core {
                for column in clause.columns { if case .expr(let expr, _, _) = column { number(expr, &counter) } }
                if let from = clause.from {
                    for source in [from.first] + from.joins.map(\.source) {
                        if case .subquery(let inner, _) = source { number(inner, &counter) }
                    }
                    for join in from.joins { if case .on(let expr)? = join.constraint { number(expr, &counter) } }
                }
                for expr in [clause.where].compactMap({ $0 }) + clause.groupBy + [clause.having].compactMap({ $0 }) {
                    number(expr, &counter)
                }
            } else if case .values(let rows) = core {
                for row in rows { for expr in row { number(expr, &counter) } }
            }
            if index == cores.count - 1 {
                for term in select.orderBy { number(term.expr, &counter) }
            }
            counter += 1
        }
        numbers.append((select, counter))
    }

    private func number(_ expr: Expr, _ counter: inout Int) {
        switch expr {
        case .subquery(let select), .exists(let select): number(select, &counter)
        case .inSelect(_, let x, let select): number(x, &counter); number(select, &counter)
        case .unary(_, let e), .cast(let e, _), .isNull(let e), .notNull(let e), .collate(let e, _): number(e, &counter)
        case .binary(_, let l, let r): number(l, &counter); number(r, &counter)
        case .between(_, let x, let l, let h): number(x, &counter); number(l, &counter); number(h, &counter)
        case .inList(_, let x, let list): number(x, &counter); for e in list { number(e, &counter) }
        case .function(let call):
            if case .list(let arguments, _) = call.arguments { for e in arguments { number(e, &counter) } }
        case .case(let c):
            if let operand = c.operand { number(operand, &counter) }
            for branch in c.branches { number(branch.when, &counter); number(branch.then, &counter) }
            if let otherwise = c.otherwise { number(otherwise, &counter) }
        default: break
        }
    }
}

extension CodeGenerator {
    func explain(_ detail: @autoclosure () -> String) {
        _ = queryPlan?.add(detail())
    }

    func explainOpen(_ detail: @autoclosure () -> String) -> Int? {
        queryPlan?.open(detail())
    }

    func explainClose(_ index: Int?) {
        if index != nil { queryPlan?.close() }
    }

    /// Closes a subquery's row, marking it CORRELATED when it read an enclosing query's column.
    func explainClose(_ index: Int?, correlated: Bool) {
        guard let index, let queryPlan else { return }
        if correlated, index >= 0 { queryPlan.setDetail(index, "CORRELATED " + queryPlan.rows[index].detail) }
        queryPlan.close()
    }

    /// Opens the row of a subquery in an expression ("SCALAR SUBQUERY 1").
    func explainSubquery(_ kind: String, _ select: Select) -> Int? {
        guard let queryPlan else { return nil }
        let number = queryPlan.number(of: select)
        return queryPlan.openSubquery(number, "\(kind) \(number)")
    }

    /// A loop's row: SCAN or SEARCH, the access path and its constraints (where.c
    /// sqlite3WhereExplainOneScan).
    static func explainDetail(_ plan: AccessPlan, _ item: ScopeTable, isLeft: Bool) -> String {
        let name = item.exposedName
        let table = item.table
        var detail: String
        func columnName(_ column: IndexColumn) -> String {
            if case .column(let index) = column.term { return table.columns[index].name }
            return "<expr>"
        }
        switch plan {
        case .fullScan:
            detail = "SCAN \(name)"
        case .rowidEquals, .rowidIn, .rowidInSelect:
            detail = "SEARCH \(name) USING INTEGER PRIMARY KEY (rowid=?)"
        case .rowidRange(let lower, let upper, _):
            let bounds = [lower != nil ? "rowid>?" : nil, upper != nil ? "rowid<?" : nil].compactMap { $0 }
            detail = "SEARCH \(name) USING INTEGER PRIMARY KEY (\(bounds.joined(separator: " AND ")))"
        case .index(let index, let equals, let lower, let upper, let covering, _):
            let kind = covering ? "COVERING INDEX" : "INDEX"
            var terms = index.columns.prefix(equals.count).map { "\(columnName($0))=?" }
            if equals.count < index.columns.count {
                let range = columnName(index.columns[equals.count])
                if lower != nil { terms.append("\(range)>?") }
                if upper != nil { terms.append("\(range)<?") }
            }
            if terms.isEmpty {
                detail = "SCAN \(name) USING \(kind) \(index.name)"
            } else {
                detail = "SEARCH \(name) USING \(kind) \(index.name) (\(terms.joined(separator: " AND ")))"
            }
        }
        if isLeft { detail += " LEFT-JOIN" }
        return detail
    }

    /// The program of EXPLAIN QUERY PLAN: the recorded rows.
    func queryPlanProgram(_ recorder: QueryPlanRecorder) throws(DatabaseError) -> Program {
        var builder = ProgramBuilder()
        let initAddress = builder.emit(.`init`, 0, 0)
        let first = builder.allocateRegisters(4)
        for row in recorder.rows {
            builder.emit(.integer, Int32(row.id), first)
            builder.emit(.integer, Int32(row.parent), first + 1)
            builder.emit(.integer, 0, first + 2)
            builder.emit(.string8, 0, first + 3, 0, .text(row.detail))
            builder.emit(.resultRow, first, 4)
        }
        builder.emit(.halt)
        builder.jumpHere(initAddress)
        builder.emit(.goto, 0, initAddress + 1)
        return try builder.finish(columnNames: ["id", "parent", "notused", "detail"], parameterCount: parsed.parameterCount,
                                  sql: source)
    }
}
