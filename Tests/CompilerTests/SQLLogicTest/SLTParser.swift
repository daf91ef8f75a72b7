/// The records of a file in sqllogictest's format (https://sqlite.org/sqllogictest): records are
/// separated by blank lines; `#` lines are comments; `skipif <db>` / `onlyif <db>` lines before a
/// record make it conditional.
struct SLTRecord: Equatable {
    enum SortMode: String, Equatable { case nosort, rowsort, valuesort }

    /// What a query's result section says: the values one per line, or their count and hash.
    enum Expected: Equatable {
        case values([String])
        case hash(count: Int, md5: String)
    }

    enum Kind: Equatable {
        case statement(expectError: Bool, sql: String)
        case query(types: [Character], sort: SortMode, label: String?, sql: String, expected: Expected)
        case hashThreshold(Int)
        case halt
    }

    var kind: Kind
    /// The line (1-based) the record starts on, for failure messages.
    var line: Int
    var skipIf: [String] = []
    var onlyIf: [String] = []

    /// Whether a runner calling itself `database` runs this record.
    func applies(to database: String) -> Bool {
        if skipIf.contains(database) { return false }
        return onlyIf.isEmpty || onlyIf.contains(database)
    }
}

struct SLTParseError: Error, CustomStringConvertible {
    var line: Int
    var message: String
    var description: String { "line \(line): \(message)" }
}

enum SLTParser {
    static func parse(_ text: String) throws(SLTParseError) -> [SLTRecord] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> Substring in
            line.hasSuffix("\r") ? line.dropLast() : line
        }
        var records: [SLTRecord] = []
        var index = 0
        while index < lines.count {
            // Gather one block: the non-blank lines up to the next blank one, comments dropped.
            while index < lines.count && isBlank(lines[index]) { index += 1 }
            guard index < lines.count else { break }
            var block: [(number: Int, text: Substring)] = []
            while index < lines.count && !isBlank(lines[index]) {
                if !lines[index].hasPrefix("#") { block.append((index + 1, lines[index])) }
                index += 1
            }
            if let record = try parseBlock(block) { records.append(record) }
        }
        return records
    }

    private static func isBlank(_ line: Substring) -> Bool {
        line.allSatisfy { $0 == " " || $0 == "\t" }
    }

    private static func parseBlock(_ block: [(number: Int, text: Substring)]) throws(SLTParseError) -> SLTRecord? {
        var skipIf: [String] = []
        var onlyIf: [String] = []
        var position = 0
        while position < block.count {
            let words = block[position].text.split(whereSeparator: { $0 == " " || $0 == "\t" })
            guard let keyword = words.first else { position += 1; continue }
            if keyword == "skipif" || keyword == "onlyif" {
                guard words.count >= 2 else { throw SLTParseError(line: block[position].number, message: "\(keyword) needs a database name") }
                if keyword == "skipif" { skipIf.append(String(words[1])) } else { onlyIf.append(String(words[1])) }
                position += 1
                continue
            }
            break
        }
        guard position < block.count else { return nil }  // comments or conditions alone
        let header = block[position]
        let words = header.text.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
        let body = block[(position + 1)...].map { String($0.text) }
        let kind: SLTRecord.Kind
        switch words[0] {
        case "statement":
            guard words.count >= 2, words[1] == "ok" || words[1] == "error" else {
                throw SLTParseError(line: header.number, message: "statement must be followed by ok or error")
            }
            guard !body.isEmpty else { throw SLTParseError(line: header.number, message: "statement without SQL") }
            kind = .statement(expectError: words[1] == "error", sql: body.joined(separator: "\n"))
        case "query":
            guard words.count >= 2, !words[1].isEmpty, words[1].allSatisfy({ "IRT".contains($0) }) else {
                throw SLTParseError(line: header.number, message: "query needs a type string of I, R and T")
            }
            var sort = SLTRecord.SortMode.nosort
            if words.count >= 3 {
                guard let mode = SLTRecord.SortMode(rawValue: words[2]) else {
                    throw SLTParseError(line: header.number, message: "unknown sort mode \(words[2])")
                }
                sort = mode
            }
            let label = words.count >= 4 ? words[3] : nil
            let separator = body.firstIndex(of: "----")
            let sql = body[..<(separator ?? body.count)].joined(separator: "\n")
            guard !sql.isEmpty else { throw SLTParseError(line: header.number, message: "query without SQL") }
            let results = separator.map { Array(body[($0 + 1)...]) } ?? []
            kind = .query(types: Array(words[1]), sort: sort, label: label, sql: sql, expected: expected(results))
        case "hash-threshold":
            guard words.count == 2, let threshold = Int(words[1]), threshold >= 0 else {
                throw SLTParseError(line: header.number, message: "hash-threshold needs a count")
            }
            kind = .hashThreshold(threshold)
        case "halt":
            kind = .halt
        default:
            throw SLTParseError(line: header.number, message: "unknown record \(words[0])")
        }
        return SLTRecord(kind: kind, line: header.number, skipIf: skipIf, onlyIf: onlyIf)
    }

    /// `N values hashing to H` when the result was hashed, else the values themselves.
    private static func expected(_ lines: [String]) -> SLTRecord.Expected {
        if lines.count == 1 {
            let words = lines[0].split(separator: " ")
            if words.count == 5, let count = Int(words[0]), words[1] == "values", words[2] == "hashing", words[3] == "to",
               words[4].count == 32, words[4].allSatisfy(\.isHexDigit) {
                return .hash(count: count, md5: String(words[4]).lowercased())
            }
        }
        return .values(lines)
    }
}
