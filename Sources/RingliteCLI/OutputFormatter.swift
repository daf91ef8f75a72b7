import Ringlite

/// Prints result rows as the sqlite3 shell prints them in each mode (its shell_callback and
/// exec_prepared_stmt_columnar), byte for byte: text is printed as C's %s prints it (up to its
/// first NUL), blobs as their raw bytes except where a mode quotes them.
struct OutputFormatter {
    var settings: OutputSettings
    let output: Output
    let reals: RealFormatter

    /// The bytes sqlite3_column_text gives for a column, cut at the first NUL as %s cuts them;
    /// nil for NULL.
    static func cText(_ statement: Statement, _ column: Int) -> [UInt8]? {
        statement.withText(at: column) { buffer in
            guard let buffer else { return nil }
            return Array(buffer.prefix { $0 != 0 })
        }
    }

    /// Every byte of a column's text or blob (json prints a blob's NULs); nil for NULL.
    static func allBytes(_ statement: Statement, _ column: Int) -> [UInt8]? {
        statement.withText(at: column) { buffer in buffer.map { Array($0) } }
    }

    static func cString(_ text: String) -> [UInt8] { Array(text.utf8.prefix { $0 != 0 }) }

    /// Prints every row of a statement that has just returned its first row.
    func format(_ statement: Statement) throws(DatabaseError) {
        if settings.mode.isColumnar {
            return try ColumnarFormatter(settings: settings, output: output).format(statement)
        }
        let names = statement.columnNames.map(Self.cString)
        var rowNumber = 0
        repeat {
            try formatRow(statement, names: names, rowNumber: rowNumber)
            rowNumber += 1
        } while try statement.step()
        if settings.mode == .json { output.write("]\n") }
    }

    private func formatRow(_ statement: Statement, names: [[UInt8]], rowNumber: Int) throws(DatabaseError) {
        let count = names.count
        let separator = Array(settings.separator.utf8)
        let rowSeparator = Array(settings.rowSeparator.utf8)
        let nullValue = Array(settings.nullValue.utf8)
        switch settings.mode {
        case .list, .tabs:
            if rowNumber == 0 && settings.headers {
                for (i, name) in names.enumerated() {
                    output.write(bytes: name)
                    output.write(bytes: i == count - 1 ? rowSeparator : separator)
                }
            }
            for i in 0..<count {
                output.write(bytes: Self.cText(statement, i) ?? nullValue)
                output.write(bytes: i == count - 1 ? rowSeparator : separator)
            }
        case .csv:
            if rowNumber == 0 && settings.headers {
                for (i, name) in names.enumerated() {
                    writeCSV(name)
                    if i < count - 1 { output.write(bytes: separator) }
                }
                output.write(bytes: rowSeparator)
            }
            for i in 0..<count {
                if let text = Self.cText(statement, i) { writeCSV(text) } else { output.write(bytes: nullValue) }
                if i < count - 1 { output.write(bytes: separator) }
            }
            output.write(bytes: rowSeparator)
        case .quote:
            if rowNumber == 0 && settings.headers {
                for (i, name) in names.enumerated() {
                    if i > 0 { output.write(bytes: separator) }
                    output.write(bytes: Self.quotedString(name))
                }
                output.write(bytes: rowSeparator)
            }
            for i in 0..<count {
                if i > 0 { output.write(bytes: separator) }
                switch statement.storageClass(at: i) {
                case .null: output.write("NULL")
                case .integer: output.write(bytes: Self.cText(statement, i) ?? [])
                case .real: output.write(try reals.alternate20g(statement.double(at: i)))
                case .text: output.write(bytes: Self.quotedString(Self.cText(statement, i) ?? []))
                case .blob: output.write(bytes: Self.hexBlob(Self.allBytes(statement, i) ?? []))
                }
            }
            output.write(bytes: rowSeparator)
        case .line:
            let width = max(5, names.map(\.count).max() ?? 0)
            if rowNumber > 0 { output.write(bytes: rowSeparator) }
            for (i, name) in names.enumerated() {
                output.write(bytes: [UInt8](repeating: 0x20, count: width - name.count))
                output.write(bytes: name)
                output.write(" = ")
                output.write(bytes: Self.cText(statement, i) ?? nullValue)
                output.write(bytes: rowSeparator)
            }
        case .json:
            output.write(rowNumber == 0 ? "[{" : ",\n{")
            for (i, name) in names.enumerated() {
                writeJSONString(name)
                output.write(byte: UInt8(ascii: ":"))
                switch statement.storageClass(at: i) {
                case .null: output.write("null")
                case .real: output.write(Self.jsonReal(statement.double(at: i)))
                case .blob: writeJSONString(Self.allBytes(statement, i) ?? [])
                case .text: writeJSONString(Self.cText(statement, i) ?? [])
                case .integer: output.write(bytes: Self.cText(statement, i) ?? [])
                }
                if i < count - 1 { output.write(byte: UInt8(ascii: ",")) }
            }
            output.write(byte: UInt8(ascii: "}"))
        case .column, .box:
            preconditionFailure("columnar modes are printed by ColumnarFormatter")
        }
    }

