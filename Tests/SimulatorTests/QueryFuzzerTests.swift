import Testing
@testable import Simulator

/// The CI slice of the differential query fuzzer: 5,000 random SELECTs over 25 random schemas,
/// Ringlite against sqlite3. Longer runs: `swift run -c release simulator fuzz-queries --count
/// 100000 --seed 2`.
@Suite struct QueryFuzzerTests {
    @Test(.timeLimit(.minutes(3)))
    func randomQueriesAgreeWithSQLite() throws {
        var fuzzer = QueryFuzzer(seed: 1, queriesPerRound: 200)
        var mismatches: [String] = []
        try fuzzer.run(count: 5000, maxMismatches: 5) { mismatches.append($0.description) }
        #expect(fuzzer.statistics.queries == 5000)
        #expect(mismatches.isEmpty, "\(mismatches.joined(separator: "\n\n"))")
    }

    /// The comparison itself: a different storage class or a missing row is a mismatch; order
    /// matters only for ordered queries.
    @Test func theComparisonSeesDifferences() {
        #expect(!QueryFuzzer.agree(.rows([[.integer(1)]]), .rows([[.real(1)]]), ordered: false))
        #expect(!QueryFuzzer.agree(.rows([[.integer(1)], [.integer(2)]]), .rows([[.integer(2)], [.integer(1)]]), ordered: true))
        #expect(QueryFuzzer.agree(.rows([[.integer(1)], [.integer(2)]]), .rows([[.integer(2)], [.integer(1)]]), ordered: false))
        #expect(!QueryFuzzer.agree(.rows([[.integer(1)]]), .rows([]), ordered: false))
        #expect(!QueryFuzzer.agree(.rows([]), .error(code: 1, message: "no such column: x"), ordered: false))
    }
}
