import Foundation
import Testing

/// The shell's dot-commands against sqlite3's: the same script, the same output and errors.
@Suite struct ShellDotCommandTests {
    typealias Support = ShellSupport

    /// Enough tables that .tables lays them out in several columns, filled top to bottom.
    static let manyTables = (1...14).map { "CREATE TABLE \(String(repeating: "t", count: $0 % 5 + 1))_\($0)(x);" }.joined(separator: "\n")

    @Test func tablesIndexesAndSchema() throws {
        let script = """
            .tables
            .tables t%
            .tables nothing
            .indexes
            .indexes t
            .indices seq
            .indexes a b
            .schema
            .schema t
            .schema T%
            .schema odd*
            .schema sqlite_master
            .schema --nosys
            .schema nothing
            .sch seq
            .tab tt%
            """
        let (ringlite, sqlite) = try Support.compare(setup: Support.setup + "\n" + Self.manyTables, script: script + "\n")
        #expect(ringlite == sqlite, "\(ringlite)")
        #expect(ringlite.output.contains("CREATE TABLE IF NOT EXISTS \"odd \"\"name\"\"\""))
    }

    @Test func settingsCommands() throws {
        let script = """
            .headers on
            SELECT a, b FROM t WHERE a < 3;
            .headers off
            .nullvalue NULL!
            SELECT NULL, 1;
            .nullvalue
            .separator ::
            SELECT 1, 2;
            .separator , ;\\n
            SELECT 3, 4;
            .mode
            .mode col
            .mode
            SELECT a FROM t WHERE a = 1;
            .mode li
            SELECT 5, 6;
            .mode html
            .mode nosuchmode
            .mode box tablename
            .mode box tablename extra
            .head yes
            .headers maybe
            SELECT 7 AS seven;
            .headers
            .bail
            .timer
            .quit
            SELECT 'not reached';
            """
        let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: script + "\n")
        // sqlite3 has an html mode, which Ringlite refuses; sqlite3's list of modes names its
        // own. Those lines differ, the rest is the same.
        #expect(ringlite.output == sqlite.output)
        #expect(ringlite.status == sqlite.status)
        func comparable(_ errors: String) -> [Substring] {
            errors.split(separator: "\n").filter { !$0.contains("mode \"html\"") }.map { $0.hasPrefix("Error: mode should be one of:") ? "Error: mode should be one of:" : $0 }
        }
        #expect(comparable(ringlite.errors) == comparable(sqlite.errors), "\(ringlite.errors)")
        #expect(ringlite.errors.contains("mode \"html\" is not supported by Ringlite"))
    }

    /// .read runs a file's lines as standard input's (dot-commands included), naming the
    /// file's own line numbers in errors; nested .read works; a missing file is an error.
    @Test func readRunsAFile() throws {
        let inner = "SELECT 'inner';\n.mode csv\nSELECT 'x y', 2;\nSELEC 3;\n"
        let outer = "SELECT 'outer';\n\n.read {inner.sql}\nSELECT 'after';\n"
        let script = ".read {outer.sql}\nSELECT 'back', 1;\n.read /nonexistent/file.sql\n.read\nSELECT 'end';\n"
        let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: script,
                                                     files: ["inner.sql": inner, "outer.sql": outer.replacingOccurrences(of: "{inner.sql}", with: "{inner.sql}")])
        #expect(ringlite.status == sqlite.status)
        #expect(ringlite.output == sqlite.output)
        // The paths of the files differ only in the temporary directory, which both runs share.
        #expect(ringlite.errors == sqlite.errors)
    }

    @Test func timerPrintsRunTimes() throws {
        let script = ".timer on\nSELECT 1;\n.timer off\nSELECT 2;\n"
        let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: script)
        let pattern = /1\nRun Time: real \d+\.\d{3} user \d+\.\d{6} sys \d+\.\d{6}\n2\n/
        #expect(try pattern.wholeMatch(in: ringlite.output) != nil, "\(ringlite.output)")
        #expect(try pattern.wholeMatch(in: sqlite.output) != nil, "\(sqlite.output)")
    }

    @Test func helpListsTheCommands() throws {
        let result = try Support.run(Support.ringlite, [":memory:", ".help"])
        #expect(result.status == 0)
        for command in [".tables", ".schema", ".indexes", ".mode", ".headers", ".nullvalue", ".read", ".dump", ".timer",
                        ".bail", ".quit", ".help"] {
            #expect(result.output.contains("\n" + command + " ") || result.output.hasPrefix(command + " "), "\(command)")
        }
    }

    @Test func exitWithACode() throws {
        let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: "SELECT 1;\n.exit 3\nSELECT 2;\n")
        #expect(ringlite == sqlite)
        #expect(ringlite.status == 3)
    }

    /// .dump prints what sqlite3's .dump prints for the same database, and the dump loads
    /// into sqlite3 as a database with the same content.
    @Test func dumpMatchesSQLite() throws {
        let setup = Support.setup + """

            CREATE TABLE kinds(i INTEGER PRIMARY KEY, r REAL, t TEXT, b BLOB, n);
            INSERT INTO kinds VALUES (1, 0.1, 'a''b', x'00', NULL), (2, 1e308 * 10, 'line
            feed', x'', 1), (3, -1e308 * 10, 'cr' || char(13) || 'lf' || char(10) || '\\n and \\012', x'ff', 2.0),
              (4, 3.0, '', NULL, -9223372036854775808), (5, 1e15, 'ok', NULL, 4.5e-300), (6, -0.0, 'neg', NULL, 9.2233720368547758e18);
            CREATE VIEW v AS SELECT i FROM kinds;
            CREATE TABLE "select"(x);
            INSERT INTO "select" VALUES ('keyword table');
            CREATE TABLE commented(x) -- trailing comment
            ;
            """
        for arguments in [[".dump"], [".dump kinds"], [".dump --data-only"], [".dump --nosys"], [".dump --newlines"], [".dump t% seq"]] {
            let (ringlite, sqlite) = try Support.compare(setup: setup, arguments: arguments)
            #expect(ringlite == sqlite, "\(arguments)")
        }
        // The dump rebuilds the database in sqlite3.
        let dump = try Support.compare(setup: setup, arguments: [".dump"]).ringlite.output
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = directory.appendingPathComponent("original.db").path
        let rebuilt = directory.appendingPathComponent("rebuilt.db").path
        #expect(try Support.run(Support.sqlite3, [original], input: setup).status == 0)
        let loaded = try Support.run(Support.sqlite3, [rebuilt], input: dump)
        #expect(loaded.status == 0 && loaded.errors.isEmpty, "\(loaded)")
        #expect(try Support.run(Support.sqlite3, [rebuilt, ".dump"]).output == Support.run(Support.sqlite3, [original, ".dump"]).output)
        #expect(try Support.run(Support.sqlite3, [rebuilt, "PRAGMA integrity_check"]).output == "ok\n")
    }
}
