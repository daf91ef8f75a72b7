import Foundation
@testable import SQL

/// The sqlite3 command-line shell (3.40) as the oracle for what parses and how errors read.
enum Oracle {
    static let path = "/usr/bin/sqlite3"

    static var isAvailable: Bool { FileManager.default.isExecutableFile(atPath: path) }

    /// A scratch directory, so that statements such as ATTACH never touch the work tree.
    static let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-sql-oracle-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    /// Runs `sql` in a fresh in-memory database; returns the shell's output and error text.
    static func run(_ sql: String, input: String? = nil) -> (stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        // A leading space keeps the shell from reading "-..." as an option or "..." as a dot
        // command.
        process.arguments = input == nil ? ["-batch", ":memory:", " " + sql] : ["-batch", ":memory:"]
        process.currentDirectoryURL = scratch
        let out = Pipe(), err = Pipe(), inPipe = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = inPipe
        do { try process.run() } catch { return ("", "cannot run sqlite3: \(error)") }
        if let input { inPipe.fileHandleForWriting.write(input.data(using: .utf8)!) }
        try? inPipe.fileHandleForWriting.close()
        // Error output is small; read the (possibly large) output first, then the errors.
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errText = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: outData, as: UTF8.self), String(decoding: errText, as: UTF8.self))
    }

    /// The message sqlite3 gives when it cannot prepare `sql`, or nil when it prepares (or
    /// fails only when run).
    static func prepareError(_ sql: String) -> String? {
        let (_, stderr) = run(sql)
        for line in stderr.split(separator: "\n", omittingEmptySubsequences: false) {
            for prefix in ["Error: in prepare, ", "Parse error: "] where line.hasPrefix(prefix) {
                return String(line.dropFirst(prefix.count))
            }
        }
        return nil
    }

    /// True when sqlite3 reports a syntax-level error for `sql`, as opposed to accepting its
    /// grammar (it may still fail for want of a table). The statement is prefixed with EXPLAIN
    /// so that nothing runs.
    static func isSyntaxError(_ sql: String) -> Bool {
        let trimmed = sql.drop(while: { $0 == " " })
        let prepared = trimmed.lowercased().hasPrefix("explain") ? sql : "EXPLAIN " + sql
        guard let message = prepareError(prepared) else { return false }
        return isSyntaxMessage(message)
    }

    static func isSyntaxMessage(_ message: String) -> Bool {
        message.hasSuffix(": syntax error") || message == "incomplete input"
            || message.hasPrefix("unrecognized token") || message == "parser stack overflow"
    }
}
