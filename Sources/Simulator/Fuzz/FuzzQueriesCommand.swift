import ArgumentParser

struct FuzzQueriesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fuzz-queries",
        abstract: "Differential query fuzzer: random schemas, data and SELECTs on Ringlite and sqlite3."
    )

    func run() throws {
        throw ValidationError("not built yet")
    }
}
