import Foundation
import Ringlite

/// Prints result rows as the sqlite3 shell prints them in each mode.
struct OutputFormatter {
    var settings: OutputSettings

    /// The shell's text for a value in list-like modes (sqlite3_column_text, NULL as .nullvalue).
    func text(_ statement: Statement, _ column: Int) -> String {
        guard let text = statement.string(at: column) else { return settings.nullValue }
        return Self.cString(text)
    }

    /// What printing the text with C's %s shows: everything before its first NUL.
    static func cString(_ text: String) -> String {
        guard let nul = text.utf8.firstIndex(of: 0) else { return text }
        return String(text[..<nul])
    }

    /// Formats all rows of a statement that has returned its first row; returns the output.
    func format(_ statement: Statement, firstRow: Bool, write: (String) -> Void) throws(DatabaseError) {
        let names = statement.columnNames
        switch settings.mode {
        case .list, .tabs:
            if settings.headers { write(names.joined(separator: settings.separator) + settings.rowSeparator) }
            var more = firstRow
            while more {
                write((0..<names.count).map { text(statement, $0) }.joined(separator: settings.separator) + settings.rowSeparator)
                more = try statement.step()
            }
        case .csv:
            if settings.headers { write(names.map(csvField).joined(separator: settings.separator) + "\r\n") }
            var more = firstRow
            while more {
                let fields = (0..<names.count).map { column -> String in
                    statement.isNull(at: column) ? settings.nullValue : csvField(Self.cString(statement.string(at: column) ?? ""))
                }
                write(fields.joined(separator: settings.separator) + "\r\n")
                more = try statement.step()
            }
        case .quote:
            if settings.headers { write(names.map { quoted(.text($0)) }.joined(separator: ",") + "\n") }
            var more = firstRow
            while more {
                write((0..<names.count).map { column in
                    if case .real = statement.value(at: column) { return statement.string(at: column) ?? "" }
                    return quoted(statement.value(at: column))
                }.joined(separator: ",") + "\n")
                more = try statement.step()
            }
        case .line:
            let width = max(5, names.map(\.count).max() ?? 0)
            var more = firstRow
            var first = true
            while more {
                if !first { write("\n") }
                first = false
                for (column, name) in names.enumerated() {
                    write(String(repeating: " ", count: width - name.count) + name + " = " + text(statement, column) + "\n")
                }
                more = try statement.step()
            }
        case .column:
            try formatColumns(statement, firstRow: firstRow, write: write)
        }
    }

    /// sqlite3's exec_prepared_stmt_columnar for MODE_Column: every cell padded to its
    /// column's width, a cell holding line breaks shown on several lines, and when any row
    /// takes several lines, a blank line between rows.
    private func formatColumns(_ statement: Statement, firstRow: Bool, write: (String) -> Void) throws(DatabaseError) {
        let names = statement.columnNames
        // Display rows: each result row becomes one or more, and whether a divider follows it.
        var display: [[String]] = [names.map { Self.displayLines(Array($0.utf8)).first ?? "" }]
        var endsRow: [Bool] = [true]
        var multiLine = false
        var more = firstRow
        while more {
            let cells = (0..<names.count).map { column -> [String] in
                guard let text = statement.string(at: column) else { return [settings.nullValue] }
                return Self.displayLines(Array(text.utf8))
            }
            let height = cells.map(\.count).max() ?? 1
            if height > 1 { multiLine = true }
            for line in 0..<height {
                display.append(cells.map { line < $0.count ? $0[line] : "" })
                endsRow.append(line == height - 1)
            }
            more = try statement.step()
        }
        var widths = Array(repeating: 0, count: names.count)
        for row in display { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.unicodeScalars.count) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, cell in
                cell + String(repeating: " ", count: max(0, widths[i] - cell.unicodeScalars.count))
            }.joined(separator: "  ") + "\n"
        }
        if settings.headers {
            write(line(display[0]))
            write(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n")
        }
        for index in 1..<display.count {
            write(line(display[index]))
            if multiLine && endsRow[index] && index + 1 < display.count { write("\n") }
        }
    }

    /// sqlite3's translateForDisplayAndDup without a width limit: text up to its first NUL, cut
    /// into lines at control characters other than tab (a CR LF pair is one break), tabs
    /// expanded to the next multiple of eight columns.
    static func displayLines(_ text: [UInt8]) -> [String] {
        let z = Array(text.prefix { $0 != 0 })
        var lines: [String] = []
        var start = 0
        while true {
            var i = start
            var out: [UInt8] = []
            var n = 0
            while i < z.count {
                let c = z[i]
                if c >= 0x20 {
                    n += 1
                    out.append(c)
                    i += 1
                    while i < z.count && z[i] & 0xc0 == 0x80 { out.append(z[i]); i += 1 }
                    continue
                }
                if c == 0x09 {
                    repeat { n += 1; out.append(0x20) } while n & 7 != 0
                    i += 1
                    continue
                }
                break
            }
            lines.append(String(decoding: out, as: UTF8.self))
            if i >= z.count { break }
            if z[i] == 0x0d && i + 1 < z.count && z[i + 1] == 0x0a {
                guard i + 2 < z.count else { break }
                start = i + 2
                continue
            }
            guard i + 1 < z.count else { break }
            start = i + 1
        }
        return lines
    }

    /// sqlite3's output_csv: quoted when empty, when it holds a byte below 0x21, a quote, an
    /// apostrophe, DEL or any non-ASCII byte, or the separator.
    private func csvField(_ text: String) -> String {
        let needsQuotes = text.isEmpty || text.utf8.contains { $0 <= 0x20 || $0 == 0x22 || $0 == 0x27 || $0 >= 0x7f }
            || text.contains(settings.separator)
        guard needsQuotes else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A value as SQL text (the shell's quote mode).
    func quoted(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let i): return String(i)
        case .real: return value.description
        case .text(let text): return "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
        case .blob(let bytes):
            let digits = Array("0123456789abcdef")
            return "X'" + String(bytes.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }) + "'"
        }
    }
}
