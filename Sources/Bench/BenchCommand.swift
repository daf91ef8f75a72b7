import ArgumentParser
import Logging

@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Ringlite's benchmarks: SQL workloads against SQLite (the default), and the IO, WAL and B-tree layers alone.",
        subcommands: [SQLBench.self, IOBench.self, WALBench.self, BTreeBench.self, CheckJSONCommand.self],
        defaultSubcommand: SQLBench.self
    )

    static func main() {
        LoggingSystem.bootstrap(StreamLogHandler.standardError)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            exit(withError: error)
        }
    }
}
