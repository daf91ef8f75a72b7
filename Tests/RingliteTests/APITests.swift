import Foundation
import Ringlite
import Testing

/// The public API: column names and declared types as sqlite3 reports them, queries and
/// cursors, binding, typed getters, transactions, error codes, the busy timeout and the
/// thread model.
@Suite struct APITests {
    static let schema = """
        CREATE TABLE t(a INTEGER PRIMARY KEY, b varchar(10), c, d DOUBLE PRECISION, "e f" BLOB);
        CREATE TABLE u(x TEXT NOT NULL, y);
        INSERT INTO t VALUES (1, 'one', NULL, 1.5, x'01'), (2, 'two', 2, NULL, NULL);
        INSERT INTO u VALUES ('u', 1);
        """

    static func connection() throws -> Connection {
        let connection = try Database(path: ":memory:").connection()
        try connection.execute(schema)
        return connection
    }

    @Test(arguments: [
        "SELECT * FROM t",
        "SELECT a, b, c, d, \"e f\" FROM t",
        "SELECT t.b AS renamed, a + 1, -a, (a), CAST(a AS TEXT), b COLLATE NOCASE, 1, 'x', NULL FROM t",
        "SELECT rowid, _rowid_, oid FROM t",
        "SELECT count(*), max(b), sum(d) FROM t",
        "SELECT x, y, upper(x) FROM u WHERE y = 1",
        "SELECT DISTINCT b FROM t ORDER BY b",
        "SELECT b, count(*) FROM t GROUP BY b",
        "INSERT INTO t(b) VALUES ('x')",
        "PRAGMA table_info(t)",
        // A hex literal ends at its last hex digit: what follows is an alias (sqlite3GetToken).
        "SELECT 0x1Fg, 0x1F\u{00e9}, 0XaB_c FROM t",
    ])
    func columnNamesAndDeclaredTypesAreSQLite(_ sql: String) throws {
        let connection = try Self.connection()
        let sqlite = SQLiteReference()
        sqlite.execute(Self.schema)
        let statement = try connection.prepare(sql)
        let expected = sqlite.columns(sql)
        #expect(statement.columnNames == expected.names, "\(sql)")
        #expect(statement.declaredTypes == expected.declaredTypes, "\(sql)")
        #expect(statement.columnCount == expected.names.count)
        if statement.isReadOnly && !sql.hasPrefix("PRAGMA") {
            let rows = try connection.query(sql).map(\.values)
            #expect(sqlite.run(sql) == .rows(rows), "\(sql)")
        }
        for index in 0..<statement.columnCount {
            #expect(statement.columnName(at: index) == expected.names[index])
            #expect(statement.declaredType(at: index) == expected.declaredTypes[index])
        }
    }

    @Test func queryCursorAndScalar() throws {
        let connection = try Self.connection()
        let rows = try connection.query("SELECT a, b FROM t WHERE a >= ? ORDER BY a", arguments: [1])
        #expect(rows.map(\.values) == [[.integer(1), .text("one")], [.integer(2), .text("two")]])
        #expect(rows[1]["B"] == .text("two"))
        #expect(rows[0]["nope"] == nil)
        #expect(rows[0].columnNames == ["a", "b"])
        #expect(rows[0].description == "1|one")
        let cursor = try connection.cursor("SELECT b FROM t ORDER BY a DESC")
        var seen: [DatabaseValue] = []
        while let row = try cursor.next() { seen.append(row[0]) }
        #expect(seen == [.text("two"), .text("one")])
        #expect(try cursor.next() == nil, "a finished cursor stays finished")
        #expect(try connection.scalar("SELECT count(*) FROM t") == .integer(2))
        #expect(try connection.scalar("SELECT 1 WHERE 0") == nil)
    }

