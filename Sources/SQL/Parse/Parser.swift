/// SQLite's SQL dialect (version 3.40), by recursive descent with precedence climbing.
///
/// A `Parser` reads one statement at a time, like `sqlite3_prepare`: it skips empty statements,
/// parses one, and reports where the next one starts. Tokens are read one at a time, so the
/// first problem in the text is the one reported, whether it is a bad token or a misplaced one,
/// as in SQLite.
package struct Parser {
    let source: SourceBuffer
    let z: UnsafePointer<UInt8>
    let options: ParserOptions

    /// The current token (SQLite's lookahead); WINDOW, OVER and FILTER already resolved.
    var tok: Token
    /// Where the lexer continues after `tok` and the tokens in `ahead`.
    var lexPosition: Int
    /// Raw tokens read past `tok` to look ahead, in order.
    var ahead: [Token] = []
    /// The kind and end of the token consumed last.
    var previousKind: TokenKind = .semicolon
    var previousEnd: Int

    /// Nesting of recursive parse calls, weighted by their stack use (`enter`).
    var depth = 0
    /// The stack address where this parse started.
    var stackBase: UInt = 0
    /// The height of the expression parsed last (SQLite's Expr.nHeight); set by every function
    /// that returns an expression.
    var height = 0
    /// The greatest expression height seen in the query being parsed.
    var scopeHeight = 0

    /// Parameter numbering, per statement.
    var parameterCount = 0
    var parameterNames: [ParameterName] = []
    var parameterIndexByName: [String: Int] = [:]

    /// Start of the last integer token turned into a literal, and end of the last unary minus:
    /// `-9223372036854775808` is an integer only when the minus applies to that very token.
    var lastIntegerLiteral = Token(kind: .eof, start: -1, end: -1)
    var lastUnaryMinusEnd = -1

    /// An error SQLite raises while reducing a rule, reported once the current token proves
    /// acceptable (see `raise`).
    var pendingError: SQLSyntaxError?
    /// An error SQLite's code generator raises, reported only if the statement parses.
    var codeGenerationError: SQLSyntaxError?

    /// Creates a parser over UTF-8 bytes; parsing starts at `offset`.
    package init<C: Collection>(bytes: C, offset: Int = 0, options: ParserOptions = ParserOptions())
    where C.Element == UInt8 {
        self.init(buffer: SourceBuffer(bytes), offset: offset, options: options)
    }

    package init(_ sql: String, offset: Int = 0, options: ParserOptions = ParserOptions()) {
        self.init(bytes: sql.utf8, offset: offset, options: options)
    }

    init(buffer: SourceBuffer, offset: Int, options: ParserOptions) {
        source = buffer
        z = UnsafePointer(buffer.base)
        self.options = options
        let start = min(max(offset, 0), buffer.count)
        tok = Token(kind: .semicolon, start: start, end: start)
        lexPosition = start
        previousEnd = start
        stackBase = currentStackAddress()
    }

    /// Where the text ends for the parser (its length, or its first NUL byte).
    package var endOffset: Int { source.count }

    // MARK: - Statements

    /// Parses the next statement, skipping empty ones. Returns nil at the end of the input.
    /// `offset` is then where the following statement starts (after the semicolon, if any).
    package mutating func next() throws(SQLSyntaxError) -> ParsedStatement? {
        do {
            return try parseNext()
        } catch let error as SQLSyntaxError {
            throw error
        } catch {
            preconditionFailure("the parser threw \(error)")
        }
    }

    // The parse functions throw untyped errors, which cost a debug build less stack per call
    // than typed ones; they only ever throw SQLSyntaxError.
    private mutating func parseNext() throws -> ParsedStatement? {
        stackBase = currentStackAddress()
        try advance()
        while tok.kind == .semicolon { try advance() }
        if tok.kind == .eof {
            lexPosition = tok.start
            return nil
        }
        parameterCount = 0
        parameterNames = []
        parameterIndexByName = [:]
        pendingError = nil
        codeGenerationError = nil
        scopeHeight = 0
        depth = 0
        let start = tok.start
        var explain: ExplainMode?
        if tok.kind == .kwExplain {
            try advance()
            explain = .explain
            if tok.kind == .kwQuery {
                try advance()
                try expect(.kwPlan)
                explain = .queryPlan
            }
        }
        let statementStart = tok.start
        let statement = try parseCommand()
        let end = previousEnd
        switch tok.kind {
        case .semicolon: lexPosition = tok.end
        case .eof: lexPosition = tok.start
        default: throw syntaxError()
        }
        if let error = pendingError ?? codeGenerationError { throw error }
        ahead.removeAll()
        return ParsedStatement(explain: explain, statement: statement,
                               range: SourceRange(start: start, end: end),
                               statementRange: SourceRange(start: statementStart, end: end),
                               parameterCount: parameterCount, parameterNames: parameterNames)
    }

    /// The offset at which `next()` continues.
    package var offset: Int { lexPosition }

    // MARK: - Tokens

    /// Moves to the next token. A token SQLite cannot read is an error as soon as it is reached.
    mutating func advance() throws {
        if let pendingError { throw pendingError }
        previousKind = tok.kind
        previousEnd = tok.end
        if ahead.isEmpty {
            tok = lexRaw(&lexPosition)
        } else {
            tok = ahead.removeFirst()
        }
        switch tok.kind {
        case .illegal:
            throw SQLSyntaxError("unrecognized token: \"\(source.text(tok.start, tok.end))\"", offset: tok.start)
        case .kwWindow:
            // WINDOW is a keyword only before `name AS`.
            if !(peek(0).isIdentifierForLookahead && peek(1) == .kwAs) { tok.kind = .identifier }
        case .kwOver:
            // OVER is a keyword only after ')' and before '(' or a name.
            let next = peek(0)
            if !(previousKind == .rightParen && (next == .leftParen || next.isIdentifierForLookahead)) {
                tok.kind = .identifier
            }
        case .kwFilter:
            if !(previousKind == .rightParen && peek(0) == .leftParen) { tok.kind = .identifier }
        default:
            break
        }
    }

    /// The raw kind of the `n`th token after the current one (0 is the next), without errors.
    mutating func peek(_ n: Int) -> TokenKind {
        while ahead.count <= n {
            let last = ahead.last?.kind ?? tok.kind
            if last == .eof || last == .illegal { return last }
            ahead.append(lexRaw(&lexPosition))
        }
        return ahead[n].kind
    }

    /// The next token that is not white space, from `position`.
    func lexRaw(_ position: inout Int) -> Token {
        while true {
            let start = position
            if start >= source.count { return Token(kind: .eof, start: source.count, end: source.count) }
            let (kind, length) = Lexer.scan(z, start)
            position = start + length
            if kind == .space { continue }
            return Token(kind: kind, start: start, end: position)
        }
    }

    @inline(__always) mutating func accept(_ kind: TokenKind) throws -> Bool {
        if tok.kind == kind {
            try advance()
            return true
        }
        return false
    }

    @inline(__always) mutating func expect(_ kind: TokenKind) throws {
        if tok.kind != kind { throw syntaxError() }
        try advance()
    }

    /// The error for the current token: SQLite's `near "X": syntax error`, or `incomplete
    /// input` at the end of the text.
    func syntaxError() -> SQLSyntaxError {
        if tok.kind == .eof { return SQLSyntaxError("incomplete input", offset: tok.start) }
        return SQLSyntaxError("near \"\(source.text(tok.start, tok.end))\": syntax error", offset: tok.start)
    }

    func error(_ message: String, at offset: Int) -> SQLSyntaxError {
        SQLSyntaxError(message, offset: offset)
    }

    /// Records an error that SQLite raises in a grammar action. SQLite runs the action when the
    /// token after the construct arrives, and reports the error only if that token can follow;
    /// if it cannot, the syntax error at that token replaces the message. So the parser goes
    /// on, and the error is thrown when the current token is consumed or the statement ends,
    /// unless a syntax error at the current token comes first. Call it with the token after
    /// the construct current.
    mutating func raise(_ message: String, at offset: Int) {
        pendingError = SQLSyntaxError(message, offset: offset)
    }

    func text(_ token: Token) -> String { source.text(token.start, token.end) }

    /// True when the current token's text is `word`, ignoring ASCII case.
    func tokenIs(_ word: StaticString) -> Bool {
        guard tok.length == word.utf8CodeUnitCount else { return false }
        let w = word.utf8Start
        for i in 0..<tok.length where (z[tok.start + i] | 0x20) != (w[i] | 0x20) { return false }
        return true
    }

    // MARK: - Nesting

    /// Enters a recursive construct. `cost` is its share of stack, in units of about 1 KiB of a
    /// debug build's frames, so that `maxNestingDepth` bounds the stack the parser can use;
    /// past it, or past `stackBudget` bytes of actual stack, the parse ends with SQLite's
    /// "parser stack overflow".
    @inline(__always) mutating func enter(_ cost: Int = 1) throws {
        depth += cost
        if depth > options.maxNestingDepth
            || Int(bitPattern: stackBase) - Int(bitPattern: currentStackAddress()) > Parser.stackBudget
        {
            throw SQLSyntaxError("parser stack overflow", offset: tok.start)
        }
    }

    @inline(__always) mutating func leave(_ cost: Int = 1) { depth -= cost }

    /// The most stack one parse may use, measured from where it starts: a safety net under
    /// the nesting count, which is what normally stops deep nesting.
    static let stackBudget = 400 * 1024

    /// Records the height of a new expression node, failing as SQLite does past its limit.
    @inline(__always) mutating func setHeight(_ h: Int) throws {
        height = h
        if h > options.maxExpressionDepth {
            raise("Expression tree is too large (maximum depth \(options.maxExpressionDepth))", at: tok.start)
        }
    }
}

extension TokenKind {
    /// SQLite's `getToken` used to look past WINDOW and OVER: names, strings, join keywords and
    /// keywords that fall back to names all count as a name.
    var isIdentifierForLookahead: Bool {
        switch self {
        case .identifier, .string, .joinKeyword, .kwWindow, .kwOver: return true
        default: return fallsBackToIdentifier
        }
    }
}


/// An address in the caller's stack frame, to measure how deep the parser has gone.
@inline(never) func currentStackAddress() -> UInt {
    var marker: UInt8 = 0
    return withUnsafeMutablePointer(to: &marker) { UInt(bitPattern: $0) }
}
