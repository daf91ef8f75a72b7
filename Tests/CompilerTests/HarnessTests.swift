import Testing

/// The conformance harness itself: statements that agree pass, and a statement Ringlite
/// refuses shows up as a disagreement, so that the suites built on it can fail.
@Suite struct HarnessTests {
    @Test func agreementsPass() throws {
        let (failures, compared) = try Conformance.check(ConformanceCase("harness", setup: "CREATE TABLE t(a); INSERT INTO t VALUES (1)", [
            "SELECT a FROM t",
        ]))
        #expect(compared == 1)
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func disagreementsAreReported() throws {
        let (failures, compared) = try Conformance.check(ConformanceCase("harness", setup: "CREATE TABLE t(a); INSERT INTO t VALUES (1)", [
            // Ringlite refuses subqueries for now; sqlite3 answers with a row.
            "SELECT (SELECT a FROM t)",
        ]))
        #expect(compared == 1)
        #expect(failures.count == 1, "\(failures)")
    }
}
