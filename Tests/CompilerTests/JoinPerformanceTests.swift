import Foundation
import Testing
import VM

/// Multi-way joins on indexed keys run as nested lookups, not nested scans: the plan searches
/// every table but the outermost, the answers agree with sqlite3's, and the time is printed
/// (not asserted: machines differ).
@Suite struct JoinPerformanceTests {
    static func database(_ setup: String) throws -> (path: String, cleanup: () -> Void) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-joinperf-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("join.db").path
        let oracle = try SQLiteOracle(path: path)
        try oracle.execute(setup)
        oracle.close()
        return (path, { try? FileManager.default.removeItem(at: directory) })
    }

    /// Runs `query` on both engines, checks the plan and the answer, and prints Ringlite's time.
    static func check(_ path: String, _ query: String, label: String) throws {
        let oracle = try SQLiteOracle(path: path)
        let expected = oracle.run(query)
        oracle.close()
        let ringlite = try RingliteRunner(path: path)
        defer { ringlite.close() }
        let plan = QueryPlanComparisonTests.tree(ringlite.run("EXPLAIN QUERY PLAN " + query))
        #expect(plan.count >= 3 && plan.dropFirst().allSatisfy { $0.hasPrefix("SEARCH") },
                "lookups for every table but the outermost:\n\(plan.joined(separator: "\n"))")
        _ = ringlite.run(query)  // warm the page cache
        // Prepare (parse and plan) and run, timed apart.
        let prepareStart = ContinuousClock.now
        _ = ringlite.run("EXPLAIN " + query)
        let prepared = ContinuousClock.now - prepareStart
        let start = ContinuousClock.now
        let actual = ringlite.run(query)
        let elapsed = ContinuousClock.now - start
        // Without ORDER BY the order is the plan's: compared as multisets.
        #expect(actual.sorted == expected.sorted, "\(label): sqlite3 \(expected), ringlite \(actual)")
        let shown = "\(actual)".prefix(200)
        print("\(label): \(elapsed) (compiling alone: \(prepared)) — \(shown)\n  " + plan.joined(separator: "\n  "))
    }

    @Test(.timeLimit(.minutes(5))) func eightTablesOfTen() throws {
        var setup = ""
        for table in 1...8 {
            setup += "CREATE TABLE t\(table)(id INTEGER PRIMARY KEY, next INT, tag TEXT); CREATE INDEX t\(table)_next ON t\(table)(next);"
            setup += "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10) "
            setup += "INSERT INTO t\(table) SELECT i, (i * \(table + 2)) % 10 + 1, 'r' || i FROM n;"
        }
        let (path, cleanup) = try Self.database(setup)
        defer { cleanup() }
        let chain = (2...8).map { "JOIN t\($0) ON t\($0).id = t\($0 - 1).next" }.joined(separator: " ")
        try Self.check(path, "SELECT count(*), sum(t8.id) FROM t1 \(chain)", label: "8 tables x 10 rows, chained")
        let scrambled = "SELECT count(*), group_concat(t1.tag) FROM t5, t8, t2, t7, t1, t4, t6, t3 WHERE "
            + (2...8).map { "t\($0 - 1).next = t\($0).id" }.joined(separator: " AND ")
        try Self.check(path, scrambled, label: "8 tables x 10 rows, comma joins")
    }

    @Test(.timeLimit(.minutes(5))) func threeTablesOfHundredThousand() throws {
        let (path, cleanup) = try Self.database("""
            CREATE TABLE big1(id INTEGER PRIMARY KEY, v INT);
            CREATE TABLE big2(id INTEGER PRIMARY KEY, b1 INT, w TEXT);
            CREATE TABLE big3(id INTEGER PRIMARY KEY, b2 INT, z REAL);
            CREATE INDEX big2_b1 ON big2(b1);
            CREATE INDEX big3_b2 ON big3(b2);
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
            INSERT INTO big1 SELECT i, i % 97 FROM n;
            INSERT INTO big2 SELECT id, (id * 7919) % 100000 + 1, 'w' || id FROM big1;
            INSERT INTO big3 SELECT id, (id * 104729) % 100000 + 1, id / 3.0 FROM big1;
            """)
        defer { cleanup() }
        try Self.check(path, "SELECT count(*), sum(big3.z) FROM big1 JOIN big2 ON big2.b1 = big1.id JOIN big3 ON big3.b2 = big2.id WHERE big1.v = 5",
                       label: "3 tables x 100,000 rows, 1/97 of the outer rows")
        try Self.check(path, "SELECT big1.id, big2.w, big3.z FROM big1 JOIN big2 ON big2.b1 = big1.id JOIN big3 ON big3.b2 = big2.id WHERE big1.id BETWEEN 50000 AND 50010",
                       label: "3 tables x 100,000 rows, a range of 11")
        try Self.check(path, "SELECT count(*) FROM big3, big2, big1 WHERE big2.b1 = big1.id AND big3.b2 = big2.id",
                       label: "3 tables x 100,000 rows, all of them")
    }
}
