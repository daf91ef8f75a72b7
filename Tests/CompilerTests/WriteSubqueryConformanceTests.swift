import Testing

/// Subqueries inside write statements against sqlite3: in UPDATE's SET and WHERE, DELETE's
/// WHERE, INSERT's VALUES, CHECK-guarded rows, and an upsert's DO UPDATE, where a correlated
/// subquery reaches the existing row through the table's name and the proposed row through
/// `excluded.` (looked up after the subquery's own FROM items, as resolve.c does).
@Suite struct WriteSubqueryConformanceTests {
    static let setup = "CREATE TABLE t(id INTEGER PRIMARY KEY, a, r REAL); INSERT INTO t VALUES(1, 10, 1), (2, 20, 2), (3, 30, 3); CREATE TABLE src(k, v); INSERT INTO src VALUES(1, 100), (2, 200), (2, 201)"
    static let kv = "CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER); INSERT INTO kv VALUES('a', 1), ('b', 2); CREATE TABLE src(k, v); INSERT INTO src VALUES('a', 5), ('a', 6), ('c', 7)"

    static let cases: [ConformanceCase] = [
        ConformanceCase("update with subqueries", setup: setup, [
            "UPDATE t SET a = (SELECT max(a) FROM t) + id",
            "SELECT * FROM t ORDER BY id",
            "UPDATE t SET a = (SELECT count(*) FROM src WHERE src.k = t.id) WHERE id IN (SELECT k FROM src)",
            "SELECT * FROM t ORDER BY id",
            "UPDATE t SET r = (SELECT v FROM src WHERE k = t.id ORDER BY v DESC) WHERE EXISTS (SELECT 1 FROM src WHERE k = t.id)",
            "SELECT id, r, typeof(r) FROM t ORDER BY id",
            "UPDATE t SET a = (SELECT k, v FROM src)",
            "UPDATE t SET a = (SELECT nosuch FROM src)",
            "UPDATE t AS x SET a = (SELECT count(*) FROM t WHERE t.id < x.id)",
            "SELECT * FROM t ORDER BY id",
        ]),
        ConformanceCase("delete and insert with subqueries", setup: setup, [
            "DELETE FROM t WHERE a > (SELECT avg(a) FROM t)",
            "SELECT * FROM t ORDER BY id", "SELECT changes()",
            "DELETE FROM t WHERE id NOT IN (SELECT k FROM src WHERE v > 150)",
            "SELECT * FROM t ORDER BY id",
            "INSERT INTO t VALUES((SELECT max(id) FROM t) + 1, (SELECT sum(v) FROM src), (SELECT 2))",
            "INSERT INTO t(a) SELECT v FROM src WHERE v > (SELECT min(v) FROM src)",
            "SELECT id, a, r, typeof(r) FROM t ORDER BY id",
        ]),
        ConformanceCase("upsert with subqueries", setup: kv, [
            "INSERT INTO kv VALUES('a', 1) ON CONFLICT(k) DO UPDATE SET v = (SELECT sum(v) FROM src WHERE src.k = excluded.k)",
            "SELECT * FROM kv ORDER BY k",
            "INSERT INTO kv VALUES('b', 1) ON CONFLICT(k) DO UPDATE SET v = (SELECT kv.v + excluded.v + count(*) FROM src)",
            "SELECT * FROM kv ORDER BY k",
            "INSERT INTO kv SELECT k, v FROM src WHERE true ON CONFLICT(k) DO UPDATE SET v = excluded.v WHERE excluded.v > (SELECT max(v) FROM kv AS o WHERE o.k <> kv.k)",
            "SELECT * FROM kv ORDER BY k",
            "INSERT INTO kv VALUES('a', 0) ON CONFLICT(k) DO UPDATE SET v = (SELECT v FROM src AS excluded WHERE excluded.v = 7)",
            "SELECT * FROM kv ORDER BY k",
            "INSERT INTO kv VALUES('a', 3) ON CONFLICT(k) DO UPDATE SET v = (SELECT excluded.nosuch)",
            "INSERT INTO kv VALUES('a', 3) ON CONFLICT(k) DO UPDATE SET v = (SELECT x FROM (SELECT excluded.v AS x))",
            "SELECT * FROM kv ORDER BY k",
        ]),
        // The target table aliased as "excluded": the FROM item is found first, so excluded.v is
        // the existing row's (resolve.c tries the upsert's pseudo-table only when nothing matched).
        ConformanceCase("target aliased excluded", setup: kv, [
            "INSERT INTO kv AS excluded VALUES('a', 5) ON CONFLICT(k) DO UPDATE SET v = excluded.v + 100",
            "INSERT INTO kv AS excluded VALUES('b', 5) ON CONFLICT(k) DO UPDATE SET v = (SELECT excluded.v + 1000)",
            "SELECT * FROM kv ORDER BY k",
        ]),
    ]

    @Test func writeSubqueries() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        #expect(compared == Self.cases.reduce(0) { $0 + $1.statements.count })
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
