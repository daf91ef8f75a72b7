import Pager

/// Random SELECT statements over a `FuzzSchema`, shaped so that their answer is defined: a
/// query that can return rows in any order says so (`ordered` false, compared as a multiset);
/// one with LIMIT orders by every output column and then by the rowids, so ties cannot choose
/// different rows; values that SQLite leaves to the plan (the representative of a group of
/// NOCASE-equal texts, the first row of a scalar subquery, a float sum's rounding) are avoided.
struct QueryGenerator {
    let schema: FuzzSchema
    var random: SimulationRandom

    init(schema: FuzzSchema, random: SimulationRandom) {
        self.schema = schema
        self.random = random
    }

    struct Query {
        let sql: String
        let ordered: Bool
    }

    /// A column in scope: its qualified name and collation.
    struct Source {
        let reference: String
        let collation: String?
    }

    mutating func query() -> Query {
        subqueryTable = nil
        switch random.below(10) {
        case 0..<4: return simple()
        case 4..<6: return join()
        case 6..<8: return aggregate()
        case 8: return compound()
        default: return derived()
        }
    }

    // MARK: Query shapes

    private mutating func pickTable() -> FuzzSchema.Table { schema.tables[random.below(schema.tables.count)] }

    private func sources(_ table: FuzzSchema.Table, alias: String? = nil) -> [Source] {
        table.columns.map { Source(reference: "\(alias ?? table.name).\($0.name)", collation: $0.collation) }
    }

    /// SELECT [DISTINCT] e, ... FROM t [WHERE ...] [ORDER BY every column, rowid [LIMIT]].
    private mutating func simple() -> Query {
        let table = pickTable()
        let scope = sources(table)
        let distinct = random.chance(0.15)
        let outputs = (0..<random.number(in: 1...3)).map { _ in distinct ? plainOutput(scope) : expression(scope, depth: 2) }
        var sql = "SELECT \(distinct ? "DISTINCT " : "")\(outputs.joined(separator: ", ")) FROM \(table.name)"
        if random.chance(0.7) { sql += " WHERE " + condition(scope, depth: 2) }
        if !distinct && random.chance(0.5) {
            sql += " ORDER BY " + orderTerms(outputs.count) + ", \(table.name).rowid"
            if random.chance(0.5) { sql += " LIMIT \(random.number(in: 0...5))" + (random.chance(0.3) ? " OFFSET \(random.number(in: 0...3))" : "") }
            return Query(sql: sql, ordered: true)
        }
        return Query(sql: sql, ordered: false)
    }

    /// Two tables, INNER or LEFT joined on a condition, with a WHERE.
    private mutating func join() -> Query {
        let left = pickTable(), right = pickTable()
        let scope = sources(left, alias: "a") + sources(right, alias: "b")
        let outputs = (0..<random.number(in: 1...3)).map { _ in expression(scope, depth: 1) }
        let kind = random.chance(0.5) ? "LEFT JOIN" : "JOIN"
        var sql = "SELECT \(outputs.joined(separator: ", ")) FROM \(left.name) AS a \(kind) \(right.name) AS b ON \(condition(scope, depth: 1))"
        if random.chance(0.5) { sql += " WHERE " + condition(scope, depth: 1) }
        if random.chance(0.4) {
            sql += " ORDER BY " + orderTerms(outputs.count) + ", a.rowid, b.rowid"
            if random.chance(0.5) { sql += " LIMIT \(random.number(in: 0...6))" }
            return Query(sql: sql, ordered: true)
        }
        return Query(sql: sql, ordered: false)
    }

    /// Group keys and aggregates, GROUP BY, HAVING.
    private mutating func aggregate() -> Query {
        let table = pickTable()
        let scope = sources(table)
        var outputs: [String] = []
        var groupBy: [String] = []
        if random.chance(0.7) {
            let key = scope[random.below(scope.count)]
            groupBy.append(key.reference)
            outputs.append(representative(key))
        }
        for _ in 0..<random.number(in: 1...3) { outputs.append(aggregateCall(scope)) }
        var sql = "SELECT \(outputs.joined(separator: ", ")) FROM \(table.name)"
        if random.chance(0.5) { sql += " WHERE " + condition(scope, depth: 1) }
        if !groupBy.isEmpty {
            sql += " GROUP BY " + groupBy.joined(separator: ", ")
            if random.chance(0.4) { sql += " HAVING " + ["count(*) > \(random.number(in: 0...3))", "\(aggregateCall(scope)) IS NOT NULL", "min(\(scope[0].reference)) < \(random.number(in: -1...4))"][random.below(3)] }
        }
        return Query(sql: sql, ordered: false)
    }

