/// The engines `bench sql` compares, each reached the way an application would reach it:
/// Ringlite through its public API (once per IO backend) and SQLite through libsqlite3.
enum EngineKind: String, CaseIterable, Codable, Sendable {
    case ringliteURing = "ringlite-uring"
    case ringliteSyscall = "ringlite-syscall"
    case sqlite

    /// Opens one connection to the database at `path`, creating the file if needed.
    func connect(path: String, config: EngineConfig) throws -> any BenchConnection {
        switch self {
        case .ringliteURing: try RingliteConnection(path: path, config: config, backend: .uring)
        case .ringliteSyscall: try RingliteConnection(path: path, config: config, backend: .syscall)
        case .sqlite: try SQLiteConnection(path: path, config: config)
        }
    }
}

/// When commits wait for the disk; the same meaning for every engine (SQLite's PRAGMA synchronous
/// in WAL mode: FULL syncs the log at every commit, NORMAL at checkpoints only).
enum SyncMode: String, CaseIterable, Codable, Sendable {
    case full, normal, off
}

/// How a connection is opened. Every engine gets the same values: WAL mode, this synchronous mode,
/// this cache size in pages, this page size for a new file.
struct EngineConfig: Sendable, Equatable {
    var sync: SyncMode
    var cachePages: Int
    var pageSize: Int
    /// O_DIRECT on the database file (Ringlite only: SQLite has no such switch).
    var direct: Bool
    /// Checkpoint automatically after 1000 log frames (both engines' default); off for the
    /// checkpoint workload, which measures one checkpoint of a long log.
    var autoCheckpoint = true
}

/// One connection of one engine with the benchmark's statements, each prepared on first use and
/// then reused, so the per-operation work is bind, step, reset in every engine.
///
/// The SQL is the same text for every engine:
/// `CREATE TABLE IF NOT EXISTS kv(k INTEGER PRIMARY KEY, v BLOB)` and point statements on `k`.
protocol BenchConnection: AnyObject {
    func createTable() throws
    func begin() throws
    func commit() throws
    /// `INSERT INTO kv(k, v) VALUES (?, ?)`.
    func insert(key: Int64, value: [UInt8]) throws
    /// `INSERT OR REPLACE INTO kv(k, v) VALUES (?, ?)`: db_bench's overwrite.
    func replace(key: Int64, value: [UInt8]) throws
    /// `SELECT v FROM kv WHERE k = ?`: the value's length, nil when there is no such row.
    func read(key: Int64) throws -> Int?
    /// `UPDATE kv SET v = ? WHERE k = ?`: rows changed.
    func update(key: Int64, value: [UInt8]) throws -> Int64
    /// `DELETE FROM kv WHERE k = ?`: rows changed.
    func delete(key: Int64) throws -> Int64
    /// Starts `SELECT k, v FROM kv` (rowid order).
    func startScan() throws
    /// The next scanned row's value length; nil at the end (the scan is then reset).
    func nextScanRow() throws -> Int?
    /// `SELECT count(*), sum(length(v)) FROM kv`.
    func aggregate() throws -> (count: Int64, bytes: Int64)
    /// A TRUNCATE checkpoint: the whole log copied into the database file, the log emptied.
    func checkpoint() throws
    /// Finalizes the statements and closes the connection (the last one checkpoints the log
    /// into the file and removes it, in both engines).
    func close()
}

/// The SQL every engine runs, in one place so the engines cannot drift apart.
enum BenchSQL {
    static let createTable = "CREATE TABLE IF NOT EXISTS kv(k INTEGER PRIMARY KEY, v BLOB)"
    static let insert = "INSERT INTO kv(k, v) VALUES (?, ?)"
    static let replace = "INSERT OR REPLACE INTO kv(k, v) VALUES (?, ?)"
    static let read = "SELECT v FROM kv WHERE k = ?"
    static let update = "UPDATE kv SET v = ? WHERE k = ?"
    static let delete = "DELETE FROM kv WHERE k = ?"
    static let scan = "SELECT k, v FROM kv"
    static let aggregate = "SELECT count(*), sum(length(v)) FROM kv"
    static let begin = "BEGIN"
    static let commit = "COMMIT"
}

/// A failure the benchmark reports as it is, with the engine's own message.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
