import Testing

/// Reading WITHOUT ROWID tables (rows stored in the primary key's index, key columns first),
/// compared with sqlite3; writing them is refused as not supported.
@Suite struct WithoutRowidConformanceTests {
    static let setup = """
        CREATE TABLE w(a TEXT, b INT, c REAL, d, PRIMARY KEY (b, a)) WITHOUT ROWID;
        CREATE INDEX w_d ON w(d);
        INSERT INTO w VALUES ('x', 2, 1.5, 'dx'), ('y', 1, NULL, 'dy'), ('a', 2, 3, NULL), ('B', 1, -1, 'db');
        CREATE TABLE w2(k TEXT PRIMARY KEY COLLATE NOCASE, v) WITHOUT ROWID;
        INSERT INTO w2 VALUES ('b', 1), ('A', 2), ('c', NULL);
        """

    static let reads = ConformanceCase("without-rowid-reads", setup: setup, [
        "SELECT * FROM w",
        "SELECT a, b, c, d FROM w WHERE b = 2",
        "SELECT d, c FROM w WHERE d = 'dy'",
        "SELECT a FROM w WHERE c > 0 ORDER BY a",
        "SELECT b, count(*), sum(c) FROM w GROUP BY b",
        "SELECT * FROM w2",
        "SELECT k FROM w2 WHERE k = 'a'",
        "SELECT k, v FROM w2 ORDER BY k DESC",
        "SELECT rowid FROM w",
        "SELECT max(k), min(k) FROM w2",
    ])

    @Test func readsAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check(Self.reads)
        print("without rowid conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }

    @Test func writesAreRefused() throws {
        let (failures, _) = try Conformance.check(ConformanceCase("without-rowid-writes", setup: Self.setup, [
            "INSERT INTO w VALUES ('z', 3, 0, 'dz')",
            "UPDATE w SET c = 0",
            "DELETE FROM w",
        ]))
        // Each statement disagrees (refused), and so does the table it would have changed.
        let statementFailures = failures.filter { !$0.contains("differs") }
        #expect(statementFailures.count == 3)
        for failure in statementFailures { #expect(failure.contains("not supported by Ringlite yet"), "\(failure)") }
    }
}
