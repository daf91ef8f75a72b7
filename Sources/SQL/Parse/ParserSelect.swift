// Queries: WITH, compound SELECT, VALUES, result columns, ORDER BY and LIMIT.

extension Parser {
    /// `[WITH ...] select-core [op select-core]... [ORDER BY ...] [LIMIT ...]`. Sets `height` to
    /// the greatest expression height inside (SQLite's heightOfSelect).
    mutating func parseSelect() throws(SQLSyntaxError) -> Select {
        try enter()
        defer { leave() }
        let outerScope = scopeHeight
        scopeHeight = 0
        var with: WithClause?
        if tok.kind == .kwWith { with = try parseWith() }
        let (first, firstOrderBy, firstLimit) = try parseSelectCore()
        var orderBy = firstOrderBy
        var limit = firstLimit
        var compounds: [CompoundTerm] = []
        // SQLite reports an ORDER BY or LIMIT before a compound operator once the whole query
        // is parsed, naming the one nearest the end.
        var misplaced: String?
        while let op = compoundOperator() {
            if !orderBy.isEmpty || limit != nil {
                misplaced = "\(orderBy.isEmpty ? "LIMIT" : "ORDER BY") clause should come after \(compoundName(op)) not before"
            }
            try advance()
            if op == .unionAll { try advance() }
            let core: SelectCore
            (core, orderBy, limit) = try parseSelectCore()
            compounds.append(CompoundTerm(op, core))
        }
        if let misplaced { throw error(misplaced, at: tok.start) }
        let inner = scopeHeight
        scopeHeight = max(outerScope, inner)
        height = inner
        return Select(with: with, first: first, compounds: compounds, orderBy: orderBy, limit: limit)
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

    /// One SELECT or VALUES, with the ORDER BY and LIMIT that SQLite's grammar attaches to it.
    private mutating func parseSelectCore() throws(SQLSyntaxError) -> (SelectCore, [OrderingTerm], Limit?) {
        if try accept(.kwValues) {
            var rows: [[Expr]] = []
            repeat {
                try expect(.leftParen)
                rows.append(try parseExprList())
                try expect(.rightParen)
            } while try accept(.comma)
            return (.values(rows), [], nil)
        }
        try expect(.kwSelect)
        var clause = SelectClause(columns: [])
        if try accept(.kwDistinct) {
            clause.quantifier = .distinct
        } else if try accept(.kwAll) {
            clause.quantifier = .all
        }
        clause.columns = try parseResultColumns()
        if try accept(.kwFrom) { clause.from = try parseFrom() }
        if try accept(.kwWhere) { clause.where = try parseExpr() }
        if try accept(.kwGroup) {
            try expect(.kwBy)
            clause.groupBy = try parseExprList()
        }
        if try accept(.kwHaving) { clause.having = try parseExpr() }
        if tok.kind == .kwWindow { clause.windows = try parseWindowClause() }
        let orderBy = try parseOrderBy()
        let limit = try parseLimit()
        return (.select(clause), orderBy, limit)
    }

    /// `expr [[AS] alias] | * | table.*`, comma separated (SELECT and RETURNING lists).
    mutating func parseResultColumns() throws(SQLSyntaxError) -> [ResultColumn] {
        var columns: [ResultColumn] = []
        repeat {
            if try accept(.star) {
                columns.append(.all)
            } else if tok.kind.isNm && peek(0) == .dot && peek(1) == .star {
                let table = try takeName()
                try advance()
                try advance()
                columns.append(.allFrom(table))
            } else {
                let start = tok.start
                let expr = try parseExpr()
                let span = SourceRange(start: start, end: previousEnd)
                columns.append(.expr(expr, alias: try parseAlias(), span: span))
            }
        } while try accept(.comma)
        return columns
    }

    /// `AS nm | ids | nothing`.
    mutating func parseAlias() throws(SQLSyntaxError) -> Name? {
        if try accept(.kwAs) {
            guard tok.kind.isNm else { throw syntaxError() }
            return try takeName()
        }
        if tok.kind.isIds { return try takeName() }
        return nil
    }

    /// `ORDER BY sortlist`, or nothing.
    mutating func parseOrderBy() throws(SQLSyntaxError) -> [OrderingTerm] {
        guard try accept(.kwOrder) else { return [] }
        try expect(.kwBy)
        return try parseSortList()
    }

    /// `expr [ASC|DESC] [NULLS FIRST|LAST], ...`
    mutating func parseSortList() throws(SQLSyntaxError) -> [OrderingTerm] {
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
    mutating func parseLimit() throws(SQLSyntaxError) -> Limit? {
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
    mutating func parseWith() throws(SQLSyntaxError) -> WithClause {
        try expect(.kwWith)
        let recursive = try accept(.kwRecursive)
        var tables: [CommonTableExpression] = []
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
            if tables.contains(where: { equalsIgnoringCase($0.name.value, name.value) }) {
                throw error("duplicate WITH table name: \(name.value)", at: name.range.start)
            }
            tables.append(CommonTableExpression(name: name, columns: columns,
                                                materialization: materialization, select: select))
        } while try accept(.comma)
        return WithClause(recursive: recursive, tables: tables)
    }

    /// SQLite's `eidlist_opt`: `(name, ...)` where a COLLATE or ASC/DESC after a name is an
    /// error except while loading a schema (old versions accepted and ignored them).
    /// Returns nil when there is no list and `optional` is true.
    mutating func parseColumnNameList(optional: Bool) throws(SQLSyntaxError) -> [Name]? {
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
                throw error("syntax error after column name \"\(source.text(name.range.start, name.range.end))\"",
                            at: name.range.start)
            }
            names.append(name)
        } while try accept(.comma)
        try expect(.rightParen)
        return names
    }

    /// SQLite's `idlist`: `name, ...` (no parentheses).
    mutating func parseNameList() throws(SQLSyntaxError) -> [Name] {
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
