/// Renders rows as a plain-text table with aligned columns (numbers right-aligned).
enum TextTable {
    static func render(header: [String], rows: [[String]]) -> String {
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                return looksNumeric(cell) ? padding + cell : cell + padding
            }.joined(separator: "  ")
        }
        var output = [line(header), widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")]
        output += rows.map(line)
        return output.joined(separator: "\n")
    }

    private static func looksNumeric(_ text: String) -> Bool {
        guard let first = text.first else { return false }
        return first.isNumber || (first == "-" && text.count > 1)
    }
}
