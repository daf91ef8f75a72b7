import Foundation
import Ringlite

/// The dot-commands the shell has, with the sqlite3 shell's meaning.
extension Shell {
    static let help = """
        .bail on|off             Stop after hitting an error
        .checkpoint [MODE]       Checkpoint the WAL (passive, full, restart, truncate)
        .exit ?CODE?             Exit this program with return-code CODE
        .headers on|off          Turn display of headers on or off
        .help                    Show this message
        .indexes ?TABLE?         Show names of indexes
        .mode MODE               Set output mode: list, csv, line, column, quote, tabs
        .nullvalue STRING        Use STRING in place of NULL values
        .quit                    Exit this program
        .read FILE               Read input from FILE
        .schema ?PATTERN?        Show the CREATE statements matching PATTERN
        .separator COL           Change the column separator for list and csv modes
        .tables ?PATTERN?        List names of tables matching a LIKE pattern
        .timer on|off            Turn SQL timer on or off

        """

    func runDotCommand(_ line: String, line number: Int) {
        let words = Self.splitArguments(String(line.dropFirst()))
        guard let command = words.first else { return }
        let arguments = Array(words.dropFirst())
        switch command {
        case "bail": bail = Self.boolean(arguments.first)
        case "headers", "header": settings.headers = Self.boolean(arguments.first)
        case "timer": timer = Self.boolean(arguments.first)
        case "help": write(Self.help)
        case "quit": quitRequested = true
        case "exit":
            quitRequested = true
            if let code = arguments.first.flatMap({ Int32($0) }), code != 0 { exit(code) }
        case "mode":
            guard let name = arguments.first, let mode = OutputMode(rawValue: name) else {
                return failure("Error: mode should be one of: \(OutputMode.allCases.map(\.rawValue).joined(separator: " "))\n")
            }
            settings.mode = mode
            if mode == .csv { settings.separator = "," }
            if mode == .tabs { settings.separator = "\t" }
            if mode == .list && settings.separator != "|" && settings.separator != "," { break }
            if mode == .list { settings.separator = "|" }
        case "separator":
            guard let separator = arguments.first else { return failure("Usage: .separator COL\n") }
            settings.separator = Self.unescape(separator)
        case "nullvalue":
            settings.nullValue = arguments.first.map(Self.unescape) ?? ""
        case "tables":
            let pattern = arguments.first ?? "%"
            listNames("""
                SELECT name FROM sqlite_schema WHERE type IN ('table','view') AND name NOT LIKE 'sqlite_%' \
                AND name LIKE ?1 ORDER BY 1
                """, pattern)
        case "indexes", "indices":
            let pattern = arguments.first ?? "%"
            listNames("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name LIKE ?1 ORDER BY 1", pattern)
        case "schema":
            printSchema(pattern: arguments.first ?? "%")
        case "read":
            guard let path = arguments.first else { return failure("Usage: .read FILE\n") }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                return failure("Error: cannot open \"\(path)\"\n")
            }
            runSQL(text, startLine: 1, fromArguments: false)
        case "checkpoint":
            let name = arguments.first ?? "passive"
            guard let mode = Connection.CheckpointMode(rawValue: name.lowercased()) else {
                return failure("Usage: .checkpoint passive|full|restart|truncate\n")
            }
            do {
                let result = try connection.checkpoint(mode)
                write("\(result.busy ? 1 : 0)|\(result.logFrames)|\(result.checkpointedFrames)\n")
            } catch {
                report(error, prepare: false, line: number, fromArguments: false)
            }
        default:
            failure("Error: unknown command or invalid arguments:  \"\(command)\". Enter \".help\" for help\n")
        }
    }

    private func failure(_ message: String) {
        writeError(message)
        markFailed()
    }

    private func listNames(_ sql: String, _ pattern: String) {
        do {
            let statement = try connection.prepare(sql)
            try statement.bind([pattern])
            var names: [String] = []
            while try statement.step() { names.append(statement.string(at: 0) ?? "") }
            guard !names.isEmpty else { return }
            let width = names.map(\.count).max()! + 2
            let columns = max(1, 80 / width)
            for start in stride(from: 0, to: names.count, by: columns) {
                let row = names[start..<min(start + columns, names.count)]
                write(row.map { $0.padding(toLength: width, withPad: " ", startingAt: 0) }.joined()
                    .trimmingCharacters(in: .whitespaces) + "\n")
            }
        } catch {
            report(error, prepare: false, line: 0, fromArguments: false)
        }
    }

    private func printSchema(pattern: String) {
        do {
            let statement = try connection.prepare("""
                SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' \
                AND (name LIKE ?1 OR tbl_name LIKE ?1) ORDER BY rowid
                """)
            try statement.bind([pattern])
            while try statement.step() { write((statement.string(at: 0) ?? "") + ";\n") }
        } catch {
            report(error, prepare: false, line: 0, fromArguments: false)
        }
    }

    static func boolean(_ word: String?) -> Bool {
        guard let word = word?.lowercased() else { return false }
        return word == "on" || word == "yes" || word == "true" || word == "1"
    }

    /// The shell's argument splitting: white space separates, quotes group.
    static func splitArguments(_ line: String) -> [String] {
        var words: [String] = []
        var current = ""
        var quote: Character?
        var inWord = false
        for character in line {
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
            } else if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character == " " || character == "\t" {
                if inWord { words.append(current); current = ""; inWord = false }
            } else {
                current.append(character)
                inWord = true
            }
        }
        if inWord { words.append(current) }
        return words
    }

    static func unescape(_ text: String) -> String {
        text.replacingOccurrences(of: "\\t", with: "\t").replacingOccurrences(of: "\\n", with: "\n")
    }
}
