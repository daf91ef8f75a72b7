import ArgumentParser
import Foundation

/// `simulator`: Ringlite's deterministic simulation against sqlite3, and the differential query
/// fuzzer. See the README's testing section.
@main
struct SimulatorCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Seeded simulation of Ringlite (faults, crashes, several connections) with sqlite3 as the oracle.",
        subcommands: [SimulateCommand.self, FuzzQueriesCommand.self],
        defaultSubcommand: SimulateCommand.self
    )
}

struct SimulateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Runs seeds of SQL workloads on the simulated disk and checks them against sqlite3."
    )

    @Option(help: "Seeds to run: A..<B, A...B or one number.")
    var seeds: String = "0..<100"

    @Option(help: "Run this one seed (overrides --seeds).")
    var seed: UInt64?

    @Option(help: "Fault mix: none, short, mix or heavy.")
    var faults: String = "mix"

    @Option(help: "Workload steps per seed.")
    var steps: Int = 300

    @Option(help: "Replay the steps in this file (as a failure writes them) instead of generating them.")
    var workload: String?

    @Flag(help: "Print every statement and its outcome.")
    var verbose = false

    @Flag(help: "Do not shrink a failing workload.")
    var noShrink = false

    @Flag(help: "Print each seed's workload (in the --workload format) instead of running it.")
    var printWorkload = false

    func run() throws {
        guard let mix = SeedConfig.FaultMix(rawValue: faults) else {
            throw ValidationError("--faults is one of \(SeedConfig.FaultMix.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let range: [UInt64]
        if let seed { range = [seed] } else { range = try Self.parseSeeds(seeds) }
        var statistics = SimulationStatistics()
        var failures: [UInt64] = []
        let start = Date()
        for seed in range {
            let config = SeedConfig(seed: seed, mix: mix)
            var generator = WorkloadGenerator(config: config)
            var workloadSteps = generator.generate(steps: steps)
            if let workload {
                let text = try String(contentsOfFile: workload, encoding: .utf8)
                workloadSteps = text.split(separator: "\n").compactMap { Step(line: String($0)) }
            }
            if printWorkload {
                for step in workloadSteps { print(step) }
                continue
            }
            if verbose { print("seed \(seed): \(config)") }
            let run = SimulationRun(config: config, steps: workloadSteps, log: verbose ? { Self.writeLine($0) } : { (_: String) in })
            do {
                try run.run()
            } catch {
                failures.append(seed)
                report(error, config: config, steps: workloadSteps, mix: mix)
            }
            statistics.add(run.statistics)
            if !verbose && range.count > 1 && statistics.seeds % 100 == 0 {
                print("\(statistics.seeds) seeds, \(failures.count) failing, \(Int(Date().timeIntervalSince(start)))s")
            }
        }
        print("faults \(mix.rawValue): \(statistics.description)")
        print("failing seeds: \(failures.isEmpty ? "none" : failures.map(String.init).joined(separator: " "))")
        if !failures.isEmpty { throw ExitCode.failure }
    }

    func report(_ error: SimulationFailure, config: SeedConfig, steps workloadSteps: [Step], mix: SeedConfig.FaultMix) {
        print("FAIL seed \(config.seed) (\(config)) at \(workloadSteps.indices.contains(error.step) ? workloadSteps[error.step].description : "the end"):")
        print(error.message)
        print("replay: swift run -c release simulator --seed \(config.seed) --faults \(mix.rawValue) --steps \(steps)\(workload.map { " --workload \($0)" } ?? "") --verbose")
        guard !noShrink else { return }
        let shrunk = Shrinker.shrink(config: config, steps: workloadSteps)
        let file = "simulator-seed-\(config.seed).steps"
        try? shrunk.map(\.description).joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        print("shrunk to \(shrunk.count) of \(workloadSteps.count) steps, written to \(file):")
        for step in shrunk.prefix(60) { print("  \(step)") }
        print("replay the shrunk workload: swift run -c release simulator --seed \(config.seed) --faults \(mix.rawValue) --workload \(file) --verbose")
    }

    /// Unbuffered: when the engine traps, the log must show the statement it trapped in.
    static func writeLine(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func parseSeeds(_ text: String) throws -> [UInt64] {
        if let half = text.range(of: "..<"), let low = UInt64(text[..<half.lowerBound]), let high = UInt64(text[half.upperBound...]), low <= high {
            return Array(low..<high)
        }
        if let closed = text.range(of: "..."), let low = UInt64(text[..<closed.lowerBound]), let high = UInt64(text[closed.upperBound...]), low <= high {
            return Array(low...high)
        }
        if let one = UInt64(text) { return [one] }
        throw ValidationError("--seeds takes A..<B, A...B or a number")
    }
}
