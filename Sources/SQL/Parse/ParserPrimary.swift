// Primary expressions: literals, parameters, names, parentheses and subqueries, CAST, CASE,
// RAISE, function calls with FILTER and OVER; and type names.

extension Parser {
    // MARK: - Primary expressions

    mutating func parsePrimary() throws -> Expr {
        switch tok.kind {
        case .integer, .float, .blob, .kwNull, .ctimeKeyword, .variable:
            return try parseLiteral()
        case .string:
            return peek(0) == .dot ? try parseColumnReference() : try parseLiteral()
        case .leftParen:
            return try parseParenthesized()
        case .kwCast:
            return try parseCast()
        case .kwCase:
            return try parseCase()
        case .kwExists:
            return try parseExists()
        case .kwRaise:
            return try parseRaise()
        case .joinKeyword:
            return try parseColumnReference()
        default:
            guard tok.kind.isIdClass else { throw syntaxError() }
            return peek(0) == .leftParen ? try parseFunctionCall() : try parseColumnReference()
        }
    }

    /// A literal, CURRENT_* keyword or parameter at the current token.
    @inline(never)
    private mutating func parseLiteral() throws -> Expr {
        let t = tok
        let literal: Literal
        switch t.kind {
        case .integer:
            literal = try integerLiteral(t, negated: lastUnaryMinusEnd == previousEnd)
            lastIntegerLiteral = t
        case .float:
            literal = .real(realValue(t))
        case .blob:
            literal = .blob(blobValue(t))
        case .kwNull:
            literal = .null
        case .ctimeKeyword:
            if t.length == 17 {
                literal = .currentTimestamp
            } else {
                literal = z[t.start + 8] | 0x20 == UInt8(ascii: "d") ? .currentDate : .currentTime
            }
        case .variable:
            if z[t.start] == UInt8(ascii: "#") && Lexer.isDigit(z[t.start + 1]) { throw syntaxError() }
            try advance()
            height = 1
            return .parameter(parameter(t))
        default:
            literal = .string(try dequote(t))
        }
        try advance()
        height = 1
        return .literal(literal)
    }

    @inline(never)
    private mutating func parseExists() throws -> Expr {
        try enter(2)
        defer { leave(2) }
        try advance()
        try expect(.leftParen)
        let select = try parseSelect()
        try expect(.rightParen)
        try setHeight(height + 1)
        return .exists(select)
    }

    /// `nm`, `nm.nm` or `nm.nm.nm` as a column reference.
    @inline(never)
    private mutating func parseColumnReference() throws -> Expr {
        let first = try takeName()
        height = 1
        guard try accept(.dot) else { return .column(ColumnReference(column: first)) }
        guard tok.kind.isNm else { throw syntaxError() }
        let second = try takeName()
        guard try accept(.dot) else { return .column(ColumnReference(table: first, column: second)) }
        guard tok.kind.isNm else { throw syntaxError() }
        return .column(ColumnReference(schema: first, table: second, column: try takeName()))
    }

    /// `(expr)`, a row value `(a, b, ...)`, or a scalar subquery `(SELECT ...)`.
    @inline(never)
    private mutating func parseParenthesized() throws -> Expr {
        try advance()
        try enter(2)
        defer { leave(2) }
        if startsSelect { return try parseScalarSubquery() }
        let first = try parseExpr()
        if tok.kind == .comma { return try parseVector(first) }
        try expect(.rightParen)
        return first
    }

    @inline(never)
    private mutating func parseScalarSubquery() throws -> Expr {
        let select = try parseSelect()
        try expect(.rightParen)
        try setHeight(height + 1)
        return .subquery(select)
    }

    @inline(never)
    private mutating func parseVector(_ first: Expr) throws -> Expr {
        var h = height
        var terms = [first]
        while try accept(.comma) {
            terms.append(try parseExpr())
            h = max(h, height)
        }
        try expect(.rightParen)
        try setHeight(h + 1)
        return .vector(terms)
    }

    @inline(never)
    private mutating func parseCast() throws -> Expr {
        try enter(2)
        defer { leave(2) }
        try advance()
        try expect(.leftParen)
        let operand = try parseExpr()
        let h = height
        try expect(.kwAs)
        let type = try parseTypeName() ?? TypeName("")
        try expect(.rightParen)
        try setHeight(h + 1)
        return .cast(operand, type)
    }

