// Expressions, by precedence climbing over SQLite's precedence table (parse.y, lowest first):
//
//   1 OR   2 AND   3 NOT (prefix)   4 IS MATCH LIKE BETWEEN IN ISNULL NOTNULL != =
//   5 > <= < >=   6 ESCAPE   7 & | << >>   8 + -   9 * / %   10 || -> ->>   11 COLLATE
//   then the prefix operators - + ~, which bind tighter than COLLATE.
//
// Binary operators are left associative. The postfix forms that start with NOT (NOT NULL,
// NOT LIKE, NOT BETWEEN, NOT IN) sit at level 4 like their positive forms.

extension Parser {
    /// `expr`
    mutating func parseExpr() throws(SQLSyntaxError) -> Expr {
        let expr = try parseBinary(minimum: 1)
        scopeHeight = max(scopeHeight, height)
        return expr
    }

    /// `expr, expr, ...` (one or more); `height` is the greatest height of the list.
    mutating func parseExprList() throws(SQLSyntaxError) -> [Expr] {
        var list: [Expr] = []
        var h = 0
        repeat {
            list.append(try parseExpr())
            h = max(h, height)
        } while try accept(.comma)
        height = h
        return list
    }

    /// The binary operator at the current token and its level, for the climbing loop.
    private func binaryLevel() -> Int {
        switch tok.kind {
        case .kwOr: return 1
        case .kwAnd: return 2
        case .kwIs, .kwMatch, .likeKeyword, .kwBetween, .kwIn, .kwIsnull, .kwNotnull, .notEqual,
             .equal, .kwNot:
            return 4
        case .greater, .lessEqual, .less, .greaterEqual: return 5
        case .bitAnd, .bitOr, .shiftLeft, .shiftRight: return 7
        case .plus, .minus: return 8
        case .star, .slash, .percent: return 9
        case .concat, .pointer: return 10
        case .kwCollate: return 11
        default: return 0
        }
    }

    /// An expression whose operators all bind at least as tightly as `minimum`. With
    /// `stopAtAnd`, an AND at this level ends it (the lower bound of BETWEEN).
    mutating func parseBinary(minimum: Int, stopAtAnd: Bool = false) throws(SQLSyntaxError) -> Expr {
        try enter()
        defer { leave() }
        var lhs = try parseUnary()
        var h = height
        while true {
            let level = binaryLevel()
            if level < minimum || level == 0 || (stopAtAnd && tok.kind == .kwAnd) { break }
            let opToken = tok
            switch opToken.kind {
            case .kwCollate:
                try advance()
                guard tok.kind.isIds else { throw syntaxError() }
                lhs = .collate(lhs, try takeName())
                h += 1
            case .kwIsnull:
                try advance()
                lhs = .isNull(lhs)
                h += 1
            case .kwNotnull:
                try advance()
                lhs = .notNull(lhs)
                h += 1
            case .kwNot:
                try advance()
                switch tok.kind {
                case .kwNull:
                    try advance()
                    lhs = .notNull(lhs)
                    h += 1
                case .likeKeyword, .kwMatch:
                    lhs = try parsePattern(lhs, negated: true, lhsHeight: &h)
                case .kwBetween:
                    lhs = try parseBetween(lhs, negated: true, lhsHeight: &h)
                case .kwIn:
                    lhs = try parseIn(lhs, negated: true, lhsHeight: &h)
                default:
                    throw syntaxError()
                }
            case .likeKeyword, .kwMatch:
                lhs = try parsePattern(lhs, negated: false, lhsHeight: &h)
            case .kwBetween:
                lhs = try parseBetween(lhs, negated: false, lhsHeight: &h)
            case .kwIn:
                lhs = try parseIn(lhs, negated: false, lhsHeight: &h)
            case .kwIs:
                try advance()
                var negated = try accept(.kwNot)
                if try accept(.kwDistinct) {
                    try expect(.kwFrom)
                    negated.toggle()
                }
                let rhs = try parseBinary(minimum: level + 1)
                if case .literal(.null) = rhs {
                    // SQLite turns `x IS NULL` into ISNULL and `x IS NOT NULL` into NOTNULL.
                    lhs = negated ? .notNull(lhs) : .isNull(lhs)
                    h += 1
                } else {
                    lhs = .binary(negated ? .isNot : .is, lhs, rhs)
                    h = max(h, height) + 1
                }
            default:
                try advance()
                let rhs = try parseBinary(minimum: level + 1)
                lhs = .binary(binaryOperator(opToken), lhs, rhs)
                h = max(h, height) + 1
            }
            try setHeight(h)
        }
        height = h
        return lhs
    }

