import Glibc
import Ringlite

/// The dot-commands the shell has, with the sqlite3 shell's meaning, argument parsing and
/// messages.
extension Shell {
    static let help = """
        .bail on|off             Stop after hitting an error.  Default OFF
        .checkpoint ?MODE?       Checkpoint the WAL (passive, full, restart, truncate)
        .dump ?OBJECTS?          Render database content as SQL
           Options:
             --data-only            Output only INSERT statements
             --newlines             Allow unescaped newline characters in output
             --nosys                Omit system tables (ex: "sqlite_stat1")
           OBJECTS is a LIKE pattern for tables, indexes, triggers or views to dump
        .exit ?CODE?             Exit this program with return-code CODE
        .headers on|off          Turn display of headers on or off
        .help                    Show this message
        .indexes ?TABLE?         Show names of indexes
        .mode MODE ?--wrap N?    Set output mode: box column csv json line list quote tabs
        .nullvalue STRING        Use STRING in place of NULL values
        .quit                    Exit this program
        .read FILE               Read input from FILE
        .schema ?PATTERN?        Show the CREATE statements matching PATTERN
        .separator COL ?ROW?     Change the column and row separators
        .tables ?TABLE?          List names of tables matching LIKE pattern TABLE
        .timer on|off            Turn SQL timer on or off

        """

    /// The commands in the order sqlite3's do_meta_command tries them, with the shortest
    /// prefix each accepts (".head" is .headers, ".h" too, as in sqlite3).
    private static let commands: [(name: String, minimum: Int)] = [
        ("bail", 3), ("checkpoint", 10), ("dump", 1), ("exit", 1), ("headers", 1), ("help", 1),
        ("indexes", 3), ("indices", 3), ("mode", 1), ("nullvalue", 1), ("quit", 1), ("read", 3),
        ("schema", 1), ("separator", 2), ("tables", 2), ("timer", 5),
    ]

    /// Runs one dot-command line; returns false when it failed (sqlite3's rc 1).
    @discardableResult
    func runDotCommand(_ line: String) -> Bool {
        let words = Self.splitArguments(Array(line.utf8.dropFirst()))
        guard let word = words.first else { return true }
        let arguments = Array(words.dropFirst())
        let command = Self.commands.first { word.count >= $0.minimum && $0.name.hasPrefix(word) }?.name
        switch command {
        case "bail":
            guard arguments.count == 1 else { return failure("Usage: .bail on|off\n") }
            bail = boolean(arguments[0])
        case "headers":
            guard arguments.count == 1 else { return failure("Usage: .headers on|off\n") }
            settings.headers = boolean(arguments[0])
            settings.headerSet = true
        case "timer":
            guard arguments.count == 1 else { return failure("Usage: .timer on|off\n") }
            timer = boolean(arguments[0])
        case "help":
            write(Self.help)
        case "quit":
            quitRequested = true
        case "exit":
            // sqlite3 exits at once with a non-zero code; here the loop ends first so the
            // database is closed (its log checkpointed) on the way out.
            if let code = arguments.first.map({ Int32(truncatingIfNeeded: Self.integerValue($0)) }), code != 0 {
                exitCode = code
            }
            quitRequested = true
        case "mode":
            return setMode(arguments)
        case "separator":
            guard arguments.count == 1 || arguments.count == 2 else { return failure("Usage: .separator COL ?ROW?\n") }
            settings.separator = arguments[0]
            if arguments.count == 2 { settings.rowSeparator = arguments[1] }
        case "nullvalue":
            guard arguments.count == 1 else { return failure("Usage: .nullvalue STRING\n") }
            settings.nullValue = arguments[0]
        case "tables":
            return listNames("""
                SELECT name FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' \
                AND name LIKE ?1 ORDER BY 1
                """, arguments.first ?? "%")
        case "indexes", "indices":
            guard arguments.count <= 1 else { return failure("Usage: .indexes ?LIKE-PATTERN?\n") }
            return listNames("SELECT name FROM sqlite_schema WHERE type='index' AND tbl_name LIKE ?1 ORDER BY 1",
                             arguments.first ?? "%")
        case "schema":
            return printSchema(arguments)
        case "dump":
            return dump(arguments)
        case "read":
            guard arguments.count == 1 else { return failure("Usage: .read FILE\n") }
            guard let bytes = BytesLineSource.contents(ofFile: arguments[0]) else {
                return failure("Error: cannot open \"\(arguments[0])\"\n")
            }
            return !processInput(BytesLineSource(bytes: bytes), isTerminal: false)
        case "checkpoint":
            let name = arguments.first ?? "passive"
            guard let mode = Connection.CheckpointMode(rawValue: name.lowercased()) else {
                return failure("Usage: .checkpoint passive|full|restart|truncate\n")
            }
            do {
                let result = try connection.checkpoint(mode)
                write("\(result.busy ? 1 : 0)|\(result.logFrames)|\(result.checkpointedFrames)\n")
            } catch {
                return failure("Error: \(error.message)\n")
            }
        default:
            return failure("Error: unknown command or invalid arguments:  \"\(word)\". Enter \".help\" for help\n")
        }
        return true
    }

