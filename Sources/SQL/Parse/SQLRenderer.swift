/// Writes syntax trees back as SQL text that parses to the same tree.
///
/// Names keep their original quoting; expressions get the parentheses their precedence needs
/// and no others; clauses come out in source order, so anonymous parameters keep their numbers.
package struct SQLRenderer {
    package private(set) var output = ""

    package init() {}

    mutating func write(_ text: String) {
        output += text
    }

    /// Writes a separator, then each element with `body`.
    mutating func list<T>(_ items: [T], separator: String = ", ", _ body: (inout SQLRenderer, T) -> Void) {
        for (index, item) in items.enumerated() {
            if index > 0 { write(separator) }
            body(&self, item)
        }
    }

    // MARK: - Names and literals

    mutating func name(_ name: Name) {
        write(SQLRenderer.quoted(name))
    }

    mutating func qualified(_ name: QualifiedName) {
        if let schema = name.schema {
            self.name(schema)
            write(".")
        }
        self.name(name.name)
    }

    /// A name as written, quoted again the way it was quoted. A bare name that would not read
    /// back as one name (only possible for trees built by code) is double-quoted.
    package static func quoted(_ name: Name) -> String {
        switch name.quoting {
        case .bare:
            return isBareName(name.value) ? name.value : quote(name.value, with: "\"")
        case .doubleQuoted:
            return quote(name.value, with: "\"")
        case .singleQuoted:
            return quote(name.value, with: "'")
        case .backticked:
            return quote(name.value, with: "`")
        case .bracketed:
            return name.value.utf8.contains(UInt8(ascii: "]")) ? quote(name.value, with: "\"") : "[\(name.value)]"
        }
    }

    static func quote(_ text: String, with mark: Character) -> String {
        var result = String(mark)
        for character in text {
            result.append(character)
            if character == mark { result.append(mark) }
        }
        result.append(mark)
        return result
    }

    /// True when `text` reads back as one identifier (or a keyword the parser accepts as one).
    static func isBareName(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard let first = bytes.first else { return false }
        if Lexer.isDigit(first) || first == UInt8(ascii: "$") { return false }
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { return false }
        guard bytes.allSatisfy(Lexer.isIdentifierByte) else { return false }
        if (first | 0x20) == UInt8(ascii: "x") && bytes.count == 1 { return true }
        guard let keyword = Keywords.lookup(text) else { return true }
        return keyword.fallsBackToIdentifier || keyword == .joinKeyword || keyword == .kwIndexed
            || keyword == .kwWindow || keyword == .kwOver || keyword == .kwFilter
    }

    mutating func literal(_ literal: Literal) {
        switch literal {
        case .null: write("NULL")
        case .integer(let value):
            // A negative integer literal comes only from hexadecimal (0xFFFFFFFFFFFFFFFF is -1)
            // or from the folded -9223372036854775808; each is written back the same way.
            if value == .min {
                write("(-9223372036854775808)")
            } else if value < 0 {
                write("0x" + String(UInt64(bitPattern: value), radix: 16, uppercase: true))
            } else {
                write(String(value))
            }
        case .real(let value):
            write(SQLRenderer.realText(value))
        case .string(let value): write(SQLRenderer.quote(value, with: "'"))
        case .blob(let bytes):
            let digits: [Character] = Array("0123456789ABCDEF")
            var text = "X'"
            for byte in bytes {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 15)])
            }
            write(text + "'")
        case .boolean(let value): write(value ? "TRUE" : "FALSE")
        case .currentTime: write("CURRENT_TIME")
        case .currentDate: write("CURRENT_DATE")
        case .currentTimestamp: write("CURRENT_TIMESTAMP")
        }
    }

    /// A real as a number token that converts back to the same Double.
    static func realText(_ value: Double) -> String {
        if value.isInfinite { return value < 0 ? "(-1e999)" : "1e999" }
        if value.isNaN { return "NULL" }
        let text = value.description   // shortest round-tripping digits, e.g. "1e+20", "0.5"
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        // Keep it a FLOAT token: "1e+20" and "0.5" are; a bare "5" would be an integer.
        let number = body.contains(".") || body.contains("e") ? body : body + ".0"
        return negative ? "(-\(number))" : number
    }

    mutating func typeName(_ type: TypeName) {
        write(type.text)
    }
}
