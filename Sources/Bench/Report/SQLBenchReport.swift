/// The JSON a `bench sql` run writes (and `bench check-json` validates).
struct SQLBenchReport: Codable {
    static let schemaName = "ringlite-bench-sql/1"

    var schema = SQLBenchReport.schemaName
    /// The command line that made it.
    var command: String
    var date: String
    var machine: Machine
    var settings: BenchSettings
    /// The cache the cold workloads gave every engine, in pages.
    var coldCachePages: Int?
    /// What a reader must know to read the numbers (SQLite without O_DIRECT, and the like).
    var notes: [String]
    var results: [EngineResult]
    var comparisons: [WorkloadComparison]
}

/// One engine's result for one workload: medians over the rounds, or why it failed.
struct EngineResult: Codable, Equatable {
    enum Status: String, Codable { case ok, failed }

    var workload: Workload
    var engine: EngineKind
    var status: Status
    var error: String?
    /// Operations in one round.
    var operations: Int?
    /// Median over the rounds.
    var operationsPerSecond: Double?
    var megabytesPerSecond: Double?
    /// p50/p99/p99.9 over every operation of every round.
    var latencyMicroseconds: LatencySummary?
    /// Each round's operations per second, in run order.
    var rounds: [Double]?
    /// Medians of workload-specific figures (readwhilewriting's writesPerSecond, checkpoint's
    /// logMegabytes).
    var extra: [String: Double]?

    init(workload: Workload, engine: EngineKind, failure: String) {
        self.workload = workload
        self.engine = engine
        status = .failed
        error = failure
    }

    init(workload: Workload, engine: EngineKind, samples: [Sample]) {
        self.workload = workload
        self.engine = engine
        guard !samples.isEmpty else {
            status = .failed
            error = "no measurement"
            return
        }
        status = .ok
        operations = samples[0].operations
        rounds = samples.map(\.operationsPerSecond)
        operationsPerSecond = Statistics.median(rounds!)
        megabytesPerSecond = workload.reportsBytes ? Statistics.median(samples.compactMap(\.megabytesPerSecond)) : nil
        var latency = LatencyRecorder()
        for sample in samples { latency.merge(sample.latency) }
        latencyMicroseconds = latency.summary
        let keys = Set(samples.flatMap(\.extra.keys))
        extra = keys.isEmpty ? nil : Dictionary(uniqueKeysWithValues: keys.map { key in
            (key, Statistics.median(samples.compactMap { $0.extra[key] }) ?? 0)
        })
    }
}

/// The ratios a workload is judged by, and who is ahead.
struct WorkloadComparison: Codable, Equatable {
    var workload: Workload
    /// ringlite-uring's throughput over sqlite's.
    var uringOverSQLite: Double?
    /// ringlite-uring's throughput over ringlite-syscall's.
    var uringOverSyscall: Double?
    /// The engine with the highest throughput, among those that ran.
    var leader: EngineKind?

    static func compare(_ results: [EngineResult], workloads: [Workload]) -> [WorkloadComparison] {
        workloads.map { workload in
            let rates = Dictionary(uniqueKeysWithValues: results.filter { $0.workload == workload && $0.status == .ok }
                .compactMap { result in result.operationsPerSecond.map { (result.engine, $0) } })
            return WorkloadComparison(
                workload: workload,
                uringOverSQLite: Statistics.ratio(rates[.ringliteURing], rates[.sqlite]),
                uringOverSyscall: Statistics.ratio(rates[.ringliteURing], rates[.ringliteSyscall]),
                leader: rates.max { $0.value < $1.value }?.key
            )
        }
    }
}
