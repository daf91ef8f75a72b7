import Testing

/// ALTER TABLE against sqlite3: RENAME TO, RENAME COLUMN, ADD COLUMN and DROP COLUMN, with the
/// stored sqlite_schema text compared byte for byte (the harness compares every row's sql after
/// each case), the rows afterwards, and sqlite3's refusals.
@Suite struct AlterTableConformanceTests {
    static let setup = "CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT NOT NULL, score REAL DEFAULT 0, tag UNIQUE, CHECK(score >= 0)); CREATE INDEX t_name ON t(name, score DESC); INSERT INTO t VALUES(1, 'a', 1.5, 'x'), (2, 'b', 2, 'y')"
    static let fk = "CREATE TABLE p(k INTEGER PRIMARY KEY, v); CREATE TABLE c(id, pk REFERENCES p(k), other, FOREIGN KEY(other) REFERENCES p(k)); CREATE TABLE self(a PRIMARY KEY, parent REFERENCES self(a))"

    static let schemaQuery = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name"

    /// The statements with the whole schema read back after every ALTER, so each edit of the
    /// stored SQL is compared, not only the last.
    static func checked(_ statements: [String]) -> [String] {
        statements.flatMap { $0.hasPrefix("ALTER") ? [$0, schemaQuery] : [$0] }
    }

    static let cases: [ConformanceCase] = rawCases.map { ConformanceCase($0.name, setup: $0.setup, checked($0.statements)) }