    /// A REAL in json mode: the shortest decimal text that reads back as the same double,
    /// which is what Swift's `description` gives (Errol/Grisu-style shortest round trip); its
    /// forms ("0.1", "100.0", "1e+100", "5e-324", "-0.0") are all JSON numbers. sqlite3 3.40
    /// prints "%!.20g" here instead, with long-double digits such as 0.10000000000000000555;
    /// that is the one place this mode differs from `sqlite3 -json`, on purpose. Infinities
    /// print as sqlite3 prints them (1e999, which JSON readers take as infinity or refuse).
    static func jsonReal(_ value: Double) -> String {
        if value == .infinity { return "1e999" }
        if value == -.infinity { return "-1e999" }
        precondition(!value.isNaN, "SQLite has no NaN values: they become NULL")
        return value.description
    }

    /// sqlite3's output_json_string.
    private func writeJSONString(_ bytes: [UInt8]) {
        output.write(byte: UInt8(ascii: "\""))
        for c in bytes {
            switch c {
            case UInt8(ascii: "\\"), UInt8(ascii: "\""):
                output.write(byte: UInt8(ascii: "\\"))
                output.write(byte: c)
            case 0x08: output.write("\\b")
            case 0x0c: output.write("\\f")
            case 0x0a: output.write("\\n")
            case 0x0d: output.write("\\r")
            case 0x09: output.write("\\t")
            case 0...0x1f:
                let digits = Array("0123456789abcdef".utf8)
                output.write("\\u00")
                output.write(bytes: [digits[Int(c >> 4)], digits[Int(c & 15)]])
            default: output.write(byte: c)
            }
        }
        output.write(byte: UInt8(ascii: "\""))
    }

    /// sqlite3's output_csv: quoted when empty, when it holds a byte below 0x21 other than
    /// '!', a quote, an apostrophe, DEL or any non-ASCII byte, or the separator.
    private func writeCSV(_ text: [UInt8]) {
        let separator = Array(settings.separator.utf8)
        let needsQuotes = text.isEmpty || text.contains { $0 <= 0x20 || $0 == 0x22 || $0 == 0x27 || $0 >= 0x7f }
            || Self.contains(text, separator)
        guard needsQuotes else { return output.write(bytes: text) }
        output.write(byte: 0x22)
        for c in text {
            output.write(byte: c)
            if c == 0x22 { output.write(byte: 0x22) }
        }
        output.write(byte: 0x22)
    }

    /// strstr: true when `part` occurs in `text` (always for an empty part).
    static func contains(_ text: [UInt8], _ part: [UInt8]) -> Bool {
        guard part.count <= text.count else { return false }
        return (0...(text.count - part.count)).contains { start in text[start..<start + part.count].elementsEqual(part) }
    }

    /// sqlite3's output_quoted_string: in apostrophes, each apostrophe doubled.
    static func quotedString(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x27]
        for c in text {
            out.append(c)
            if c == 0x27 { out.append(0x27) }
        }
        out.append(0x27)
        return out
    }

    /// sqlite3's output_hex_blob: X'..' with lower-case digits.
    static func hexBlob(_ bytes: [UInt8]) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = [UInt8(ascii: "X"), 0x27]
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        out.append(0x27)
        return out
    }
}

/// sqlite3 prints REALs in quote mode and .dump with its own printf's "%!.20g" (long-double
/// digits, such as 0.10000000000000000555, and 1.0e+100 rather than 1e+100). Ringlite's
/// printf() function implements that conversion, so the shell asks it.
final class RealFormatter {
    private let connection: Connection
    private var statement: Statement?

    init(connection: Connection) {
        self.connection = connection
    }

    func alternate20g(_ value: Double) throws(DatabaseError) -> String {
        let statement: Statement
        if let prepared = self.statement {
            statement = prepared
        } else {
            statement = try connection.prepare("SELECT printf('%!.20g', ?1)")
            self.statement = statement
        }
        try statement.bind(value, at: 1)
        defer { statement.reset() }
        guard try statement.step(), let text = statement.string(at: 0) else {
            throw DatabaseError(resultCode: .internal, message: "printf('%!.20g') returned no text")
        }
        return text
    }

    /// sqlite3's .dump text of a REAL: 1e999 and -1e999 for the infinities, "N.0" for a value
    /// that is an integer, "%!.20g" otherwise.
    func dumpText(_ value: Double) throws(DatabaseError) -> String {
        if value == .infinity { return "1e999" }
        if value == -.infinity { return "-1e999" }
        if let integer = Int64(exactly: value) { return "\(integer).0" }
        return try alternate20g(value)
    }
}
