import Foundation
import Ringlite
import Testing

/// The public API's behaviour that does not depend on the code generator: opening, locking,
/// error wording, values.
@Suite struct DatabaseTests {
    static func temporaryPath() throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent("test.db").path)
    }

    static func sqlite3(_ path: String, _ sql: String) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
        process.arguments = [path, sql]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }

    /// Found by the simulator: a database nothing was committed to yet has no page 1, and
    /// reading its schema table failed with "page number out of range" (SQLITE_CORRUPT) where
    /// sqlite3 finds it empty.
    @Test func theSchemaTableOfANewDatabaseIsEmpty() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        for database in [try Database(path: ":memory:"), try Database(path: path)] {
            let connection = try database.connection()
            #expect(try connection.scalar("SELECT count(*) FROM sqlite_schema") == .integer(0))
            #expect(try connection.query("SELECT name FROM sqlite_schema WHERE name = 't' ORDER BY name").isEmpty)
            #expect(try connection.query("SELECT max(rowid) FROM sqlite_schema").map(\.values) == [[.null]])
            #expect(try connection.query("PRAGMA integrity_check").map(\.values) == [[.text("ok")]])
        }
    }

    /// Found by the simulator (seed 30059 without faults): a connection whose schema was read
    /// before another connection created a table failed to prepare a statement on that table
    /// ("no such table") where sqlite3 reads the new schema and compiles it.
    @Test func aTableAnotherConnectionCreatedCanBeUsedAtOnce() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(path: path)
        let creator = try database.connection()
        let user = try database.connection()
        try creator.execute("CREATE TABLE t(a)")
        #expect(try user.scalar("SELECT count(*) FROM t") == .integer(0))
        try creator.execute("CREATE TABLE u(b); INSERT INTO u VALUES (7)")
        try user.execute("INSERT INTO u SELECT b + 1 FROM u")
        #expect(try user.query("SELECT b FROM u ORDER BY b").map(\.values) == [[.integer(7)], [.integer(8)]])
        #expect(throws: DatabaseError.self) { try user.execute("INSERT INTO nosuch VALUES (1)") }
    }

    /// Found by the simulator (mix seed 3621): a transaction that created a table and rolled back
    /// left the connection with the schema read inside it, cookie one higher than the
    /// database's. Another connection's next schema change (an index) brought the database's
    /// cookie to the same number, so the check passed and a DELETE compiled against the stale
    /// schema left the new index without its entries. Also after ROLLBACK TO, and a failed COMMIT.
    @Test(arguments: ["ROLLBACK", "ROLLBACK TO s; RELEASE s"])
    func aRolledBackSchemaChangeIsForgotten(_ rollback: String) throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(path: path)
        let other = try database.connection()
        let rolledBack = try database.connection()
        try other.execute("CREATE TABLE t(a, b); INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')")
        #expect(try rolledBack.scalar("SELECT count(*) FROM t") == .integer(3))
        try rolledBack.execute(rollback.hasPrefix("ROLLBACK TO") ? "SAVEPOINT s" : "BEGIN")
        try rolledBack.execute("CREATE TABLE u(p)")
        #expect(try rolledBack.scalar("SELECT count(*) FROM u") == .integer(0))
        try rolledBack.execute(rollback)
        try other.execute("CREATE INDEX tb ON t(b)")
        try rolledBack.execute("DELETE FROM t WHERE a = 2")
        #expect(throws: DatabaseError.self) { try rolledBack.execute("SELECT * FROM u") }
        #expect(try other.query("PRAGMA integrity_check").map(\.values) == [[.text("ok")]])
        #expect(try other.query("SELECT a FROM t WHERE b > 'a' ORDER BY b").map(\.values) == [[.integer(1)], [.integer(3)]])
    }

    /// Found by the simulator (mix seed 7630): an UPDATE that rewrote a row with the bytes it
    /// already had dirtied the page and committed, so a transaction that had read before it
    /// could no longer write (SQLITE_BUSY_SNAPSHOT). sqlite3 leaves a page whose bytes do not
    /// change clean (btreeOverwriteContent): nothing is committed and the reader still writes.
    @Test func anUpdateThatChangesNoBytesCommitsNothing() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(path: path)
        let reader = try database.connection()
        let writer = try database.connection()
        try writer.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, a, b); INSERT INTO t VALUES (1, NULL, 'x'), (2, 5, 'y')")
        try reader.execute("BEGIN")
        #expect(try reader.scalar("SELECT count(*) FROM t") == .integer(2))
        try writer.execute("UPDATE t SET a = a + 1 WHERE id = 1")  // NULL + 1 is NULL: the same row
        try writer.execute("UPDATE t SET b = 'y' WHERE id = 2")
        #expect(try writer.scalar("SELECT changes()") == .integer(1), "the row counts as updated")
        try reader.execute("INSERT INTO t VALUES (3, 1, 'z'); COMMIT")
        // A real change still commits and makes an older snapshot stale.
        try reader.execute("BEGIN")
        #expect(try reader.scalar("SELECT count(*) FROM t") == .integer(3))
        try writer.execute("UPDATE t SET b = 'w' WHERE id = 2")
        #expect(throws: DatabaseError.self) { try reader.execute("INSERT INTO t VALUES (4, 1, 'z')") }
        try reader.execute("ROLLBACK")
        #expect(try reader.query("SELECT id, a, b FROM t ORDER BY id").map(\.values)
                == [[.integer(1), .null, .text("x")], [.integer(2), .integer(5), .text("w")], [.integer(3), .integer(1), .text("z")]])
    }

    /// Found by the simulator (mix seed 8283): an UPDATE of columns no index holds deleted and
    /// reinserted the row's entry in every index, dirtying their pages, so it committed even when
    /// the row's bytes did not change. sqlite3 rewrites only the entries of indexes on a SET
    /// column (update.c). What sqlite3 3.40.1 does with the same statements is the expectation.
    @Test func anUpdateRewritesOnlyTheIndexesOfItsColumns() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(path: path)
        let reader = try database.connection()
        let writer = try database.connection()
        try writer.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, a, b UNIQUE); CREATE INDEX tb ON t(b); INSERT INTO t VALUES (1, NULL, 'x'), (2, 5, 'y')")
        for (update, readerMayWrite) in [("UPDATE t SET a = a + 1 WHERE id = 1", true), ("UPDATE t SET a = 5 WHERE b = 'y'", true),
                                         ("UPDATE t SET b = 'y' WHERE id = 2", false)] {
            try reader.execute("BEGIN")
            #expect(try reader.scalar("SELECT count(*) FROM t") == .integer(2))
            try writer.execute(update)
            do {
                try reader.execute("INSERT INTO t(a, b) VALUES (9, 'q')")
                #expect(readerMayWrite, "\(update) committed nothing, but sqlite3's commits")
            } catch {
                #expect(!readerMayWrite, "\(update) committed: \(error)")
            }
            try reader.execute("ROLLBACK")
        }
        #expect(try writer.query("PRAGMA integrity_check").map(\.values) == [[.text("ok")]])
    }

    @Test func anotherProcessGetsDatabaseIsLocked() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try Self.sqlite3(path, "CREATE TABLE t(a); INSERT INTO t VALUES (1);").status == 0)
        do {
            let database = try Database(path: path)
            let result = try Self.sqlite3(path, "SELECT * FROM t")
            #expect(result.status != 0)
            #expect(result.output.contains("database is locked"), "\(result.output)")
            withExtendedLifetime(database) {}
        }
        // Closed: sqlite3 reads it again.
        #expect(try Self.sqlite3(path, "SELECT * FROM t") == (0, "1\n"))
    }

    @Test func syntaxErrorsAreWordedAsSQLite() throws {
        let database = try Database(path: ":memory:")
        let connection = try database.connection()
        #expect {
            _ = try connection.prepare("SELEC 1")
        } throws: { error in
            guard let error = error as? DatabaseError else { return false }
            return error.resultCode == .error && error.message == "near \"SELEC\": syntax error"
        }
    }

    @Test func aFileThatIsNotADatabaseIsRefused() throws {
        let (directory, path) = try Self.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: path))
        #expect {
            _ = try Database(path: path)
        } throws: { error in
            (error as? DatabaseError)?.resultCode.primary == .notADatabase
        }
    }

    @Test func valuesConvertFromSwift() {
        let values: [(any DatabaseValueConvertible)?] = [42, 2.5, "text", [UInt8]([1, 2]), nil, true]
        #expect(values.map { $0?.databaseValue ?? .null } == [.integer(42), .real(2.5), .text("text"), .blob([1, 2]), .null, .integer(1)])
    }
}
