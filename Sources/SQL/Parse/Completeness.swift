extension SQLParser {
    /// SQLite's `sqlite3_complete`: true when the text ends a statement, that is when its last
    /// token that is not white space or a comment is a semicolon outside any string, quoted
    /// name or comment, and any CREATE TRIGGER has reached its `END;`. It does not check that
    /// the statement parses (the shell uses it to know when to stop reading lines).
    package static func isComplete(_ sql: String) -> Bool {
        isComplete(bytes: Array(sql.utf8))
    }

    package static func isComplete(bytes: [UInt8]) -> Bool {
        // States: 0 invalid, 1 start, 2 normal, 3 explain, 4 create, 5 trigger, 6 semi, 7 end.
        // Tokens: 0 ';', 1 white space, 2 other, 3 EXPLAIN, 4 CREATE, 5 TEMP, 6 TRIGGER, 7 END.
        let transitions: [[UInt8]] = [
            [1, 0, 2, 3, 4, 2, 2, 2],
            [1, 1, 2, 3, 4, 2, 2, 2],
            [1, 2, 2, 2, 2, 2, 2, 2],
            [1, 3, 3, 2, 4, 2, 2, 2],
            [1, 4, 2, 2, 2, 4, 5, 2],
            [6, 5, 5, 5, 5, 5, 5, 5],
            [6, 6, 5, 5, 5, 5, 5, 7],
            [1, 7, 5, 5, 5, 5, 5, 5],
        ]
        let n = bytes.firstIndex(of: 0) ?? bytes.count
        func at(_ i: Int) -> UInt8 { i < n ? bytes[i] : 0 }
        var state: UInt8 = 0
        var i = 0
        while i < n {
            let token: Int
            switch bytes[i] {
            case UInt8(ascii: ";"):
                token = 0
            case UInt8(ascii: " "), UInt8(ascii: "\r"), UInt8(ascii: "\t"), UInt8(ascii: "\n"), 0x0C:
                token = 1
            case UInt8(ascii: "/"):
                if at(i + 1) != UInt8(ascii: "*") {
                    token = 2
                    break
                }
                i += 2
                while i < n && !(bytes[i] == UInt8(ascii: "*") && at(i + 1) == UInt8(ascii: "/")) { i += 1 }
                if i >= n { return false }
                i += 1
                token = 1
            case UInt8(ascii: "-"):
                if at(i + 1) != UInt8(ascii: "-") {
                    token = 2
                    break
                }
                while i < n && bytes[i] != UInt8(ascii: "\n") { i += 1 }
                if i >= n { return state == 1 }
                token = 1
            case UInt8(ascii: "["):
                i += 1
                while i < n && bytes[i] != UInt8(ascii: "]") { i += 1 }
                if i >= n { return false }
                token = 2
            case UInt8(ascii: "`"), UInt8(ascii: "\""), UInt8(ascii: "'"):
                let quote = bytes[i]
                i += 1
                while i < n && bytes[i] != quote { i += 1 }
                if i >= n { return false }
                token = 2
            default:
                guard Lexer.isIdentifierByte(bytes[i]) else {
                    token = 2
                    break
                }
                var length = 1
                while Lexer.isIdentifierByte(at(i + length)) { length += 1 }
                token = completenessKeyword(bytes[i..<(i + length)])
                i += length - 1
            }
            state = transitions[Int(state)][token]
            i += 1
        }
        return state == 1
    }

    private static func completenessKeyword(_ word: ArraySlice<UInt8>) -> Int {
        let lower = String(decoding: word.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        switch lower {
        case "create": return 4
        case "temp", "temporary": return 5
        case "trigger": return 6
        case "end": return 7
        case "explain": return 3
        default: return 2
        }
    }
}
