import ArgumentParser
import Foundation

/// `bench sql` (the default): db_bench-style workloads through Ringlite's public API on io_uring
/// and on syscalls, and through libsqlite3, with the same SQL and settings, contenders
/// alternating, medians of `--repeat` rounds.
struct SQLBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql",
        abstract: "SQL workloads (db_bench and YCSB style): ringlite-uring, ringlite-syscall and sqlite in one run."
    )

    @Option(help: "Rows in the table (default 100000; 5000 with --quick).")
    var rows: Int?

    @Option(help: "Bytes per value.")
    var valueSize = 100

    @Option(help: "Each connection's page cache, in pages (the cold workloads use at most a tenth of the table).")
    var cachePages = 2000

    @Option(help: "Page size of the database files.")
    var pageSize = 4096

    @Flag(help: "Open Ringlite's database file with O_DIRECT (SQLite has no such switch).")
    var direct = false

    @Option(help: "Synchronous mode for every engine: full, normal or off (fillseqsync and fillrandsync always use full).")
    var sync: String = "normal"

    @Option(help: "Workloads, comma-separated, or 'all': \(Workload.allCases.map(\.rawValue).joined(separator: ", ")).")
    var workloads = "all"

    @Option(help: "Engines, comma-separated: \(EngineKind.allCases.map(\.rawValue).joined(separator: ", ")).")
    var engines = EngineKind.allCases.map(\.rawValue).joined(separator: ",")

    @Option(help: "Seed for keys and values (the same sequence for every engine).")
    var seed: UInt64 = 42

    @Option(name: .customLong("repeat"), help: "Rounds per workload; medians are reported (default 3; 1 with --quick).")
    var repetitions: Int?

    @Option(help: "Reader connections (one thread each) in readwhilewriting.")
    var threads = 2

    @Flag(help: "Small sizes and one round, for a smoke test (CI).")
    var quick = false

    @Option(help: "Directory for the database files (removed afterwards).")
    var directory = "."

    @Option(help: "Where to write the JSON results; the SVG chart goes beside it (default benchmarks/results/sql-DATE.json).")
    var json: String?

    mutating func validate() throws {
        _ = try resolvedSettings()
    }

    func resolvedSettings() throws -> BenchSettings {
        let rows = rows ?? (quick ? 5000 : 100_000)
        let repetitions = repetitions ?? (quick ? 1 : 3)
        guard rows >= 2 else { throw ValidationError("--rows must be at least 2") }
        guard (1...1_000_000).contains(valueSize) else { throw ValidationError("--value-size must be in 1...1000000") }
        guard cachePages >= 16 else { throw ValidationError("--cache-pages must be at least 16") }
        guard (512...65536).contains(pageSize), pageSize & (pageSize - 1) == 0 else {
            throw ValidationError("--page-size must be a power of two in 512...65536")
        }
        guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
        guard (1...256).contains(threads) else { throw ValidationError("--threads must be in 1...256") }
        guard let syncMode = SyncMode(rawValue: sync.lowercased()) else {
            throw ValidationError("--sync must be full, normal or off")
        }
        do {
            return BenchSettings(
                rows: rows, valueSize: valueSize, cachePages: cachePages, pageSize: pageSize, direct: direct,
                sync: syncMode, workloads: try Workload.parseList(workloads), engines: try EngineKind.parseList(engines),
                seed: seed, repetitions: repetitions, threads: threads, quick: quick, directory: directory)
        } catch let error as BenchError {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let settings = try resolvedSettings()
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let date = Date()
        var report = SQLBenchReport(
            command: CommandLine.arguments.joined(separator: " "),
            date: ISO8601DateFormatter().string(from: date),
            machine: Machine.describe(path: directory),
            settings: settings,
            notes: Self.notes(settings),
            results: [],
            comparisons: [])
        print(ReportText.header(report))

        let runner = SQLBenchRunner(settings: settings)
        defer { runner.removeTables() }
        for workload in settings.workloads {
            let results = runner.measure(workload)
            report.results += results
            let comparison = WorkloadComparison.compare(results, workloads: [workload]).first
            print("\n" + ReportText.workloadTable(workload, results: results, comparison: comparison, settings: settings))
        }
        report.comparisons = WorkloadComparison.compare(report.results, workloads: settings.workloads)
        if settings.workloads.contains(where: \.isCold), let pages = runner.referenceTablePages {
            report.coldCachePages = settings.coldCachePages(tablePages: pages)
            report.notes.append("cold workloads: each engine's cache was \(report.coldCachePages!) pages for a \(pages)-page table")
        }
        print("\nsummary (ops/s, medians; ratios are ringlite-uring's throughput over the other's):")
        print(ReportText.summary(report))
        for note in report.notes { print("note: \(note)") }

        let jsonPath = json ?? "benchmarks/results/sql-\(Self.stamp(date)).json"
        try ReportFiles.write(report, jsonPath: jsonPath)
        print("\nJSON written to \(jsonPath), chart to \(ReportFiles.chartPath(forJSON: jsonPath))")
        let failures = report.results.filter { $0.status == .failed }
        if !failures.isEmpty {
            print("\n\(failures.count) of \(report.results.count) measurements failed:")
            for failure in failures {
                print("  \(failure.workload.rawValue) on \(failure.engine.rawValue): \(failure.error ?? "unknown error")")
            }
            throw ExitCode(1)
        }
    }

    /// What a reader needs to know to read the numbers right.
    static func notes(_ settings: BenchSettings) -> [String] {
        var notes: [String] = []
        if settings.direct && settings.engines.contains(.sqlite) {
            notes.append("--direct: Ringlite opens its database file with O_DIRECT; SQLite has no such switch and reads through the OS page cache")
        }
        if settings.engines.contains(.sqlite) {
            notes.append("sqlite: libsqlite3 with PRAGMA journal_mode=WAL, synchronous=\(settings.sync.rawValue.uppercased()), cache_size=\(settings.cachePages), page_size=\(settings.pageSize), default locking (a -shm index); Ringlite keeps its WAL index in memory")
        }
        return notes
    }

    static func stamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        return formatter.string(from: date)
    }
}
