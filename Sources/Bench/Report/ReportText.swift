import Foundation

/// The plain-text report: a header (machine, settings, notes), a table per workload, and a
/// closing summary with the ratios and who is ahead.
enum ReportText {
    static func header(_ report: SQLBenchReport) -> String {
        let settings = report.settings
        var lines = [
            "bench sql: \(settings.rows) rows of \(settings.valueSize)-byte values, page size \(settings.pageSize), cache \(settings.cachePages) pages, synchronous=\(settings.sync.rawValue.uppercased()), WAL, median of \(settings.repetitions)\(settings.quick ? " (--quick)" : "")",
            "machine: \(report.machine.summary)",
            "engines: \(settings.engines.map(\.rawValue).joined(separator: ", ")) (alternating A B C A B C ...), seed \(settings.seed)",
        ]
        lines += report.notes.map { "note: \($0)" }
        return lines.joined(separator: "\n")
    }

    static func workloadTable(_ workload: Workload, results: [EngineResult], comparison: WorkloadComparison?,
                              settings: BenchSettings) -> String {
        var rows: [[String]] = []
        for result in results where result.workload == workload {
            guard result.status == .ok, let rate = result.operationsPerSecond, let latency = result.latencyMicroseconds else {
                rows.append([result.engine.rawValue, "FAILED"] + Array(repeating: "-", count: 7))
                continue
            }
            let isURing = result.engine == .ringliteURing
            rows.append([
                result.engine.rawValue,
                format(rate, decimals: rate < 100 ? 1 : 0),
                result.megabytesPerSecond.map { format($0, decimals: 1) } ?? "-",
                format(latency.p50, decimals: 1), format(latency.p99, decimals: 1), format(latency.p999, decimals: 1),
                isURing ? ratio(comparison?.uringOverSQLite) : "",
                isURing ? ratio(comparison?.uringOverSyscall) : "",
                (result.rounds ?? []).map { format($0, decimals: $0 < 100 ? 1 : 0) }.joined(separator: " "),
            ])
        }
        let header = ["engine", "ops/s", "MB/s", "p50 us", "p99 us", "p99.9 us", "uring/sqlite", "uring/syscall", "rounds (ops/s)"]
        var text = "\(workload.rawValue): \(workload.summary)\n"
        text += TextTable.render(header: header, rows: rows)
        for result in results where result.workload == workload {
            if result.status == .failed {
                text += "\n  \(result.engine.rawValue) failed: \(result.error ?? "unknown error")"
            }
            if let writes = result.extra?["writesPerSecond"] {
                text += "\n  \(result.engine.rawValue): writer \(format(writes, decimals: 0)) updates/s beside the readers (\(settings.threads) reader threads)"
            }
            if let log = result.extra?["logMegabytes"] {
                text += "\n  \(result.engine.rawValue): \(result.operations ?? 0) pages checkpointed from a \(format(log, decimals: 1)) MB log"
            }
        }
        return text
    }

    /// One line per workload: each engine's ops/s, the two ratios, who is ahead.
    static func summary(_ report: SQLBenchReport) -> String {
        let engines = report.settings.engines
        let header = ["workload"] + engines.map { "\($0.rawValue) ops/s" } + ["uring/sqlite", "uring/syscall", "ahead"]
        let rows = report.comparisons.map { comparison in
            [comparison.workload.rawValue] + engines.map { engine -> String in
                guard let result = report.results.first(where: { $0.workload == comparison.workload && $0.engine == engine }) else { return "-" }
                guard let rate = result.operationsPerSecond else { return "failed" }
                return format(rate, decimals: rate < 100 ? 1 : 0)
            } + [ratio(comparison.uringOverSQLite), ratio(comparison.uringOverSyscall), comparison.leader?.rawValue ?? "-"]
        }
        return TextTable.render(header: header, rows: rows)
    }

    static func format(_ value: Double, decimals: Int) -> String {
        String(format: "%.\(decimals)f", value)
    }

    static func ratio(_ value: Double?) -> String {
        value.map { String(format: "%.2fx", $0) } ?? "-"
    }
}
