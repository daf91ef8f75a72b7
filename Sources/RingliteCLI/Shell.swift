import Foundation
import Ringlite

/// The shell's loop: reads lines, gathers them into complete statements (sqlite3_complete),
/// runs them and prints their rows; lines starting with "." at the start of a statement are
/// dot-commands. Errors are reported as the sqlite3 shell reports them.
final class Shell {
    let connection: Connection
    var settings: OutputSettings
    var bail: Bool
    var timer = false
    /// False once any statement failed (the exit status).
    private(set) var succeeded = true

    func markFailed() { succeeded = false }
    var quitRequested = false

    init(connection: Connection, settings: OutputSettings, bail: Bool) {
        self.connection = connection
        self.settings = settings
        self.bail = bail
    }

    func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    func writeError(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// Runs SQL and dot-commands given as arguments (sqlite3 FILE "SQL" ...).
    func runArguments(_ commands: [String]) -> Bool {
        for command in commands {
            if command.hasPrefix(".") {
                runDotCommand(command, line: 0)
            } else {
                runSQL(command, startLine: 0, fromArguments: true)
            }
            if quitRequested || (!succeeded && bail) { break }
        }
        return succeeded
    }

    /// Reads statements from standard input until its end or .quit.
    func runInput(interactive: Bool) -> Bool {
        if interactive {
            write("Ringlite shell (SQLite-compatible). Enter \".help\" for usage hints.\n")
        }
        var pending = ""
        var pendingStart = 0
        var lineNumber = 0
        while !quitRequested {
            if interactive { write(pending.isEmpty ? "ringlite> " : "     ...> ") }
            guard let line = readLine(strippingNewline: true) else { break }
            lineNumber += 1
            if pending.isEmpty {
                let trimmed = line.drop { $0 == " " || $0 == "\t" }
                if trimmed.hasPrefix(".") {
                    runDotCommand(String(trimmed), line: lineNumber)
                    if !succeeded && bail && !interactive { break }
                    continue
                }
                if trimmed.isEmpty { continue }
                pendingStart = lineNumber
            }
            pending += pending.isEmpty ? line : "\n" + line
            if Database.isComplete(pending) {
                runSQL(pending, startLine: pendingStart, fromArguments: false)
                pending = ""
                if !succeeded && bail && !interactive { break }
            }
        }
        if !pending.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && !quitRequested {
            runSQL(pending, startLine: pendingStart, fromArguments: false)
        }
        return succeeded
    }

    /// Runs every statement of `sql`, printing rows.
    func runSQL(_ sql: String, startLine: Int, fromArguments: Bool) {
        var offset = 0
        let length = sql.utf8.count
        let formatter = OutputFormatter(settings: settings)
        while offset < length {
            let statement: Statement
            do {
                let (prepared, next) = try connection.prepareFirst(sql, at: offset)
                guard let prepared else { return }
                statement = prepared
                offset = next
            } catch {
                report(error, prepare: true, line: startLine, fromArguments: fromArguments,
                       context: Self.errorContext(sql, statementStart: offset, errorOffset: error.offset))
                return
            }
            let started = ContinuousClock.now
            do {
                // A step that finds no row has finished the statement: stepping again would
                // run it a second time.
                if try statement.step() {
                    if statement.columnCount > 0 {
                        try formatter.format(statement, firstRow: true) { write($0) }
                    } else {
                        while try statement.step() {}
                    }
                }
                statement.reset()
            } catch {
                report(error, prepare: false, line: startLine, fromArguments: fromArguments)
                return
            }
            if timer {
                let elapsed = ContinuousClock.now - started
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                write(String(format: "Run Time: real %.3f\n", seconds))
            }
        }
    }

    /// The sqlite3 shell's shell_error_context: the text from the failing statement on (at most
    /// 78 bytes, starting no more than 50 bytes before the error), white space shown as spaces,
    /// and a marker under the error's offset.
    static func errorContext(_ sql: String, statementStart: Int, errorOffset: Int?) -> String {
        var bytes = Array(sql.utf8)
        var start = statementStart
        while start < bytes.count && (bytes[start] == 0x20 || (0x09...0x0d).contains(bytes[start])) { start += 1 }
        guard let errorOffset, errorOffset >= start else { return "" }
        bytes = Array(bytes[start...])
        var position = errorOffset - start
        var from = 0
        while position > 50 {
            position -= 1
            from += 1
            while from < bytes.count && bytes[from] & 0xc0 == 0x80 { from += 1; position -= 1 }
        }
        var length = min(78, bytes.count - from)
        if length == 78 { while from + length < bytes.count && bytes[from + length] & 0xc0 == 0x80 { length -= 1 } }
        let code = bytes[from..<from + length].map { $0 == 0x20 || (0x09...0x0d).contains($0) ? 0x20 : $0 }
        let text = String(decoding: code, as: UTF8.self)
        if position < 25 {
            return "\n  \(text)\n  " + String(repeating: " ", count: max(0, position)) + "^--- error here"
        }
        return "\n  \(text)\n  " + String(repeating: " ", count: position - 14) + "error here ---^"
    }

    /// The sqlite3 shell's wording: "Parse error near line N: ..." for errors preparing,
    /// "Runtime error near line N: ... (code)" for errors running; "Error: in prepare, ..." and
    /// "Error: stepping, ... (code)" for SQL given as an argument.
    func report(_ error: DatabaseError, prepare: Bool, line: Int, fromArguments: Bool, context: String = "") {
        succeeded = false
        let code = error.resultCode.primary.rawValue
        if fromArguments {
            writeError(prepare ? "Error: in prepare, \(error.message)\(context)\n" : "Error: stepping, \(error.message) (\(code))\n")
        } else if prepare {
            writeError("Parse error near line \(line): \(error.message)\(context)\n")
        } else {
            writeError("Runtime error near line \(line): \(error.message) (\(code))\n")
        }
    }
}