    @inline(never)
    private mutating func parseCase() throws -> Expr {
        try enter(3)
        defer { leave(3) }
        try advance()
        var caseExpr = CaseExpression(operand: nil, branches: [], otherwise: nil)
        var h = 0
        if tok.kind != .kwWhen {
            caseExpr.operand = try parseExpr()
            h = height
        }
        guard tok.kind == .kwWhen else { throw syntaxError() }
        while tok.kind == .kwWhen { try parseCaseBranch(&caseExpr, height: &h) }
        if try accept(.kwElse) {
            caseExpr.otherwise = try parseExpr()
            h = max(h, height)
        }
        try expect(.kwEnd)
        try setHeight(h + 1)
        return .case(caseExpr)
    }

    @inline(never)
    private mutating func parseCaseBranch(_ caseExpr: inout CaseExpression, height h: inout Int) throws {
        try advance()
        let when = try parseExpr()
        h = max(h, height)
        try expect(.kwThen)
        caseExpr.branches.append(CaseExpression.Branch(when: when, then: try parseExpr()))
        h = max(h, height)
    }

    @inline(never)
    private mutating func parseRaise() throws -> Expr {
        try advance()
        try expect(.leftParen)
        let action: RaiseAction
        if try accept(.kwIgnore) {
            action = .ignore
        } else {
            let kind = tok.kind
            guard kind == .kwRollback || kind == .kwAbort || kind == .kwFail else { throw syntaxError() }
            try advance()
            try expect(.comma)
            guard tok.kind.isNm else { throw syntaxError() }
            let message = try dequote(tok)
            try advance()
            switch kind {
            case .kwRollback: action = .rollback(message)
            case .kwAbort: action = .abort(message)
            default: action = .fail(message)
            }
        }
        try expect(.rightParen)
        height = 1
        return .raise(action)
    }

    /// `name(...) [FILTER (WHERE ...)] [OVER ...]`, at the name.
    @inline(never)
    private mutating func parseFunctionCall() throws -> Expr {
        try enter(3)
        defer { leave(3) }
        var call = FunctionCall(name: try takeName(), arguments: .star)
        try advance()   // (
        var h = 0
        if !(try accept(.star)) {
            call.arguments = try parseFunctionArguments()
            h = height
        }
        try expect(.rightParen)
        if tok.kind == .kwFilter || tok.kind == .kwOver { try parseFilterAndOver(&call, height: &h) }
        try setHeight(h + 1)
        return .function(call)
    }

    /// `[DISTINCT|ALL] [expr, ...]` inside a call; sets `height`.
    @inline(never)
    private mutating func parseFunctionArguments() throws -> FunctionCall.Arguments {
        var distinct = false
        if try accept(.kwDistinct) {
            distinct = true
        } else {
            _ = try accept(.kwAll)
        }
        height = 0
        if tok.kind == .rightParen { return .list([], distinct: distinct) }
        return .list(try parseExprList(), distinct: distinct)
    }

    @inline(never)
    private mutating func parseFilterAndOver(_ call: inout FunctionCall, height h: inout Int) throws {
        if try accept(.kwFilter) {
            try expect(.leftParen)
            try expect(.kwWhere)
            call.filter = try parseExpr()
            h = max(h, height)
            try expect(.rightParen)
        }
        guard try accept(.kwOver) else { return }
        if try accept(.leftParen) {
            call.over = .spec(try parseWindowSpec())
            h = max(h, height)
            try expect(.rightParen)
        } else {
            guard tok.kind.isNm else { throw syntaxError() }
            call.over = .named(try takeName())
        }
    }

    // MARK: - Type names

    /// `typetoken`: one or more names or strings, optionally followed by `(n)` or `(n, m)`
    /// with signed numbers. Returns nil when no type is written.
    mutating func parseTypeName() throws -> TypeName? {
        guard tok.kind.isIds else { return nil }
        let start = tok.start
        while tok.kind.isIds { try advance() }
        if try accept(.leftParen) {
            try parseSignedNumber()
            if try accept(.comma) { try parseSignedNumber() }
            try expect(.rightParen)
        }
        return TypeName(source.text(start, previousEnd))
    }

    /// `[+|-] number`; returns its text without a plus sign.
    @discardableResult
    mutating func parseSignedNumber() throws -> String {
        var sign = ""
        if tok.kind == .minus {
            sign = "-"
            try advance()
        } else {
            _ = try accept(.plus)
        }
        guard tok.kind == .integer || tok.kind == .float else { throw syntaxError() }
        let number = sign + text(tok)
        try advance()
        return number
    }
}