    /// UNION, UNION ALL, INTERSECT or EXCEPT of two one- or two-column selects.
    private mutating func compound() -> Query {
        let width = random.number(in: 1...2)
        func side(_ generator: inout QueryGenerator) -> String {
            let table = generator.pickTable()
            let scope = generator.sources(table)
            let outputs = (0..<width).map { _ in generator.plainOutput(scope) }
            var sql = "SELECT \(outputs.joined(separator: ", ")) FROM \(table.name)"
            if generator.random.chance(0.5) { sql += " WHERE " + generator.condition(scope, depth: 1) }
            return sql
        }
        let op = ["UNION", "UNION ALL", "INTERSECT", "EXCEPT"][random.below(4)]
        return Query(sql: side(&self) + " \(op) " + side(&self), ordered: false)
    }

    /// A select from a subquery in FROM.
    private mutating func derived() -> Query {
        let table = pickTable()
        let scope = sources(table)
        let inner = (0..<random.number(in: 1...2)).map { _ in expression(scope, depth: 1) }
        let aliases = inner.indices.map { "x\($0)" }
        var sql = "SELECT \(zip(inner, aliases).map { "\($0) AS \($1)" }.joined(separator: ", ")) FROM \(table.name)"
        if random.chance(0.5) { sql += " WHERE " + condition(scope, depth: 1) }
        let outer = aliases.map { Source(reference: "s.\($0)", collation: nil) }
        var query = "SELECT \(outer.map(\.reference).joined(separator: ", ")), \(expression(outer, depth: 1)) FROM (\(sql)) AS s"
        if random.chance(0.5) { query += " WHERE " + condition(outer, depth: 1) }
        return Query(sql: query, ordered: false)
    }

    // MARK: Pieces

    /// "ORDER BY 2 DESC, 1, ..." over every output column, in a random order.
    private mutating func orderTerms(_ count: Int) -> String {
        var positions = Array(1...count)
        random.shuffle(&positions)
        return positions.map { "\($0)" + (random.chance(0.4) ? " DESC" : "") }.joined(separator: ", ")
    }

    /// A column as an output that de-duplication or grouping may take from any row of a group
    /// of equal ones: NOCASE and RTRIM columns are folded, so every representative shows alike.
    private mutating func plainOutput(_ scope: [Source]) -> String {
        if random.chance(0.3) { return fold("(\(arithmetic(scope)))", collation: nil) }
        return representative(scope[random.below(scope.count)])
    }

    /// The value as a function that is the same for every member of a group of equal values:
    /// numbers as reals (1 and 1.0 are equal; which one a group shows is up to the plan),
    /// NOCASE text lowered, RTRIM text trimmed.
    private func representative(_ source: Source) -> String {
        fold(source.reference, collation: source.collation)
    }

    private func fold(_ expression: String, collation: String?) -> String {
        let text = switch collation {
        case "NOCASE": "lower(\(expression))"
        case "RTRIM": "rtrim(\(expression))"
        default: expression
        }
        return "iif(typeof(\(expression)) IN ('integer', 'real'), \(expression) + 0.0, \(text))"
    }

    private mutating func aggregateCall(_ scope: [Source]) -> String {
        let column = scope[random.below(scope.count)]
        switch random.below(8) {
        case 0: return "count(*)"
        case 1: return "count(\(column.reference))"
        case 2: return "count(DISTINCT \(column.reference))"
        case 3: return "min(\(representative(column)))"
        case 4: return "max(\(representative(column)))"
        case 5: return "total(\(column.reference))"
        case 6: return "sum(\(column.reference))"
        default: return "avg(\(column.reference))"
        }
    }

    private mutating func literal() -> String {
        FuzzSchema.value(&random)
    }

    private mutating func arithmetic(_ scope: [Source]) -> String {
        let a = scope[random.below(scope.count)].reference
        let op = ["+", "-", "*", "/", "%"][random.below(5)]
        return "\(a) \(op) \(random.chance(0.5) ? scope[random.below(scope.count)].reference : String(random.number(in: -2...3)))"
    }

