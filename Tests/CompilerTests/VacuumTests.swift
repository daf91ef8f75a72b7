import BTree
import Foundation
import Pager
import SQL
import Testing
import VM

/// VACUUM and VACUUM INTO: compared statement by statement with sqlite3, then checked on their
/// own (the file shrinks, its freelist is empty, sqlite3's integrity_check passes, every row is
/// still there, the file reopens) in WAL and journal_mode=OFF, and crashed in the middle on the
/// simulated machine (WAL mode: the database is the old one or the new one, never a mix).
@Suite struct VacuumTests {
    static let setup = """
        BEGIN;
        CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, b TEXT UNIQUE, c BLOB, d REAL);
        CREATE INDEX tc ON t(d DESC, b COLLATE NOCASE);
        CREATE INDEX tp ON t(b) WHERE d > 100;
        CREATE INDEX te ON t(lower(b), d * 2);
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1500)
        INSERT INTO t(b, c, d) SELECT 'row' || i, randomblob(i % 7 * 300), i / 3.0 FROM n;
        CREATE TABLE w(k TEXT PRIMARY KEY COLLATE NOCASE, v INT) WITHOUT ROWID;
        INSERT INTO w SELECT 'key' || id, id FROM t WHERE id <= 300;
        CREATE INDEX wv ON w(v DESC);
        CREATE TABLE big(x);
        INSERT INTO big VALUES (zeroblob(20000)), ('short'), (randomblob(9000));
        CREATE VIEW v AS SELECT b, d FROM t WHERE d < 10;
        CREATE TRIGGER tr AFTER INSERT ON big BEGIN SELECT 1; END;
        PRAGMA user_version = 42;
        PRAGMA application_id = 7;
        DELETE FROM t WHERE id % 3 <> 0;
        DELETE FROM w WHERE v % 2 = 0;
        COMMIT;
        """

    static let contents = [
        "SELECT id, b, length(c), d FROM t ORDER BY id",
        "SELECT count(*), sum(length(c)) FROM t",
        "SELECT * FROM w ORDER BY k",
        "SELECT k FROM w WHERE v > 250 ORDER BY v DESC",
        "SELECT length(x), typeof(x) FROM big",
        "SELECT * FROM v ORDER BY b",
        "SELECT b FROM t WHERE d > 100 AND b > 'row40' ORDER BY b",
        "SELECT * FROM sqlite_sequence",
        "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name",
    ]

    static let cases: [ConformanceCase] = [
        ConformanceCase("vacuum", setup: setup, ["VACUUM"] + contents + [
            "PRAGMA freelist_count",
            "PRAGMA user_version",
            "PRAGMA application_id",
            "PRAGMA schema_version",
            "PRAGMA integrity_check",
            "INSERT INTO t(b, d) VALUES ('after', 500)",
            "UPDATE t SET d = d + 1 WHERE id % 2 = 0",
            "DELETE FROM t WHERE id < 300",
            "VACUUM main",
            "PRAGMA freelist_count",
        ] + contents),
        ConformanceCase("vacuum-errors", setup: setup, [
            "BEGIN",
            "VACUUM",
            "SELECT count(*) FROM t",
            "ROLLBACK",
            "SAVEPOINT s",
            "VACUUM",
            "RELEASE s",
            "VACUUM nosuch",
            "VACUUM temp",
            "VACUUM INTO 5",
            "VACUUM INTO NULL",
            "VACUUM INTO x'00'",
            "VACUUM INTO nosuch",
            "PRAGMA freelist_count",
        ]),
        ConformanceCase("vacuum-empty-and-small", [
            "VACUUM",
            "CREATE TABLE e(a)",
            "VACUUM",
            "SELECT name FROM sqlite_schema",
            "INSERT INTO e VALUES (1)",
            "DROP TABLE e",
            "VACUUM",
            "PRAGMA page_count",
            "SELECT count(*) FROM sqlite_schema",
        ]),
        ConformanceCase("vacuum-drops-unused-sequence", setup: """
            CREATE TABLE a(id INTEGER PRIMARY KEY AUTOINCREMENT);
            INSERT INTO a DEFAULT VALUES;
            DROP TABLE a;
            CREATE TABLE b(x);
            """, [
            "SELECT name FROM sqlite_schema ORDER BY name",
            "VACUUM",
            "SELECT name FROM sqlite_schema ORDER BY name",
        ]),
    ]

