import Synchronization

extension PagerShared {
    /// Opens (or creates) the database at `path`; `:memory:` makes a private in-memory database.
    /// A second open of a file this process already has open returns the same instance.
    ///
    /// In WAL mode the log (`path-wal`) is opened too, and every transaction committed in it is
    /// recovered: its frames are indexed and become what readers see.
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
                               usableSize: options.newDatabasePageSize, databaseSize: 0, options: memoryOptions,
                               journalMode: .off, wal: nil, walWriter: WALWriterState(), lockFile: nil)
        }
        let fileSystem = options.fileSystem
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
            try openNew(path: path, fileSystem: fileSystem, probe: probe, options: options)
        }
    }

    private static func openNew(path: String, fileSystem: any FileSystem, probe: StorageFile,
                                options: PagerOptions) throws(DatabaseError) -> PagerShared {
        let locked: Bool
        do { locked = try options.readOnly ? probe.tryLockShared() : probe.tryLockExclusive() } catch {
            throw DatabaseError.io(.SQLITE_IOERR_LOCK, error, "locking \(path)")
        }
        guard locked else {
            throw DatabaseError(.SQLITE_BUSY, "database is locked (another process has \(path) open)")
        }
        var fileSize: Int64
        do { fileSize = try probe.size() } catch {
            throw DatabaseError.io(.SQLITE_IOERR_FSTAT, error, "fstat \(path)")
        }
        if try isTornFirstPage(probe, fileSize: fileSize, walPath: path + "-wal", fileSystem: fileSystem, options: options) {
            // A new WAL database's first commit writes page 1 in place and makes it durable
            // before any frame; a crash during that write can leave one page of zeros, with
            // nothing committed anywhere. That is the empty database it was before.
            let backend = options.makeOpenBackend()
            for operation in [Completion.Operation.truncate(probe, length: 0), .sync(probe, dataOnly: true)] {
                let step = Completion(operation)
                backend.submit(step)
                backend.wait(for: step)
                if let error = step.error {
                    throw DatabaseError.io(.SQLITE_IOERR_TRUNCATE, error, "truncating the torn first page of \(path)")
                }
            }
            Log.log(.notice, "\(path): page 1 was torn by a crash in the database's first commit and nothing was committed; the empty file was restored")
            fileSize = 0
        }
        var pageSize = options.newDatabasePageSize
        var usableSize = pageSize
        var databaseSize: UInt32 = 0
        var headerSaysWAL = false
        if fileSize > 0 {
            let header = try readHeader(probe, fileSize: fileSize, backend: options.makeOpenBackend())
            pageSize = header.pageSize
            usableSize = header.usableSize
            databaseSize = header.trustedDatabaseSize ?? UInt32(clamping: fileSize / Int64(pageSize))
            headerSaysWAL = header.writeVersion == 2 || header.readVersion == 2
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

        let walPath = path + "-wal"
        var walWriter = WALWriterState()
        walWriter.random = SaltGenerator(seed: options.saltSeed)
        var wal: WALShared?
        var journalMode = options.journalMode
        if journalMode == .off && fileSystem.exists(walPath) {
            // A log may hold committed transactions that exist nowhere else; they must not be
            // ignored. (Converting such a database to journal_mode=OFF means checkpointing it in
            // WAL mode first.)
            let recovered = try recoverWAL(walPath, fileSystem: fileSystem, backend: options.makeOpenBackend(), pageSize: fileSize > 0 ? pageSize : nil, readOnly: options.readOnly)
            if recovered.result.maxFrame > 0 {
                journalMode = .wal
                Log.log(.notice, "\(path): its WAL holds committed transactions; opening in WAL mode")
            }
        }
        if headerSaysWAL && journalMode == .off {
            journalMode = .wal
        }
        if options.readOnly && !fileSystem.exists(walPath) {
            // Nothing to recover, and a read-only open cannot create a log: pages come from the
            // database file alone.
            journalMode = .off
        }
        if journalMode == .wal {
            let recovered = try recoverWAL(walPath, fileSystem: fileSystem, backend: options.makeOpenBackend(), pageSize: fileSize > 0 ? pageSize : nil, readOnly: options.readOnly)
            let result = recovered.result
            if result.maxFrame > 0 {
                databaseSize = result.databaseSize
                if fileSize == 0, let header = result.header {
                    // A new database whose pages are all still in the log.
                    pageSize = header.pageSize
                    usableSize = header.pageSize
                }
                walWriter.encoder = result.continuation
            } else if let header = result.header {
                walWriter.pendingHeader = header.restarted(using: &walWriter.random)
            }
            wal = WALShared(file: recovered.file, index: result.index)
            walWriter.databaseFileEmpty = fileSize == 0
            // sqlite3's -shm describes the log sqlite3 last saw; Ringlite keeps its index in
            // memory and holds the lock, so a stale -shm would only mislead the next sqlite3.
            if !options.readOnly && fileSystem.exists(path + "-shm") {
                try? fileSystem.remove(path + "-shm")
            }
        }
        return PagerShared(path: path, fileSystem: fileSystem, databaseFile: file, pageSize: pageSize, usableSize: usableSize,
                           databaseSize: databaseSize, options: options, journalMode: journalMode, wal: wal,
                           walWriter: walWriter, lockFile: probe)
    }

    private static func recoverWAL(_ walPath: String, fileSystem: any FileSystem, backend: any IOBackend, pageSize: Int?,
                                   readOnly: Bool) throws(DatabaseError) -> (file: StorageFile, result: WALRecoveryResult) {
        let walFile: StorageFile
        do {
            walFile = try fileSystem.open(walPath, options: FileOpenOptions(create: !readOnly, readOnly: readOnly))
        } catch {
            throw DatabaseError(.SQLITE_CANTOPEN, "unable to open the write-ahead log \(walPath): \(error)")
        }
        do {
            let result = try WALRecovery.scan(walFile, backend: backend, databasePageSize: pageSize)
            return (walFile, result)
        } catch {
            switch error {
            case .io(let errno):
                throw DatabaseError.io(.SQLITE_IOERR_READ, errno, "reading the write-ahead log \(walPath)")
            case .unsupportedVersion(let version):
                throw DatabaseError(.SQLITE_CANTOPEN, "unable to open database file: unsupported WAL format version \(version)")
            case .pageSizeMismatch(let walPageSize, let databasePageSize):
                throw DatabaseError.corrupt(page: 1, "the WAL's page size \(walPageSize) differs from the database's \(databasePageSize)")
            }
        }
    }

    /// True for a file that is at most one page of zeros in its header and beside no log
    /// holding a commit: what a crash in a new WAL database's first commit leaves.
    private static func isTornFirstPage(_ file: StorageFile, fileSize: Int64, walPath: String, fileSystem: any FileSystem,
                                        options: PagerOptions) throws(DatabaseError) -> Bool {
        guard fileSize > 0 && fileSize <= 65536 && !options.readOnly else { return false }
        let buffer = IOBuffer.allocate(count: DatabaseHeader.size)
        let read = Completion(.read(file, buffer, offset: 0))
        let backend = options.makeOpenBackend()
        backend.submit(read)
        backend.wait(for: read)
        if let error = read.error { throw DatabaseError.io(.SQLITE_IOERR_READ, error, "reading the header of \(file.path)") }
        guard read.bytesTransferred == DatabaseHeader.size, buffer.bytes.allSatisfy({ $0 == 0 }) else { return false }
        guard fileSystem.exists(walPath) else { return true }
        let recovered = try recoverWAL(walPath, fileSystem: fileSystem, backend: backend, pageSize: nil, readOnly: true)
        return recovered.result.maxFrame == 0
    }

    private static func readHeader(_ file: StorageFile, fileSize: Int64, backend: any IOBackend) throws(DatabaseError) -> DatabaseHeader {
        let buffer = IOBuffer.allocate(count: DatabaseHeader.size)
        let read = Completion(.read(file, buffer, offset: 0))
        backend.submit(read)
        backend.wait(for: read)
        if let error = read.error { throw DatabaseError.io(.SQLITE_IOERR_READ, error, "reading the header of \(file.path)") }
        guard read.bytesTransferred == DatabaseHeader.size else {
            throw DatabaseError(.SQLITE_NOTADB, "file is not a database (\(fileSize) bytes)")
        }
        return try DatabaseHeader(parsing: UnsafeRawBufferPointer(buffer.bytes))
    }
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
            // Entries of databases closed since go now: a process that opens many files over
            // its life (a service, a fuzzer: each input a new file) would keep one per file.
            table = table.filter { $0.value.value != nil }
            let created = try create()
            table[identity] = WeakShared(value: created)
            return created
        }
    }

    /// Entries in the table, live or not yet pruned (tests).
    var count: Int { open.withLock { $0.count } }
}