    private func binaryOperator(_ token: Token) -> BinaryOperator {
        switch token.kind {
        case .kwOr: return .or
        case .kwAnd: return .and
        case .equal: return .equal
        case .notEqual: return .notEqual
        case .less: return .less
        case .lessEqual: return .lessEqual
        case .greater: return .greater
        case .greaterEqual: return .greaterEqual
        case .bitAnd: return .bitAnd
        case .bitOr: return .bitOr
        case .shiftLeft: return .shiftLeft
        case .shiftRight: return .shiftRight
        case .plus: return .add
        case .minus: return .subtract
        case .star: return .multiply
        case .slash: return .divide
        case .percent: return .remainder
        case .concat: return .concat
        default: return token.length == 3 ? .extractText : .extract
        }
    }

    /// `lhs [NOT] LIKE|GLOB|REGEXP|MATCH pattern [ESCAPE e]`, at the operator.
    private mutating func parsePattern(_ lhs: Expr, negated: Bool, lhsHeight h: inout Int) throws(SQLSyntaxError) -> Expr {
        let op: PatternOperator
        if tok.kind == .kwMatch {
            op = .match
        } else if tok.length == 6 {
            op = .regexp
        } else {
            op = (z[tok.start] | 0x20) == UInt8(ascii: "l") ? .like : .glob
        }
        try advance()
        let pattern = try parseBinary(minimum: 5)
        h = max(h, height)
        var escape: Expr?
        if try accept(.kwEscape) {
            escape = try parseBinary(minimum: 5)
            h = max(h, height)
        }
        h += 1
        return .pattern(op, negated: negated, lhs, pattern: pattern, escape: escape)
    }

    /// `lhs [NOT] BETWEEN low AND high`, at BETWEEN. The lower bound is a whole expression
    /// except that an AND at its top level ends it; the upper bound binds like a comparison.
    private mutating func parseBetween(_ lhs: Expr, negated: Bool, lhsHeight h: inout Int) throws(SQLSyntaxError) -> Expr {
        try advance()
        let low = try parseBinary(minimum: 1, stopAtAnd: true)
        h = max(h, height)
        try expect(.kwAnd)
        let high = try parseBinary(minimum: 5)
        h = max(h, height) + 1
        return .between(negated: negated, lhs, low: low, high: high)
    }

    /// `lhs [NOT] IN (list) | (select) | [schema.]table | [schema.]function(args)`, at IN.
    private mutating func parseIn(_ lhs: Expr, negated: Bool, lhsHeight h: inout Int) throws(SQLSyntaxError) -> Expr {
        try advance()
        if tok.kind == .leftParen {
            try advance()
            if startsSelect {
                let select = try parseSelect()
                h = max(h, height) + 1
                try expect(.rightParen)
                return .inSelect(negated: negated, lhs, select)
            }
            var list: [Expr] = []
            if tok.kind != .rightParen {
                list = try parseExprList()
                h = max(h, height)
            }
            h += 1
            try expect(.rightParen)
            if case .vector(let terms) = lhs {
                // SQLite rewrites a row value IN list as a VALUES query and checks the widths.
                for element in list {
                    var width = 1
                    if case .vector(let elementTerms) = element { width = elementTerms.count }
                    if width != terms.count {
                        throw error("IN(...) element has \(width) term\(width > 1 ? "s" : "") - expected \(terms.count)",
                                    at: previousEnd)
                    }
                }
            }
            return .inList(negated: negated, lhs, list)
        }
        guard tok.kind.isNm else { throw syntaxError() }
        let table = try parseQualifiedName()
        var arguments: [Expr]?
        if try accept(.leftParen) {
            arguments = []
            if tok.kind != .rightParen {
                arguments = try parseExprList()
                h = max(h, height)
            }
            try expect(.rightParen)
        }
        h += 1
        return .inTable(negated: negated, lhs, table, arguments: arguments)
    }

