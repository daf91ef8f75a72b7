/// What one `bench sql` run measures, resolved from the command line (`--quick` picks small
/// sizes for anything not given explicitly).
struct BenchSettings: Codable, Sendable {
    var rows: Int
    var valueSize: Int
    var cachePages: Int
    var pageSize: Int
    var direct: Bool
    var sync: SyncMode
    var workloads: [Workload]
    var engines: [EngineKind]
    var seed: UInt64
    var repetitions: Int
    var threads: Int
    var quick: Bool
    var directory: String

    /// Random point reads per readrandom phase (and in total across readwhilewriting's readers).
    var reads: Int { rows }
    /// Random point reads in readrandom-cold: as many as the table has pages (at least 100), so
    /// most reads find their page not yet read since the eviction; more would measure a warm cache.
    func coldReads(tablePages: Int) -> Int {
        min(reads, max(tablePages, 100))
    }
    /// Rows of the fills at synchronous=FULL, where each commit waits for an fsync.
    var syncRows: Int { max(rows / 100, 20) }
    /// Rows per transaction in fillseqbatch, and in the untimed fills that prepare tables.
    var batchSize: Int { 1000 }
    /// Distinct keys delete-random deletes.
    var deletes: Int { max(rows / 2, 1) }
    /// Queries per scan-aggregate phase.
    var aggregateQueries: Int { quick ? 2 : 5 }
    /// Bytes an insert or a read moves: the 8-byte key and the value, as db_bench counts.
    var bytesPerRow: Int64 { Int64(8 + valueSize) }

    /// The engine cache for the cold workloads: at most a tenth of the table's pages (and never
    /// more than `--cache-pages`), so most reads miss it and go to the file.
    func coldCachePages(tablePages: Int) -> Int {
        min(cachePages, max(16, tablePages / 10))
    }

    /// How each engine is opened for `workload`.
    func config(for workload: Workload, tablePages: Int) -> EngineConfig {
        EngineConfig(
            sync: workload.forcesFullSync ? .full : sync,
            cachePages: workload.isCold ? coldCachePages(tablePages: tablePages) : cachePages,
            pageSize: pageSize,
            direct: direct,
            autoCheckpoint: workload != .checkpoint
        )
    }
}
