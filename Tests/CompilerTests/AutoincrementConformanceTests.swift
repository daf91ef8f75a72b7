import Testing

/// AUTOINCREMENT tables written by Ringlite, compared with sqlite3: sqlite_sequence made with the
/// first such table, rowids past the largest ever used, the counter kept in the same statement,
/// SQLITE_FULL at the largest rowid, DROP TABLE's clean-up, and users reading and changing
/// sqlite_sequence themselves.
@Suite struct AutoincrementConformanceTests {
    static let setup = """
        CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
        CREATE TABLE u(k INTEGER PRIMARY KEY AUTOINCREMENT, w, UNIQUE(w));
        CREATE TABLE plain(id INTEGER PRIMARY KEY, v);
        """

    static let cases: [ConformanceCase] = [
        ConformanceCase("autoinc-create", [
            "CREATE TABLE a(id INTEGER PRIMARY KEY AUTOINCREMENT, x)",
            "SELECT name, sql FROM sqlite_schema ORDER BY rowid",
            "SELECT * FROM sqlite_sequence",
            "CREATE TABLE b(id INTEGER PRIMARY KEY AUTOINCREMENT)",
            "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_sequence'",
            "INSERT INTO a(x) VALUES ('one'), ('two')",
            "SELECT * FROM sqlite_sequence",
            "INSERT INTO b DEFAULT VALUES",
            "SELECT * FROM sqlite_sequence ORDER BY name",
        ]),
        ConformanceCase("autoinc-basic", setup: setup, [
            "INSERT INTO t(v) VALUES ('a')",
            "SELECT last_insert_rowid(), changes()",
            "INSERT INTO t(v) VALUES ('b'), ('c')",
            "SELECT * FROM t",
            "SELECT * FROM sqlite_sequence",
            "DELETE FROM t WHERE id = 3",
            "INSERT INTO t(v) VALUES ('d')",
            "SELECT * FROM t",
            "SELECT * FROM sqlite_sequence",
            "SELECT changes()",
        ]),
        ConformanceCase("autoinc-no-reuse-after-delete-all", setup: setup, [
            "INSERT INTO t(v) VALUES ('a'), ('b'), ('c')",
            "DELETE FROM t",
            "INSERT INTO t(v) VALUES ('again')",
            "SELECT * FROM t",
            "INSERT INTO plain(v) VALUES ('a'), ('b')",
            "DELETE FROM plain",
            "INSERT INTO plain(v) VALUES ('reused')",
            "SELECT * FROM plain",
        ]),
        ConformanceCase("autoinc-explicit-rowids", setup: setup, [
            "INSERT INTO t VALUES (10, 'ten')",
            "SELECT * FROM sqlite_sequence",
            "INSERT INTO t(v) VALUES ('next')",
            "INSERT INTO t VALUES (5, 'five')",
            "SELECT * FROM sqlite_sequence",
            "INSERT INTO t VALUES (NULL, 'null id')",
            "INSERT INTO t(id, v) VALUES ('20', 'text id')",
            "INSERT INTO t(rowid, v) VALUES (30, 'rowid name')",
            "SELECT * FROM t",
            "SELECT * FROM sqlite_sequence",
            "INSERT INTO t VALUES (-7, 'negative')",
            "SELECT * FROM sqlite_sequence",
        ]),
        ConformanceCase("autoinc-max-rowid", setup: setup, [
            "INSERT INTO t VALUES (9223372036854775806, 'almost')",
            "INSERT INTO t(v) VALUES ('last')",
            "SELECT * FROM t",
            "INSERT INTO t(v) VALUES ('full')",
            "SELECT * FROM sqlite_sequence",
            "SELECT count(*) FROM t",
        ]),
        ConformanceCase("autoinc-max-rowid-explicit", setup: setup, [
            "INSERT INTO t VALUES (9223372036854775807, 'max')",
            "INSERT INTO t(v) VALUES ('full')",
            "DELETE FROM t",
            "INSERT INTO t(v) VALUES ('still full')",
            "SELECT * FROM sqlite_sequence",
        ]),
        ConformanceCase("autoinc-larger-rowid-than-sequence", setup: setup + """
            INSERT INTO t(v) VALUES ('a');
            UPDATE sqlite_sequence SET seq = 0;
            """, [
            "INSERT INTO t(v) VALUES ('b')",
            "SELECT * FROM t",
            "SELECT * FROM sqlite_sequence",
        ]),
        ConformanceCase("autoinc-user-writes-sequence", setup: setup + "INSERT INTO t(v) VALUES ('a'), ('b');", [
            "UPDATE sqlite_sequence SET seq = 100 WHERE name = 't'",
            "INSERT INTO t(v) VALUES ('c')",
            "SELECT * FROM t",
            "DELETE FROM sqlite_sequence",
            "INSERT INTO t(v) VALUES ('d')",
            "SELECT * FROM sqlite_sequence",
            "INSERT INTO sqlite_sequence VALUES ('zz', 5)",
            "SELECT * FROM sqlite_sequence ORDER BY name",
            "SELECT name, seq, typeof(seq) FROM sqlite_sequence WHERE seq > 50",
            "UPDATE sqlite_sequence SET seq = 'text' WHERE name = 't'",
            "INSERT INTO t(v) VALUES ('e')",
            "SELECT * FROM t",
        ]),
        ConformanceCase("autoinc-two-sequence-rows", setup: setup + """
            INSERT INTO t(v) VALUES ('a');
            INSERT INTO sqlite_sequence VALUES ('t', 50);
            """, [
            "SELECT rowid, * FROM sqlite_sequence",
            "INSERT INTO t(v) VALUES ('b')",
            "SELECT rowid, * FROM sqlite_sequence",
            "SELECT * FROM t",
        ]),
        ConformanceCase("autoinc-sequence-protected", setup: setup, [
            "DROP TABLE sqlite_sequence",
            "CREATE INDEX i ON sqlite_sequence(name)",
            "CREATE TABLE sqlite_sequence(x)",
            "SELECT * FROM sqlite_sequence",
            "PRAGMA table_info(sqlite_sequence)",
        ]),
        ConformanceCase("autoinc-drop-table", setup: setup + """
            INSERT INTO t(v) VALUES ('a');
            INSERT INTO u(w) VALUES ('x'), ('y');
            """, [
            "SELECT * FROM sqlite_sequence ORDER BY name",
            "DROP TABLE t",
            "SELECT * FROM sqlite_sequence",
            "DROP TABLE u",
            "SELECT * FROM sqlite_sequence",
            "SELECT name FROM sqlite_schema",
            "CREATE TABLE t(id INTEGER PRIMARY KEY AUTOINCREMENT, v)",
            "INSERT INTO t(v) VALUES ('fresh')",
            "SELECT * FROM t",
        ]),
        ConformanceCase("autoinc-insert-select", setup: setup + "INSERT INTO plain VALUES (1, 'p'), (7, 'q'), (3, 'r');", [
            "INSERT INTO t(v) SELECT v FROM plain ORDER BY id",
            "SELECT * FROM t",
            "INSERT INTO t SELECT id * 10, v FROM plain",
            "SELECT * FROM sqlite_sequence",
            "INSERT INTO t(v) SELECT v FROM t WHERE id < 3",
            "SELECT * FROM t",
        ]),
        ConformanceCase("autoinc-conflicts", setup: setup + "INSERT INTO u(w) VALUES ('x');", [
            "INSERT INTO u(w) VALUES ('x')",
            "SELECT * FROM sqlite_sequence",
            "INSERT OR IGNORE INTO u(w) VALUES ('x'), ('y')",
            "SELECT * FROM u ORDER BY k",
            "SELECT * FROM sqlite_sequence",
            "INSERT OR REPLACE INTO u(w) VALUES ('x')",
            "SELECT * FROM u ORDER BY k",
            "SELECT * FROM sqlite_sequence",
            "INSERT INTO u(w) VALUES ('y') ON CONFLICT(w) DO UPDATE SET w = 'z'",
            "SELECT * FROM u ORDER BY k",
            "SELECT * FROM sqlite_sequence",
            "INSERT INTO u(w) VALUES ('n') RETURNING k, w",
        ]),
        ConformanceCase("autoinc-failed-statement-keeps-counter", setup: setup + "INSERT INTO u(w) VALUES ('x');", [
            "INSERT INTO u(w) VALUES ('a'), ('b'), ('x')",
            "SELECT * FROM sqlite_sequence",
            "INSERT INTO u(w) VALUES ('c')",
            "SELECT * FROM u ORDER BY k",
        ]),
        ConformanceCase("autoinc-transactions", setup: setup, [
            "BEGIN",
            "INSERT INTO t(v) VALUES ('a'), ('b')",
            "ROLLBACK",
            "SELECT * FROM sqlite_sequence",
            "INSERT INTO t(v) VALUES ('c')",
            "SELECT * FROM t",
            "BEGIN",
            "INSERT INTO t(v) VALUES ('d')",
            "SAVEPOINT s",
            "INSERT INTO t(v) VALUES ('e')",
            "ROLLBACK TO s",
            "INSERT INTO t(v) VALUES ('f')",
            "COMMIT",
            "SELECT * FROM t",
            "SELECT * FROM sqlite_sequence",
        ]),
        ConformanceCase("autoinc-update-does-not-count", setup: setup + "INSERT INTO t(v) VALUES ('a');", [
            "UPDATE t SET id = 50",
            "SELECT * FROM sqlite_sequence",
            "INSERT INTO t(v) VALUES ('b')",
            "SELECT * FROM t",
        ]),
        ConformanceCase("autoinc-read-by-sqlite-after", setup: """
            CREATE TABLE log(id INTEGER PRIMARY KEY AUTOINCREMENT, msg TEXT NOT NULL, at INTEGER DEFAULT 0);
            CREATE INDEX log_msg ON log(msg);
            """, [
            "INSERT INTO log(msg) VALUES ('start')",
            "INSERT INTO log(msg, at) VALUES ('middle', 5)",
            "INSERT INTO log(msg) VALUES (NULL)",
            "SELECT * FROM sqlite_sequence",
            "INSERT INTO log(msg) VALUES ('end')",
            "SELECT * FROM log WHERE msg >= 'm'",
            "SELECT * FROM sqlite_sequence",
        ]),
    ]

    @Test func autoincrementAgreesWithSQLite() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        print("autoincrement conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
