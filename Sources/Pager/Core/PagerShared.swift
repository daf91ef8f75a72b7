#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// What the connections of one database share: its files, its buffer pool, the writer lock and the
/// committed state. One per database file per process (`open` hands back the same instance for a
/// second open of the same file); each connection has its own `Pager` on top.
package final class PagerShared: Sendable {
    package let path: String
    package let fileSystem: any FileSystem
    package let databaseFile: StorageFile
    package let pool: BufferPool
    package let pageSize: Int
    package let usableSize: Int
    package let options: PagerOptions
    package let io: IOSelection
    /// The descriptor holding the OFD lock (the database file itself unless O_DIRECT needed a
    /// second one); nil for memory databases.
    private let lockFile: StorageFile?

    package struct Committed: Sendable {
        /// Database size in pages after the last commit.
        package var databaseSize: UInt32
        /// Increases with every commit by any connection; a connection whose cache was filled at
        /// an older sequence must not trust it.
        package var sequence: UInt64
        /// Set when a commit failed partway (a write or an fsync): the handle refuses writes.
        package var poisoned: DatabaseError?
    }

    private struct State {
        var committed: Committed
        var writer: ObjectIdentifier?
    }

    private let state: Mutex<State>

    private init(path: String, fileSystem: any FileSystem, databaseFile: StorageFile, pageSize: Int,
                 usableSize: Int, databaseSize: UInt32, options: PagerOptions, lockFile: StorageFile?) {
        self.path = path
        self.fileSystem = fileSystem
        self.databaseFile = databaseFile
        self.pageSize = pageSize
        self.usableSize = usableSize
        self.options = options
        self.lockFile = lockFile
        self.pool = BufferPool(pageSize: pageSize)
        self.io = IOSelection.resolve(requested: path == ":memory:" ? .memory : options.io)
        self.state = Mutex(State(committed: Committed(databaseSize: databaseSize, sequence: 1, poisoned: nil), writer: nil))
    }

    deinit {
        // Closing the descriptor would release the lock too; unlocking first says so explicitly.
        try? lockFile?.unlock()
    }

    // MARK: Opening

    /// Opens (or creates) the database at `path`; `:memory:` makes a private in-memory database.
    /// A second open of a file this process already has open returns the same instance.
    package static func open(path: String, options: PagerOptions) throws(DatabaseError) -> PagerShared {
        if path == ":memory:" {
            let fileSystem = MemoryFileSystem()
            let file: StorageFile
            do { file = try fileSystem.open(path, options: FileOpenOptions()) } catch {
                throw DatabaseError.io(.SQLITE_CANTOPEN, error, "creating the memory database")
            }
            var memoryOptions = options
            memoryOptions.direct = false
            return PagerShared(path: path, fileSystem: fileSystem, databaseFile: file, pageSize: options.newDatabasePageSize,
                               usableSize: options.newDatabasePageSize, databaseSize: 0, options: memoryOptions, lockFile: nil)
        }
        let fileSystem = PosixFileSystem()
        // The header is read through a buffered descriptor: a 100-byte read is not O_DIRECT-aligned.
        let probe: StorageFile
        do {
            probe = try fileSystem.open(path, options: FileOpenOptions(create: !options.readOnly, readOnly: options.readOnly))
        } catch {
            throw DatabaseError(.SQLITE_CANTOPEN, "unable to open database file \(path): \(error)")
        }
        let identity: FileIdentity
        do { identity = try probe.identity() } catch {
            throw DatabaseError.io(.SQLITE_IOERR_FSTAT, error, "fstat \(path)")
        }
        return try OpenDatabases.shared.open(identity) { () throws(DatabaseError) -> PagerShared in
            try openNew(path: path, fileSystem: fileSystem, probe: probe, identity: identity, options: options)
        }
    }

    private static func openNew(path: String, fileSystem: PosixFileSystem, probe: StorageFile, identity: FileIdentity,
                                options: PagerOptions) throws(DatabaseError) -> PagerShared {
        let locked: Bool
        do { locked = try options.readOnly ? probe.tryLockShared() : probe.tryLockExclusive() } catch {
            throw DatabaseError.io(.SQLITE_IOERR_LOCK, error, "locking \(path)")
        }
        guard locked else {
            throw DatabaseError(.SQLITE_BUSY, "database is locked (another process has \(path) open)")
        }
        let fileSize: Int64
        do { fileSize = try probe.size() } catch {
            throw DatabaseError.io(.SQLITE_IOERR_FSTAT, error, "fstat \(path)")
        }
        var pageSize = options.newDatabasePageSize
        var usableSize = pageSize
        var databaseSize: UInt32 = 0
        if fileSize > 0 {
            let header = try readHeader(probe, fileSize: fileSize)
            pageSize = header.pageSize
            usableSize = header.usableSize
            databaseSize = header.trustedDatabaseSize ?? UInt32(clamping: fileSize / Int64(pageSize))
            if header.largestRootPage != 0 && !options.readOnly {
                throw DatabaseError(.SQLITE_CANTOPEN, "\(path) is an auto_vacuum database; Ringlite opens those read-only (its pointer-map pages are not maintained)")
            }
        }
        // The OFD lock belongs to the probe's open file description and lasts while it stays open.
        // With O_DIRECT, IO goes through a second descriptor and the probe is kept for its lock.
        var file = probe
        if options.direct {
            do {
                file = try fileSystem.open(path, options: FileOpenOptions(create: false, readOnly: options.readOnly, direct: true))
            } catch {
                throw DatabaseError(.SQLITE_CANTOPEN, "unable to open \(path) with O_DIRECT: \(error)")
            }
        }
        return PagerShared(path: path, fileSystem: fileSystem, databaseFile: file, pageSize: pageSize, usableSize: usableSize,
                           databaseSize: databaseSize, options: options, lockFile: probe)
    }

    private static func readHeader(_ file: StorageFile, fileSize: Int64) throws(DatabaseError) -> DatabaseHeader {
        let buffer = IOBuffer.allocate(count: DatabaseHeader.size)
        let backend = SyscallIO()
        let read = Completion(.read(file, buffer, offset: 0))
        backend.submit(read)
        backend.wait(for: read)
        if let error = read.error { throw DatabaseError.io(.SQLITE_IOERR_READ, error, "reading the header of \(file.path)") }
        guard read.bytesTransferred == DatabaseHeader.size else {
            throw DatabaseError(.SQLITE_NOTADB, "file is not a database (\(fileSize) bytes)")
        }
        return try DatabaseHeader(parsing: UnsafeRawBufferPointer(buffer.bytes))
    }

    // MARK: Committed state and the writer lock

    package var committed: Committed { state.withLock { $0.committed } }

    /// Takes the writer lock for `owner`, waiting up to the busy timeout. Returns false on timeout.
    package func acquireWriter(_ owner: ObjectIdentifier) -> Bool {
        var waitedMilliseconds = 0
        let delays = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100]
        var attempt = 0
        while true {
            let taken = state.withLock { state -> Bool in
                precondition(state.writer != owner, "a connection takes the writer lock once")
                if state.writer == nil {
                    state.writer = owner
                    return true
                }
                return false
            }
            if taken { return true }
            if waitedMilliseconds >= options.busyTimeoutMilliseconds { return false }
            let delay = min(delays[min(attempt, delays.count - 1)], options.busyTimeoutMilliseconds - waitedMilliseconds)
            usleep(UInt32(delay) * 1000)
            waitedMilliseconds += delay
            attempt += 1
        }
    }

    package func releaseWriter(_ owner: ObjectIdentifier) {
        state.withLock { state in
            precondition(state.writer == owner, "the writer lock is released by its holder")
            state.writer = nil
        }
    }

    /// Publishes a commit: new readers see `databaseSize` and invalidate caches older than the
    /// returned sequence.
    package func publishCommit(databaseSize: UInt32, by owner: ObjectIdentifier) -> UInt64 {
        state.withLock { state in
            precondition(state.writer == owner, "only the writer publishes a commit")
            state.committed.databaseSize = databaseSize
            state.committed.sequence += 1
            return state.committed.sequence
        }
    }

    /// Marks the handle unusable for writes after a failed commit.
    package func poison(_ error: DatabaseError) {
        state.withLock { state in
            if state.committed.poisoned == nil { state.committed.poisoned = error }
        }
    }

    /// The page number of the lock-byte page (the page holding byte offset 1 GiB), never used.
    package var lockBytePage: UInt32 { UInt32(0x4000_0000 / pageSize) + 1 }
}

/// The databases this process has open, by file identity, so a second open of one file shares the
/// first's state (and its lock) instead of failing to lock against itself.
final class OpenDatabases: Sendable {
    static let shared = OpenDatabases()

    private struct WeakShared { weak var value: PagerShared? }
    private let open = Mutex<[FileIdentity: WeakShared]>([:])

    func open(_ identity: FileIdentity, create: () throws(DatabaseError) -> PagerShared) throws(DatabaseError) -> PagerShared {
        // Creation happens under the lock so two threads opening one file cannot both lock it.
        try open.withLock { (table) throws(DatabaseError) -> PagerShared in
            if let existing = table[identity]?.value { return existing }
            let created = try create()
            table[identity] = WeakShared(value: created)
            return created
        }
    }
}