    func failure(_ message: String) -> Bool {
        writeError(message)
        return false
    }

    /// .mode: with no argument it names the current mode; otherwise sqlite3's rules: the name
    /// may be any prefix, tried in sqlite3's order, and each mode resets some separators.
    private func setMode(_ arguments: [String]) -> Bool {
        var name: String?
        var tableName: String?
        var wrap = 60
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--wrap" || argument == "-wrap" {
                guard index + 1 < arguments.count else { return failure("Error: missing argument to \(argument)\n") }
                wrap = Int(truncatingIfNeeded: Self.integerValue(arguments[index + 1]))
                index += 2
                continue
            }
            if argument.hasPrefix("-") {
                return failure("Error: .mode option \(argument) is not supported by Ringlite (it has --wrap N)\n")
            }
            // sqlite3 takes a second word as the table name of its insert mode, which Ringlite
            // does not have; a third is an error.
            if name == nil {
                name = argument
            } else if tableName == nil {
                tableName = argument
            } else {
                return failure("extra argument: \"\(argument)\"\n")
            }
            index += 1
        }
        guard let name else {
            let shown = settings.mode == .tabs ? "list" : settings.mode.rawValue
            if settings.mode.isColumnar {
                write("current output mode: \(shown) --wrap \(settings.wrapWidth) --wordwrap off --noquote\n")
            } else {
                write("current output mode: \(shown)\n")
            }
            return true
        }
        // sqlite3's order; the modes Ringlite does not have are refused, not mistaken for others.
        let order = ["lines", "columns", "list", "html", "tcl", "csv", "tabs", "insert", "quote", "ascii", "markdown",
                     "table", "box", "count", "off", "json"]
        guard !name.isEmpty, let full = order.first(where: { $0.hasPrefix(name) }) else {
            // sqlite3 lists its modes here; these are the ones Ringlite has.
            return failure("Error: mode should be one of: box column csv json line list quote tabs\n")
        }
        switch full {
        case "lines":
            settings.mode = .line
            settings.rowSeparator = "\n"
        case "columns":
            settings.mode = .column
            if !settings.headerSet { settings.headers = true }
            settings.rowSeparator = "\n"
            settings.wrapWidth = wrap
        case "list":
            settings.mode = .list
            settings.separator = "|"
            settings.rowSeparator = "\n"
        case "csv":
            settings.mode = .csv
            settings.separator = ","
            settings.rowSeparator = "\r\n"
        case "tabs":
            settings.mode = .tabs
            settings.separator = "\t"
        case "quote":
            settings.mode = .quote
            settings.separator = ","
            settings.rowSeparator = "\n"
        case "box":
            settings.mode = .box
            settings.wrapWidth = wrap
        case "json":
            settings.mode = .json
        default:
            return failure("Error: mode \"\(full)\" is not supported by Ringlite (it has: box column csv json line list quote tabs)\n")
        }
        return true
    }

    /// .tables and .indexes: the names in columns, filled top to bottom, each padded to the
    /// longest name, as many columns as fit in 80 characters.
    private func listNames(_ sql: String, _ pattern: String) -> Bool {
        var names: [[UInt8]] = []
        do {
            let statement = try connection.prepare(sql)
            try statement.bind(pattern, at: 1)
            while try statement.step() { names.append(OutputFormatter.cText(statement, 0) ?? []) }
        } catch {
            return failure("Error: \(error.message)\n")
        }
        guard !names.isEmpty else { return true }
        let width = names.map(\.count).max()!
        let columns = max(1, 80 / (width + 2))
        let rows = (names.count + columns - 1) / columns
        for row in 0..<rows {
            for index in stride(from: row, to: names.count, by: rows) {
                if index >= rows { write("  ") }
                output.write(bytes: names[index])
                write(String(repeating: " ", count: width - names[index].count))
            }
            write("\n")
        }
        return true
    }

    /// .schema ?PATTERN?: the CREATE statements of the objects whose table name matches
    /// (LIKE, or GLOB when the pattern has *, ? or [), in sqlite_schema order.
    private func printSchema(_ arguments: [String]) -> Bool {
        var pattern: String?
        var noSystem = false
        for argument in arguments {
            if argument == "--nosys" || argument == "-nosys" {
                noSystem = true
            } else if argument.hasPrefix("-") {
                return failure("Unknown option: \"\(argument)\"\n")
            } else if pattern == nil {
                pattern = argument
            } else {
                return failure("Usage: .schema ?--indent? ?--nosys? ?LIKE-PATTERN?\n")
            }
        }
        if let pattern, ["sqlite_master", "sqlite_schema", "sqlite_temp_master", "sqlite_temp_schema"]
            .contains(where: { $0 == pattern.lowercased() }) {
            write("CREATE TABLE \(pattern) (\n  type text,\n  name text,\n  tbl_name text,\n  rootpage integer,\n  sql text\n);\n")
        }
        var sql = "SELECT sql FROM sqlite_schema WHERE "
        if let pattern {
            let glob = pattern.contains { $0 == "*" || $0 == "?" || $0 == "[" }
            sql += glob ? "lower(tbl_name) GLOB ?1 AND " : "lower(tbl_name) LIKE ?1 ESCAPE '\\' AND "
        }
        if noSystem { sql += "name NOT LIKE 'sqlite_%' AND " }
        sql += "sql IS NOT NULL ORDER BY rowid"
        do {
            let statement = try connection.prepare(sql)
            if let pattern { try statement.bind(pattern, at: 1) }
            while try statement.step() {
                printSchemaLine(OutputFormatter.cText(statement, 0) ?? [], tail: ";\n")
            }
        } catch {
            return failure("Error: \(error.message)\n")
        }
        return true
    }

    /// sqlite3's printSchemaLine: a statement ending in a comment gets the line break or "*/"
    /// that lets the semicolon after it end it; a table whose name is quoted is shown as
    /// CREATE TABLE IF NOT EXISTS.
    func printSchemaLine(_ sql: [UInt8], tail: String) {
        var text = sql
        if tail.hasPrefix(";") && (OutputFormatter.contains(sql, Array("/*".utf8)) || OutputFormatter.contains(sql, Array("--".utf8))) {
            for terminator in ["", "*/", "\n"] {
                let candidate = sql + Array(terminator.utf8)
                if Database.isComplete(String(decoding: candidate + [UInt8(ascii: ";")], as: UTF8.self)) {
                    text = candidate
                    break
                }
            }
        }
        let prefix = Array("CREATE TABLE ".utf8)
        if text.count > prefix.count, text.starts(with: prefix), text[prefix.count] == 0x27 || text[prefix.count] == 0x22 {
            write("CREATE TABLE IF NOT EXISTS ")
            output.write(bytes: text[prefix.count...])
        } else {
            output.write(bytes: text)
        }
        write(tail)
    }

    /// sqlite3's booleanValue: on/yes, off/no, or an integer; anything else is "no", with a
    /// complaint.
    func boolean(_ word: String) -> Bool {
        let bytes = Array(word.utf8)
        let isHex = bytes.count > 2 && bytes[0] == UInt8(ascii: "0") && bytes[1] == UInt8(ascii: "x")
            && bytes[2...].allSatisfy { UInt8(ascii: "0")...UInt8(ascii: "9") ~= $0 || UInt8(ascii: "a")...UInt8(ascii: "f") ~= $0 | 0x20 }
        let isDecimal = !bytes.isEmpty && bytes.allSatisfy { UInt8(ascii: "0")...UInt8(ascii: "9") ~= $0 }
        if isHex || isDecimal { return Self.integerValue(word) & 0xffff_ffff != 0 }
        switch word.lowercased() {
        case "on", "yes": return true
        case "off", "no": return false
        default:
            writeError("ERROR: Not a boolean value: \"\(word)\". Assuming \"no\".\n")
            return false
        }
    }

    /// sqlite3's integerValue: decimal or 0x hex digits, an optional sign, KiB/MiB/... suffixes
    /// left out (Ringlite's commands take none).
    static func integerValue(_ text: String) -> Int64 {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        else if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
        var value: Int64 = 0
        if bytes.starts(with: Array("0x".utf8)) {
            for c in bytes.dropFirst(2) {
                guard let digit = Int(String(UnicodeScalar(c)), radix: 16) else { break }
                value = value &* 16 &+ Int64(digit)
            }
        } else {
            for c in bytes {
                guard UInt8(ascii: "0")...UInt8(ascii: "9") ~= c else { break }
                value = value &* 10 &+ Int64(c - UInt8(ascii: "0"))
            }
        }
        return negative ? -value : value
    }

    /// sqlite3's argument splitting for dot-commands: white space separates; a word may be in
    /// '...' (taken as it is) or "..." (backslash escapes resolved, \" kept inside); escapes
    /// in unquoted words are resolved too.
    static func splitArguments(_ line: [UInt8]) -> [String] {
        var words: [String] = []
        var i = 0
        func isSpace(_ c: UInt8) -> Bool { QuickScan.isSpace(c) }
        while i < line.count {
            while i < line.count && isSpace(line[i]) { i += 1 }
            guard i < line.count else { break }
            let delimiter = line[i]
            if delimiter == 0x27 || delimiter == 0x22 {
                i += 1
                let start = i
                while i < line.count && line[i] != delimiter {
                    if line[i] == UInt8(ascii: "\\") && delimiter == 0x22 && i + 1 < line.count { i += 1 }
                    i += 1
                }
                let word = Array(line[start..<min(i, line.count)])
                if i < line.count { i += 1 }
                words.append(String(decoding: delimiter == 0x22 ? resolveBackslashes(word) : word, as: UTF8.self))
            } else {
                let start = i
                while i < line.count && !isSpace(line[i]) { i += 1 }
                words.append(String(decoding: resolveBackslashes(Array(line[start..<i])), as: UTF8.self))
                if i < line.count { i += 1 }
            }
        }
        return words
    }

    /// sqlite3's resolve_backslashes: \a \b \t \n \v \f \r \" \' \\ and up to three octal
    /// digits; a backslash before anything else is dropped.
    static func resolveBackslashes(_ text: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < text.count {
            var c = text[i]
            if c == UInt8(ascii: "\\") && i + 1 < text.count {
                i += 1
                c = text[i]
                switch c {
                case UInt8(ascii: "a"): c = 0x07
                case UInt8(ascii: "b"): c = 0x08
                case UInt8(ascii: "t"): c = 0x09
                case UInt8(ascii: "n"): c = 0x0a
                case UInt8(ascii: "v"): c = 0x0b
                case UInt8(ascii: "f"): c = 0x0c
                case UInt8(ascii: "r"): c = 0x0d
                case UInt8(ascii: "0")...UInt8(ascii: "7"):
                    c -= UInt8(ascii: "0")
                    for _ in 0..<2 {
                        guard i + 1 < text.count, UInt8(ascii: "0")...UInt8(ascii: "7") ~= text[i + 1] else { break }
                        i += 1
                        c = (c &<< 3) &+ (text[i] - UInt8(ascii: "0"))
                    }
                default: break
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