    @Test func bindingAndTypedGetters() throws {
        let connection = try Self.connection()
        let statement = try connection.prepare("SELECT ?1, :name, @other, $dollar, ?5")
        #expect(statement.parameterCount == 5)
        try statement.bind(7, at: 1)
        try statement.bind("text", named: ":name")
        try statement.bind([UInt8]([0, 255]), named: "@other")
        try statement.bind(2.5, named: "$dollar")
        try statement.bind(nil, at: 5)
        #expect(try statement.step())
        #expect(statement.int64(at: 0) == 7)
        #expect(statement.string(at: 1) == "text")
        #expect(statement.bytes(at: 2) == [0, 255])
        #expect(statement.double(at: 3) == 2.5)
        #expect(statement.isNull(at: 4))
        #expect((0..<5).map { statement.storageClass(at: $0) } == [.integer, .text, .blob, .real, .null])
        #expect(statement.value(at: 3).storageClass == .real)
        #expect(statement.row.values.map(\.typeName) == ["integer", "text", "blob", "real", "null"])
        #expect(try !statement.step())
        #expect {
            try statement.bind(1, at: 6)
        } throws: { ($0 as? DatabaseError)?.resultCode == .range }
        #expect {
            try statement.bind(1, named: ":missing")
        } throws: { ($0 as? DatabaseError)?.resultCode == .range }
        statement.clearBindings()
        #expect(try statement.step())
        #expect(statement.isNull(at: 0))
    }

    @Test func transactionsCommitOrRollBack() throws {
        let connection = try Self.connection()
        try connection.transaction { connection in
            try connection.execute("INSERT INTO u VALUES ('committed', 2)")
        }
        struct Failure: Error {}
        #expect(throws: Failure.self) {
            try connection.transaction(.immediate) { connection in
                try connection.execute("INSERT INTO u VALUES ('rolled back', 3)")
                throw Failure()
            }
        }
        #expect(!connection.isInTransaction)
        #expect(try connection.query("SELECT x FROM u ORDER BY y").map { $0[0] } == [.text("u"), .text("committed")])
    }

    @Test func errorsCarryExtendedCodes() throws {
        let connection = try Self.connection()
        #expect {
            try connection.execute("INSERT INTO t(a) VALUES (1)")
        } throws: { error in
            guard let error = error as? DatabaseError else { return false }
            // SQLITE_CONSTRAINT_PRIMARYKEY.
            return error.resultCode.rawValue == 1555 && error.resultCode.primary == .constraint
                && error.message == "UNIQUE constraint failed: t.a"
        }
        #expect {
            try connection.execute("INSERT INTO u(y) VALUES (1)")
        } throws: { error in
            // SQLITE_CONSTRAINT_NOTNULL.
            (error as? DatabaseError)?.resultCode.rawValue == 1299
        }
        #expect {
            _ = try connection.prepare("SELECT 1; SELECT 2")
        } throws: { ($0 as? DatabaseError)?.resultCode == .misuse }
        #expect(Database.isKeyword("select") && Database.isKeyword("Table") && !Database.isKeyword("notes"))
    }

    /// A writer waits for another connection's write transaction up to the busy timeout, then
    /// fails with SQLITE_BUSY.
    @Test(.timeLimit(.minutes(1)))
    func busyTimeoutBoundsTheWait() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var options = Database.Options()
        options.busyTimeout = .milliseconds(300)
        let database = try Database(path: directory.appendingPathComponent("busy.db").path, options: options)
        let holder = try database.connection()
        let waiter = try database.connection()
        try holder.execute("CREATE TABLE t(a); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);")
        let started = ContinuousClock.now
        #expect {
            try waiter.execute("INSERT INTO t VALUES (2)")
        } throws: { ($0 as? DatabaseError)?.resultCode.primary == .busy }
        let waited = ContinuousClock.now - started
        #expect(waited >= .milliseconds(290) && waited < .seconds(3), "waited \(waited)")
        #expect(try waiter.scalar("PRAGMA busy_timeout") == .integer(300))
        try holder.execute("COMMIT")
        try waiter.execute("INSERT INTO t VALUES (2)")
        #expect(try holder.scalar("SELECT count(*) FROM t") == .integer(2))
    }

    /// One Database shared by threads, a connection on each: readers see committed rows
    /// while a writer adds them.
    @Test(.timeLimit(.minutes(1)))
    func databaseIsSharedAcrossThreads() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(path: directory.appendingPathComponent("shared.db").path)
        try database.connection().execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b)")
        try await withThrowingTaskGroup(of: Int64.self) { group in
            group.addTask {
                let writer = try database.connection()
                for i in 1...200 { try writer.execute("INSERT INTO t(b) VALUES (?)", arguments: [i]) }
                return 200
            }
            for _ in 0..<3 {
                group.addTask {
                    let reader = try database.connection()
                    var last: Int64 = 0
                    for _ in 0..<100 {
                        guard case .integer(let count) = try reader.scalar("SELECT count(*) FROM t") else { return -1 }
                        if count < last { return -1 }
                        last = count
                    }
                    return last
                }
            }
            for try await result in group { #expect(result >= 0 && result <= 200) }
        }
        #expect(try database.connection().scalar("SELECT count(*) FROM t") == .integer(200))
    }
}
