import Testing

/// The conformance harness itself: a statement Ringlite refuses must show up as a disagreement,
/// so that the suites built on it can fail.
@Suite struct HarnessTests {
    @Test func disagreementsAreReported() throws {
        let (failures, compared) = try Conformance.check(ConformanceCase("harness", setup: "CREATE TABLE t(a); INSERT INTO t VALUES (1)", [
            "SELECT a FROM t",
        ]))
        #expect(compared == 1)
        // Until SELECT compiles, Ringlite's answer is an error and sqlite3's a row.
        #expect(failures.count == 1, "\(failures)")
    }
}
