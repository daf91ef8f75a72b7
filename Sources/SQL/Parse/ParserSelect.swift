// Queries: WITH, compound SELECT, VALUES, result columns, ORDER BY and LIMIT.

extension Parser {
    /// `[WITH ...] select-core [op select-core]... [ORDER BY ...] [LIMIT ...]`. Sets `height` to
    /// the greatest expression height inside (SQLite's heightOfSelect).
    mutating func parseSelect() throws -> Select {
        try enter(3)
        defer { leave(3) }
        let outerScope = scopeHeight
        scopeHeight = 0
        var select = Select(first: .values([]))
        if tok.kind == .kwWith { select.with = try parseWith() }
        select.first = try parseSelectCore(&select)
        if compoundOperator() != nil { try parseCompounds(&select) }
        let inner = scopeHeight
        scopeHeight = max(outerScope, inner)
        height = inner
        return select
    }

    /// The compound terms after the first core. SQLite reports an ORDER BY or LIMIT before a
    /// compound operator once the whole query is parsed, naming the one nearest the end.
    @inline(never)
    private mutating func parseCompounds(_ select: inout Select) throws {
        var misplaced: String?
        while let op = compoundOperator() {
            if !select.orderBy.isEmpty || select.limit != nil {
                misplaced = "\(select.orderBy.isEmpty ? "LIMIT" : "ORDER BY") clause should come after \(compoundName(op)) not before"
            }
            try advance()
            if op == .unionAll { try advance() }
            select.orderBy = []
            select.limit = nil
            let core = try parseSelectCore(&select)
            select.compounds.append(CompoundTerm(op, core))
        }
        if let misplaced { raise(misplaced, at: tok.start) }
    }

    private mutating func compoundOperator() -> CompoundOperator? {
        switch tok.kind {
        case .kwUnion: return peek(0) == .kwAll ? .unionAll : .union
        case .kwIntersect: return .intersect
        case .kwExcept: return .except
        default: return nil
        }
    }

    private func compoundName(_ op: CompoundOperator) -> String {
        switch op {
        case .union: return "UNION"
        case .unionAll: return "UNION ALL"
        case .intersect: return "INTERSECT"
        case .except: return "EXCEPT"
        }
    }

    /// One SELECT or VALUES; the ORDER BY and LIMIT that SQLite's grammar attaches to a SELECT
    /// go into `select`.
    @inline(never)
    private mutating func parseSelectCore(_ select: inout Select) throws -> SelectCore {
        if try accept(.kwValues) { return try parseValuesRows() }
        try expect(.kwSelect)
        var clause = SelectClause(columns: [])
        if try accept(.kwDistinct) {
            clause.quantifier = .distinct
        } else if try accept(.kwAll) {
            clause.quantifier = .all
        }
        clause.columns = try parseResultColumns()
        try parseSelectClauses(&clause)
        if tok.kind == .kwOrder { select.orderBy = try parseOrderBy() }
        if tok.kind == .kwLimit { select.limit = try parseLimit() }
        return .select(clause)
    }

    @inline(never)
    private mutating func parseValuesRows() throws -> SelectCore {
        var rows: [[Expr]] = []
        repeat {
            try expect(.leftParen)
            rows.append(try parseExprList())
            try expect(.rightParen)
        } while try accept(.comma)
        return .values(rows)
    }

    /// FROM, WHERE, GROUP BY, HAVING and WINDOW.
    @inline(never)
    private mutating func parseSelectClauses(_ clause: inout SelectClause) throws {
        if try accept(.kwFrom) { clause.from = try parseFrom() }
        if try accept(.kwWhere) { clause.where = try parseExpr() }
        if try accept(.kwGroup) {
            try expect(.kwBy)
            clause.groupBy = try parseExprList()
        }
        if try accept(.kwHaving) { clause.having = try parseExpr() }
        if tok.kind == .kwWindow { clause.windows = try parseWindowClause() }
    }

    /// `expr [[AS] alias] | * | table.*`, comma separated (SELECT and RETURNING lists).
    mutating func parseResultColumns() throws -> [ResultColumn] {
        var columns: [ResultColumn] = []
        repeat {
            columns.append(try parseResultColumn())
        } while try accept(.comma)
        return columns
    }

    @inline(never)
    private mutating func parseResultColumn() throws -> ResultColumn {
        if try accept(.star) { return .all }
        // CAST, RAISE and CURRENT_* start expressions here, so they cannot name a table.
        let startsExpression = tok.kind == .kwCast || tok.kind == .kwRaise || tok.kind == .ctimeKeyword
        if tok.kind.isNm && !startsExpression && peek(0) == .dot && peek(1) == .star {
            let table = try takeName()
            try advance()
            try advance()
            return .allFrom(table)
        }
        let start = tok.start
        let expr = try parseExpr()
        let span = SourceRange(start: start, end: previousEnd)
        return .expr(expr, alias: try parseAlias(), span: span)
    }

