import Testing

/// BEGIN, COMMIT, ROLLBACK and savepoints against sqlite3, observed through the schema (DDL
/// inside transactions), PRAGMA user_version and the file the statements leave.
@Suite struct TransactionConformanceTests {
    static let cases: [ConformanceCase] = [
        ConformanceCase("begin and commit", [
            "BEGIN", "CREATE TABLE t(a)", "PRAGMA table_info(t)", "COMMIT", "PRAGMA table_info(t)",
            "BEGIN DEFERRED", "COMMIT", "BEGIN IMMEDIATE", "END", "BEGIN EXCLUSIVE", "COMMIT TRANSACTION",
            "BEGIN TRANSACTION", "END TRANSACTION", "BEGIN TRANSACTION named", "COMMIT",
        ]),
        ConformanceCase("transaction errors", [
            "COMMIT", "END", "ROLLBACK", "BEGIN", "BEGIN", "BEGIN IMMEDIATE", "COMMIT", "COMMIT", "ROLLBACK",
            "RELEASE nosuch", "ROLLBACK TO nosuch", "SAVEPOINT a", "RELEASE b", "ROLLBACK TO b", "RELEASE a",
            "RELEASE a",
        ]),
        ConformanceCase("rollback undoes DDL", setup: "CREATE TABLE keep(a); PRAGMA user_version = 1", [
            "BEGIN", "CREATE TABLE gone(a UNIQUE)", "CREATE INDEX gone_a ON keep(a)", "PRAGMA user_version = 2",
            "PRAGMA user_version", "PRAGMA index_list(keep)", "ROLLBACK", "PRAGMA user_version",
            "PRAGMA index_list(keep)", "PRAGMA table_info(gone)", "CREATE TABLE gone(b)", "PRAGMA table_info(gone)",
            "BEGIN IMMEDIATE", "DROP TABLE keep", "PRAGMA table_info(keep)", "ROLLBACK", "PRAGMA table_info(keep)",
        ]),
        ConformanceCase("savepoints", setup: "CREATE TABLE base(a)", [
            "SAVEPOINT one", "CREATE TABLE t1(a)", "SAVEPOINT two", "CREATE TABLE t2(a)", "PRAGMA user_version = 5",
            "ROLLBACK TO two", "PRAGMA user_version", "PRAGMA table_info(t2)", "CREATE TABLE t3(a)",
            "RELEASE two", "ROLLBACK TO one", "PRAGMA table_info(t1)", "PRAGMA table_info(t3)", "CREATE TABLE t4(a)",
            "RELEASE one", "PRAGMA table_info(t4)", "ROLLBACK",
            "BEGIN", "SAVEPOINT x", "CREATE TABLE t5(a)", "SAVEPOINT X", "DROP TABLE base", "ROLLBACK TO x",
            "PRAGMA table_info(base)", "RELEASE SAVEPOINT x", "COMMIT", "PRAGMA table_info(t5)",
            "SAVEPOINT s", "CREATE TABLE t6(a)", "ROLLBACK TRANSACTION TO SAVEPOINT s", "RELEASE s",
            "PRAGMA table_info(t6)", "SAVEPOINT s", "CREATE TABLE t7(a)", "ROLLBACK", "PRAGMA table_info(t7)",
        ]),
        ConformanceCase("savepoint inside transaction then commit", [
            "BEGIN", "SAVEPOINT a", "CREATE TABLE t(a)", "RELEASE a", "CREATE TABLE u(b)", "COMMIT",
            "SAVEPOINT b", "DROP TABLE t", "RELEASE b", "BEGIN", "ROLLBACK TO b",
        ]),
    ]

    @Test func transactions() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        #expect(compared > 0)
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
