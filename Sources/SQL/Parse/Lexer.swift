/// One token: its kind and its byte range in the source.
package struct Token: Sendable, Equatable {
    package var kind: TokenKind
    package var start: Int
    package var end: Int

    package init(kind: TokenKind, start: Int, end: Int) {
        self.kind = kind
        self.start = start
        self.end = end
    }

    package var length: Int { end - start }
}

/// SQLite's tokenizer (`sqlite3GetToken`), byte for byte.
///
/// It scans a buffer that ends in a NUL byte, as SQLite's does: every read past a byte that is
/// not NUL stays inside the buffer, so the scanner needs no bounds checks, and a NUL byte inside
/// the text ends the input exactly where it ends SQLite's.
package enum Lexer {
    /// Scans the token at `z[i]`; returns its kind and length. At the end of the input the kind
    /// is `.eof` and the length 0.
    @inline(__always)
    package static func scan(_ z: UnsafePointer<UInt8>, _ i0: Int) -> (kind: TokenKind, length: Int) {
        let c = z[i0]
        switch c {
        case 0x20, 0x09, 0x0A, 0x0C, 0x0D:
            var i = i0 + 1
            while isSpace(z[i]) { i += 1 }
            return (.space, i - i0)
        case UInt8(ascii: "-"):
            let c1 = z[i0 + 1]
            if c1 == UInt8(ascii: "-") {
                var i = i0 + 2
                while z[i] != 0 && z[i] != 0x0A { i += 1 }
                return (.space, i - i0)   // SQLite 3.40 reports comments as white space
            }
            if c1 == UInt8(ascii: ">") {
                return (.pointer, z[i0 + 2] == UInt8(ascii: ">") ? 3 : 2)
            }
            return (.minus, 1)
        case UInt8(ascii: "("): return (.leftParen, 1)
        case UInt8(ascii: ")"): return (.rightParen, 1)
        case UInt8(ascii: ";"): return (.semicolon, 1)
        case UInt8(ascii: "+"): return (.plus, 1)
        case UInt8(ascii: "*"): return (.star, 1)
        case UInt8(ascii: "/"):
            if z[i0 + 1] != UInt8(ascii: "*") || z[i0 + 2] == 0 { return (.slash, 1) }
            // An unterminated comment runs to the end of the input, as in SQLite.
            var i = i0 + 3
            var prev = z[i0 + 2]
            while !(prev == UInt8(ascii: "*") && z[i] == UInt8(ascii: "/")) {
                prev = z[i]
                if prev == 0 { return (.space, i - i0) }
                i += 1
            }
            return (.space, i + 1 - i0)
        case UInt8(ascii: "%"): return (.percent, 1)
        case UInt8(ascii: "="): return (.equal, z[i0 + 1] == UInt8(ascii: "=") ? 2 : 1)
        case UInt8(ascii: "<"):
            switch z[i0 + 1] {
            case UInt8(ascii: "="): return (.lessEqual, 2)
            case UInt8(ascii: ">"): return (.notEqual, 2)
            case UInt8(ascii: "<"): return (.shiftLeft, 2)
            default: return (.less, 1)
            }
        case UInt8(ascii: ">"):
            switch z[i0 + 1] {
            case UInt8(ascii: "="): return (.greaterEqual, 2)
            case UInt8(ascii: ">"): return (.shiftRight, 2)
            default: return (.greater, 1)
            }
        case UInt8(ascii: "!"):
            return z[i0 + 1] == UInt8(ascii: "=") ? (.notEqual, 2) : (.illegal, 1)
        case UInt8(ascii: "|"):
            return z[i0 + 1] == UInt8(ascii: "|") ? (.concat, 2) : (.bitOr, 1)
        case UInt8(ascii: ","): return (.comma, 1)
        case UInt8(ascii: "&"): return (.bitAnd, 1)
        case UInt8(ascii: "~"): return (.bitNot, 1)
        case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"):
            return scanQuoted(z, i0, delimiter: c)
        case UInt8(ascii: "."):
            if !isDigit(z[i0 + 1]) { return (.dot, 1) }
            return scanNumber(z, i0)
        case UInt8(ascii: "0")...UInt8(ascii: "9"):
            return scanNumber(z, i0)
        case UInt8(ascii: "["):
            var i = i0 + 1
            while z[i] != UInt8(ascii: "]") {
                if z[i] == 0 { return (.illegal, i - i0) }
                i += 1
            }
            return (.identifier, i + 1 - i0)
        case UInt8(ascii: "?"):
            var i = i0 + 1
            while isDigit(z[i]) { i += 1 }
            return (.variable, i - i0)
        case UInt8(ascii: "$"), UInt8(ascii: "@"), UInt8(ascii: ":"), UInt8(ascii: "#"):
            return scanNamedVariable(z, i0)
        case UInt8(ascii: "x"), UInt8(ascii: "X"):
            if z[i0 + 1] == UInt8(ascii: "'") { return scanBlob(z, i0) }
            return scanIdentifier(z, i0, from: i0 + 1)
        case UInt8(ascii: "A")...UInt8(ascii: "W"), UInt8(ascii: "a")...UInt8(ascii: "w"):
            return scanWord(z, i0)
        case UInt8(ascii: "Y"), UInt8(ascii: "Z"), UInt8(ascii: "y"), UInt8(ascii: "z"),
             UInt8(ascii: "_"):
            return scanIdentifier(z, i0, from: i0 + 1)
        case 0xEF:
            // A UTF-8 byte order mark is white space.
            if z[i0 + 1] == 0xBB && z[i0 + 2] == 0xBF { return (.space, 3) }
            return scanIdentifier(z, i0, from: i0 + 1)
        case 0x80...0xFF:
            return scanIdentifier(z, i0, from: i0 + 1)
        case 0:
            return (.eof, 0)
        default:
            return (.illegal, 1)
        }
    }

    /// SQLite's `sqlite3Isspace`: unlike a token's first byte, it also takes vertical tab.
    @inline(__always) static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0D)
    }

    @inline(__always) static func isDigit(_ c: UInt8) -> Bool {
        c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")
    }

    @inline(__always) static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    /// SQLite's `IdChar`: letters, digits, '_', '$' and every byte of a multi-byte character.
    @inline(__always) package static func isIdentifierByte(_ c: UInt8) -> Bool {
        c >= 0x80 || (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || isDigit(c)
            || c == 0x5F || c == 0x24
    }

    private static func scanQuoted(_ z: UnsafePointer<UInt8>, _ i0: Int, delimiter: UInt8)
        -> (kind: TokenKind, length: Int)
    {
        var i = i0 + 1
        while true {
            let c = z[i]
            if c == 0 { return (.illegal, i - i0) }
            if c == delimiter {
                if z[i + 1] == delimiter { i += 2; continue }
                return (delimiter == UInt8(ascii: "'") ? .string : .identifier, i + 1 - i0)
            }
            i += 1
        }
    }

    private static func scanNumber(_ z: UnsafePointer<UInt8>, _ i0: Int) -> (kind: TokenKind, length: Int) {
        var kind = TokenKind.integer
        var i = i0
        if z[i0] == UInt8(ascii: "0") && (z[i0 + 1] | 0x20) == UInt8(ascii: "x") && isHexDigit(z[i0 + 2]) {
            // As sqlite3GetToken: a hex literal ends at its last hex digit, and what follows
            // is the next token ("0x1Fg" is 31 AS g), unlike a decimal one.
            i = i0 + 3
            while isHexDigit(z[i]) { i += 1 }
            return (kind, i - i0)
        } else {
            while isDigit(z[i]) { i += 1 }
            if z[i] == UInt8(ascii: ".") {
                kind = .float
                i += 1
                while isDigit(z[i]) { i += 1 }
            }
            if (z[i] | 0x20) == UInt8(ascii: "e")
                && (isDigit(z[i + 1])
                    || ((z[i + 1] == UInt8(ascii: "+") || z[i + 1] == UInt8(ascii: "-")) && isDigit(z[i + 2])))
            {
                kind = .float
                i += 2
                while isDigit(z[i]) { i += 1 }
            }
        }
        // A number running straight into an identifier byte ("1e", "12abc") is one bad token.
        while isIdentifierByte(z[i]) {
            kind = .illegal
            i += 1
        }
        return (kind, i - i0)
    }

    private static func scanNamedVariable(_ z: UnsafePointer<UInt8>, _ i0: Int) -> (kind: TokenKind, length: Int) {
        var kind = TokenKind.variable
        var nameBytes = 0
        var i = i0 + 1
        while true {
            let c = z[i]
            if c == 0 { break }
            if isIdentifierByte(c) {
                nameBytes += 1
            } else if c == UInt8(ascii: "(") && nameBytes > 0 {
                // Tcl-style array suffix: $name(anything up to white space or ')').
                repeat { i += 1 } while z[i] != 0 && !isSpace(z[i]) && z[i] != UInt8(ascii: ")")
                if z[i] == UInt8(ascii: ")") { i += 1 } else { kind = .illegal }
                break
            } else if c == UInt8(ascii: ":") && z[i + 1] == UInt8(ascii: ":") {
                i += 1   // Tcl namespace separator
            } else {
                break
            }
            i += 1
        }
        if nameBytes == 0 { kind = .illegal }
        return (kind, i - i0)
    }

    private static func scanBlob(_ z: UnsafePointer<UInt8>, _ i0: Int) -> (kind: TokenKind, length: Int) {
        var i = i0 + 2
        while isHexDigit(z[i]) { i += 1 }
        var kind = TokenKind.blob
        if z[i] != UInt8(ascii: "'") || (i - i0) % 2 != 0 {
            kind = .illegal
            while z[i] != 0 && z[i] != UInt8(ascii: "'") { i += 1 }
        }
        if z[i] != 0 { i += 1 }
        return (kind, i - i0)
    }

    /// A token starting with a letter that may begin a keyword.
    private static func scanWord(_ z: UnsafePointer<UInt8>, _ i0: Int) -> (kind: TokenKind, length: Int) {
        if !Keywords.isKeywordByte(z[i0 + 1]) { return scanIdentifier(z, i0, from: i0 + 1) }
        var i = i0 + 2
        while Keywords.isKeywordByte(z[i]) { i += 1 }
        if isIdentifierByte(z[i]) { return scanIdentifier(z, i0, from: i + 1) }
        if let keyword = Keywords.lookup(z + i0, count: i - i0) { return (keyword, i - i0) }
        return (.identifier, i - i0)
    }

    private static func scanIdentifier(_ z: UnsafePointer<UInt8>, _ i0: Int, from start: Int)
        -> (kind: TokenKind, length: Int)
    {
        var i = start
        while isIdentifierByte(z[i]) { i += 1 }
        return (.identifier, i - i0)
    }
}
