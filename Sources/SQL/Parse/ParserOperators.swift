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
    mutating func parseExpr() throws -> Expr {
        let expr = try parseBinary(minimum: 1)
        scopeHeight = max(scopeHeight, height)
        return expr
    }

    /// `expr, expr, ...` (one or more); `height` is the greatest height of the list.
    mutating func parseExprList() throws -> [Expr] {
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
    ///
    /// The functions on the recursive path (this one, `parseUnary`, `parsePrimary`,
    /// `parseParenthesized`) keep their own work small and hand the rest to helpers, because a
    /// debug build gives every temporary of a function its own stack slot and deep nesting
    /// multiplies the frame size.
    mutating func parseBinary(minimum: Int, stopAtAnd: Bool = false) throws -> Expr {
        try enter()
        defer { leave() }
        var lhs = try parseUnary()
        var h = height
        while true {
            let level = binaryLevel()
            if level < minimum || level == 0 || (stopAtAnd && tok.kind == .kwAnd) { break }
            lhs = try parseOperator(lhs, level: level, height: &h)
            try setHeight(h)
        }
        height = h
        return lhs
    }

    /// Applies the binary or postfix operator at the current token to `lhs`.
    @inline(never)
    private mutating func parseOperator(_ lhs: Expr, level: Int, height h: inout Int) throws -> Expr {
        try enter()
        defer { leave() }
        switch tok.kind {
        case .kwCollate, .kwIsnull, .kwNotnull, .kwNot, .kwIs:
            return try parseOtherOperator(lhs, level: level, height: &h)
        case .likeKeyword, .kwMatch:
            return try parsePattern(lhs, negated: false, lhsHeight: &h)
        case .kwBetween:
            return try parseBetween(lhs, negated: false, lhsHeight: &h)
        case .kwIn:
            return try parseIn(lhs, negated: false, lhsHeight: &h)
        default:
            let op = binaryOperator(tok)
            try advance()
            let rhs = try parseBinary(minimum: level + 1)
            h = max(h, height) + 1
            return .binary(op, lhs, rhs)
        }
    }

    @inline(never)
    private mutating func parseOtherOperator(_ lhs: Expr, level: Int, height h: inout Int) throws -> Expr {
        switch tok.kind {
        case .kwCollate:
            try advance()
            guard tok.kind.isIds else { throw syntaxError() }
            h += 1
            return .collate(lhs, try takeName())
        case .kwIsnull:
            try advance()
            h += 1
            return .isNull(lhs)
        case .kwNotnull:
            try advance()
            h += 1
            return .notNull(lhs)
        case .kwNot:
            try advance()
            switch tok.kind {
            case .kwNull:
                try advance()
                h += 1
                return .notNull(lhs)
            case .likeKeyword, .kwMatch:
                return try parsePattern(lhs, negated: true, lhsHeight: &h)
            case .kwBetween:
                return try parseBetween(lhs, negated: true, lhsHeight: &h)
            case .kwIn:
                return try parseIn(lhs, negated: true, lhsHeight: &h)
            default:
                throw syntaxError()
            }
        default:
            try advance()   // IS
            var negated = try accept(.kwNot)
            if try accept(.kwDistinct) {
                try expect(.kwFrom)
                negated.toggle()
            }
            let rhs = try parseBinary(minimum: level + 1)
            if case .literal(.null) = rhs {
                // SQLite turns `x IS NULL` into ISNULL and `x IS NOT NULL` into NOTNULL.
                h += 1
                return negated ? .notNull(lhs) : .isNull(lhs)
            }
            h = max(h, height) + 1
            return .binary(negated ? .isNot : .is, lhs, rhs)
        }
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
    private mutating func parsePattern(_ lhs: Expr, negated: Bool, lhsHeight h: inout Int) throws -> Expr {
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
    private mutating func parseBetween(_ lhs: Expr, negated: Bool, lhsHeight h: inout Int) throws -> Expr {
        try advance()
        let low = try parseBinary(minimum: 1, stopAtAnd: true)
        h = max(h, height)
        try expect(.kwAnd)
        let high = try parseBinary(minimum: 5)
        h = max(h, height) + 1
        return .between(negated: negated, lhs, low: low, high: high)
    }

    /// `lhs [NOT] IN (list) | (select) | [schema.]table | [schema.]function(args)`, at IN.
    private mutating func parseIn(_ lhs: Expr, negated: Bool, lhsHeight h: inout Int) throws -> Expr {
        try enter(3)
        defer { leave(3) }
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
                        raise("IN(...) element has \(width) term\(width > 1 ? "s" : "") - expected \(terms.count)",
                              at: previousEnd)
                        break
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
    mutating func parseQualifiedName() throws -> QualifiedName {
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
    mutating func parseUnary() throws -> Expr {
        switch tok.kind {
        case .minus: return try parseNegation()
        case .plus, .bitNot, .kwNot: return try parsePrefixOperator()
        default: return try parsePrimary()
        }
    }

    @inline(never)
    private mutating func parsePrefixOperator() throws -> Expr {
        try enter()
        defer { leave() }
        let op: UnaryOperator = tok.kind == .plus ? .plus : tok.kind == .bitNot ? .bitNot : .not
        try advance()
        let operand = op == .not ? try parseBinary(minimum: 4) : try parseUnaryOperand()
        try setHeight(height + 1)
        return .unary(op, operand)
    }

    /// `- operand`. Minus applied to the integer token 9223372036854775808 (even in
    /// parentheses) is the integer -9223372036854775808, and applied to the hexadecimal
    /// 0x8000000000000000 is an error, as in SQLite's code generator.
    @inline(never)
    private mutating func parseNegation() throws -> Expr {
        try enter()
        defer { leave() }
        try advance()
        lastUnaryMinusEnd = previousEnd
        let operandStart = tok.start
        let operand = try parseUnaryOperand()
        if lastIntegerLiteral.start >= operandStart, let folded = try negatedIntegerLiteral(operand) {
            height = 1
            return folded
        }
        try setHeight(height + 1)
        return .unary(.negate, operand)
    }

    /// The negation of an operand that is exactly the last integer token, when SQLite gives
    /// it a meaning of its own.
    @inline(never)
    private mutating func negatedIntegerLiteral(_ operand: Expr) throws -> Expr? {
        guard case .literal(let literal) = operand else { return nil }
        if case .real = literal, isTwoToThe63(lastIntegerLiteral) { return .literal(.integer(.min)) }
        if case .integer(.min) = literal, z[lastIntegerLiteral.start + 1] | 0x20 == UInt8(ascii: "x"),
           codeGenerationError == nil
        {
            codeGenerationError = error("hex literal too big: -\(text(lastIntegerLiteral))", at: lastIntegerLiteral.start)
        }
        return nil
    }

    private mutating func parseUnaryOperand() throws -> Expr {
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
}
