import Pager
import SQL
import Synchronization

/// A database file, opened once per process and shared by any number of connections.
///
/// **Threads.** `Database` is `Sendable`: create it once and hand it to every thread or task
/// that needs it; each of them makes its own ``Connection`` (a connection is used by one thread
/// at a time). Connections of one database see each other's commits; one writes at a time. A second `Database` for the same file in the same
/// process shares the first one's state (they are the same database). While a process has the
/// database open, other processes (Ringlite or sqlite3) get "database is locked".
///
/// ```swift
/// let database = try Database(path: "app.db")
/// let connection = try database.connection()
/// try connection.execute("CREATE TABLE IF NOT EXISTS notes(id INTEGER PRIMARY KEY, body TEXT)")
/// ```
public final class Database: Sendable {
    /// How a database is opened.
    ///
    /// ```swift
    /// var options = Database.Options()
    /// options.ioBackend = .syscall
    /// options.synchronous = .normal
    /// let database = try Database(path: "app.db", options: options)
    /// ```
    public struct Options: Sendable {
        /// Which IO backend connections use.
        ///
        /// ```swift
        /// options.ioBackend = .syscall
        /// ```
        public enum IOBackend: String, Sendable, CaseIterable {
            /// io_uring: operations batched, many in flight at once (the default where it works).
            case uring
            /// Plain pread/pwrite/fdatasync.
            case syscall
            /// In-memory files (what `:memory:` uses).
            case memory
        }

        /// When commits wait for the disk (SQLite's PRAGMA synchronous).
        ///
        /// ```swift
        /// options.synchronous = .off
        /// ```
        public enum Synchronous: Int, Sendable {
            /// Never fsync. Fastest; a power loss may lose or corrupt recent commits.
            case off = 0
            /// fsync at checkpoints only: a power loss may lose the latest commits, never corrupt.
            case normal = 1
            /// fsync at every commit: an acknowledged commit survives a power loss.
            case full = 2
        }

        /// How changes reach the file (SQLite's PRAGMA journal_mode).
        ///
        /// ```swift
        /// options.journalMode = .off
        /// ```
        public enum JournalMode: String, Sendable {
            /// Write-ahead log (the default): atomic, durable commits; readers never block the writer.
            case wal
            /// No journal: pages are written in place at commit (not crash-safe).
            case off
        }

        /// The IO backend; nil means the `RINGLITE_IO` environment variable, else io_uring where
        /// this machine allows it (syscalls otherwise).
        ///
        /// ```swift
        /// options.ioBackend = .uring
        /// ```
        public var ioBackend: IOBackend?
        /// When commits wait for the disk; `.full` by default, as in SQLite.
        ///
        /// ```swift
        /// options.synchronous = .normal
        /// ```
        public var synchronous: Synchronous = .full
        /// WAL (the default) or no journal.
        ///
        /// ```swift
        /// options.journalMode = .wal
        /// ```
        public var journalMode: JournalMode = .wal
        /// Open the database file with O_DIRECT, bypassing the OS page cache.
        ///
        /// ```swift
        /// options.directIO = true
        /// ```
        public var directIO = false
        /// Each connection's page cache, in pages; nil is about 2 MiB, like SQLite's default.
        ///
        /// ```swift
        /// options.cacheSize = 10_000
        /// ```
        public var cacheSize: Int?
        /// How long a connection waits for another connection's write transaction to end before
        /// failing with `.busy` (sqlite3_busy_timeout; PRAGMA busy_timeout reports it). Five
        /// seconds by default; `.zero` fails at once.
        ///
        /// ```swift
        /// options.busyTimeout = .milliseconds(250)
        /// ```
        public var busyTimeout: Duration = .seconds(5)
        /// Open the file for reading only: every write fails with `.readOnly`.
        ///
        /// ```swift
        /// options.readOnly = true
        /// ```
        public var readOnly = false
        /// Checkpoint after a commit leaves the WAL at least this many frames long (0: never).
        ///
        /// ```swift
        /// options.autoCheckpointFrames = 0   // checkpoint only when asked
        /// ```
        public var autoCheckpointFrames = 1000
        /// Checkpoint and remove the WAL when the last `Database` for the file goes away.
        ///
        /// ```swift
        /// options.checkpointOnClose = false
        /// ```
        public var checkpointOnClose = true
        /// Page size of a new database file (a power of two from 512 to 65536).
        ///
        /// ```swift
        /// options.pageSize = 8192
        /// ```
        public var pageSize = 4096

        /// SQLite's defaults: WAL, synchronous FULL, 4 KiB pages, a 5-second busy timeout.
        ///
        /// ```swift
        /// let options = Database.Options()
        /// ```
        public init() {}

        var pagerOptions: PagerOptions {
            var options = PagerOptions()
            options.io = ioBackend.map { IOBackendKind(rawValue: $0.rawValue)! }
            options.synchronous = SynchronousMode(rawValue: synchronous.rawValue)!
            options.journalMode = journalMode == .wal ? .wal : .off
            options.direct = directIO
            options.cachePages = cacheSize
            let (seconds, attoseconds) = busyTimeout.components
            options.busyTimeoutMilliseconds = Int(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000)
            options.readOnly = readOnly
            options.autoCheckpointFrames = autoCheckpointFrames
            options.checkpointOnClose = checkpointOnClose
            options.newDatabasePageSize = pageSize
            return options
        }
    }

