import Foundation
import BTree
import Pager
@testable import VM

/// Runs the sqlite3 shell on a database file and Ringlite's VM on the same file (never both at
/// once: Ringlite holds the file's lock while open).
enum SQLite3Shell {
    struct Output {
        var stdout: String
        var stderr: String
    }

    static func run(_ path: String, _ sql: String) throws -> Output {
        let directory = FileManager.default.temporaryDirectory
        let script = directory.appendingPathComponent("ringlite-vm-\(UUID().uuidString).sql")
        try sql.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = ["-batch", "-noheader", "-cmd", ".explain off", path]
        process.standardInput = try FileHandle(forReadingFrom: script)
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(stdout: String(decoding: data, as: UTF8.self), stderr: String(decoding: errorData, as: UTF8.self))
    }

    static let separator = "#####"

    /// Runs statements separated by a marker row and returns each one's output.
    static func runEach(_ path: String, _ statements: [String]) throws -> [String] {
        let script = statements.map { "\($0);\nSELECT '\(separator)';" }.joined(separator: "\n")
        let output = try run(path, script)
        var parts = output.stdout.components(separatedBy: "\(separator)\n")
        if parts.last == "" { parts.removeLast() }
        return parts
    }
}

/// A database file in a temporary directory, opened by Ringlite on demand.
final class VMDatabase {
    let directory: URL
    let path: String
    var options: PagerOptions
    private(set) var connection: ConnectionState?
    private var shared: PagerShared?

    init(cachePages: Int = 256, io: IOBackendKind? = nil) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-vm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        path = directory.appendingPathComponent("test.db").path
        options = PagerOptions()
        options.journalMode = .off
        options.synchronous = .off
        options.cachePages = cachePages
        options.io = io ?? IOBackendKind.fromEnvironment() ?? .uring
    }

    deinit {
        close()
        try? FileManager.default.removeItem(at: directory)
    }

    func open() throws -> ConnectionState {
        if let connection { return connection }
        let shared = try PagerShared.open(path: path, options: options)
        let connection = try ConnectionState(shared: shared)
        self.shared = shared
        self.connection = connection
        return connection
    }

    func close() {
        connection = nil
        shared = nil
    }

    @discardableResult
    func sqlite(_ sql: String) throws -> SQLite3Shell.Output {
        close()
        return try SQLite3Shell.run(path, sql)
    }

    /// Runs a program to its end and returns its rows as sqlite3's list mode prints them.
    func run(_ program: Program, bindings: [Value] = [], ioCount: UnsafeMutablePointer<Int>? = nil) throws -> [String] {
        let connection = try open()
        let machine = VirtualMachine(program: program, connection: connection)
        for (index, value) in bindings.enumerated() { try machine.bind(index + 1, value) }
        var rows: [String] = []
        while true {
            switch try machine.step() {
            case .io(let completion):
                ioCount?.pointee += 1
                connection.pager.backend.wait(for: completion)
            case .done(.row):
                rows.append((0..<machine.columnCount).map { Self.render(machine.column($0)) }.joined(separator: "|"))
            case .done(.done):
                return rows
            }
        }
    }

    /// sqlite3's list-mode rendering of a value.
    static func render(_ value: Value) -> String {
        switch value {
        case .null: ""
        case .integer(let i): String(i)
        case .real(let r): String(decoding: NumberText.realText(r), as: UTF8.self)
        case .text(let bytes), .blob(let bytes): String(decoding: bytes, as: UTF8.self)
        }
    }
}

/// The outcome of comparing one statement.
enum Comparison: Equatable {
    case matched
    case skipped(String)
    case mismatch(String)
}

extension VMDatabase {
    /// Compiles each read-only statement with sqlite3, runs the program on Ringlite's VM and
    /// compares the rows (in order) with sqlite3's own.
    func compareReads(_ statements: [String]) throws -> [(String, Comparison)] {
        var explainScript: [String] = []
        for statement in statements {
            explainScript.append("EXPLAIN \(statement)")
            explainScript.append(statement)
        }
        let outputs = try {
            close()
            return try SQLite3Shell.runEach(path, explainScript)
        }()
        precondition(outputs.count == statements.count * 2, "sqlite3 output does not split into statements")
        var results: [(String, Comparison)] = []
        for (index, statement) in statements.enumerated() {
            let explain = outputs[index * 2]
            let expected = outputs[index * 2 + 1].split(separator: "\n", omittingEmptySubsequences: false).map(String.init).dropLast()
            let program: Program
            do {
                program = try ExplainParser.parse(explain, sql: statement, columnCount: 0)
            } catch let unsupported as ExplainParser.Unsupported {
                results.append((statement, .skipped(unsupported.description)))
                continue
            }
            do {
                let rows = try run(program)
                if rows == Array(expected) {
                    results.append((statement, .matched))
                } else {
                    results.append((statement, .mismatch("expected \(Array(expected).prefix(8)) got \(rows.prefix(8)) (\(expected.count) vs \(rows.count) rows)")))
                }
            } catch {
                results.append((statement, .mismatch("error \(error)")))
            }
        }
        return results
    }

    /// Compiles a write with sqlite3, runs it on Ringlite; runs it with sqlite3 on a copy; then
    /// compares `checks` on both files and requires PRAGMA integrity_check to pass on Ringlite's.
    func compareWrite(_ statement: String, checks: [String]) throws -> Comparison {
        close()
        let explain = try SQLite3Shell.run(path, "EXPLAIN \(statement);")
        let copy = directory.appendingPathComponent("copy.db").path
        try? FileManager.default.removeItem(atPath: copy)
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        defer { try? FileManager.default.removeItem(atPath: copy) }
        let reference = try SQLite3Shell.run(copy, "\(statement);\n" + checks.map { "\($0);" }.joined(separator: "\n"))
        let program: Program
        do {
            program = try ExplainParser.parse(explain.stdout, sql: statement, columnCount: 0)
        } catch let unsupported as ExplainParser.Unsupported {
            // Keep both files in step so later statements see the same data.
            try FileManager.default.removeItem(atPath: path)
            try FileManager.default.copyItem(atPath: copy, toPath: path)
            return .skipped(unsupported.description)
        }
        var ringliteError: String?
        do {
            _ = try run(program)
        } catch let error as DatabaseError {
            ringliteError = error.message
        }
        close()
        if let expectedError = reference.stderr.split(separator: "\n").first {
            guard let ringliteError, expectedError.contains(ringliteError) else {
                return .mismatch("sqlite3 failed with \(expectedError), Ringlite with \(ringliteError ?? "no error")")
            }
        } else if let ringliteError {
            return .mismatch("Ringlite failed: \(ringliteError)")
        }
        let actual = try SQLite3Shell.run(path, "PRAGMA integrity_check;\n" + checks.map { "\($0);" }.joined(separator: "\n"))
        let expectedOutput = "ok\n" + reference.stdout
        if actual.stdout != expectedOutput || !actual.stderr.isEmpty {
            let expectedLines = expectedOutput.split(separator: "\n", omittingEmptySubsequences: false)
            let actualLines = actual.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            let common = min(expectedLines.count, actualLines.count)
            let first = (0..<common).first { expectedLines[$0] != actualLines[$0] } ?? common
            let expectedLine = first < expectedLines.count ? String(expectedLines[first]) : "(end)"
            let actualLine = first < actualLines.count ? String(actualLines[first]) : "(end)"
            return .mismatch("after the write, line \(first): expected \(expectedLine.prefix(200)) got \(actualLine.prefix(200)) \(actual.stderr)")
        }
        return .matched
    }
}
