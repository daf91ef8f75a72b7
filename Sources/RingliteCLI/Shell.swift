import Glibc
import Ringlite

/// The shell's loop, as sqlite3's process_input: reads lines, gathers them until they end with
/// a complete statement (sqlite3_complete), runs them and prints their rows, flushing standard
/// output after every statement so that a program piping SQL in sees each result as soon as it
/// exists. A line starting with "." when no statement is pending is a dot-command, one starting
/// with "#" a comment. Errors are reported on standard error as sqlite3 reports them.
final class Shell {
    let connection: Connection
    let output = Output(descriptor: STDOUT_FILENO)
    let reals: RealFormatter
    var settings: OutputSettings
    var bail: Bool
    var timer = false
    /// True while reading a terminal: prompts, and errors without "near line N".
    private(set) var interactive = false
    /// Nesting of .read, which sqlite3 limits to 25.
    private var inputNesting = 0
    var quitRequested = false
    /// The exit status requested by `.exit N`.
    var exitCode: Int32?

    init(connection: Connection, settings: OutputSettings, bail: Bool) {
        self.connection = connection
        self.settings = settings
        self.bail = bail
        self.reals = RealFormatter(connection: connection)
    }

    func write(_ text: String) { output.write(text) }

    func writeError(_ text: String) {
        output.flush()
        var bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeMutableBytes { Glibc.write(STDERR_FILENO, $0.baseAddress! + written, $0.count - written) }
            if result < 0 { if errno == EINTR { continue }; break }
            written += result
        }
        bytes.removeAll()
    }

    /// Runs SQL and dot-commands given as arguments (sqlite3 FILE "SQL" ...): stops at the first
    /// failure and returns sqlite3's exit status for it (the result code for SQL, 1 for a
    /// dot-command), 0 when everything ran.
    func runArguments(_ commands: [String]) -> Int32 {
        for command in commands {
            if command.hasPrefix(".") {
                let failed = !runDotCommand(command)
                output.flush()
                if quitRequested { return exitCode ?? 0 }
                if failed { return 1 }
            } else if let code = runSQL(command, startLine: 0, fromArguments: true) {
                output.flush()
                return code
            }
        }
        output.flush()
        return 0
    }

    /// Reads standard input until its end, `.quit` or (with bail on) an error; returns the
    /// exit status. With a terminal, lines are read with prompts, editing and history.
    func runStandardInput() -> Int32 {
        interactive = isatty(STDIN_FILENO) != 0
        let source: LineSource
        if interactive {
            write("Ringlite shell (SQLite-compatible SQL). Enter \".help\" for usage hints.\n")
            source = TerminalLineSource(editor: LineEditor(history: LineEditor.defaultHistoryPath()), output: output)
        } else {
            source = DescriptorLineSource(descriptor: STDIN_FILENO)
        }
        let errors = processInput(source, isTerminal: interactive)
        output.flush()
        return exitCode ?? (errors ? 1 : 0)
    }

    /// sqlite3's process_input; returns true when something failed.
    func processInput(_ source: LineSource, isTerminal: Bool) -> Bool {
        guard inputNesting < 25 else {
            writeError("Input nesting limit (25) reached at line 0. Check recursion.\n")
            return true
        }
        inputNesting += 1
        defer { inputNesting -= 1 }
        var errorCount = 0
        var pending: [UInt8] = []
        var pendingStart = 0
        var lineNumber = 0
        var scan = QuickScan()
        while errorCount == 0 || !bail || isTerminal {
            output.flush()
            guard var line = source.readLine(continuation: !pending.isEmpty) else {
                if isTerminal { write("\n") }
                break
            }
            lineNumber += 1
            if scan.isPlain && QuickScan.isCommandTerminator(line)
                && Database.isComplete(String(decoding: pending + [UInt8(ascii: ";")], as: UTF8.self)) {
                line = [UInt8(ascii: ";")]
            }
            scan.scan(line)
            if scan.isPlainWhite && pending.isEmpty {
                scan = QuickScan()
                continue
            }
            if pending.isEmpty, let first = line.first, first == UInt8(ascii: ".") || first == UInt8(ascii: "#") {
                if first == UInt8(ascii: ".") {
                    let succeeded = runDotCommand(String(decoding: line, as: UTF8.self))
                    if quitRequested { break }
                    if !succeeded { errorCount += 1 }
                }
                scan = QuickScan()
                continue
            }
            if pending.isEmpty {
                pending = Array(line.drop { QuickScan.isSpace($0) })
                pendingStart = lineNumber
            } else {
                pending.append(0x0a)
                pending.append(contentsOf: line)
            }
            if !pending.isEmpty && scan.endsWithSemicolon && Database.isComplete(String(decoding: pending, as: UTF8.self)) {
                if runTimed(pending, startLine: pendingStart, source: source) { errorCount += 1 }
                pending = []
                scan = QuickScan()
            } else if !pending.isEmpty && scan.isPlainWhite {
                pending = []
                scan = QuickScan()
            }
        }
        if !pending.isEmpty && !quitRequested {
            if runTimed(pending, startLine: pendingStart, source: source) { errorCount += 1 }
        }
        return errorCount > 0
    }

    /// runOneSqlLine: runs a chunk of SQL (one or more statements) under .timer; returns true
    /// when it failed.
    private func runTimed(_ sql: [UInt8], startLine: Int, source: LineSource) -> Bool {
        let started = TimerSnapshot.now()
        let failed = runSQL(String(decoding: sql, as: UTF8.self), startLine: source.reportsLines ? startLine : nil,
                            fromArguments: false) != nil
        if timer { write(TimerSnapshot.now().report(since: started)) }
        return failed
    }

    /// Runs every statement of `sql`, printing rows and flushing after each; stops at the first
    /// error, reports it, and returns its primary result code (nil when all ran). `startLine`
    /// is nil when errors are reported without a line (a terminal).
    @discardableResult
    func runSQL(_ sql: String, startLine: Int?, fromArguments: Bool) -> Int32? {
        var offset = 0
        let length = sql.utf8.count
        let formatter = OutputFormatter(settings: settings, output: output, reals: reals)
        while offset < length {
            let statement: Statement
            do {
                let (prepared, next) = try connection.prepareFirst(sql, at: offset)
                guard let prepared else { return nil }
                statement = prepared
                offset = next
            } catch {
                report(error, prepare: true, line: startLine, fromArguments: fromArguments,
                       context: Self.errorContext(sql, statementStart: offset, errorOffset: error.offset))
                return error.resultCode.primary.rawValue
            }
            do {
                // A statement that is done must not be stepped again: that would run it again.
                var hasRow = try statement.step()
                if hasRow && statement.columnCount > 0 {
                    try formatter.format(statement)
                } else {
                    while hasRow { hasRow = try statement.step() }
                }
                statement.reset()
            } catch {
                output.flush()
                report(error, prepare: false, line: startLine, fromArguments: fromArguments)
                return error.resultCode.primary.rawValue
            }
            output.flush()
        }
        return nil
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
    /// "Runtime error near line N: ... (code)" for errors running ("Parse error: ..." at a
    /// terminal); "Error: in prepare, ..." and "Error: stepping, ... (code)" for SQL given as an
    /// argument.
    func report(_ error: DatabaseError, prepare: Bool, line: Int?, fromArguments: Bool, context: String = "") {
        let code = error.resultCode.primary.rawValue
        if fromArguments {
            writeError(prepare ? "Error: in prepare, \(error.message)\(context)\n" : "Error: stepping, \(error.message) (\(code))\n")
            return
        }
        let kind = prepare ? "Parse error" : "Runtime error"
        let prefix = line.map { "\(kind) near line \($0):" } ?? "\(kind):"
        writeError(prepare ? "\(prefix) \(error.message)\(context)\n" : "\(prefix) \(error.message) (\(code))\n")
    }
}

