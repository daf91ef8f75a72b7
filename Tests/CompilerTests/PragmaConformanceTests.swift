import Pager
import Testing

/// PRAGMAs against sqlite3: values, result column names (through the rows' shape), settings.
@Suite struct PragmaConformanceTests {
    /// Ringlite opened as sqlite3 opens a database by default (synchronous FULL, no busy timeout).
    static var sqliteLikeOptions: PagerOptions {
        var options = RingliteRunner.defaultOptions
        options.synchronous = .full
        options.busyTimeoutMilliseconds = 0
        return options
    }

    static let schemaSetup = """
        CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT NOT NULL DEFAULT 'x', c REAL DEFAULT (1 + 2), d UNIQUE COLLATE NOCASE,
                       e AS (a * 2), f AS (b) STORED, UNIQUE (b, c DESC));
        CREATE INDEX tb ON t(b COLLATE RTRIM, a DESC);
        CREATE UNIQUE INDEX td ON t(d, c);
        CREATE TABLE w(x, y, z, PRIMARY KEY (y, x)) WITHOUT ROWID;
        CREATE TABLE r(p UNIQUE ON CONFLICT REPLACE, q UNIQUE, s PRIMARY KEY);
        CREATE INDEX rq ON r(q);
        CREATE TABLE s(v INT, "w w" TEXT) STRICT;
        INSERT INTO t(a, b, c, d) VALUES (1, 'one', 1.5, 'A'), (2, 'two', 2, 'b'), (3, 'three', NULL, NULL);
        """

    static let cases: [ConformanceCase] = [
        ConformanceCase("header values", setup: "CREATE TABLE t(a); PRAGMA user_version = 7; PRAGMA application_id = 12345", [
            "PRAGMA page_count", "PRAGMA page_size", "PRAGMA freelist_count", "PRAGMA user_version",
            "PRAGMA application_id", "PRAGMA schema_version", "PRAGMA main.user_version", "PRAGMA max_page_count",
            "PRAGMA user_version = 42", "PRAGMA user_version", "PRAGMA user_version = -3", "PRAGMA user_version",
            "PRAGMA user_version = '12abc'", "PRAGMA user_version", "PRAGMA user_version = 99999999999",
            "PRAGMA user_version", "PRAGMA application_id = 0x10", "PRAGMA application_id",
            "PRAGMA application_id(77)", "PRAGMA application_id", "PRAGMA USER_VERSION", "PRAGMA nosuch",
            "PRAGMA nosuch = 5", "PRAGMA foo.user_version", "PRAGMA page_count = 5", "PRAGMA page_size = 1024",
            "PRAGMA page_size", "CREATE TABLE u(b)", "PRAGMA schema_version", "PRAGMA page_count",
            "DROP TABLE t", "PRAGMA freelist_count", "PRAGMA page_count", "PRAGMA schema_version",
        ]),
        ConformanceCase("empty database", [
            "PRAGMA page_count", "PRAGMA freelist_count", "PRAGMA user_version", "PRAGMA schema_version",
            "PRAGMA integrity_check", "PRAGMA quick_check", "PRAGMA table_info(nosuch)", "PRAGMA index_list(nosuch)",
        ]),
        ConformanceCase("settings", [
            "PRAGMA synchronous", "PRAGMA synchronous = FULL", "PRAGMA synchronous = 2", "PRAGMA synchronous",
            "PRAGMA cache_size", "PRAGMA cache_size = 100", "PRAGMA cache_size", "PRAGMA cache_size = -4000",
            "PRAGMA cache_size", "PRAGMA busy_timeout", "PRAGMA busy_timeout = 0", "PRAGMA foreign_keys",
            "PRAGMA foreign_keys = OFF", "PRAGMA foreign_keys = 0", "PRAGMA foreign_keys",
        ], ringliteOptions: sqliteLikeOptions),
        ConformanceCase("journal and checkpoint", setup: "PRAGMA journal_mode = WAL; CREATE TABLE t(a)", [
            "PRAGMA journal_mode", "PRAGMA journal_mode = WAL", "PRAGMA journal_mode = w", "PRAGMA journal_mode = bogus",
            "PRAGMA wal_checkpoint", "CREATE TABLE u(b UNIQUE)", "PRAGMA wal_checkpoint(PASSIVE)",
            "CREATE INDEX ua ON t(a)", "PRAGMA wal_checkpoint(FULL)", "PRAGMA wal_checkpoint(RESTART)",
            "DROP TABLE u", "PRAGMA wal_checkpoint(TRUNCATE)", "PRAGMA wal_checkpoint(bogus)",
            "PRAGMA wal_checkpoint = truncate", "PRAGMA main.wal_checkpoint", "BEGIN", "CREATE TABLE v(c)",
            "PRAGMA wal_checkpoint", "COMMIT", "PRAGMA wal_checkpoint", "PRAGMA page_count",
        ]),
        ConformanceCase("integrity", setup: schemaSetup, [
            "PRAGMA integrity_check", "PRAGMA quick_check", "PRAGMA integrity_check(1)", "PRAGMA quick_check(10)",
            "PRAGMA integrity_check = 0", "CREATE INDEX tc ON t(c)", "PRAGMA integrity_check", "DROP INDEX tb",
            "PRAGMA integrity_check", "DROP TABLE w", "PRAGMA integrity_check", "PRAGMA main.integrity_check",
        ]),
        ConformanceCase("table and index info", setup: schemaSetup, [
            "PRAGMA table_info(t)", "PRAGMA table_xinfo(t)", "PRAGMA table_info('t')", "PRAGMA table_info = t",
            "PRAGMA table_info(T)", "PRAGMA table_info(w)", "PRAGMA table_xinfo(w)", "PRAGMA table_info(r)",
            "PRAGMA table_info(s)", "PRAGMA table_info(sqlite_master)", "PRAGMA table_info(sqlite_schema)",
            "PRAGMA table_info(nosuch)", "PRAGMA table_info",
            "PRAGMA index_list(t)", "PRAGMA index_list(w)", "PRAGMA index_list(r)", "PRAGMA index_list(s)",
            "PRAGMA index_list(nosuch)",
            "PRAGMA index_info(tb)", "PRAGMA index_info(td)", "PRAGMA index_info(sqlite_autoindex_t_1)",
            "PRAGMA index_info(sqlite_autoindex_t_2)", "PRAGMA index_info(w)", "PRAGMA index_info(sqlite_autoindex_w_1)",
            "PRAGMA index_info(rq)", "PRAGMA index_info(nosuch)",
            "PRAGMA index_xinfo(tb)", "PRAGMA index_xinfo(td)", "PRAGMA index_xinfo(sqlite_autoindex_t_2)",
            "PRAGMA index_xinfo(sqlite_autoindex_r_1)", "PRAGMA index_xinfo(rq)",
            "CREATE TABLE n(a, b UNIQUE ON CONFLICT REPLACE, c UNIQUE)", "CREATE INDEX na ON n(a)",
            "CREATE UNIQUE INDEX nab ON n(a, b)", "PRAGMA index_list(n)", "DROP INDEX na", "PRAGMA index_list(n)",
        ]),
    ]

    @Test func pragmas() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        #expect(compared > 0)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