    /// True when the current token starts a query (SELECT, VALUES or WITH).
    var startsSelect: Bool {
        tok.kind == .kwSelect || tok.kind == .kwValues || tok.kind == .kwWith
    }

    /// `nm [. nm]`
    mutating func parseQualifiedName() throws(SQLSyntaxError) -> QualifiedName {
        guard tok.kind.isNm else { throw syntaxError() }
        let first = try takeName()
        if try accept(.dot) {
            guard tok.kind.isNm else { throw syntaxError() }
            return QualifiedName(schema: first, name: try takeName())
        }
        return QualifiedName(name: first)
    }

    // MARK: - Prefix operators

    /// A prefix operator and its operand, or a primary expression.
    mutating func parseUnary() throws(SQLSyntaxError) -> Expr {
        switch tok.kind {
        case .minus:
            try advance()
            lastUnaryMinusEnd = previousEnd
            let operandStart = tok.start
            let operand = try parseUnaryOperand()
            if case .literal(let literal) = operand, lastIntegerLiteral.start >= operandStart {
                // The operand is exactly one integer token, maybe in parentheses.
                if case .real = literal, isTwoToThe63(lastIntegerLiteral) {
                    height = 1
                    return .literal(.integer(.min))
                }
                if case .integer(.min) = literal, z[lastIntegerLiteral.start + 1] | 0x20 == UInt8(ascii: "x") {
                    throw error("hex literal too big: -\(text(lastIntegerLiteral))", at: lastIntegerLiteral.start)
                }
            }
            try setHeight(height + 1)
            return .unary(.negate, operand)
        case .plus:
            try advance()
            let operand = try parseUnaryOperand()
            try setHeight(height + 1)
            return .unary(.plus, operand)
        case .bitNot:
            try advance()
            let operand = try parseUnaryOperand()
            try setHeight(height + 1)
            return .unary(.bitNot, operand)
        case .kwNot:
            try advance()
            let operand = try parseBinary(minimum: 4)
            try setHeight(height + 1)
            return .unary(.not, operand)
        default:
            return try parsePrimary()
        }
    }

    private mutating func parseUnaryOperand() throws(SQLSyntaxError) -> Expr {
        try enter()
        defer { leave() }
        return try parseUnary()
    }

    /// True when an integer token spells 9223372036854775808 (leading zeros allowed).
    private func isTwoToThe63(_ token: Token) -> Bool {
        var start = token.start
        while start < token.end - 1 && z[start] == UInt8(ascii: "0") { start += 1 }
        let digits: StaticString = "9223372036854775808"
        guard token.end - start == digits.utf8CodeUnitCount else { return false }
        for i in 0..<digits.utf8CodeUnitCount where z[start + i] != digits.utf8Start[i] { return false }
        return true
    }

    // MARK: - Primary expressions

    mutating func parsePrimary() throws(SQLSyntaxError) -> Expr {
        let t = tok
        switch t.kind {
        case .integer:
            let literal = try integerLiteral(t, negated: lastUnaryMinusEnd == previousEnd)
            lastIntegerLiteral = t
            try advance()
            height = 1
            return .literal(literal)
        case .float:
            try advance()
            height = 1
            return .literal(.real(realValue(t)))
        case .blob:
            try advance()
            height = 1
            return .literal(.blob(blobValue(t)))
        case .kwNull:
            try advance()
            height = 1
            return .literal(.null)
        case .ctimeKeyword:
            try advance()
            height = 1
            switch t.length {
            case 12: return .literal(z[t.start + 8] | 0x20 == UInt8(ascii: "d") ? .currentDate : .currentTime)
            default: return .literal(.currentTimestamp)
            }
        case .variable:
            if z[t.start] == UInt8(ascii: "#") && Lexer.isDigit(z[t.start + 1]) { throw syntaxError() }
            let parameter = try parameter(t)
            try advance()
            height = 1
            return .parameter(parameter)
        case .string:
            if peek(0) == .dot { return try parseColumnReference() }
            let value = try dequote(t)
            try advance()
            height = 1
            return .literal(.string(value))
        case .leftParen:
            return try parseParenthesized()
        case .kwCast:
            return try parseCast()
        case .kwCase:
            return try parseCase()
        case .kwExists:
            try advance()
            try expect(.leftParen)
            let select = try parseSelect()
            try expect(.rightParen)
            try setHeight(height + 1)
            return .exists(select)
        case .kwRaise:
            return try parseRaise()
        case .joinKeyword:
            return try parseColumnReference()
        default:
            guard t.kind.isIdClass else { throw syntaxError() }
            if peek(0) == .leftParen { return try parseFunctionCall() }
            return try parseColumnReference()
        }
    }