    @Test func vacuumAgreesWithSQLite() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        print("vacuum conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }

    // MARK: The file

    static func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-vacuum-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    static func integer(_ outcome: Outcome) -> Int64? {
        guard case .rows(let rows) = outcome, rows.count == 1, rows[0].count == 1, case .integer(let value) = rows[0][0] else { return nil }
        return value
    }

    /// Every statement of `contents`, as sqlite3 answers it on the file at `path`.
    static func snapshot(_ path: String) throws -> [Outcome] {
        let oracle = try SQLiteOracle(path: path)
        defer { oracle.close() }
        return contents.map { oracle.run($0) }
    }

    @Test(arguments: [JournalMode.wal, JournalMode.off])
    func vacuumShrinksTheFileAndKeepsEveryRow(_ mode: JournalMode) throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db").path
        let reference = directory.appendingPathComponent("reference").path
        try SQLiteOracle(path: path).execute(Self.setup)
        try FileManager.default.copyItem(atPath: path, toPath: reference)
        let before = try Self.snapshot(reference)

        var options = RingliteRunner.defaultOptions
        options.journalMode = mode
        var ringlite = try RingliteRunner(path: path, options: options)
        let pagesBefore = try #require(Self.integer(ringlite.run("PRAGMA page_count")))
        let freeBefore = try #require(Self.integer(ringlite.run("PRAGMA freelist_count")))
        #expect(freeBefore > 0, "the deletes left free pages")
        #expect(ringlite.run("VACUUM") == .rows([]))
        let pagesAfter = try #require(Self.integer(ringlite.run("PRAGMA page_count")))
        #expect(pagesAfter < pagesBefore - freeBefore / 2, "\(pagesBefore) pages (\(freeBefore) free) became \(pagesAfter)")
        #expect(ringlite.run("PRAGMA freelist_count") == .rows([[.integer(0)]]))
        #expect(ringlite.run("PRAGMA integrity_check") == .rows([[.text(Array("ok".utf8))]]))
        let statements = Self.contents.filter { !$0.contains("sqlite_schema") }
        for statement in statements {
            #expect(ringlite.run(statement) == before[Self.contents.firstIndex(of: statement)!], "\(statement)")
        }
        ringlite.close()

        // sqlite3 finds a sound, compact file holding the same rows (and a file exactly as
        // long as its pages once Ringlite has closed it).
        let oracle = try SQLiteOracle(path: path)
        #expect(oracle.run("PRAGMA integrity_check") == .rows([[.text(Array("ok".utf8))]]))
        #expect(Self.integer(oracle.run("PRAGMA page_count")) == pagesAfter)
        #expect(Self.integer(oracle.run("PRAGMA freelist_count")) == 0)
        #expect(oracle.run("PRAGMA user_version") == .rows([[.integer(42)]]))
        oracle.close()
        #expect(try Self.snapshot(path) == before)
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(size == Int(pagesAfter) * 4096)

        // Ringlite opens it again and goes on writing.
        ringlite = try RingliteRunner(path: path, options: options)
        #expect(ringlite.run("INSERT INTO t(b, d) VALUES ('reopened', 1); SELECT count(*) FROM t") == .rows([[.integer(501)]]))
        #expect(ringlite.run("PRAGMA integrity_check") == .rows([[.text(Array("ok".utf8))]]))
        ringlite.close()
        #expect(try SQLiteOracle(path: path).run("PRAGMA integrity_check") == .rows([[.text(Array("ok".utf8))]]))
    }

