import Ringlite

/// sqlite3's exec_prepared_stmt_columnar for its column and box modes: every row is gathered
/// first to size the columns; a cell holding line breaks (or longer than the wrap width) takes
/// several display lines; once any row does, rows are divided (a blank line in column mode, a
/// rule in box mode).
struct ColumnarFormatter {
    var settings: OutputSettings
    let output: Output

    // sqlite3's BOX_* characters.
    private static let horizontal = "\u{2500}", vertical = "\u{2502}"
    private static let downRight = "\u{250c}", downLeft = "\u{2510}", upRight = "\u{2514}", upLeft = "\u{2518}"
    private static let verticalRight = "\u{251c}", verticalLeft = "\u{2524}"
    private static let downHorizontal = "\u{252c}", upHorizontal = "\u{2534}", cross = "\u{253c}"

    /// Prints every row of a statement that has just returned its first row.
    func format(_ statement: Statement) throws(DatabaseError) {
        let columns = statement.columnCount
        guard columns > 0 else { return }
        let width = settings.wrapWidth
        // Display lines, `columns` cells each; the first holds the column names.
        var cells: [[UInt8]] = statement.columnNames.map { Self.displayLine(Array($0.utf8.prefix { $0 != 0 }), from: 0, maxWidth: width).line }
        // Per display line: true when a result row ends on it.
        var endsRow: [Bool] = []
        var multiLineRowExists = false
        let nullValue = Array(settings.nullValue.utf8.prefix { $0 != 0 })
        var pending: [([UInt8], Int)?] = Array(repeating: nil, count: columns)
        var hasPending = false
        repeat {
            repeat {
                let continuing = hasPending
                hasPending = false
                var ends = true
                for i in 0..<columns {
                    let source: ([UInt8], Int)
                    if continuing {
                        source = pending[i] ?? ([], 0)
                    } else {
                        source = (OutputFormatter.cText(statement, i) ?? nullValue, 0)
                    }
                    let (line, next) = Self.displayLine(source.0, from: source.1, maxWidth: width)
                    cells.append(line)
                    pending[i] = next.map { (source.0, $0) }
                    if next != nil {
                        hasPending = true
                        ends = false
                        multiLineRowExists = true
                    }
                }
                endsRow.append(ends)
            } while hasPending
        } while try statement.step()

        var widths = Array(repeating: 0, count: columns)
        for (index, cell) in cells.enumerated() {
            widths[index % columns] = max(widths[index % columns], Self.characterCount(cell))
        }
        let box = settings.mode == .box
        if box {
            rule(widths, Self.downRight, Self.downHorizontal, Self.downLeft)
            output.write(Self.vertical + " ")
            for i in 0..<columns {
                let n = Self.characterCount(cells[i])
                output.write(String(repeating: " ", count: (widths[i] - n) / 2))
                output.write(bytes: cells[i])
                output.write(String(repeating: " ", count: (widths[i] - n + 1) / 2))
                output.write(i == columns - 1 ? " " + Self.vertical + "\n" : " " + Self.vertical + " ")
            }
            rule(widths, Self.verticalRight, Self.cross, Self.verticalLeft)
        } else if settings.headers {
            for i in 0..<columns {
                padded(cells[i], to: widths[i])
                output.write(i == columns - 1 ? "\n" : "  ")
            }
            for i in 0..<columns {
                output.write(String(repeating: "-", count: widths[i]))
                output.write(i == columns - 1 ? "\n" : "  ")
            }
        }
        let lines = cells.count / columns - 1
        for line in 0..<lines {
            if box { output.write(Self.vertical + " ") }
            for i in 0..<columns {
                padded(cells[(line + 1) * columns + i], to: widths[i])
                if i < columns - 1 { output.write(box ? " " + Self.vertical + " " : "  ") }
            }
            output.write(box ? " " + Self.vertical + "\n" : "\n")
            if multiLineRowExists && endsRow[line] && line + 1 < lines {
                if box { rule(widths, Self.verticalRight, Self.cross, Self.verticalLeft) } else { output.write("\n") }
            }
        }
        if box { rule(widths, Self.upRight, Self.upHorizontal, Self.upLeft) }
    }

    /// print_box_row_separator.
    private func rule(_ widths: [Int], _ left: String, _ middle: String, _ right: String) {
        output.write(left)
        for (i, width) in widths.enumerated() {
            if i > 0 { output.write(middle) }
            output.write(String(repeating: Self.horizontal, count: width + 2))
        }
        output.write(right + "\n")
    }

    /// utf8_width_print for a width no cell exceeds: the text, then spaces up to `width`
    /// characters.
    private func padded(_ cell: [UInt8], to width: Int) {
        output.write(bytes: cell)
        let n = Self.characterCount(cell)
        if n < width { output.write(String(repeating: " ", count: width - n)) }
    }

    /// strlenChar: the bytes that do not continue a UTF-8 sequence.
    static func characterCount(_ text: [UInt8]) -> Int {
        text.reduce(0) { $0 + ($1 & 0xc0 != 0x80 ? 1 : 0) }
    }

    /// sqlite3's translateForDisplayAndDup without word wrap: the display line starting at byte
    /// `start` of `text` (which ends at its first NUL), at most `maxWidth` characters (0: no
    /// limit), cut at a control character other than tab, tabs expanded to the next multiple of
    /// eight columns; and where the next line starts, or nil when this is the last. A CR LF pair
    /// is one break; a break that ends the text starts no further line.
    static func displayLine(_ text: [UInt8], from start: Int, maxWidth: Int) -> (line: [UInt8], next: Int?) {
        let limit = maxWidth == 0 ? 1_000_000 : maxWidth
        func at(_ index: Int) -> UInt8 { index < text.count ? text[index] : 0 }
        var line: [UInt8] = []
        var i = start
        var n = 0
        while n < limit {
            let c = at(i)
            if c >= 0x20 {
                n += 1
                repeat { line.append(at(i)); i += 1 } while at(i) & 0xc0 == 0x80
                continue
            }
            if c == 0x09 {
                repeat { n += 1; line.append(0x20) } while n & 7 != 0 && n < limit
                i += 1
                continue
            }
            break
        }
        let next: Int?
        if n >= limit && at(i) >= 0x20 {
            next = i
        } else if at(i) == 0x0d && at(i + 1) == 0x0a {
            next = at(i + 2) != 0 ? i + 2 : nil
        } else if at(i) == 0 || at(i + 1) == 0 {
            next = nil
        } else {
            next = i + 1
        }
        return (line, next)
    }
}