    /// `nm`, `nm.nm` or `nm.nm.nm` as a column reference.
    private mutating func parseColumnReference() throws(SQLSyntaxError) -> Expr {
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
    private mutating func parseParenthesized() throws(SQLSyntaxError) -> Expr {
        try advance()
        try enter()
        defer { leave() }
        if startsSelect {
            let select = try parseSelect()
            try expect(.rightParen)
            try setHeight(height + 1)
            return .subquery(select)
        }
        let first = try parseExpr()
        guard tok.kind == .comma else {
            try expect(.rightParen)
            return first
        }
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

    private mutating func parseCast() throws(SQLSyntaxError) -> Expr {
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

    private mutating func parseCase() throws(SQLSyntaxError) -> Expr {
        try advance()
        var h = 0
        var operand: Expr?
        if tok.kind != .kwWhen {
            operand = try parseExpr()
            h = height
        }
        guard tok.kind == .kwWhen else { throw syntaxError() }
        var branches: [CaseExpression.Branch] = []
        while try accept(.kwWhen) {
            let when = try parseExpr()
            h = max(h, height)
            try expect(.kwThen)
            let then = try parseExpr()
            h = max(h, height)
            branches.append(CaseExpression.Branch(when: when, then: then))
        }
        var otherwise: Expr?
        if try accept(.kwElse) {
            otherwise = try parseExpr()
            h = max(h, height)
        }
        try expect(.kwEnd)
        try setHeight(h + 1)
        return .case(CaseExpression(operand: operand, branches: branches, otherwise: otherwise))
    }

    private mutating func parseRaise() throws(SQLSyntaxError) -> Expr {
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
    private mutating func parseFunctionCall() throws(SQLSyntaxError) -> Expr {
        let name = try takeName()
        try advance()   // (
        var h = 0
        let arguments: FunctionCall.Arguments
        if try accept(.star) {
            arguments = .star
        } else {
            var distinct = false
            if try accept(.kwDistinct) {
                distinct = true
            } else {
                _ = try accept(.kwAll)
            }
            var list: [Expr] = []
            if tok.kind != .rightParen {
                list = try parseExprList()
                h = height
            }
            arguments = .list(list, distinct: distinct)
        }
        try expect(.rightParen)
        var filter: Expr?
        if tok.kind == .kwFilter {
            try advance()
            try expect(.leftParen)
            try expect(.kwWhere)
            filter = try parseExpr()
            h = max(h, height)
            try expect(.rightParen)
        }
        var over: WindowReference?
        if tok.kind == .kwOver {
            try advance()
            if try accept(.leftParen) {
                over = .spec(try parseWindowSpec())
                h = max(h, height)
                try expect(.rightParen)
            } else {
                guard tok.kind.isNm else { throw syntaxError() }
                over = .named(try takeName())
            }
        }
        try setHeight(h + 1)
        return .function(FunctionCall(name: name, arguments: arguments, filter: filter, over: over))
    }

    // MARK: - Type names

    /// `typetoken`: one or more names or strings, optionally followed by `(n)` or `(n, m)`
    /// with signed numbers. Returns nil when no type is written.
    mutating func parseTypeName() throws(SQLSyntaxError) -> TypeName? {
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
    mutating func parseSignedNumber() throws(SQLSyntaxError) -> String {
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
