import Testing

/// The conformance harness itself: it must report a disagreement when there is one, or the
/// suites built on it could not fail.
@Suite struct HarnessTests {
    @Test func agreementIsNotReported() throws {
        let (failures, compared) = try Conformance.check(ConformanceCase("harness", setup: "CREATE TABLE t(a); INSERT INTO t VALUES (1)", [
            "SELECT a FROM t",
        ]))
        #expect(compared == 1)
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test func disagreementsAreReported() throws {
        // Ringlite's copy holds one more row: the query's rows and the table contents differ.
        let (failures, _) = try Conformance.check(ConformanceCase("harness", setup: "CREATE TABLE t(a); INSERT INTO t VALUES (1)", [
            "SELECT a FROM t",
        ], divergence: "INSERT INTO t VALUES (2)"))
        #expect(failures.count == 2, "\(failures)")
        #expect(failures.first?.contains("SELECT a FROM t") == true)
        #expect(failures.last?.contains("table t differs") == true)
    }

    @Test func storageClassesAreCompared() {
        #expect(Outcome.rows([[.integer(1)]]) != Outcome.rows([[.real(1)]]))
        #expect(Outcome.rows([[.text(Array("1".utf8))]]) != Outcome.rows([[.integer(1)]]))
        #expect(Outcome.rows([[.integer(2)], [.integer(1)]]).sorted == Outcome.rows([[.integer(1)], [.integer(2)]]))
    }
}
