/// The source text of a table's CHECK constraints, in order: sqlite3 names an unnamed CHECK by
/// its expression as written.
enum CheckConstraintText {
    static func texts(of sql: String) -> [String] {
        let bytes = Array(sql.utf8) + [0]
        var texts: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var offset = 0
            var tokens: [(TokenKind, Int, Int)] = []
            while offset < bytes.count - 1 {
                let (kind, length) = Lexer.scan(base + offset, 0)
                if kind == .eof || length <= 0 { break }
                if kind != .space { tokens.append((kind, offset, offset + length)) }
                offset += length
            }
            var index = 0
            while index < tokens.count {
                if tokens[index].0 == .kwCheck, index + 1 < tokens.count, tokens[index + 1].0 == .leftParen {
                    var depth = 0
                    var end = index + 1
                    while end < tokens.count {
                        if tokens[end].0 == .leftParen { depth += 1 }
                        if tokens[end].0 == .rightParen { depth -= 1; if depth == 0 { break } }
                        end += 1
                    }
                    if end < tokens.count, end > index + 2 {
                        let start = tokens[index + 2].1
                        let stop = tokens[end - 1].2
                        texts.append(String(decoding: bytes[start..<stop], as: UTF8.self))
                    }
                    index = end
                }
                index += 1
            }
        }
        return texts
    }
}