/// sqlite3's quickscan: whether the lines so far are inside a string, identifier or comment,
/// hold anything but white space and comments ("dark"), and end with a semicolon.
struct QuickScan {
    /// The character that closes what is open (a quote, "]" or "*" for a block comment); 0 when
    /// nothing is.
    private var waitingFor: UInt8 = 0
    private(set) var hasDark = false
    private(set) var endsWithSemicolon = false

    var isPlain: Bool { waitingFor == 0 }
    var isPlainWhite: Bool { waitingFor == 0 && !hasDark }

    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0d).contains(c) }

    mutating func scan(_ line: [UInt8]) {
        var i = 0
        func at(_ index: Int) -> UInt8 { index < line.count ? line[index] : 0 }
        while i < line.count {
            let c = line[i]
            i += 1
            if waitingFor != 0 {
                guard c == waitingFor else { continue }
                switch waitingFor {
                case UInt8(ascii: "*"):
                    guard at(i) == UInt8(ascii: "/") else { continue }
                    i += 1
                case UInt8(ascii: "`"), UInt8(ascii: "'"), UInt8(ascii: "\""):
                    if at(i) == waitingFor { i += 1; continue }
                default: break
                }
                waitingFor = 0
                continue
            }
            if Self.isSpace(c) { continue }
            switch c {
            case UInt8(ascii: "-") where at(i) == UInt8(ascii: "-"):
                return  // the rest of the line is a comment
            case UInt8(ascii: ";"):
                endsWithSemicolon = true
                continue
            case UInt8(ascii: "/") where at(i) == UInt8(ascii: "*"):
                i += 1
                waitingFor = UInt8(ascii: "*")
                continue
            case UInt8(ascii: "["), UInt8(ascii: "`"), UInt8(ascii: "'"), UInt8(ascii: "\""):
                waitingFor = c == UInt8(ascii: "[") ? UInt8(ascii: "]") : c
                hasDark = true
                endsWithSemicolon = false
                continue
            default:
                break
            }
            endsWithSemicolon = false
            hasDark = true
        }
    }

    /// line_is_command_terminator: a line holding only "/" or "go" (any case), apart from
    /// white space and a trailing comment.
    static func isCommandTerminator(_ line: [UInt8]) -> Bool {
        var rest = line.drop(while: isSpace)
        if rest.first == UInt8(ascii: "/") {
            rest = rest.dropFirst()
        } else if rest.count >= 2, rest[rest.startIndex] | 0x20 == UInt8(ascii: "g"),
                  rest[rest.startIndex + 1] | 0x20 == UInt8(ascii: "o") {
            rest = rest.dropFirst(2)
        } else {
            return false
        }
        var scan = QuickScan()
        scan.scan(Array(rest))
        return scan.isPlainWhite && !scan.endsWithSemicolon
    }
}

/// Wall-clock, user and system time, for `.timer on` ("Run Time: real R user U sys S").
struct TimerSnapshot {
    var wall: ContinuousClock.Instant
    var user: Double
    var system: Double

    static func now() -> TimerSnapshot {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return TimerSnapshot(wall: .now, user: seconds(usage.ru_utime), system: seconds(usage.ru_stime))
    }

    func report(since start: TimerSnapshot) -> String {
        let elapsed = wall - start.wall
        let real = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        func fixed(_ value: Double, _ digits: Int) -> String {
            var buffer = [CChar](repeating: 0, count: 64)
            _ = withVaList([value]) { vsnprintf(&buffer, buffer.count, "%.\(digits)f", $0) }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
        return "Run Time: real \(fixed(real, 3)) user \(fixed(user - start.user, 6)) sys \(fixed(system - start.system, 6))\n"
    }
}