    @Test func vacuumIntoWritesACompactCopy() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db").path
        let copy = directory.appendingPathComponent("copy.db").path
        try SQLiteOracle(path: path).execute(Self.setup)
        let before = try Self.snapshot(path)
        let ringlite = try RingliteRunner(path: path)
        let pages = try #require(Self.integer(ringlite.run("PRAGMA page_count")))
        #expect(ringlite.run("VACUUM INTO '\(copy)'") == .rows([]))
        #expect(ringlite.run("VACUUM INTO '\(copy)'") == .error("output file already exists"))
        #expect(ringlite.run("VACUUM INTO '\(path)'") == .error("output file already exists"))
        // The database itself is untouched.
        #expect(Self.integer(ringlite.run("PRAGMA page_count")) == pages)
        ringlite.close()
        let oracle = try SQLiteOracle(path: copy)
        #expect(oracle.run("PRAGMA integrity_check") == .rows([[.text(Array("ok".utf8))]]))
        #expect(oracle.run("PRAGMA freelist_count") == .rows([[.integer(0)]]))
        #expect(oracle.run("PRAGMA journal_mode") == .rows([[.text(Array("delete".utf8))]]))
        let copyPages = try #require(Self.integer(oracle.run("PRAGMA page_count")))
        #expect(copyPages < pages)
        oracle.close()
        #expect(try Self.snapshot(copy) == before)
    }

    /// A statement still reading blocks VACUUM, as in sqlite3 (the rewrite would move the pages
    /// under its cursors); once it is reset, VACUUM runs, and the reader's statement compiled
    /// before it runs again on the new trees (the schema cookie changed).
    @Test func vacuumWaitsForRunningStatements() throws {
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db").path
        try SQLiteOracle(path: path).execute("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2), (3); DELETE FROM t WHERE a = 2;")
        let shared = try PagerShared.open(path: path, options: RingliteRunner.defaultOptions)
        let connection = SQLConnection(state: try ConnectionState(shared: shared))
        let reader = try #require(try connection.prepare("SELECT a FROM t ORDER BY a").statement)
        #expect(try reader.step() == .row)
        let vacuum = try #require(try connection.prepare("VACUUM").statement)
        var message: String?
        do { _ = try vacuum.step() } catch { message = error.message }
        #expect(message == "cannot VACUUM - SQL statements in progress")
        vacuum.reset()
        reader.reset()
        #expect(try vacuum.step() == .done)
        vacuum.reset()
        var values: [Value] = []
        while try reader.step() == .row { values.append(reader.column(0)) }
        #expect(values == [.integer(1), .integer(3)])
    }

    // MARK: Crashes

    static let simulatedPath = "vacuum.db"

    static func simulatedOptions(_ environment: SimulatedEnvironment, seed: UInt64) -> PagerOptions {
        var options = PagerOptions()
        options.environment = environment
        options.journalMode = .wal
        options.synchronous = .full
        options.cachePages = 16
        options.saltSeed = seed
        return options
    }

    static let simulatedSetup = """
        CREATE TABLE t(id INTEGER PRIMARY KEY, b TEXT, c BLOB);
        CREATE INDEX tb ON t(b);
        INSERT INTO t VALUES \((1...1600).map { "(\($0), 'row\($0)', zeroblob(\($0 % 5 * 200)))" }.joined(separator: ", "));
        DELETE FROM t WHERE id % 4 <> 0;
        """

    static let simulatedContents = "SELECT id, b, length(c) FROM t ORDER BY id"

    /// A crash at every change to the disk a VACUUM makes in turn (WAL mode, synchronous FULL,
    /// short writes; each seed settles the unsynced writes differently): the reopened database
    /// holds every row, is sound, and has either its old size or its new one, as sqlite3 also
    /// finds it.
    @Test(.timeLimit(.minutes(5)), arguments: 0..<6 as Range<UInt64>)
    func aCrashDuringVacuumLosesNothing(_ seed: UInt64) throws {
        var crashPoints = 0
        var sizes: Set<Int64> = []
        for mutations in 0..<64 {
            guard let outcome = try crashDuringVacuum(seed: seed, afterMutations: mutations) else { break }
            crashPoints += 1
            sizes.insert(outcome)
        }
        #expect(crashPoints >= 2, "seed \(seed): the VACUUM made \(crashPoints) changes to the disk")
        print("vacuum crash seed \(seed): \(crashPoints) crash points, page counts found \(sizes.sorted())")
    }

    /// Sets up, arms a crash before the `mutations`+1-th change to the disk, runs VACUUM. Returns
    /// nil when the VACUUM finished first; otherwise checks the reopened database and returns
    /// its page count.
    func crashDuringVacuum(seed: UInt64, afterMutations mutations: Int) throws -> Int64? {
        let environment = SimulatedEnvironment(seed: seed &+ UInt64(mutations) &* 1000)
        let fileSystem = environment.simulatedFileSystem
        let expected: Outcome
        let pagesBefore: Int64
        do {
            let ringlite = try RingliteRunner(path: Self.simulatedPath, options: Self.simulatedOptions(environment, seed: seed))
            defer { ringlite.close() }
            #expect(ringlite.run(Self.simulatedSetup) == .rows([]))
            expected = ringlite.run(Self.simulatedContents)
            pagesBefore = try #require(Self.integer(ringlite.run("PRAGMA page_count")))
            fileSystem.armCrash(afterMutations: mutations, seed: seed)
            environment.faults = .shortTransfers(0.3)
            let outcome = ringlite.run("VACUUM")
            environment.faults = .none
            guard fileSystem.lastCrash != nil else {
                fileSystem.disarmCrash()
                #expect(outcome == .rows([]), "seed \(seed): \(outcome)")
                return nil
            }
            #expect(outcome != .rows([]), "seed \(seed): a VACUUM the crash cut short succeeded")
        }
        let ringlite = try RingliteRunner(path: Self.simulatedPath, options: Self.simulatedOptions(environment, seed: seed))
        let what = "seed \(seed), crash after \(mutations) changes"
        #expect(ringlite.run(Self.simulatedContents) == expected, "\(what)")
        #expect(ringlite.run("PRAGMA integrity_check") == .rows([[.text(Array("ok".utf8))]]), "\(what)")
        let pages = try #require(Self.integer(ringlite.run("PRAGMA page_count")))
        #expect(pages == pagesBefore || pages < pagesBefore / 2, "\(what): \(pagesBefore) pages became \(pages)")
        // The files as the reopen left them, for sqlite3 (before Ringlite closes and checkpoints).
        let directory = try Self.scratchDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("db").path
        FileManager.default.createFile(atPath: path, contents: Data(fileSystem.contents(Self.simulatedPath) ?? []))
        if let log = fileSystem.contents(Self.simulatedPath + "-wal"), !log.isEmpty {
            FileManager.default.createFile(atPath: path + "-wal", contents: Data(log))
        }
        ringlite.close()
        let oracle = try SQLiteOracle(path: path)
        #expect(oracle.run("PRAGMA integrity_check") == .rows([[.text(Array("ok".utf8))]]), "\(what)")
        #expect(oracle.run(Self.simulatedContents) == expected, "\(what)")
        oracle.close()
        return pages
    }
}