    mutating func expression(_ scope: [Source], depth: Int) -> String {
        if depth <= 0 || random.chance(0.3) {
            return random.chance(0.7) ? scope[random.below(scope.count)].reference : literal()
        }
        let d = depth - 1
        switch random.below(14) {
        case 0: return "(\(expression(scope, depth: d)) \(["+", "-", "*", "/", "%", "||"][random.below(6)]) \(expression(scope, depth: d)))"
        case 1: return "CASE WHEN \(condition(scope, depth: d)) THEN \(expression(scope, depth: d)) ELSE \(expression(scope, depth: d)) END"
        case 2: return "CASE \(expression(scope, depth: d)) WHEN \(literal()) THEN \(expression(scope, depth: d)) END"
        case 3: return "CAST(\(expression(scope, depth: d)) AS \(["INTEGER", "TEXT", "REAL", "NUMERIC", "BLOB"][random.below(5)]))"
        case 4: return "\(["abs", "length", "lower", "upper", "typeof", "quote", "hex", "round"][random.below(8)])(\(expression(scope, depth: d)))"
        case 5: return "coalesce(\(expression(scope, depth: d)), \(expression(scope, depth: d)))"
        case 6: return "nullif(\(expression(scope, depth: d)), \(expression(scope, depth: d)))"
        case 7: return "substr(\(expression(scope, depth: d)), \(random.number(in: -2...3)), \(random.number(in: 0...3)))"
        case 8: return "\(["min", "max"][random.below(2)])(\(expression(scope, depth: d)), \(expression(scope, depth: d)))"
        case 9: return "(\(condition(scope, depth: d)))"
        case 10: return "(SELECT \(["count(*)", "max(\(scalarColumn()))", "min(\(scalarColumn()))", "total(\(scalarColumn()))"][random.below(4)]) FROM \(scalarTable()) WHERE \(correlated(scope)))"
        case 11: return "instr(\(expression(scope, depth: d)), \(literal()))"
        case 12: return "-\(expression(scope, depth: d))"
        default: return "iif(\(condition(scope, depth: d)), \(expression(scope, depth: d)), \(literal()))"
        }
    }

    mutating func condition(_ scope: [Source], depth: Int) -> String {
        let d = max(0, depth - 1)
        switch random.below(depth <= 0 ? 6 : 13) {
        case 0: return "\(expression(scope, depth: d)) \(["=", "<>", "<", "<=", ">", ">=", "==", "!="][random.below(8)]) \(expression(scope, depth: d))"
        case 1: return "\(expression(scope, depth: d)) IS \(random.chance(0.5) ? "NOT " : "")\(random.chance(0.5) ? "NULL" : expression(scope, depth: d))"
        case 2: return "\(expression(scope, depth: d)) \(random.chance(0.3) ? "NOT " : "")\(random.chance(0.6) ? "LIKE" : "GLOB") \(["'a%'", "'%b%'", "'A_C'", "'%'", "'_'", "'a*'", "'[ab]*'", "'1%'"][random.below(8)])"
        case 3: return "\(expression(scope, depth: d)) \(random.chance(0.3) ? "NOT " : "")BETWEEN \(literal()) AND \(literal())"
        case 4: return "\(expression(scope, depth: d)) \(random.chance(0.3) ? "NOT " : "")IN (\(literal()), \(literal()), \(literal()))"
        case 5: return "\(expression(scope, depth: d)) COLLATE \(["NOCASE", "RTRIM", "BINARY"][random.below(3)]) = \(literal())"
        case 6, 7: return "(\(condition(scope, depth: d)) \(random.chance(0.5) ? "AND" : "OR") \(condition(scope, depth: d)))"
        case 8: return "NOT (\(condition(scope, depth: d)))"
        case 9: return "\(random.chance(0.3) ? "NOT " : "")EXISTS (SELECT 1 FROM \(scalarTable()) WHERE \(correlated(scope)))"
        case 10: return "\(expression(scope, depth: d)) \(random.chance(0.3) ? "NOT " : "")IN (SELECT \(scalarColumn()) FROM \(scalarTable()))"
        case 11: return "\(expression(scope, depth: d))"
        default: return "\(expression(scope, depth: d)) \(["=", "<", ">"][random.below(3)]) (SELECT \(["count(*)", "max(\(scalarColumn()))"][random.below(2)]) FROM \(scalarTable()))"
        }
    }

    // Subqueries read the table named `sq` (an alias of a random table), so their own columns
    // never clash with the outer query's.
    private var subqueryTable: FuzzSchema.Table?

    private mutating func scalarTable() -> String {
        let table = subqueryTable ?? pickTable()
        subqueryTable = table
        return "\(table.name) AS sq"
    }

    private mutating func scalarColumn() -> String {
        let table = subqueryTable ?? pickTable()
        subqueryTable = table
        let column = table.columns[random.below(table.columns.count)]
        return representative(Source(reference: "sq.\(column.name)", collation: column.collation))
    }

    /// A condition tying the subquery's row to the outer row.
    private mutating func correlated(_ scope: [Source]) -> String {
        "\(scalarColumn()) \(["=", "<", ">=", "IS"][random.below(4)]) \(scope[random.below(scope.count)].reference)"
    }
}
