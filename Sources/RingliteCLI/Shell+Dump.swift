import Ringlite

/// `.dump`: the database as SQL text that rebuilds it, as sqlite3's .dump writes it: tables in
/// sqlite_schema order (sqlite_sequence last) with their rows as INSERT statements, then
/// indexes, triggers and views, all in one transaction.
extension Shell {
    func dump(_ arguments: [String]) -> Bool {
        var dataOnly = false, newlines = false, noSystem = false
        var patterns: [String] = []
        for argument in arguments {
            guard argument.hasPrefix("-") else {
                patterns.append(argument)
                continue
            }
            switch argument.drop(while: { $0 == "-" }) {
            case "data-only": dataOnly = true
            case "newlines": newlines = true
            case "nosys": noSystem = true
            case "preserve-rowids":
                return failure("Error: .dump --preserve-rowids is not supported by Ringlite\n")
            default:
                return failure("Unknown option \"\(argument)\" on \".dump\"\n")
            }
        }
        if !dataOnly { write("PRAGMA foreign_keys=OFF;\nBEGIN TRANSACTION;\n") }
        // One read transaction for the whole dump, so it is one consistent state of the file.
        let ownsTransaction = !connection.isInTransaction
        if ownsTransaction { _ = try? connection.execute("BEGIN") }
        defer { if ownsTransaction { _ = try? connection.execute("COMMIT") } }
        var errors = 0
        do {
            let filter = patterns.isEmpty ? "" : "(" + patterns.indices.map { "name LIKE ?\($0 + 1) ESCAPE '\\'" }
                .joined(separator: " OR ") + ") AND "
            let tables = try rows("SELECT name, type, sql, tbl_name FROM sqlite_schema WHERE \(filter)type=='table' AND sql NOT NULL ORDER BY rowid",
                                  patterns)
            // sqlite3 orders by tbl_name='sqlite_sequence', then rowid.
            let ordered = tables.filter { $0[3] != .text("sqlite_sequence") } + tables.filter { $0[3] == .text("sqlite_sequence") }
            for table in ordered {
                guard case .text(let name) = table[0], case .text(let sql) = table[2] else { continue }
                errors += try dumpTable(name: name, sql: sql, dataOnly: dataOnly, newlines: newlines, noSystem: noSystem)
            }
            if !dataOnly {
                let others = try rows("SELECT sql FROM sqlite_schema WHERE \(filter)sql NOT NULL AND type IN ('index','trigger','view') ORDER BY rowid",
                                      patterns)
                for row in others {
                    guard case .text(let sql) = row[0] else { continue }
                    let bytes = Array(sql.utf8.prefix { $0 != 0 })
                    output.write(bytes: bytes)
                    write(OutputFormatter.contains(bytes, Array("--".utf8)) ? "\n;\n" : ";\n")
                }
            }
        } catch {
            write("/****** ERROR: \(error.message) ******/\n")
            errors += 1
        }
        if !dataOnly { write(errors > 0 ? "ROLLBACK; -- due to errors\n" : "COMMIT;\n") }
        return true
    }

    private func rows(_ sql: String, _ arguments: [String]) throws(DatabaseError) -> [[DatabaseValue]] {
        let statement = try connection.prepare(sql)
        for (index, argument) in arguments.enumerated() { try statement.bind(argument, at: index + 1) }
        var rows: [[DatabaseValue]] = []
        while try statement.step() { rows.append(statement.row.values) }
        return rows
    }

