import Foundation
import Testing

/// The `ringlite` shell against the sqlite3 shell: the same script on two copies of one
/// database must print the same output, the same errors and exit with the same status.
@Suite struct ShellTests {
    static var ringliteExecutable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("ringlite")
    }

    struct Result: Equatable {
        var status: Int32
        var output: String
        var errors: String
    }

    static func run(_ executable: URL, _ arguments: [String], input: String) throws -> Result {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(Data(input.utf8))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: output, as: UTF8.self),
                      errors: String(decoding: errors, as: UTF8.self))
    }

    /// Runs `script` (standard input) or `arguments` (SQL after the file name) on both shells.
    static func compare(setup: String, script: String = "", arguments: [String] = []) throws -> (ringlite: Result, sqlite: Result) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlitePath = directory.appendingPathComponent("sqlite.db").path
        let ringlitePath = directory.appendingPathComponent("ringlite.db").path
        let sqlite3 = URL(fileURLWithPath: "/usr/bin/sqlite3")
        _ = try run(sqlite3, [sqlitePath], input: setup)
        try FileManager.default.copyItem(atPath: sqlitePath, toPath: ringlitePath)
        let ringlite = try run(ringliteExecutable, [ringlitePath] + arguments, input: script)
        let sqlite = try run(sqlite3, [sqlitePath] + arguments, input: script)
        return (ringlite, sqlite)
    }

    static let setup = """
        CREATE TABLE t(a INTEGER, b TEXT, c REAL, d BLOB);
        INSERT INTO t VALUES (1, 'one', 1.5, x'00ff'), (2, 'two, "quoted"', NULL, NULL), (NULL, '', -0.25, x'');
        INSERT INTO t VALUES (4, 'it''s', 1e100, NULL), (5, 'multi
        line', 3.0, 'text');
        """

    static let query = "SELECT a, b, c, d, typeof(c) FROM t;"

    @Test(arguments: ["list", "csv", "line", "column", "quote", "tabs"])
    func outputModesPrintAsSQLite(_ mode: String) throws {
        for headers in ["on", "off"] {
            let script = ".mode \(mode)\n.headers \(headers)\n\(Self.query)\nSELECT 1 AS x WHERE 0;\nSELECT NULL, 'a', 2;\n"
            let (ringlite, sqlite) = try Self.compare(setup: Self.setup, script: script)
            #expect(ringlite == sqlite, "mode \(mode), headers \(headers)")
        }
    }

    @Test func errorsAreReportedAsSQLite() throws {
        let script = "SELECT 1;\nSELEC 2;\nSELECT 3;\n  SELECT a FROM t WHERE (a = ;\nSELECT 4;\n"
        let (ringlite, sqlite) = try Self.compare(setup: Self.setup, script: script)
        #expect(ringlite == sqlite)
        #expect(ringlite.status == 1)
    }

    @Test func bailStopsAtTheFirstError() throws {
        let script = ".bail on\nSELECT 1;\nSELEC 2;\nSELECT 3;\n"
        let (ringlite, sqlite) = try Self.compare(setup: Self.setup, script: script)
        #expect(ringlite == sqlite)
    }

    @Test func sqlGivenAsArguments() throws {
        let ok = try Self.compare(setup: Self.setup, arguments: ["SELECT count(*) FROM t", "SELECT b FROM t WHERE a = 2"])
        #expect(ok.ringlite == ok.sqlite)
        let failing = try Self.compare(setup: Self.setup, arguments: ["SELECT count(*) FROM t", "SELECT 1 +"])
        #expect(failing.ringlite == failing.sqlite)
        #expect(failing.ringlite.status == 1)
    }

    /// Statements without result rows run once: the shell used to step a finished statement
    /// again, which ran it a second time (INSERTs doubled, CREATE TABLE failed with "already
    /// exists").
    @Test func writesRunOnce() throws {
        let script = """
            CREATE TABLE u(x);
            INSERT INTO u VALUES (1);
            INSERT INTO u SELECT a FROM t WHERE a IS NOT NULL;
            UPDATE u SET x = x + 100 WHERE x > 3;
            DELETE FROM t WHERE a = 2;
            CREATE INDEX u_x ON u(x);
            SELECT count(*), sum(x) FROM u;
            SELECT count(*) FROM t;
            PRAGMA integrity_check;

            """
        let (ringlite, sqlite) = try Self.compare(setup: Self.setup, script: script)
        #expect(ringlite == sqlite)
        #expect(ringlite.status == 0)
    }

    @Test func statementsSpanningLinesAndComments() throws {
        let script = "SELECT\n  a -- a comment; not the end\n  FROM t /* ; */ WHERE a\n  > 1;\n-- trailing comment\n"
        let (ringlite, sqlite) = try Self.compare(setup: Self.setup, script: script)
        #expect(ringlite == sqlite)
    }
}
