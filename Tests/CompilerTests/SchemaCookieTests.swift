import BTree
import Foundation
import Pager
import SQL
import Testing
import VM

/// Schema changes made elsewhere: by sqlite3 between two Ringlite sessions on one file, and by
/// another Ringlite connection between a statement's prepare and its step (the Transaction's
/// cookie check must make the statement compile again against the new schema).
@Suite struct SchemaCookieTests {
    private static func temporaryPath() throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-cookie-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent("db").path)
    }

    /// The same steps, alternately by Ringlite and sqlite3 on one file and by sqlite3 alone on
    /// another, leave the same schema, the same schema cookie and a file that passes
    /// integrity_check.
    @Test func sqlite3AndRingliteTakeTurns() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let steps: [(ringlite: Bool, sql: String)] = [
            (false, "CREATE TABLE a(x); INSERT INTO a VALUES (1), (2), (2)"),
            (true, "CREATE INDEX ax ON a(x)"),
            (true, "CREATE TABLE b(y UNIQUE, z)"),
            (false, "CREATE INDEX bz ON b(z); INSERT INTO b VALUES (1, 2), (3, 4); DROP INDEX ax"),
            (true, "CREATE UNIQUE INDEX byz ON b(y, z)"),
            (true, "PRAGMA user_version = 3"),
            (false, "CREATE TABLE c(w PRIMARY KEY) WITHOUT ROWID; DROP TABLE a"),
            (true, "DROP INDEX bz"),
            (true, "CREATE TABLE d(v INTEGER PRIMARY KEY AUTOINCREMENT, u)"),
            (false, "INSERT INTO d(u) VALUES (5); CREATE INDEX du ON d(u)"),
            (true, "DROP TABLE c"),
            (true, "CREATE INDEX a_again ON b(z DESC)"),
        ]
        for step in steps {
            if step.ringlite {
                let ringlite = try RingliteRunner(path: path)
                let outcome = ringlite.run(step.sql)
                ringlite.close()
                #expect(outcome == .rows([]), "\(step.sql): \(outcome)")
            } else {
                let oracle = try SQLiteOracle(path: path)
                _ = try oracle.execute(step.sql)
                oracle.close()
            }
        }
        let replayPath = directory.appendingPathComponent("replay").path
        let replay = try SQLiteOracle(path: replayPath)
        for step in steps { _ = try replay.execute(step.sql) }
        let check = try SQLiteOracle(path: path)
        defer { check.close(); replay.close() }
        #expect(check.run("PRAGMA integrity_check") == .rows([[.text("ok")]]))
        for query in ["SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name", "PRAGMA schema_version",
                      "PRAGMA user_version", "SELECT * FROM b ORDER BY y", "SELECT * FROM d", "SELECT * FROM sqlite_sequence"] {
            #expect(check.run(query) == replay.run(query), "\(query)")
        }
    }

    /// A statement prepared before another connection changed the schema runs against the new
    /// schema (or fails as it would have been compiled now).
    @Test func preparedStatementsRecompileAfterAnotherConnectionsDDL() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let oracle = try SQLiteOracle(path: path)
        _ = try oracle.execute("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2); CREATE TABLE gone(a)")
        oracle.close()

        let shared = try PagerShared.open(path: path, options: RingliteRunner.defaultOptions)
        let first = SQLConnection(state: try ConnectionState(shared: shared))
        let second = SQLConnection(state: try ConnectionState(shared: shared))
        func run(_ connection: SQLConnection, _ sql: String) throws -> [[Value]] {
            guard let statement = try connection.prepare(sql).statement else { return [] }
            var rows: [[Value]] = []
            while try statement.step() == .row { rows.append((0..<statement.columnCount).map { statement.column($0) }) }
            statement.reset()
            return rows
        }

        let info = try #require(try first.prepare("PRAGMA table_info(t)").statement)
        let index = try #require(try first.prepare("CREATE INDEX ta ON t(a)").statement)
        let dropGone = try #require(try first.prepare("DROP TABLE gone").statement)
        let early = #expect(throws: DatabaseError.self) { _ = try first.prepare("CREATE INDEX ty ON t(y)") }
        #expect(early?.message == "no such column: y")

        _ = try run(second, "DROP TABLE t")
        _ = try run(second, "CREATE TABLE t(a, y UNIQUE)")
        _ = try run(second, "DROP TABLE gone")

        var names: [Value] = []
        while try info.step() == .row { names.append(info.column(1)) }
        #expect(names == [.text("a"), .text("y")])
        #expect(try index.step() == .done)
        let error = #expect(throws: DatabaseError.self) { try dropGone.step() }
        #expect(error?.message == "no such table: gone")
        #expect(try run(second, "PRAGMA index_list(t)").map { $0[1] } == [.text("ta"), .text("sqlite_autoindex_t_1")])
        #expect(try run(first, "PRAGMA integrity_check") == [[.text("ok")]])
    }
}