    static let rawCases: [ConformanceCase] = [
        ConformanceCase("rename table", setup: setup, [
            "ALTER TABLE t RENAME TO u", "SELECT * FROM u ORDER BY id", "SELECT * FROM t", "PRAGMA index_list(u)",
            "INSERT INTO u(name, score, tag) VALUES('c', 3, 'z')", "SELECT id, name FROM u WHERE name = 'c'",
            "ALTER TABLE u RENAME TO \"odd name\"", "SELECT count(*) FROM \"odd name\"", "ALTER TABLE \"odd name\" RENAME TO [T2]",
            "ALTER TABLE t2 RENAME TO t3", "SELECT name FROM t3 ORDER BY 1", "ALTER TABLE main.t3 RENAME TO t4",
            "INSERT INTO t4(name, tag) VALUES('d', 'x')",
        ]),
        ConformanceCase("rename table errors", setup: setup + "; CREATE TABLE other(a); CREATE VIEW v AS SELECT 1", [
            "ALTER TABLE nosuch RENAME TO x", "ALTER TABLE t RENAME TO other", "ALTER TABLE t RENAME TO t_name",
            "ALTER TABLE t RENAME TO T", "ALTER TABLE t RENAME TO sqlite_x", "ALTER TABLE sqlite_master RENAME TO x",
            "ALTER TABLE sqlite_schema RENAME TO x", "ALTER TABLE v RENAME TO w", "ALTER TABLE v RENAME TO other",
            "ALTER TABLE aux.t RENAME TO x", "ALTER TABLE t RENAME TO v",
        ]),
        ConformanceCase("rename table with foreign keys", setup: fk, [
            "ALTER TABLE p RENAME TO parent", "ALTER TABLE self RENAME TO me", "INSERT INTO me VALUES(1, NULL)",
            "SELECT * FROM me", "ALTER TABLE c RENAME TO child",
        ]),
        ConformanceCase("rename autoincrement table", setup: "CREATE TABLE s(id INTEGER PRIMARY KEY AUTOINCREMENT, v); INSERT INTO s(v) VALUES(1), (2)", [
            "ALTER TABLE s RENAME TO s2", "SELECT * FROM sqlite_sequence", "SELECT * FROM s2",
        ]),
        ConformanceCase("rename column", setup: setup, [
            "ALTER TABLE t RENAME COLUMN score TO points", "SELECT * FROM t ORDER BY id", "PRAGMA table_info(t)",
            "PRAGMA index_info(t_name)", "INSERT INTO t(name, points, tag) VALUES('c', 5, 'z')",
            "INSERT INTO t(name, points, tag) VALUES('bad', -1, 'w')", "ALTER TABLE t RENAME points TO \"the points\"",
            "SELECT \"the points\" FROM t ORDER BY 1", "ALTER TABLE t RENAME COLUMN tag TO [label]", "ALTER TABLE t RENAME COLUMN label TO tag2",
            "ALTER TABLE t RENAME COLUMN id TO key", "SELECT key, rowid FROM t ORDER BY key", "ALTER TABLE t RENAME COLUMN NAME TO Name2",
            "SELECT * FROM t WHERE name2 = 'a'",
        ]),
        ConformanceCase("rename column errors", setup: setup + "; CREATE VIEW v AS SELECT 1 AS a", [
            "ALTER TABLE t RENAME COLUMN nosuch TO x", "ALTER TABLE t RENAME COLUMN \"nosuch\" TO x",
            "ALTER TABLE t RENAME COLUMN name TO tag", "ALTER TABLE t RENAME COLUMN tag TO NAME", "ALTER TABLE v RENAME COLUMN a TO b",
            "ALTER TABLE nosuch RENAME COLUMN a TO b", "ALTER TABLE sqlite_master RENAME COLUMN name TO x",
        ]),
        ConformanceCase("rename column in keys and checks", setup: "CREATE TABLE k(a, b, c CHECK(c > a), PRIMARY KEY(a, b), UNIQUE(b COLLATE NOCASE, c), CHECK(k.a <> b)); CREATE INDEX k_ab ON k(a, b) WHERE a > 0; CREATE INDEX k_expr_free ON k(c)", [
            "ALTER TABLE k RENAME COLUMN a TO alpha", "ALTER TABLE k RENAME COLUMN b TO \"beta\"", "ALTER TABLE k RENAME COLUMN c TO gamma",
            "SELECT * FROM k", "PRAGMA index_info(k_ab)", "DROP INDEX k_ab", "INSERT INTO k VALUES(1, 2, 3)",
            "INSERT INTO k VALUES(1, 2, 4)", "INSERT INTO k VALUES(5, 'x', 1)", "SELECT * FROM k",
        ]),
        ConformanceCase("rename column with foreign keys", setup: fk, [
            "ALTER TABLE p RENAME COLUMN k TO key", "ALTER TABLE self RENAME COLUMN a TO id", "ALTER TABLE c RENAME COLUMN other TO o",
            "ALTER TABLE c RENAME COLUMN pk TO parent_key",
        ]),
        ConformanceCase("add column", setup: setup, [
            "ALTER TABLE t ADD COLUMN extra", "SELECT * FROM t ORDER BY id", "ALTER TABLE t ADD extra2 INTEGER DEFAULT 42",
            "SELECT id, extra2, typeof(extra2) FROM t ORDER BY id", "ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'n/a' COLLATE NOCASE",
            "SELECT id FROM t WHERE note = 'N/A' ORDER BY id", "ALTER TABLE t ADD COLUMN neg DEFAULT -1", "ALTER TABLE t ADD COLUMN r REAL DEFAULT 2",
            "ALTER TABLE t ADD COLUMN b DEFAULT x'0102'", "ALTER TABLE t ADD COLUMN flag INT DEFAULT true", "ALTER TABLE t ADD COLUMN nn NOT NULL DEFAULT 'z'",
            "SELECT * FROM t ORDER BY id", "INSERT INTO t(name, tag) VALUES('new', 'q')", "SELECT * FROM t ORDER BY id",
            "UPDATE t SET extra = id * 10", "SELECT id, extra, nn FROM t ORDER BY id", "ALTER TABLE t ADD COLUMN \"quoted col\" VARCHAR(10)",
            "ALTER TABLE t ADD COLUMN fkcol REFERENCES t(id)", "PRAGMA table_info(t)",
        ]),
        ConformanceCase("add column refusals", setup: setup + "; CREATE TABLE empty(a); CREATE VIEW v AS SELECT 1", [
            "ALTER TABLE t ADD COLUMN name", "ALTER TABLE t ADD COLUMN NAME TEXT", "ALTER TABLE t ADD COLUMN p PRIMARY KEY",
            "ALTER TABLE t ADD COLUMN p UNIQUE", "ALTER TABLE t ADD COLUMN p NOT NULL", "ALTER TABLE t ADD COLUMN p NOT NULL DEFAULT NULL",
            "ALTER TABLE t ADD COLUMN p DEFAULT (1 + 1)", "ALTER TABLE t ADD COLUMN p DEFAULT CURRENT_TIMESTAMP",
            "ALTER TABLE t ADD COLUMN p COLLATE nosuch", "ALTER TABLE v ADD COLUMN p", "ALTER TABLE nosuch ADD COLUMN p",
            "ALTER TABLE sqlite_master ADD COLUMN p", "ALTER TABLE t ADD COLUMN p DEFAULT 5 CHECK(p < 3)",
            "ALTER TABLE t ADD COLUMN p DEFAULT 1 CHECK(p < 3)", "ALTER TABLE t ADD COLUMN q CHECK(nosuch > 0)",
            "ALTER TABLE empty ADD COLUMN p NOT NULL", "ALTER TABLE empty ADD COLUMN q DEFAULT (1 + 1)", "INSERT INTO empty(a) VALUES(1)",
            "SELECT * FROM empty", "ALTER TABLE empty ADD COLUMN r NOT NULL DEFAULT 0", "SELECT * FROM empty",
        ]),
        ConformanceCase("add column before table constraints", setup: "CREATE TABLE w(a, b, PRIMARY KEY(a), UNIQUE(b))  ; CREATE TABLE x(a /* comment */ , b -- trailing\n)", [
            "ALTER TABLE w ADD COLUMN c DEFAULT 3", "ALTER TABLE x ADD COLUMN c", "ALTER TABLE x ADD COLUMN d  DEFAULT  'two words'  ",
            "INSERT INTO w VALUES(1, 2, DEFAULT)", "INSERT INTO w(a, b) VALUES(1, 2)", "SELECT * FROM w",
        ]),
        ConformanceCase("drop column", setup: setup + "; CREATE TABLE d(a, b, c, e TEXT, f REAL); INSERT INTO d VALUES(1, 2, 3, 'four', 5), (6, 7, 8, 'nine', 10.5)", [
            "ALTER TABLE d DROP COLUMN b", "SELECT * FROM d", "ALTER TABLE d DROP COLUMN f", "SELECT * FROM d",
            "ALTER TABLE d DROP a", "SELECT * FROM d", "INSERT INTO d VALUES(11, 'x')", "SELECT * FROM d",
            "ALTER TABLE d DROP COLUMN e", "ALTER TABLE d DROP COLUMN c", "ALTER TABLE t DROP COLUMN tag", "ALTER TABLE t DROP COLUMN id",
            "ALTER TABLE t DROP COLUMN score", "ALTER TABLE t DROP COLUMN name", "ALTER TABLE t DROP COLUMN nosuch",
            "ALTER TABLE t DROP COLUMN \"nosuch\"",
        ]),
        ConformanceCase("drop column errors from dependents", setup: "CREATE TABLE q(x, y UNIQUE, p, r, s, g, UNIQUE(p, r), CHECK(s > 0), FOREIGN KEY(g) REFERENCES q(x)); CREATE INDEX qi ON q(s, x) WHERE x > 0; CREATE TABLE q2(k REFERENCES q(x), m, n CHECK(n > 0))", [
            "ALTER TABLE q DROP COLUMN x", "ALTER TABLE q DROP COLUMN y", "ALTER TABLE q DROP COLUMN p", "ALTER TABLE q DROP COLUMN s",
            "ALTER TABLE q DROP COLUMN g", "ALTER TABLE q2 DROP COLUMN k", "ALTER TABLE q2 DROP COLUMN n", "INSERT INTO q2 VALUES(5)",
            "SELECT * FROM q2",
        ]),
        ConformanceCase("drop column keeps indexes", setup: "CREATE TABLE z(id INTEGER PRIMARY KEY, a, junk, b); CREATE INDEX z_ab ON z(a, b); INSERT INTO z VALUES(1, 'a', zeroblob(3000), 1), (2, 'b', 'junk', 2), (3, 'c', NULL, 3)", [
            "ALTER TABLE z DROP COLUMN junk", "SELECT * FROM z ORDER BY id", "SELECT id FROM z WHERE a = 'b' AND b = 2",
            "UPDATE z SET b = b * 10", "SELECT * FROM z WHERE a > 'a' ORDER BY a", "DELETE FROM z WHERE id = 1", "SELECT * FROM z",
        ]),
        ConformanceCase("alter next to views and triggers of other tables", setup: setup + "; CREATE TABLE other(a, b); CREATE TABLE log(x); CREATE VIEW ov AS SELECT a, b FROM other WHERE a > 0; CREATE TRIGGER ot AFTER INSERT ON other BEGIN INSERT INTO log VALUES(new.a); END", [
            "ALTER TABLE t RENAME COLUMN score TO points", "ALTER TABLE t DROP COLUMN tag", "ALTER TABLE t RENAME TO t2",
            "ALTER TABLE t2 ADD COLUMN extra DEFAULT 7", "SELECT * FROM t2 ORDER BY id", "INSERT INTO other VALUES(1, 2)",
            "SELECT * FROM log", "SELECT * FROM ov", "SELECT type, name, tbl_name FROM sqlite_schema ORDER BY rowid",
        ]),
        ConformanceCase("alter inside transactions", setup: setup, [
            "BEGIN", "ALTER TABLE t ADD COLUMN c2", "UPDATE t SET c2 = name || name", "ALTER TABLE t RENAME COLUMN c2 TO doubled",
            "SELECT id, doubled FROM t ORDER BY id", "ROLLBACK", "PRAGMA table_info(t)", "SAVEPOINT s", "ALTER TABLE t RENAME TO tt",
            "ROLLBACK TO s", "SELECT count(*) FROM t", "ALTER TABLE t DROP COLUMN score", "RELEASE s", "SELECT * FROM t ORDER BY id",
        ]),
    ]

    @Test func alterTable() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        #expect(compared == Self.cases.reduce(0) { $0 + $1.statements.count })
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