    /// `AS nm | ids | nothing`.
    mutating func parseAlias() throws -> Name? {
        if try accept(.kwAs) {
            guard tok.kind.isNm else { throw syntaxError() }
            return try takeName()
        }
        if tok.kind.isIds { return try takeName() }
        return nil
    }

    /// `ORDER BY sortlist`, or nothing.
    mutating func parseOrderBy() throws -> [OrderingTerm] {
        guard try accept(.kwOrder) else { return [] }
        try expect(.kwBy)
        return try parseSortList()
    }

    /// `expr [ASC|DESC] [NULLS FIRST|LAST], ...`
    mutating func parseSortList() throws -> [OrderingTerm] {
        var terms: [OrderingTerm] = []
        var h = 0
        repeat {
            var term = OrderingTerm(try parseExpr())
            h = max(h, height)
            if try accept(.kwAsc) {
                term.order = .ascending
            } else if try accept(.kwDesc) {
                term.order = .descending
            }
            if try accept(.kwNulls) {
                if try accept(.kwFirst) {
                    term.nulls = .first
                } else {
                    try expect(.kwLast)
                    term.nulls = .last
                }
            }
            terms.append(term)
        } while try accept(.comma)
        height = h
        return terms
    }

    /// `LIMIT n [OFFSET m]` or `LIMIT m, n`, or nothing.
    mutating func parseLimit() throws -> Limit? {
        guard try accept(.kwLimit) else { return nil }
        let first = try parseExpr()
        if try accept(.kwOffset) {
            return Limit(count: first, offset: try parseExpr())
        }
        if try accept(.comma) {
            return Limit(count: try parseExpr(), offset: first, commaForm: true)
        }
        return Limit(count: first)
    }

    // MARK: - WITH

    /// `WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (select), ...`
    mutating func parseWith() throws -> WithClause {
        try enter(3)
        defer { leave(3) }
        try expect(.kwWith)
        let recursive = try accept(.kwRecursive)
        var tables: [CommonTableExpression] = []
        var seen: Set<String> = []
        repeat {
            guard tok.kind.isNm else { throw syntaxError() }
            let name = try takeName()
            let columns = try parseColumnNameList(optional: true) ?? []
            try expect(.kwAs)
            var materialization: Materialization?
            if try accept(.kwMaterialized) {
                materialization = .materialized
            } else if tok.kind == .kwNot {
                try advance()
                try expect(.kwMaterialized)
                materialization = .notMaterialized
            }
            try expect(.leftParen)
            let select = try parseSelect()
            try expect(.rightParen)
            if !seen.insert(name.value.lowercasedASCII).inserted {
                raise("duplicate WITH table name: \(name.value)", at: name.range.start)
            }
            tables.append(CommonTableExpression(name: name, columns: columns,
                                                materialization: materialization, select: select))
        } while try accept(.comma)
        return WithClause(recursive: recursive, tables: tables)
    }

    /// SQLite's `eidlist_opt`: `(name, ...)` where a COLLATE or ASC/DESC after a name is an
    /// error except while loading a schema (old versions accepted and ignored them).
    /// Returns nil when there is no list and `optional` is true.
    mutating func parseColumnNameList(optional: Bool) throws -> [Name]? {
        if optional && tok.kind != .leftParen { return nil }
        try expect(.leftParen)
        var names: [Name] = []
        repeat {
            guard tok.kind.isNm else { throw syntaxError() }
            let name = try takeName()
            var extra = false
            if try accept(.kwCollate) {
                guard tok.kind.isIds else { throw syntaxError() }
                try advance()
                extra = true
            }
            if tok.kind == .kwAsc || tok.kind == .kwDesc {
                try advance()
                extra = true
            }
            if extra && !options.isLoadingSchema {
                raise("syntax error after column name \"\(source.text(name.range.start, name.range.end))\"",
                      at: name.range.start)
            }
            names.append(name)
        } while try accept(.comma)
        try expect(.rightParen)
        return names
    }

    /// SQLite's `idlist`: `name, ...` (no parentheses).
    mutating func parseNameList() throws -> [Name] {
        var names: [Name] = []
        repeat {
            guard tok.kind.isNm else { throw syntaxError() }
            names.append(try takeName())
        } while try accept(.comma)
        return names
    }
}

/// SQLite's `sqlite3StrICmp`: ASCII case-insensitive equality.
func equalsIgnoringCase(_ a: String, _ b: String) -> Bool {
    let x = a.utf8, y = b.utf8
    guard x.count == y.count else { return false }
    for (p, q) in zip(x, y) where p != q {
        let lp = p >= 0x41 && p <= 0x5A ? p | 0x20 : p
        let lq = q >= 0x41 && q <= 0x5A ? q | 0x20 : q
        if lp != lq { return false }
    }
    return true
}
