import Testing

/// SAVEPOINT, RELEASE and ROLLBACK TO nested around row writes (INSERT, UPDATE, DELETE, upserts,
/// index changes), against sqlite3: what each level undoes, what RELEASE keeps, and the file left.
@Suite struct SavepointWriteConformanceTests {
    static let setup = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT UNIQUE, n); CREATE INDEX t_n ON t(n); INSERT INTO t VALUES(1, 'a', 10), (2, 'b', 20)"

    static let cases: [ConformanceCase] = [
        ConformanceCase("nested savepoints with inserts", setup: setup, [
            "SAVEPOINT one", "INSERT INTO t VALUES(3, 'c', 30)", "SAVEPOINT two", "INSERT INTO t VALUES(4, 'd', 40)",
            "SELECT * FROM t ORDER BY id", "ROLLBACK TO two", "SELECT * FROM t ORDER BY id",
            "INSERT INTO t VALUES(5, 'e', 50)", "RELEASE two", "SELECT * FROM t ORDER BY id", "ROLLBACK TO one",
            "SELECT * FROM t ORDER BY id", "INSERT INTO t VALUES(6, 'f', 60)", "RELEASE one", "SELECT * FROM t ORDER BY id",
            "SELECT id FROM t WHERE n >= 20 ORDER BY n", "SELECT id FROM t WHERE v = 'f'",
        ]),
        ConformanceCase("rollback to keeps the savepoint", setup: setup, [
            "SAVEPOINT s", "DELETE FROM t", "SELECT count(*) FROM t", "ROLLBACK TO s", "SELECT count(*) FROM t",
            "UPDATE t SET n = n + 1", "ROLLBACK TO s", "SELECT * FROM t ORDER BY id", "UPDATE t SET v = v || v",
            "ROLLBACK TO SAVEPOINT s", "SELECT * FROM t ORDER BY id", "DELETE FROM t WHERE id = 1", "RELEASE SAVEPOINT s",
            "SELECT * FROM t ORDER BY id", "ROLLBACK TO s",
        ]),
        ConformanceCase("savepoints inside BEGIN", setup: setup, [
            "BEGIN", "INSERT INTO t VALUES(3, 'c', 30)", "SAVEPOINT a", "UPDATE t SET n = 0 WHERE id = 3",
            "SAVEPOINT b", "DELETE FROM t WHERE id = 1", "SAVEPOINT c", "INSERT INTO t VALUES(1, 'z', 99)",
            "SELECT * FROM t ORDER BY id", "ROLLBACK TO b", "SELECT * FROM t ORDER BY id", "RELEASE c",
            "RELEASE a", "SELECT * FROM t ORDER BY id", "ROLLBACK TO a", "COMMIT", "SELECT * FROM t ORDER BY id",
        ]),
        ConformanceCase("same names nest", setup: setup, [
            "SAVEPOINT x", "INSERT INTO t VALUES(10, 'x1', 1)", "SAVEPOINT x", "INSERT INTO t VALUES(11, 'x2', 2)",
            "ROLLBACK TO x", "SELECT id FROM t ORDER BY id", "RELEASE x", "SELECT id FROM t ORDER BY id",
            "ROLLBACK TO x", "SELECT id FROM t ORDER BY id", "RELEASE x", "RELEASE x",
        ]),
        ConformanceCase("constraint errors inside savepoints", setup: setup, [
            "SAVEPOINT s", "INSERT INTO t VALUES(3, 'c', 30)", "INSERT INTO t VALUES(4, 'a', 40)",
            "INSERT INTO t VALUES(5, 'e', 50), (6, 'b', 60)", "SELECT * FROM t ORDER BY id",
            "INSERT OR ROLLBACK INTO t VALUES(7, 'a', 0)", "SELECT * FROM t ORDER BY id", "RELEASE s",
            "SAVEPOINT s2", "INSERT OR FAIL INTO t VALUES(8, 'h', 0), (9, 'a', 0)", "SELECT * FROM t ORDER BY id",
            "ROLLBACK TO s2", "SELECT * FROM t ORDER BY id", "RELEASE s2",
        ]),
        ConformanceCase("upserts and returning under savepoints", setup: setup, [
            "SAVEPOINT u", "INSERT INTO t VALUES(1, 'a', 0) ON CONFLICT(id) DO UPDATE SET n = n * 100 RETURNING n",
            "SAVEPOINT v", "INSERT INTO t VALUES(9, 'b', 0) ON CONFLICT(v) DO UPDATE SET n = -1 RETURNING id, n",
            "ROLLBACK TO v", "SELECT * FROM t ORDER BY id", "RELEASE v", "ROLLBACK TO u", "SELECT * FROM t ORDER BY id",
            "RELEASE u",
        ]),
        ConformanceCase("many rows under a savepoint", setup: setup + "; CREATE TABLE big(k INTEGER PRIMARY KEY, payload)", [
            "SAVEPOINT bulk", "INSERT INTO big SELECT id, 'p' || n FROM t", "INSERT INTO big(payload) SELECT payload || payload FROM big",
            "INSERT INTO big(payload) SELECT payload || payload FROM big", "INSERT INTO big(payload) SELECT payload || payload FROM big",
            "SELECT count(*), sum(length(payload)) FROM big", "SAVEPOINT inner",
            "DELETE FROM big WHERE k % 2 = 0", "SELECT count(*) FROM big", "ROLLBACK TO inner", "SELECT count(*) FROM big",
            "UPDATE big SET payload = zeroblob(3000) WHERE k < 5", "RELEASE inner", "SELECT count(*), sum(length(payload)) FROM big",
            "ROLLBACK TO bulk", "SELECT count(*) FROM big", "INSERT INTO big VALUES(1, zeroblob(5000))", "RELEASE bulk",
            "SELECT count(*), length(payload) FROM big",
        ]),
        ConformanceCase("DDL and writes under savepoints", setup: setup, [
            "SAVEPOINT d", "CREATE TABLE extra(a UNIQUE)", "INSERT INTO extra VALUES(1), (2)", "SAVEPOINT e",
            "CREATE INDEX t_v_n ON t(v, n)", "INSERT INTO t VALUES(3, 'c', 30)", "DROP TABLE extra", "ROLLBACK TO e",
            "SELECT * FROM extra ORDER BY a", "PRAGMA index_list(t)", "SELECT * FROM t ORDER BY id", "RELEASE d",
            "PRAGMA table_info(extra)", "SELECT count(*) FROM extra",
        ]),
    ]

    @Test func savepointsWithWrites() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        #expect(compared == Self.cases.reduce(0) { $0 + $1.statements.count })
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
