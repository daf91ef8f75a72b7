// Turning tokens into names and literal values.

extension Parser {
    /// The dequoted text of a name or string token, with its quoting. SQLite keeps names and
    /// strings as bytes; here they become Strings, so text that is not UTF-8 is an error rather
    /// than a silent repair.
    func decodeName(_ token: Token) throws -> Name {
        let first = z[token.start]
        let quoting: Name.Quoting
        switch first {
        case UInt8(ascii: "\""): quoting = .doubleQuoted
        case UInt8(ascii: "'"): quoting = .singleQuoted
        case UInt8(ascii: "`"): quoting = .backticked
        case UInt8(ascii: "["): quoting = .bracketed
        default: quoting = .bare
        }
        let value = try dequote(token)
        return Name(value, quoting: quoting, range: SourceRange(start: token.start, end: token.end))
    }

    /// SQLite's `sqlite3Dequote`: strips the quotes and undoubles inner quote characters.
    func dequote(_ token: Token) throws -> String {
        let first = z[token.start]
        var start = token.start, end = token.end
        var closing: UInt8 = 0
        switch first {
        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "`"):
            closing = first
        case UInt8(ascii: "["):
            closing = UInt8(ascii: "]")
        default:
            break
        }
        if closing != 0 {
            start += 1
            end -= 1
        }
        let raw = source.bytes(start, end)
        var result: String?
        if closing == 0 || closing == UInt8(ascii: "]") || !raw.contains(closing) {
            result = String(validating: raw, as: UTF8.self)
        } else {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(raw.count)
            var i = 0
            while i < raw.count {
                bytes.append(raw[i])
                i += raw[i] == closing ? 2 : 1
            }
            result = String(validating: bytes, as: UTF8.self)
        }
        guard let text = result else {
            throw error("invalid UTF-8 in \(closing == UInt8(ascii: "'") ? "string literal" : "identifier") near \"\(self.text(token))\"",
                        at: token.start)
        }
        return text
    }

    /// The name at the current token, which the caller has checked; consumes it.
    mutating func takeName() throws -> Name {
        let name = try decodeName(tok)
        try advance()
        return name
    }

    /// The literal for an INTEGER token: an Int64, or a real when it does not fit, as SQLite
    /// codes it. A hexadecimal literal is the two's complement of its 64 bits; more than 16
    /// significant hex digits is an error.
    mutating func integerLiteral(_ token: Token, negated: Bool = false) throws -> Literal {
        let bytes = source.bytes(token.start, token.end)
        if bytes.count > 2 && bytes[0] == UInt8(ascii: "0") && (bytes[1] | 0x20) == UInt8(ascii: "x") {
            var i = 2
            while i < bytes.count && bytes[i] == UInt8(ascii: "0") { i += 1 }
            if bytes.count - i > 16 {
                // SQLite's code generator refuses it, so it counts only if the statement parses.
                if codeGenerationError == nil {
                    codeGenerationError = error("hex literal too big: \(negated ? "-" : "")\(text(token))", at: token.start)
                }
                return .integer(0)
            }
            var value: UInt64 = 0
            while i < bytes.count {
                value = value << 4 | UInt64(hexValue(bytes[i]))
                i += 1
            }
            return .integer(Int64(bitPattern: value))
        }
        var value: Int64 = 0
        for byte in bytes {
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
            if o1 || o2 { return .real(realValue(token)) }
            value = sum
        }
        return .integer(value)
    }

    /// The value of a FLOAT token (or an INTEGER token too big for Int64).
    func realValue(_ token: Token) -> Double {
        // Swift's conversion is correctly rounded, accepts SQLite's forms ("5.", ".5", "1e5")
        // and gives infinity beyond the range, as SQLite does.
        Double(source.text(token.start, token.end)) ?? .nan
    }

    /// The bytes of a blob literal X'...'.
    func blobValue(_ token: Token) -> [UInt8] {
        let bytes = source.bytes(token.start + 2, token.end - 1)
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count / 2)
        var i = 0
        while i + 1 < bytes.count {
            result.append(hexValue(bytes[i]) << 4 | hexValue(bytes[i + 1]))
            i += 2
        }
        return result
    }

    private func hexValue(_ c: UInt8) -> UInt8 {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
        default: return c - UInt8(ascii: "A") + 10
        }
    }

    /// Assigns a parameter its number, as `sqlite3ExprAssignVarNumber` does. Called with the
    /// token after the parameter current: the errors are SQLite's grammar-action errors.
    mutating func parameter(_ token: Token) -> Parameter {
        let text = self.text(token)
        if token.length == 1 {
            parameterCount += 1
            checkParameterCount(token)
            return Parameter(kind: .anonymous, text: text, index: parameterCount)
        }
        if z[token.start] == UInt8(ascii: "?") {
            var number = 0
            var valid = true
            for byte in source.bytes(token.start + 1, token.end) {
                number = number * 10 + Int(byte - UInt8(ascii: "0"))
                if number > options.maxVariableNumber { valid = false; break }
            }
            if !valid || number < 1 {
                raise("variable number must be between ?1 and ?\(options.maxVariableNumber)", at: token.start)
                return Parameter(kind: .numbered, text: text, index: 0)
            }
            if number > parameterCount {
                parameterCount = number
                addParameterName(text, number)
            } else if !parameterNames.contains(where: { $0.index == number }) {
                addParameterName(text, number)
            }
            return Parameter(kind: .numbered, text: text, index: number)
        }
        if let known = parameterIndexByName[text] {
            return Parameter(kind: .named, text: text, index: known)
        }
        parameterCount += 1
        checkParameterCount(token)
        addParameterName(text, parameterCount)
        return Parameter(kind: .named, text: text, index: parameterCount)
    }

    private mutating func addParameterName(_ name: String, _ index: Int) {
        parameterNames.append(ParameterName(name: name, index: index))
        if parameterIndexByName[name] == nil { parameterIndexByName[name] = index }
    }

    private mutating func checkParameterCount(_ token: Token) {
        if parameterCount > options.maxVariableNumber {
            raise("too many SQL variables", at: token.start)
        }
    }
}
