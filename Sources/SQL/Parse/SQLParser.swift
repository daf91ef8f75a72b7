/// Entry points for parsing SQL text.
package enum SQLParser {
    /// Calls parser internals, which throw untyped errors but only SQLSyntaxError.
    private static func typed<T>(_ body: () throws -> T) throws(SQLSyntaxError) -> T {
        do {
            return try body()
        } catch let error as SQLSyntaxError {
            throw error
        } catch {
            preconditionFailure("the parser threw \(error)")
        }
    }

    /// Parses the first statement at or after `offset`, skipping empty ones, as `sqlite3_prepare`
    /// does. Returns the statement (nil when only white space, comments or semicolons remain)
    /// and the offset where the next statement starts: just past the statement's semicolon.
    /// The text ends at its first NUL byte, as in SQLite.
    package static func parseStatement(_ sql: String, at offset: Int = 0,
                                       options: ParserOptions = ParserOptions())
        throws(SQLSyntaxError) -> (statement: ParsedStatement?, next: Int)
    {
        var parser = Parser(sql, offset: offset, options: options)
        let statement = try parser.next()
        return (statement, parser.offset)
    }

    /// Parses every statement of `sql`; stops at the first error.
    package static func parseAll(_ sql: String, options: ParserOptions = ParserOptions())
        throws(SQLSyntaxError) -> [ParsedStatement]
    {
        try parseAll(bytes: sql.utf8, options: options)
    }

    /// Parses every statement of UTF-8 bytes; stops at the first error.
    package static func parseAll<C: Collection>(bytes: C, options: ParserOptions = ParserOptions())
        throws(SQLSyntaxError) -> [ParsedStatement] where C.Element == UInt8
    {
        let buffer = SourceBuffer(bytes)
        var statements: [ParsedStatement] = []
        var offset = 0
        while true {
            var parser = Parser(buffer: buffer, offset: offset, options: options)
            guard let statement = try parser.next() else { return statements }
            statements.append(statement)
            offset = parser.offset
        }
    }

    /// Parses text that must hold exactly one statement (a trailing semicolon is allowed).
    package static func parseOne(_ sql: String, options: ParserOptions = ParserOptions())
        throws(SQLSyntaxError) -> ParsedStatement
    {
        let buffer = SourceBuffer(sql.utf8)
        var parser = Parser(buffer: buffer, offset: 0, options: options)
        guard let statement = try parser.next() else {
            throw SQLSyntaxError("incomplete input", offset: buffer.count)
        }
        var rest = Parser(buffer: buffer, offset: parser.offset, options: options)
        if let extra = try rest.next() {
            throw SQLSyntaxError("more than one statement", offset: extra.range.start)
        }
        return statement
    }

    /// Parses one expression (for tests and tools); the whole text must be the expression.
    package static func parseExpression(_ sql: String, options: ParserOptions = ParserOptions())
        throws(SQLSyntaxError) -> Expr
    {
        try typed {
            var parser = Parser(sql, options: options)
            parser.stackBase = currentStackAddress()
            try parser.advance()
            let expr = try parser.parseExpr()
            if parser.tok.kind != .eof { throw parser.syntaxError() }
            return expr
        }
    }
}
