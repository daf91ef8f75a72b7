import Foundation

/// The SQL workloads, named as LevelDB's db_bench names them where it has one.
enum Workload: String, CaseIterable, Codable, Sendable {
    case fillseq, fillrandom, fillseqsync, fillrandsync, fillseqbatch
    case overwrite
    case readrandom, readseq
    case readrandomCold = "readrandom-cold"
    case readseqCold = "readseq-cold"
    case scanAggregate = "scan-aggregate"
    case updateRandom = "update-random"
    case deleteRandom = "delete-random"
    case checkpoint
    case ycsbA = "ycsb-a"
    case ycsbB = "ycsb-b"
    /// db_bench's name for `--threads N` connections reading while one writes.
    case readwhilewriting

    var summary: String {
        switch self {
        case .fillseq: "insert keys in order into an empty table, one row per transaction"
        case .fillrandom: "insert keys in random order into an empty table, one row per transaction"
        case .fillseqsync: "fillseq with synchronous=FULL (an fsync per commit), rows/100 rows"
        case .fillrandsync: "fillrandom with synchronous=FULL (an fsync per commit), rows/100 rows"
        case .fillseqbatch: "insert keys in order, 1,000 rows per transaction"
        case .overwrite: "INSERT OR REPLACE of random existing keys, one row per transaction"
        case .readrandom: "point reads of random keys, warm OS cache"
        case .readseq: "full scan in key order, one row per operation, warm OS cache"
        case .readrandomCold: "as many random reads as the table has pages, after posix_fadvise(DONTNEED), engine cache a tenth of the table"
        case .readseqCold: "readseq after posix_fadvise(DONTNEED), engine cache a tenth of the table"
        case .scanAggregate: "SELECT count(*), sum(length(v)) over the table, one query per operation"
        case .updateRandom: "UPDATE of random keys, one row per transaction"
        case .deleteRandom: "DELETE of rows/2 distinct random keys, one row per transaction"
        case .checkpoint: "one TRUNCATE checkpoint of a log holding every page of the table (operations are pages)"
        case .ycsbA: "YCSB A: 50% reads, 50% updates, zipfian keys"
        case .ycsbB: "YCSB B: 95% reads, 5% updates, zipfian keys"
        case .readwhilewriting: "--threads connections reading random keys while one connection updates"
        }
    }

    /// Runs on an empty table; the others run on a copy of a table filled with `rows` rows.
    var startsEmpty: Bool {
        switch self {
        case .fillseq, .fillrandom, .fillseqsync, .fillrandsync, .fillseqbatch: true
        default: false
        }
    }

    /// The fills that measure durable commits run at synchronous=FULL whatever `--sync` says.
    var forcesFullSync: Bool { self == .fillseqsync || self == .fillrandsync }

    /// The OS cache of the database file is evicted before the phase and the engine's cache is
    /// smaller than the data.
    var isCold: Bool { self == .readrandomCold || self == .readseqCold }

    /// Whether MB/s means something: key and value bytes moved (none for delete).
    var reportsBytes: Bool { self != .deleteRandom }

    /// Parses a comma-separated list; "all" means every workload.
    static func parseList(_ text: String) throws -> [Workload] {
        let names = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        if names == ["all"] { return allCases }
        return try names.map { name in
            guard let workload = Workload(rawValue: name) else {
                throw BenchError("unknown workload '\(name)'; expected 'all' or some of \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return workload
        }
    }
}

extension EngineKind {
    static func parseList(_ text: String) throws -> [EngineKind] {
        try text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.map { name in
            guard let engine = EngineKind(rawValue: name) else {
                throw BenchError("unknown engine '\(name)'; expected some of \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return engine
        }
    }
}
