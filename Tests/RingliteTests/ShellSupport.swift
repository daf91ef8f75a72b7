import Foundation
import Glibc

/// Runs the `ringlite` and `sqlite3` shells for the shell tests: on copies of one database
/// that sqlite3 built, with the same input, capturing output, errors and exit status.
enum ShellSupport {
    static var ringlite: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ringlite")
    }

    static let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")

    struct Result: Equatable, CustomStringConvertible {
        var status: Int32
        var output: String
        var errors: String

        var description: String { "status \(status)\n--- output\n\(output)--- errors\n\(errors)" }
    }

    static func temporaryDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    /// Runs a program to its end with `input` on standard input. Output is read while the
    /// program runs (a full pipe would stall it), and the whole run is limited to a minute.
    static func run(_ executable: URL, _ arguments: [String], input: String = "",
                    environment: [String: String]? = nil) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let pid = process.processIdentifier
        let watchdog = DispatchWorkItem { kill(pid, SIGKILL) }
        DispatchQueue.global().asyncAfter(deadline: .now() + 60, execute: watchdog)
        defer { watchdog.cancel() }
        let errors = ReadAll(stderr.fileHandleForReading)
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
                      errors: String(decoding: errors.wait(), as: UTF8.self))
    }

    /// The same run on both shells: `setup` (SQL) builds a database with sqlite3, which is
    /// copied; `ringliteOptions` and `sqliteOptions` are the same options in each shell's
    /// spelling; `arguments` come after the file name.
    static func compare(setup: String, script: String = "", arguments: [String] = [],
                        ringliteOptions: [String] = [], sqliteOptions: [String] = [],
                        files: [String: String] = [:]) throws -> (ringlite: Result, sqlite: Result) {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlitePath = directory.appendingPathComponent("sqlite.db").path
        let ringlitePath = directory.appendingPathComponent("ringlite.db").path
        let built = try run(sqlite3, [sqlitePath], input: setup)
        precondition(built.status == 0 && built.errors.isEmpty, "setup failed: \(built)")
        try FileManager.default.copyItem(atPath: sqlitePath, toPath: ringlitePath)
        // Files for .read, named in scripts by their key; the path is the same for both.
        var script = script
        for (name, text) in files {
            let path = directory.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            script = script.replacingOccurrences(of: "{\(name)}", with: path)
        }
        let ringlite = try run(self.ringlite, ringliteOptions + [ringlitePath] + arguments, input: script)
        let sqlite = try run(sqlite3, sqliteOptions + [sqlitePath] + arguments, input: script)
        return (ringlite, sqlite)
    }

    /// sqlite3's spelling of a ringlite option list (--mode X is -X; --no-header is -noheader).
    static func sqliteSpelling(_ options: [String]) -> [String] {
        var result: [String] = []
        var index = 0
        while index < options.count {
            switch options[index] {
            case "--mode":
                result.append("-" + options[index + 1])
                index += 1
            case "--no-header": result.append("-noheader")
            default: result.append("-" + options[index].drop { $0 == "-" })
            }
            index += 1
        }
        return result
    }

    static let setup = #"""
        CREATE TABLE t(a INTEGER, b TEXT, c REAL, d BLOB);
        INSERT INTO t VALUES (1, 'one', 1.5, x'00ff'), (2, 'two, "quoted"', NULL, NULL), (NULL, '', -0.25, x'');
        INSERT INTO t VALUES (4, 'it''s', 1e100, NULL), (5, 'multi
        line', 3.0, 'text'), (6, 'tab' || char(9) || 'é€', 0.1, x'01020a41'),
          (7, 'a very long line of text that goes past the sixty characters at which column and box modes wrap it', 2.5, 7),
          (8, 'crlf' || char(13, 10) || 'next', 1e-7, 'x' || char(13)), (9, '  padded  ', 123456789.125, '');
        CREATE TABLE "odd ""name"""(x, "select" TEXT);
        INSERT INTO "odd ""name""" VALUES (1, 'x'), ('y', NULL);
        CREATE INDEX tb ON t(b);
        CREATE UNIQUE INDEX ta ON t(a, c);
        CREATE TABLE seq(k INTEGER PRIMARY KEY AUTOINCREMENT, v);
        INSERT INTO seq(v) VALUES ('first'), ('second');
        CREATE TABLE plain(k INTEGER PRIMARY KEY, v);
        INSERT INTO plain VALUES (1, 'one');
        """#
}

/// Reads a file handle to its end on a thread of its own (so a program writing to two pipes
/// never stalls on the one not being read).
final class ReadAll: @unchecked Sendable {
    private var data = Data()
    private let done = DispatchSemaphore(value: 0)

    init(_ handle: FileHandle) {
        Thread.detachNewThread { [self] in
            data = handle.readDataToEndOfFile()
            done.signal()
        }
    }

    func wait() -> Data {
        done.wait()
        return data
    }
}
