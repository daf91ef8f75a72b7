#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// What the connections of one database share: its files, its buffer pool, the WAL and its index,
/// the writer and checkpoint locks, the active readers' snapshots, and the committed state. One
/// per database file per process (`open` hands back the same instance for a second open of the
/// same file); each connection has its own `Pager` on top.
///
/// All mutable shared state sits in one `Mutex` (`state`); the WAL index has its own lock, always
/// taken inside this one, never the other way round.
package final class PagerShared: Sendable {
    package let path: String
    package let fileSystem: any FileSystem
    package let databaseFile: StorageFile
    package let pool: BufferPool
    package let pageSize: Int
    package let usableSize: Int
    package let options: PagerOptions
    package let io: IOSelection
    /// The journal mode in effect (memory databases always use OFF).
    package let journalMode: JournalMode
    /// The write-ahead log, in WAL mode.
    package let wal: WALShared?
    /// The descriptor holding the OFD lock (the database file itself unless O_DIRECT needed a
    /// second one); nil for memory databases.
    let lockFile: StorageFile?

    package struct Committed: Sendable {
        /// Database size in pages after the last commit.
        package var databaseSize: UInt32
        /// Increases with every commit by any connection; a connection whose cache was filled at
        /// an older sequence must not trust it.
        package var sequence: UInt64
        /// Set when a commit failed in a way that may have left the files inconsistent (an fsync
        /// failed): the handle refuses writes until the database is reopened.
        package var poisoned: DatabaseError?
    }

    /// An active read transaction's place in the WAL.
    struct ReaderMark {
        var generation: UInt64
        /// The last committed frame when it began: it reads no frame above this.
        var frame: UInt32
        /// Every committed frame was already in the database file when it began, so it reads the
        /// database file only and never the WAL's bytes.
        var ignoresWAL: Bool
    }

    struct State {
        var committed: Committed
        var writer: ObjectIdentifier?
        var checkpointer: ObjectIdentifier?
        var readers: [ObjectIdentifier: ReaderMark] = [:]
        var walWriter = WALWriterState()
    }

    let state: Mutex<State>

    init(path: String, fileSystem: any FileSystem, databaseFile: StorageFile, pageSize: Int, usableSize: Int,
         databaseSize: UInt32, options: PagerOptions, journalMode: JournalMode, wal: WALShared?,
         walWriter: WALWriterState, lockFile: StorageFile?) {
        self.path = path
        self.fileSystem = fileSystem
        self.databaseFile = databaseFile
        self.pageSize = pageSize
        self.usableSize = usableSize
        self.options = options
        self.journalMode = journalMode
        self.wal = wal
        self.lockFile = lockFile
        self.pool = BufferPool(pageSize: pageSize)
        self.io = IOSelection.resolve(requested: path == ":memory:" ? .memory : options.io)
        var initial = State(committed: Committed(databaseSize: databaseSize, sequence: 1, poisoned: nil))
        initial.walWriter = walWriter
        self.state = Mutex(initial)
    }

    deinit {
        // Closing the descriptor would release the lock too; unlocking first says so explicitly.
        try? lockFile?.unlock()
    }

    // MARK: Committed state

    package var committed: Committed { state.withLock { $0.committed } }

    /// Marks the handle unusable for writes after a failed commit.
    package func poison(_ error: DatabaseError) {
        state.withLock { state in
            if state.committed.poisoned == nil { state.committed.poisoned = error }
        }
    }

    /// The page number of the lock-byte page (the page holding byte offset 1 GiB), never used.
    package var lockBytePage: UInt32 { UInt32(0x4000_0000 / pageSize) + 1 }

    // MARK: Locks

    /// Calls `attempt` until it returns true or the busy timeout has passed, sleeping between tries
    /// with SQLite's default busy-handler delays. Returns whether it succeeded.
    func retryUntilBusyTimeout(_ attempt: () -> Bool) -> Bool {
        var waitedMilliseconds = 0
        let delays = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]
        var tries = 0
        while true {
            if attempt() { return true }
            if waitedMilliseconds >= options.busyTimeoutMilliseconds { return false }
            let delay = min(delays[min(tries, delays.count - 1)], options.busyTimeoutMilliseconds - waitedMilliseconds)
            usleep(UInt32(max(delay, 1)) * 1000)
            waitedMilliseconds += delay
            tries += 1
        }
    }

    /// Takes the writer lock for `owner`, waiting up to the busy timeout. Returns false on timeout.
    package func acquireWriter(_ owner: ObjectIdentifier) -> Bool {
        retryUntilBusyTimeout {
            state.withLock { state -> Bool in
                precondition(state.writer != owner, "a connection takes the writer lock once")
                if state.writer == nil {
                    state.writer = owner
                    return true
                }
                return false
            }
        }
    }

    package func releaseWriter(_ owner: ObjectIdentifier) {
        state.withLock { state in
            precondition(state.writer == owner, "the writer lock is released by its holder")
            state.writer = nil
        }
    }
}
