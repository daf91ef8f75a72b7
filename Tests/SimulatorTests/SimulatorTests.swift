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

    @Test(.timeLimit(.minutes(5)), arguments: 0..<150 as Range<UInt64>)
    func faultMix(_ seed: UInt64) {
        Self.check(seed, mix: .mix, steps: 200)
    }

    /// Seeds (300 steps, the command line's default) that found engine bugs, each fixed with a
    /// regression test of its own: a failed commit left open (14), failed read-ahead reported
    /// later (214), a rolled-back schema kept (1257, 3583, 3621), reads of spilled frames kept
    /// across a rollback (751), reads of the old log in flight at a restart (2264, 2514); and
    /// the simulator's own stale-schema difference (159) and its check that, spilling an open
    /// transaction's pages to the log, fired the crash the workload had armed (30815).
    @Test(.timeLimit(.minutes(5)), arguments: [14, 159, 214, 751, 1257, 2264, 2514, 3583, 3621, 30815] as [UInt64])
    func seedsThatFoundBugs(_ seed: UInt64) {
        Self.check(seed, mix: .mix, steps: 300)
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
