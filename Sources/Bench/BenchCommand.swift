import ArgumentParser
import Logging

@main
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Ringlite's benchmarks: io_uring against syscalls, and (as they land) against SQLite.",
        subcommands: [IOBench.self, WALBench.self, BTreeBench.self],
        defaultSubcommand: IOBench.self
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
