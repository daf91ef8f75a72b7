import ArgumentParser
import Foundation

struct FuzzQueriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-queries",
        abstract: "Differential query fuzzer: random schemas, data and SELECTs on Ringlite and sqlite3."
    )

    @Option(help: "Queries to compare.")
    var count = 10_000

    @Option(help: "Seed of the run (each round's schema derives from it).")
    var seed: UInt64 = 1

    @Option(help: "Queries per schema.")
    var perSchema = 200

    @Option(help: "Stop after this many mismatches.")
    var maxMismatches = 20

    func run() throws {
        var fuzzer = QueryFuzzer(seed: seed, queriesPerRound: perSchema)
        let start = Date()
        try fuzzer.run(count: count, maxMismatches: maxMismatches) { mismatch in
            print(mismatch)
            print("")
        }
        let s = fuzzer.statistics
        print("seed \(seed): \(s.queries) queries compared over \(s.rounds) schemas (\(s.rowsCompared) rows, \(s.bothFailed) failing on both with the same message), \(s.mismatches) mismatches, \(Int(Date().timeIntervalSince(start)))s")
        if s.mismatches > 0 { throw ExitCode.failure }
    }
}