    /// The path the database was opened with (`:memory:` for an in-memory database).
    ///
    /// ```swift
    /// try Database(path: "app.db").path   // "app.db"
    /// ```
    public let path: String
    /// The options it was opened with.
    ///
    /// ```swift
    /// print(database.options.busyTimeout)
    /// ```
    public let options: Options
    let shared: PagerShared

    /// Opens the database at `path`, creating it if needed; `:memory:` opens a private in-memory
    /// database. Recovers every transaction committed in the write-ahead log.
    ///
    /// ```swift
    /// let database = try Database(path: "/var/lib/app/app.db")
    /// ```
    ///
    /// - Throws: ``DatabaseError`` with `.busy` when another process has the file open,
    ///   `.notADatabase` for a file that is not an SQLite database, `.cantOpen` when it cannot be
    ///   opened.
    public convenience init(path: String, options: Options = Options()) throws(DatabaseError) {
        try self.init(path: path, options: options, environment: nil, saltSeed: nil)
    }

    /// Opens the database on a machine other than the real one: `environment` holds its files
    /// and makes its IO backends (the simulator opens databases on a `SimulatedEnvironment`),
    /// and `saltSeed` fixes the WAL salts, so a seeded run replays byte for byte.
    package init(path: String, options: Options, environment: (any IOEnvironment)?, saltSeed: UInt64?) throws(DatabaseError) {
        self.path = path
        self.options = options
        var pagerOptions = options.pagerOptions
        pagerOptions.environment = environment
        pagerOptions.saltSeed = saltSeed
        do {
            shared = try PagerShared.open(path: path, options: pagerOptions)
        } catch {
            throw DatabaseError(error)
        }
        DatabaseOwners.shared.retain(shared)
    }

    deinit {
        if DatabaseOwners.shared.release(shared) && options.checkpointOnClose {
            closeLog()
        }
    }

    /// A new connection to this database.
    ///
    /// ```swift
    /// let connection = try database.connection()
    /// ```
    public func connection() throws(DatabaseError) -> Connection {
        try Connection(database: self)
    }

    /// The IO backend connections actually use (io_uring falls back to syscalls where it is
    /// unavailable; ``ioFallbackReason`` says why).
    ///
    /// ```swift
    /// print(database.ioBackend)   // uring
    /// ```
    public var ioBackend: Options.IOBackend { Options.IOBackend(rawValue: shared.io.kind.rawValue)! }

    /// Why io_uring was asked for and syscalls are used instead, if that happened.
    ///
    /// ```swift
    /// if let reason = database.ioFallbackReason { print("using syscalls: \(reason)") }
    /// ```
    public var ioFallbackReason: String? { shared.io.fallbackReason }

    /// The journal mode in effect (a database whose log holds transactions opens in WAL mode).
    ///
    /// ```swift
    /// database.journalMode   // .wal
    /// ```
    public var journalMode: Options.JournalMode { shared.journalMode == .wal ? .wal : .off }

    /// Why the handle refuses writes, when a commit's fsync failed (reopening recovers); the
    /// simulator asks, to know that a commit's outcome can only be learnt from a reopen.
    package var poisonedBy: DatabaseError? {
        shared.committed.poisoned.map { DatabaseError($0) }
    }

    /// What sqlite3 does when its last connection closes: checkpoint the whole log into the
    /// database file and remove it, so the file stands alone. Left as it is when a reader or
    /// writer elsewhere in the process still uses it.
    private func closeLog() {
        guard shared.wal != nil, !options.readOnly else { return }
        let pager = Pager(shared: shared)
        guard let result = try? pager.checkpoint(.truncate), !result.busy else { return }
        try? shared.fileSystem.remove(path + "-wal")
    }
}

/// How many `Database` objects share each open file, so the last one to go closes the log.
final class DatabaseOwners: Sendable {
    static let shared = DatabaseOwners()
    private let counts = Mutex<[ObjectIdentifier: Int]>([:])

    func retain(_ shared: PagerShared) {
        counts.withLock { $0[ObjectIdentifier(shared), default: 0] += 1 }
    }

    /// Returns true when that was the last owner.
    func release(_ shared: PagerShared) -> Bool {
        counts.withLock { counts in
            let key = ObjectIdentifier(shared)
            let remaining = (counts[key] ?? 1) - 1
            counts[key] = remaining > 0 ? remaining : nil
            return remaining == 0
        }
    }
}

extension Database {
    /// sqlite3_complete: true when `sql` ends with a complete statement (its last token is a
    /// semicolon outside any string, comment or unfinished CREATE TRIGGER). It does not check
    /// that the statement parses; shells use it to know when to stop reading lines.
    ///
    /// ```swift
    /// Database.isComplete("SELECT 1")    // false
    /// Database.isComplete("SELECT 1;")   // true
    /// ```
    public static func isComplete(_ sql: String) -> Bool {
        SQLParser.isComplete(sql)
    }

    /// sqlite3_keyword_check: true when `name` is one of SQLite's keywords (any case), so it
    /// must be quoted to be used as a name.
    ///
    /// ```swift
    /// Database.isKeyword("select")   // true
    /// Database.isKeyword("notes")    // false
    /// ```
    public static func isKeyword(_ name: String) -> Bool {
        Keywords.lookup(name) != nil
    }
}
