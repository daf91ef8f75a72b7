import Foundation

/// The CI smoke check of a `bench sql` JSON file: the schema it claims, every engine and workload
/// of its settings present and run, every number positive and finite.
enum ResultCheck {
    /// What is wrong with the report; empty when it passes.
    static func problems(in report: SQLBenchReport) -> [String] {
        var problems: [String] = []
        if report.schema != SQLBenchReport.schemaName {
            problems.append("schema is '\(report.schema)', expected '\(SQLBenchReport.schemaName)'")
        }
        if report.settings.engines.isEmpty { problems.append("no engines in the settings") }
        if report.settings.workloads.isEmpty { problems.append("no workloads in the settings") }
        for workload in report.settings.workloads {
            for engine in report.settings.engines {
                let name = "\(workload.rawValue) on \(engine.rawValue)"
                let matches = report.results.filter { $0.workload == workload && $0.engine == engine }
                guard matches.count == 1, let result = matches.first else {
                    problems.append("\(name): \(matches.count) results, expected 1")
                    continue
                }
                guard result.status == .ok else {
                    problems.append("\(name) failed: \(result.error ?? "no error given")")
                    continue
                }
                problems += positive(name, "operations", result.operations.map(Double.init))
                problems += positive(name, "operationsPerSecond", result.operationsPerSecond)
                if workload.reportsBytes {
                    problems += positive(name, "megabytesPerSecond", result.megabytesPerSecond)
                }
                problems += positive(name, "latency p50", result.latencyMicroseconds?.p50)
                problems += positive(name, "latency p99", result.latencyMicroseconds?.p99)
                problems += positive(name, "latency p99.9", result.latencyMicroseconds?.p999)
                if let rounds = result.rounds, rounds.count == report.settings.repetitions {
                    for (index, rate) in rounds.enumerated() {
                        problems += positive(name, "round \(index + 1)", rate)
                    }
                } else {
                    problems.append("\(name): \(result.rounds?.count ?? 0) rounds, expected \(report.settings.repetitions)")
                }
            }
            let engines = Set(report.settings.engines)
            guard let comparison = report.comparisons.first(where: { $0.workload == workload }) else {
                problems.append("\(workload.rawValue): no comparison")
                continue
            }
            if engines.isSuperset(of: [.ringliteURing, .sqlite]) {
                problems += positive(workload.rawValue, "uring/sqlite ratio", comparison.uringOverSQLite)
            }
            if engines.isSuperset(of: [.ringliteURing, .ringliteSyscall]) {
                problems += positive(workload.rawValue, "uring/syscall ratio", comparison.uringOverSyscall)
            }
        }
        return problems
    }

    private static func positive(_ name: String, _ field: String, _ value: Double?) -> [String] {
        guard let value else { return ["\(name): \(field) is missing"] }
        return value.isFinite && value > 0 ? [] : ["\(name): \(field) is \(value), expected a positive number"]
    }

    static func load(_ path: String) throws -> SQLBenchReport {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        do {
            return try JSONDecoder().decode(SQLBenchReport.self, from: data)
        } catch {
            throw BenchError("\(path) is not a bench sql report: \(error)")
        }
    }
}
