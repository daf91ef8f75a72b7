import Foundation
import Ringlite

/// Prints result rows as the sqlite3 shell prints them in each mode.
struct OutputFormatter {
    var settings: OutputSettings

    /// The shell's text for a value in list-like modes (sqlite3_column_text, NULL as .nullvalue).
    func text(_ statement: Statement, _ column: Int) -> String {
        statement.string(at: column) ?? settings.nullValue
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
                    statement.isNull(at: column) ? settings.nullValue : csvField(statement.string(at: column) ?? "")
                }
                write(fields.joined(separator: settings.separator) + "\r\n")
                more = try statement.step()
            }
        case .quote:
            if settings.headers { write(names.map { "'\($0)'" }.joined(separator: ",") + "\n") }
            var more = firstRow
            while more {
                write((0..<names.count).map { quoted(statement.value(at: $0)) }.joined(separator: ",") + "\n")
                more = try statement.step()
            }
        case .line:
            let width = names.map(\.count).max() ?? 0
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
            var rows: [[String]] = []
            var more = firstRow
            while more {
                rows.append((0..<names.count).map { text(statement, $0) })
                more = try statement.step()
            }
            var widths = names.map(\.count)
            for row in rows { for (i, cell) in row.enumerated() { widths[i] = max(widths[i], cell.count) } }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, cell in
                    i == cells.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
                }.joined(separator: "  ") + "\n"
            }
            write(line(names))
            write(widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n")
            for row in rows { write(line(row)) }
        }
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
