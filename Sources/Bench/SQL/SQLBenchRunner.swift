import Foundation

/// Runs the workloads on the engines: each workload's rounds alternate the engines
/// (A B C A B C ...), each measurement on a fresh file (empty, or a copy of a table that engine
/// filled), and a failure is kept as that engine's result for the workload instead of ending
/// the run.
final class SQLBenchRunner {
    let settings: BenchSettings
    private let values: ValuePool
    /// Each engine's filled table, made once by that engine and copied for every measurement
    /// that starts from a full table.
    private var tables: [EngineKind: Result<FilledTable, BenchError>] = [:]
    /// Pages of the first filled table: sizes the cold workloads' cache the same for every engine.
    private(set) var referenceTablePages: Int?

    struct FilledTable {
        var path: String
        var pages: Int
    }

    init(settings: BenchSettings) {
        self.settings = settings
        values = ValuePool(size: settings.valueSize, seed: SplitMix64.seed(settings.seed, "values"))
    }

    /// All rounds of one workload; medians of the rounds' throughput, latencies over all rounds.
    func measure(_ workload: Workload) -> [EngineResult] {
        var samples: [EngineKind: [Sample]] = [:]
        var failures: [EngineKind: String] = [:]
        for (round, engine) in Statistics.alternatingSchedule(settings.engines, repetitions: settings.repetitions)
        where failures[engine] == nil {
            let label = "\(workload.rawValue) \(engine.rawValue) \(round + 1)/\(settings.repetitions)"
            do {
                samples[engine, default: []].append(try measureOnce(workload, engine: engine, label: label))
            } catch {
                failures[engine] = "\(error)"
                ProgressBar.write("  \(label) failed: \(error)\n")
            }
        }
        return settings.engines.map { engine in
            if let failure = failures[engine] {
                return EngineResult(workload: workload, engine: engine, failure: failure)
            }
            return EngineResult(workload: workload, engine: engine, samples: samples[engine] ?? [])
        }
    }

    /// One measurement: prepares the file, opens the engine, runs the workload, closes.
    func measureOnce(_ workload: Workload, engine: EngineKind, label: String) throws -> Sample {
        let path = workPath(engine)
        DatabaseFiles.remove(path)
        defer { DatabaseFiles.remove(path) }
        var pages = 0
        if !workload.startsEmpty {
            let table = try filledTable(engine)
            try DatabaseFiles.copy(table.path, to: path)
            pages = table.pages
        }
        if workload.isCold {
            try DatabaseFiles.evictFromOSCache(path)
        }
        let config = settings.config(for: workload, tablePages: referenceTablePages ?? pages)
        let connection = try engine.connect(path: path, config: config)
        defer { connection.close() }
        let context = WorkloadContext(settings: settings, workload: workload, engine: engine, path: path, config: config,
                                      values: values, label: label, tablePages: pages)
        switch workload {
        case .fillseq, .fillrandom, .fillseqsync, .fillrandsync, .fillseqbatch:
            return try FillWorkloads.run(connection, context)
        case .readrandom, .readseq, .readrandomCold, .readseqCold, .scanAggregate:
            return try ReadWorkloads.run(connection, context)
        case .overwrite, .updateRandom, .deleteRandom, .checkpoint:
            return try WriteWorkloads.run(connection, context)
        case .ycsbA, .ycsbB:
            return try YCSBWorkloads.run(connection, context)
        case .readwhilewriting:
            return try ConcurrentReaders.run(connection, context)
        }
    }

    /// The engine's filled table: `rows` rows inserted in key order, 1,000 per transaction, then
    /// closed (which checkpoints the log into the file). Made on first use; a failure is kept.
    func filledTable(_ engine: EngineKind) throws -> FilledTable {
        if let made = tables[engine] { return try made.get() }
        let result: Result<FilledTable, BenchError>
        do {
            result = .success(try makeFilledTable(engine))
        } catch {
            result = .failure(BenchError("filling the table failed: \(error)"))
        }
        tables[engine] = result
        return try result.get()
    }

    private func makeFilledTable(_ engine: EngineKind) throws -> FilledTable {
        let path = "\(settings.directory)/ringlite-bench-\(engine.rawValue)-table.db"
        DatabaseFiles.remove(path)
        let config = settings.config(for: .fillseqbatch, tablePages: 0)
        let connection: any BenchConnection
        do {
            connection = try engine.connect(path: path, config: config)
        } catch {
            DatabaseFiles.remove(path)
            throw error
        }
        do {
            let context = WorkloadContext(settings: settings, workload: .fillseqbatch, engine: engine, path: path, config: config,
                                          values: values, label: "filling \(engine.rawValue)'s table", tablePages: 0)
            try connection.createTable()
            _ = try FillWorkloads.insert(Keys.sequential(settings.rows), batch: settings.batchSize, into: connection, context)
            try FillWorkloads.verifyCount(connection, expected: settings.rows)
        } catch {
            connection.close()
            DatabaseFiles.remove(path)
            throw error
        }
        connection.close()
        let pages = Int(DatabaseFiles.size(path) / Int64(settings.pageSize))
        if referenceTablePages == nil { referenceTablePages = pages }
        return FilledTable(path: path, pages: pages)
    }

    private func workPath(_ engine: EngineKind) -> String {
        "\(settings.directory)/ringlite-bench-\(engine.rawValue)-work.db"
    }

    /// Removes the filled tables (each measurement removes its own file).
    func removeTables() {
        for case .success(let table) in tables.values {
            DatabaseFiles.remove(table.path)
        }
    }
}
