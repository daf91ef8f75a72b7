@testable import Bench

/// Reports built by hand, as a run would build them, for the report and check tests.
enum ReportFixtures {
    static func settings(engines: [EngineKind] = EngineKind.allCases, workloads: [Workload] = [.fillseq, .readrandom],
                         repetitions: Int = 3) -> BenchSettings {
        BenchSettings(rows: 1000, valueSize: 100, cachePages: 2000, pageSize: 4096, direct: false, sync: .normal,
                      workloads: workloads, engines: engines, seed: 42, repetitions: repetitions, threads: 2,
                      quick: true, directory: ".")
    }

    static func sample(operations: Int, seconds: Double) -> Sample {
        var latency = LatencyRecorder()
        for nanoseconds in [1000, 2000, 3000, 50_000] as [UInt64] { latency.record(nanoseconds: nanoseconds) }
        return Sample(operations: operations, seconds: seconds, bytes: Int64(operations) * 108, latency: latency)
    }

    /// A report where every engine ran every workload; `rates` gives each engine's ops/s.
    static func report(rates: [EngineKind: Double] = [.ringliteURing: 2000, .ringliteSyscall: 1000, .sqlite: 1600],
                       workloads: [Workload] = [.fillseq, .readrandom]) -> SQLBenchReport {
        let settings = settings(engines: Array(rates.keys).sorted { $0.rawValue < $1.rawValue }, workloads: workloads)
        var results: [EngineResult] = []
        for workload in workloads {
            for engine in settings.engines {
                let samples = (0..<settings.repetitions).map { _ in sample(operations: 1000, seconds: 1000 / rates[engine]!) }
                results.append(EngineResult(workload: workload, engine: engine, samples: samples))
            }
        }
        return SQLBenchReport(
            command: "bench --quick", date: "2025-01-01T00:00:00Z",
            machine: Machine(cores: 2, kernel: "6.1", fileSystem: "ext4 on /dev/vda", swift: "Swift 6.3", memoryGiB: 24, sqlite: "3.40.1"),
            settings: settings, notes: [], results: results,
            comparisons: WorkloadComparison.compare(results, workloads: workloads))
    }
}
