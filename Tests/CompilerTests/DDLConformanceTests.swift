import Testing

/// CREATE/DROP TABLE and INDEX against sqlite3: the statements' outcomes, then the file (sqlite3's
/// integrity_check of Ringlite's copy, its sqlite_schema rows and its tables' contents).
@Suite struct DDLConformanceTests {
    static let createTable: [ConformanceCase] = [
        ConformanceCase("plain tables", [
            "CREATE TABLE t(a)",
            "CREATE TABLE t2(a INTEGER, b TEXT, c REAL, d BLOB, e NUMERIC, f)",
            "CREATE TABLE \"quoted name\"(\"a b\", [c d], `e f`)",
            "create   table   spaced  ( a  ,   b )  /* comment */ ",
            "CREATE TABLE IF NOT EXISTS t(z)",
            "CREATE TABLE IF NOT EXISTS t3(z)",
            "CREATE TABLE main.t4(x)",
        ]),
        ConformanceCase("keys", [
            "CREATE TABLE k1(a INTEGER PRIMARY KEY, b)",
            "CREATE TABLE k2(a PRIMARY KEY, b UNIQUE, c, UNIQUE(c, b), UNIQUE(b))",
            "CREATE TABLE k3(a INT PRIMARY KEY, b)",
            "CREATE TABLE k4(a INTEGER PRIMARY KEY DESC, b)",
            "CREATE TABLE k5(a, b, PRIMARY KEY(a, b)) WITHOUT ROWID",
            "CREATE TABLE k6(a TEXT PRIMARY KEY, b UNIQUE, c) WITHOUT ROWID",
            "CREATE TABLE k7(a INTEGER PRIMARY KEY AUTOINCREMENT, b)",
            "CREATE TABLE k8(a INTEGER PRIMARY KEY AUTOINCREMENT, b UNIQUE)",
            "CREATE TABLE k9(a INTEGER, b, PRIMARY KEY(a DESC))",
            "CREATE TABLE k10(a UNIQUE ON CONFLICT REPLACE, b NOT NULL ON CONFLICT IGNORE)",
            "CREATE TABLE k11(a INTEGER, b INTEGER, PRIMARY KEY(b, a), UNIQUE(a COLLATE NOCASE))",
        ]),
        ConformanceCase("constraints and options", [
            "CREATE TABLE c1(a DEFAULT 5, b DEFAULT 'x', c DEFAULT (1 + 2), d DEFAULT CURRENT_TIMESTAMP, e DEFAULT -1)",
            "CREATE TABLE c2(a CHECK (a > 0), b, CHECK (b <> a), CONSTRAINT named CHECK (a < 100))",
            "CREATE TABLE c3(a TEXT COLLATE NOCASE, b COLLATE RTRIM, c COLLATE binary)",
            "CREATE TABLE c4(a REFERENCES c1(a) ON DELETE CASCADE, b, FOREIGN KEY (b) REFERENCES c2(a))",
            "CREATE TABLE c5(a INT, b TEXT, c REAL, d BLOB, e ANY, f INTEGER) STRICT",
            "CREATE TABLE c6(a INTEGER PRIMARY KEY, b TEXT NOT NULL) STRICT, WITHOUT ROWID",
            "CREATE TABLE c7(a, b AS (a * 2), c AS (a + 1) STORED)",
            "CREATE TABLE c8(a NOT NULL, b NULL, c CONSTRAINT nn NOT NULL)",
            "CREATE TABLE c9(a VARCHAR(10), b DOUBLE PRECISION, c DECIMAL(10, 5), d UNSIGNED BIG INT)",
        ]),
        ConformanceCase("create errors", setup: "CREATE TABLE t(a); CREATE INDEX i ON t(a); CREATE VIEW v AS SELECT 1", [
            "CREATE TABLE t(b)",
            "CREATE TABLE \"t\"(b)",
            "CREATE TABLE [T](b)",
            "CREATE TABLE main.t(b)",
            "CREATE TABLE v(b)",
            "CREATE TABLE i(b)",
            "CREATE TABLE IF NOT EXISTS i(b)",
            "CREATE TABLE IF NOT EXISTS v(b)",
            "CREATE TABLE sqlite_x(a)",
            "CREATE TABLE \"SQLITE_x\"(a)",
            "CREATE TABLE foo.t2(a)",
            "CREATE TABLE t2(a, a)",
            "CREATE TABLE t2(a, A)",
            "CREATE TABLE t2(a) WITHOUT ROWID",
            "CREATE TABLE t2(a PRIMARY KEY, b PRIMARY KEY)",
            "CREATE TABLE t2(a, b, PRIMARY KEY(a), PRIMARY KEY(b))",
            "CREATE TABLE t2(a CHECK (b > 0))",
            "CREATE TABLE t2(a, CHECK (nosuch(a)))",
            "CREATE TABLE t2(a, CHECK (a > (SELECT 1)))",
            "CREATE TABLE t2(a, CHECK (?))",
            "CREATE TABLE t2(a DEFAULT (b))",
            "CREATE TABLE t2(a, b AS (c))",
            "CREATE TABLE t2(a COLLATE foo)",
            "CREATE TABLE t2(a, FOREIGN KEY (b) REFERENCES x)",
            "CREATE TABLE t2(a) STRICT",
            "CREATE TABLE t2(a FOO) STRICT",
            "CREATE TABLE t2(a INTEGER PRIMARY KEY AUTOINCREMENT) WITHOUT ROWID",
            "CREATE TABLE t2(a TEXT PRIMARY KEY AUTOINCREMENT)",
            "CREATE TABLE t2(a, PRIMARY KEY(nosuch))",
            "CREATE TABLE t2(a, UNIQUE(a + 1))",
            "CREATE TABLE t2(a AS (1), b AS (2))",
            "CREATE TABLE t2(a REFERENCES nosuch(zz))",
        ]),
        ConformanceCase("table after errors", [
            "CREATE TABLE t(a, a)",
            "CREATE TABLE t(a)",
            "CREATE TABLE t(a)",
            "CREATE TABLE u(x UNIQUE, y UNIQUE, z PRIMARY KEY)",
        ]),
    ]

    @Test func createTable() throws {
        let (failures, compared) = try Conformance.check(Self.createTable)
        #expect(compared > 0)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
