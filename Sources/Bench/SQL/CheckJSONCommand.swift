import ArgumentParser

/// `bench check-json PATH`: the CI smoke check of a `bench sql` JSON file.
struct CheckJSONCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-json",
        abstract: "Checks a bench sql JSON file: every engine and workload present and run, numbers positive."
    )

    @Argument(help: "The JSON file a `bench sql --json PATH` run wrote.")
    var path: String

    func run() throws {
        let report = try ResultCheck.load(path)
        let problems = ResultCheck.problems(in: report)
        guard problems.isEmpty else {
            for problem in problems { print("check-json: \(problem)") }
            print("check-json: \(path): \(problems.count) problems")
            throw ExitCode(1)
        }
        print("check-json: \(path): \(report.settings.workloads.count) workloads x \(report.settings.engines.count) engines, all present and positive")
    }
}
