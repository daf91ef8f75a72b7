import Foundation
import Testing

/// The `ringlite` shell against the sqlite3 shell: the same script on two copies of one
/// database must print the same output, the same errors and exit with the same status.
@Suite struct ShellTests {
    typealias Support = ShellSupport

    static let query = "SELECT a, b, c, d, typeof(c) FROM t;"
    /// Every storage class, NULL, empty text and blob, a column name that needs escaping.
    static let mixedQuery = "SELECT NULL, 'a', 2, x'41', '' AS \"q\"\"uote\", x'' AS e;"
    static let emptyQuery = "SELECT 1 AS x WHERE 0;"

    /// .mode MODE on standard input, with headers on and off; json's REALs are compared apart.
    @Test(arguments: ["list", "csv", "line", "column", "box", "quote", "tabs", "json"])
    func dotModePrintsAsSQLite(_ mode: String) throws {
        for headers in ["on", "off"] {
            let query = mode == "json" ? "SELECT a, b, d FROM t;" : Self.query
            let script = ".mode \(mode)\n.headers \(headers)\n\(query)\n\(Self.emptyQuery)\n\(Self.mixedQuery)\n"
            let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: script)
            #expect(ringlite == sqlite, "mode \(mode), headers \(headers)")
            #expect(ringlite.status == 0 && ringlite.errors.isEmpty)
        }
    }

    /// --mode MODE on the command line is sqlite3's -MODE (column and box do not wrap there).
    @Test(arguments: ["list", "csv", "line", "column", "box", "quote", "tabs", "json"])
    func modeOptionPrintsAsSQLite(_ mode: String) throws {
        for headers in [[], ["--header"], ["--no-header"]] {
            let options = ["--mode", mode] + headers
            let query = mode == "json" ? "SELECT a, b, d FROM t;" : Self.query
            let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: query + "\n" + Self.mixedQuery + "\n",
                                                         ringliteOptions: options, sqliteOptions: Support.sqliteSpelling(options))
            #expect(ringlite == sqlite, "\(options)")
        }
    }

    /// json prints REALs as the shortest text that reads back as the same double (Swift's
    /// `description`), where sqlite3 prints 20 significant digits, which do not always read
    /// back as the same double (DBL_MAX prints as 1.7976931348623156223e+308); every other
    /// value is as sqlite3 prints it, and the output is JSON.
    @Test func jsonRealsAreShortestRoundTrip() throws {
        let values = [0.1, 1e100, 1e-7, -2.5, 123456789.125, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, 2.0,
                      1e16, 1.0 / 3.0, -1.5e-300]
        let setup = "CREATE TABLE r(i INTEGER, x REAL);\n" + values.enumerated().map { "INSERT INTO r VALUES (\($0.offset), \($0.element.debugDescription));" }.joined(separator: "\n")
        let (ringlite, sqlite) = try Support.compare(setup: setup, script: "SELECT i, x, 'r' AS t FROM r ORDER BY i;\n",
                                                     ringliteOptions: ["--mode", "json"], sqliteOptions: ["-json"])
        #expect(ringlite.status == 0 && ringlite.errors.isEmpty, "\(ringlite)")
        let expectedLines = values.enumerated().map { "{\"i\":\($0.offset),\"x\":\($0.element.description),\"t\":\"r\"}" }
        #expect(ringlite.output == "[" + expectedLines.joined(separator: ",\n") + "]\n")
        // Each REAL's text reads back (strtod, exactly) as the stored double.
        let texts = ringlite.output.matches(of: /"x":([^,]*),/).map { String($0.output.1) }
        #expect(texts.map { Double($0)?.bitPattern } == values.map(\.bitPattern))
        // The output is JSON (Foundation's reader, which rounds some long numbers, only checks the shape).
        let rows = try JSONSerialization.jsonObject(with: Data(ringlite.output.utf8)) as? [[String: Any]]
        #expect(rows?.count == values.count)
        // Apart from the REALs, sqlite3 prints the same bytes.
        func withoutReals(_ text: String) -> String { text.replacing(/"x":[^,]*,/, with: "\"x\":R,") }
        #expect(withoutReals(ringlite.output) == withoutReals(sqlite.output))
        #expect(ringlite.output != sqlite.output, "sqlite3's 20-digit REALs differ from the shortest ones")
    }

    /// Column and box modes wrap at 60 characters after .mode, split multi-line text, pad
    /// wide characters by character, and divide rows once one takes several lines.
    @Test func columnarModesWrapAndDivide() throws {
        let long = String(repeating: "abcdefghij", count: 13)
        let setup = "CREATE TABLE w(a, b); INSERT INTO w VALUES ('\(long)', 'x'), ('é€漢', 'two\nlines'), (NULL, 'tab\there');"
        for mode in ["column", "box"] {
            let script = ".mode \(mode)\n.nullvalue N\nSELECT * FROM w;\n.mode \(mode) --wrap 7\nSELECT * FROM w;\n"
            let (ringlite, sqlite) = try Support.compare(setup: setup, script: script)
            #expect(ringlite == sqlite, "\(mode)")
        }
    }

    @Test func nullValueOption() throws {
        let options = ["--nullvalue", "<nil>"]
        let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: Self.query + "\n.mode csv\n" + Self.query + "\n",
                                                     ringliteOptions: options, sqliteOptions: ["-nullvalue", "<nil>"])
        #expect(ringlite == sqlite)
        #expect(ringlite.output.contains("<nil>"))
    }

    @Test func errorsAreReportedAsSQLite() throws {
        let script = "SELECT 1;\nSELEC 2;\nSELECT 3;\n  SELECT a FROM t WHERE (a = ;\nSELECT 4; SELECT * FROM nope; SELECT 5;\nINSERT INTO plain VALUES (1, 'dup');\nSELECT 6;\nINSERT INTO t(a, c) VALUES (1, 1.5);\n"
        let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: script)
        #expect(ringlite == sqlite)
        #expect(ringlite.status == 1)
    }

    @Test(arguments: [["--bail"], []])
    func bailStopsAtTheFirstError(_ options: [String]) throws {
        let script = "SELECT 1;\nSELEC 2;\nSELECT 3;\n.bail on\nSELECT 4;\nSELECT * FROM nope;\nSELECT 5;\n"
        let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: script, ringliteOptions: options,
                                                     sqliteOptions: Support.sqliteSpelling(options))
        #expect(ringlite == sqlite)
        #expect(ringlite.status == 1)
    }

    /// SQL arguments run in order; the first error ends the run with its result code as the
    /// exit status. Each statement runs once (an INSERT given as an argument inserts one row).
    @Test func sqlGivenAsArguments() throws {
        let ok = try Support.compare(setup: Support.setup, arguments: ["SELECT count(*) FROM t", "SELECT b FROM t WHERE a = 2",
                                                                       "INSERT INTO plain(v) VALUES ('x')", "SELECT count(*) FROM plain"])
        #expect(ok.ringlite == ok.sqlite)
        #expect(ok.ringlite.output.hasSuffix("2\n"), "\(ok.ringlite)")
        let failing = try Support.compare(setup: Support.setup, arguments: ["SELECT count(*) FROM t", "SELECT 1 +", "SELECT 2"])
        #expect(failing.ringlite == failing.sqlite)
        #expect(failing.ringlite.status == 1)
        let constraint = try Support.compare(setup: Support.setup, arguments: ["INSERT INTO plain VALUES (1, 'dup')", "SELECT 2"])
        #expect(constraint.ringlite == constraint.sqlite)
        #expect(constraint.ringlite.status == 19)
        let dot = try Support.compare(setup: Support.setup, arguments: [".mode csv", "SELECT 'a b', 2", ".bogus", "SELECT 3"])
        #expect(dot.ringlite == dot.sqlite)
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
        let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: script)
        #expect(ringlite == sqlite)
        #expect(ringlite.status == 0)
    }

    @Test func statementsSpanningLinesAndComments() throws {
        let script = """
            SELECT
              a -- a comment; not the end
              FROM t /* ; */ WHERE a
              > 1;
            -- a comment line
            /* a block
               comment */
            SELECT 'semi;colon', "b" FROM t WHERE a = 1; SELECT 2
            ;
            # a shell comment
              .tables
            ;
            SELECT 3
            go
            SELECT 4
            /
            SELECT 'unterminated
            """
        let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: script + "\n")
        #expect(ringlite == sqlite)
    }

    /// Nesting past sqlite3's limits ends in its errors, without an error marker (sqlite3 has
    /// no token offset for "parser stack overflow" or "Expression tree is too large").
    @Test func deepNestingIsAnError() throws {
        let depth = 10_000
        let script = [
            "SELECT " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + ";",
            "SELECT " + String(repeating: "abs(", count: depth) + "1" + String(repeating: ")", count: depth) + ";",
            "SELECT " + String(repeating: "1+", count: depth) + "1;",
            "SELECT " + String(repeating: "NOT ", count: depth) + "1;",
            "SELECT " + String(repeating: "(SELECT ", count: depth) + "1" + String(repeating: ")", count: depth) + ";",
            "SELECT 'still running';",
        ].joined(separator: "\n") + "\n"
        let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: script)
        #expect(ringlite == sqlite)
        #expect(ringlite.output == "still running\n")
    }
}