    /// dump_callback for one table; returns the number of errors.
    private func dumpTable(name: String, sql: String, dataOnly: Bool, newlines: Bool, noSystem: Bool) throws(DatabaseError) -> Int {
        if name == "sqlite_sequence" && !noSystem {
            if !dataOnly { write("DELETE FROM sqlite_sequence;\n") }
        } else if name.hasPrefix("sqlite_stat") && name.count == 12 && !noSystem {
            if !dataOnly { write("ANALYZE sqlite_schema;\n") }
        } else if name.hasPrefix("sqlite_") {
            return 0
        } else if !dataOnly {
            printSchemaLine(Array(sql.utf8.prefix { $0 != 0 }), tail: ";\n")
        }
        let columns = try rows("PRAGMA table_info(" + Self.sqlLiteral(name) + ")", []).compactMap { row -> String? in
            if case .text(let column) = row[1] { return column }
            return nil
        }
        guard !columns.isEmpty else { return 1 }
        let select = "SELECT " + columns.map { Self.quotedIfNeeded($0) }.joined(separator: ",") + " FROM " + Self.quotedIfNeeded(name)
        let prefix = "INSERT INTO " + Self.quotedIfNeeded(name) + " VALUES("
        let statement = try connection.prepare(select)
        while try statement.step() {
            write(prefix)
            for column in 0..<columns.count {
                if column > 0 { write(",") }
                switch statement.storageClass(at: column) {
                case .null: write("NULL")
                case .integer: output.write(bytes: OutputFormatter.cText(statement, column) ?? [])
                case .real: write(try reals.dumpText(statement.double(at: column)))
                case .text:
                    let text = OutputFormatter.cText(statement, column) ?? []
                    output.write(bytes: newlines ? OutputFormatter.quotedString(text) : Self.quotedEscapedString(text))
                case .blob: output.write(bytes: OutputFormatter.hexBlob(OutputFormatter.allBytes(statement, column) ?? []))
                }
            }
            write(");\n")
        }
        return 0
    }

    /// A string as an SQL literal ('...', apostrophes doubled), as %Q writes it.
    static func sqlLiteral(_ text: String) -> String {
        "'" + text.replacingAll("'", with: "''") + "'"
    }

    /// sqlite3's quoteChar + appendText: a name in double quotes (its own doubled) unless it is
    /// a letter or underscore followed by letters, digits and underscores, and not a keyword.
    static func quotedIfNeeded(_ name: String) -> String {
        let bytes = Array(name.utf8)
        func isAlpha(_ c: UInt8) -> Bool { (c | 0x20) >= UInt8(ascii: "a") && (c | 0x20) <= UInt8(ascii: "z") }
        func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }
        let plain = !bytes.isEmpty && (isAlpha(bytes[0]) || bytes[0] == UInt8(ascii: "_"))
            && bytes.allSatisfy { isAlpha($0) || isDigit($0) || $0 == UInt8(ascii: "_") } && !Database.isKeyword(name)
        if plain { return name }
        return "\"" + name.replacingAll("\"", with: "\"\"") + "\""
    }

    /// sqlite3's output_quoted_escaped_string: like quoted, but line feeds and carriage returns
    /// are written as \n and \r (or another marker the text does not hold) inside replace()
    /// calls that turn them back, so every INSERT is one line.
    static func quotedEscapedString(_ text: [UInt8]) -> [UInt8] {
        guard text.contains(where: { $0 == 0x0a || $0 == 0x0d }) else { return OutputFormatter.quotedString(text) }
        func unused(_ first: String, _ second: String) -> [UInt8] {
            if !OutputFormatter.contains(text, Array(first.utf8)) { return Array(first.utf8) }
            if !OutputFormatter.contains(text, Array(second.utf8)) { return Array(second.utf8) }
            var counter = 0
            while true {
                let candidate = Array("(\(first)\(counter))".utf8)
                if !OutputFormatter.contains(text, candidate) { return candidate }
                counter += 1
            }
        }
        let hasLineFeed = text.contains(0x0a), hasReturn = text.contains(0x0d)
        let lineFeed = hasLineFeed ? unused("\\n", "\\012") : []
        let carriageReturn = hasReturn ? unused("\\r", "\\015") : []
        var out: [UInt8] = []
        if hasLineFeed { out += Array("replace(".utf8) }
        if hasReturn { out += Array("replace(".utf8) }
        out.append(0x27)
        for c in text {
            switch c {
            case 0x0a: out += lineFeed
            case 0x0d: out += carriageReturn
            case 0x27: out += [0x27, 0x27]
            default: out.append(c)
            }
        }
        out.append(0x27)
        if hasReturn { out += Array(",'".utf8) + carriageReturn + Array("',char(13))".utf8) }
        if hasLineFeed { out += Array(",'".utf8) + lineFeed + Array("',char(10))".utf8) }
        return out
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        for character in self { if character == target { result += replacement } else { result.append(character) } }
        return result
    }
}
