/// When commits wait for the disk (SQLite's PRAGMA synchronous).
package enum SynchronousMode: Int, Sendable, CaseIterable {
    /// Never fsync: fastest; a power loss may lose or corrupt recent commits.
    case off = 0
    /// fsync at checkpoints only (WAL): a power loss may lose the latest commits, never corrupt.
    case normal = 1
    /// fsync at every commit: an acknowledged commit survives a power loss.
    case full = 2
}

/// How the pager makes changes durable (SQLite's PRAGMA journal_mode).
package enum JournalMode: String, Sendable {
    /// Commits append to the write-ahead log; checkpoints copy it back. The default.
    case wal
    /// No journal: commits write pages straight into the database file. A crash or an error in the
    /// middle of a commit can corrupt the database, as with SQLite's journal_mode=OFF.
    case off
}

/// How a database is opened.
package struct PagerOptions: Sendable {
    /// The IO backend asked for; nil means `RINGLITE_IO`, else io_uring where it works.
    package var io: IOBackendKind?
    /// Files and backends other than the real file system's (simulation tests); when set, `io`
    /// is not consulted.
    package var environment: (any IOEnvironment)?
    /// Open the database file with O_DIRECT (the WAL stays buffered: its frames are not aligned).
    package var direct = false
    /// Page cache capacity of each connection, in pages. Nil: about 2 MiB of pages, like SQLite's
    /// default cache_size of -2000.
    package var cachePages: Int?
    package var synchronous: SynchronousMode = .full
    package var journalMode: JournalMode = .wal
    /// How long a writer waits for another writer before SQLITE_BUSY, in milliseconds.
    package var busyTimeoutMilliseconds = 5000
    package var readOnly = false
    /// Page size of a new database.
    package var newDatabasePageSize = 4096
    /// Shortens or fails transfers (tests).
    package var faultInjector: (@Sendable (FaultPoint) -> FaultAction?)?
    /// Checkpoint automatically (PASSIVE) after a commit that leaves the WAL at least this many
    /// frames long; 0 turns it off. SQLite's default is 1000.
    package var autoCheckpointFrames = 1000
    /// Checkpoint and remove the WAL when the database closes, as sqlite3 does.
    package var checkpointOnClose = true
    /// Seeds the WAL salts, so simulation runs replay byte for byte; nil uses the system's
    /// random numbers.
    package var saltSeed: UInt64?

    package init() {}

    /// The cache capacity in pages for a page size.
    package func cacheCapacity(pageSize: Int) -> Int {
        max(16, cachePages ?? (2_048_000 / pageSize))
    }
}
