import Testing
@testable import Simulator

/// The CI slice of the simulator: 200 seeds of SQL workloads on the simulated disk, with faults
/// and crashes, checked against sqlite3 step by step. Longer runs: `swift run -c release
/// simulator --seeds 0..<10000 --faults mix`.
@Suite struct SimulatorTests {
    static func check(_ seed: UInt64, mix: SeedConfig.FaultMix, steps: Int) {
        let config = SeedConfig(seed: seed, mix: mix)
        var generator = WorkloadGenerator(config: config)
        let run = SimulationRun(config: config, steps: generator.generate(steps: steps))
        do {
            try run.run()
        } catch {
            Issue.record("seed \(seed) (\(config)): \(error)\nreplay: swift run -c release simulator --seed \(seed) --faults \(mix.rawValue) --steps \(steps) --verbose")
        }
    }

    /// Seeds that trap in the engine (a precondition in Pager.rollback: page pins still held
    /// when a statement that failed with an IO error rolls the transaction back). They kill
    /// the test process, so they stay out of the slice until that is fixed; see
    /// `knownTrappingSeeds`.
    static let trapping: Set<UInt64> = [28, 59]

    @Test(.timeLimit(.minutes(5)), arguments: (0..<150 as Range<UInt64>).filter { !trapping.contains($0) })
    func faultMix(_ seed: UInt64) {
        Self.check(seed, mix: .mix, steps: 200)
    }

    @Test(.disabled("traps: page pins held when an IO error mid-statement rolls back (Pager.rollback precondition)"),
          arguments: Array(trapping))
    func knownTrappingSeeds(_ seed: UInt64) {
        Self.check(seed, mix: .mix, steps: 200)
    }

    /// Seed 12 without faults: a crash fires while an UPDATE writes an overflow chain; the
    /// failed allocation of the chain's next page left the page being written pinned, and the
    /// rollback trapped ("rollback while 1 page pins are held").
    @Test func aFailedOverflowAllocationReleasesThePageBeingWritten() {
        Self.check(12, mix: .none, steps: 300)
    }

    @Test(.timeLimit(.minutes(5)), arguments: 1000..<1050 as Range<UInt64>)
    func shortTransfersAndCrashes(_ seed: UInt64) {
        Self.check(seed, mix: .short, steps: 200)
    }
}
