/// Writing frames to the log: at commit, and before it when a transaction outgrows the page cache
/// (spilling dirty pages as frames that are not yet committed).
extension Pager {
    /// Frame runs (contiguous frame buffers) in flight at once while writing frames.
    static let runsInFlight = 8

    /// WAL mode commit: every dirty page becomes a frame, the last one the commit frame.
    func commitToLog() throws(DatabaseError) {
        var dirty = cache.dirtySlots()
        if dirty.isEmpty {
            // Only spilled pages changed (or the size): the commit frame needs a page; page 1 is
            // as good as any, as in SQLite.
            let page1 = try page(1)
            makeWritable(page1)
            release(page1)
            dirty = cache.dirtySlots()
        }
        let lastFrame = try writeFrames(dirty, commitSize: databaseSize)
        if shared.options.synchronous == .full {
            try sync(shared.wal!.file, "fsync of \(shared.wal!.file.path)")
        }
        for slot in dirty { cache.markClean(slot) }
        publish(frame: lastFrame)
        endWrite()
        autoCheckpoint()
    }

    /// Writes `slots` (dirty pages) as the next frames of the log, the last with `commitSize`
    /// (0: not a commit). Frames are built in pool frame runs and each run goes out in one write,
    /// several in flight at once; returns the last frame's number once every write has completed.
    /// On failure the frames of this call are forgotten (the transaction stays open: its caller
    /// rolls it back) and the error thrown.
    @discardableResult
    func writeFrames(_ slots: [Int32], commitSize: UInt32) throws(DatabaseError) -> UInt32 {
        precondition(!slots.isEmpty, "writing no frames")
        let wal = shared.wal!
        var encoder = try prepareLogForWriting()
        let framesBefore = wal.index.maxFrame
        let headerWritten = pendingHeaderToWrite
        let pool = shared.pool
        var inFlight: [(Completion, IOBuffer)] = []
        var failure: Errno?
        var lastFrame: UInt32 = 0
        var next = 0

        // A new or restarted log begins with its header, which must be durable before any frame
        // is written (SQLite's syncHeader): a restarted log's frames overwrite the old log's, and
        // if a crash kept some of them under the old header, recovery would replay an older
        // commit (already checkpointed) over a database file that holds newer ones.
        if case .some(let header) = pendingHeaderToWrite {
            do throws(DatabaseError) {
                try writeHeader(header, to: wal.file)
            } catch {
                wal.index.truncate(toFrame: framesBefore)
                shared.state.withLock { state in
                    state.walWriter.encoder = nil
                    state.walWriter.pendingHeader = header
                }
                transactionEncoder = nil
                throw error
            }
            pendingHeaderToWrite = nil
        }
        while next < slots.count || !inFlight.isEmpty {
            while next < slots.count && inFlight.count < Self.runsInFlight && failure == nil {
                let run = pool.takeFrameRun()
                let count = min(pool.framesPerRun, slots.count - next)
                let firstFrame = encoder.nextFrame
                for k in 0..<count {
                    let slot = slots[next + k]
                    let pgno = cache.pgno(slot)
                    (run.base + k * pool.frameSize + WALFrameHeader.size)
                        .copyMemory(from: cache.buffer(slot).base, byteCount: pageSize)
                    let isLast = next + k == slots.count - 1
                    let frame = encoder.encode(run: run, slot: k, pageNumber: pgno, commitSize: isLast ? commitSize : 0)
                    let indexed = wal.index.append(page: pgno)
                    precondition(indexed == frame, "the WAL index numbers frames as the encoder does (\(indexed) vs \(frame))")
                    lastFrame = frame
                }
                let write = Completion(.write(wal.file, run.slice(offset: 0, count: count * pool.frameSize),
                                              offset: WALFrame.offset(ofFrame: firstFrame, pageSize: pageSize)))
                backend.submit(write)
                inFlight.append((write, run))
                next += count
            }
            if failure != nil && next < slots.count { next = slots.count }
            guard let (oldest, buffer) = inFlight.first else { break }
            backend.wait(for: oldest)
            inFlight.removeFirst()
            if buffer.count == pool.frameSize * pool.framesPerRun { pool.returnFrameRun(buffer) }
            if let error = oldest.error, failure == nil { failure = error }
        }
        if let failure {
            wal.index.truncate(toFrame: framesBefore)
            if let headerWritten {
                // The log restarted for this write: begin it again at the next write, or frames
                // that did reach the file could be mistaken for this attempt's.
                shared.state.withLock { state in
                    state.walWriter.encoder = nil
                    state.walWriter.pendingHeader = headerWritten
                }
                transactionEncoder = nil
            }
            throw DatabaseError.io(.SQLITE_IOERR_WRITE, failure, "writing \(wal.file.path)")
        }
        transactionEncoder = encoder
        return lastFrame
    }

    /// Writes a new or restarted log's header and, unless synchronous=OFF, makes it durable.
    private func writeHeader(_ header: WALHeader, to file: StorageFile) throws(DatabaseError) {
        let bytes = IOBuffer.allocate(count: WALHeader.size)
        header.encode(into: bytes.bytes)
        let write = Completion(.write(file, bytes, offset: 0))
        backend.submit(write)
        backend.wait(for: write)
        withExtendedLifetime(bytes) {}
        if let error = write.error {
            throw DatabaseError.io(.SQLITE_IOERR_WRITE, error, "writing the header of \(file.path)")
        }
        if shared.options.synchronous != .off {
            try sync(file, "fsync of \(file.path)")
        }
    }

    /// The encoder this transaction continues from, restarting the log first when every reader
    /// allows it. Called before the transaction's first frame.
    private func prepareLogForWriting() throws(DatabaseError) -> WALFrameEncoder {
        if let transactionEncoder { return transactionEncoder }
        let wal = shared.wal!
        // This may restart the log, and the frames written next then land where the old log's
        // frames are: this connection's reads of those (read-ahead, a statement's read left in
        // flight) must have landed first, or one completing after the write would bring back
        // another page's bytes. Other connections cannot be reading the log then (a restart
        // waits for its readers, and they drain when their transactions end).
        if backend.inFlightCount > 0 { backend.drain() }
        if shared.state.withLock({ $0.walWriter.databaseFileEmpty }) { try writeEmptyDatabasePageOne() }
        let owner = ObjectIdentifier(self)
        let (encoder, header) = shared.state.withLock { state -> (WALFrameEncoder, WALHeader?) in
            precondition(state.writer == owner, "only the writer writes frames")
            // Restart: every committed frame is in the database file and no reader other than
            // this one reads the log's bytes, so the log can begin again at frame 1.
            let committedFrames = wal.index.committedMaxFrame
            if let current = state.walWriter.encoder, committedFrames > 0,
               state.walWriter.backfilled >= committedFrames,
               wal.index.maxFrame == committedFrames,
               !state.readers.contains(where: { $0.key != owner && !$0.value.ignoresWAL && $0.value.frame > 0 }) {
                wal.index.reset()
                let restarted = current.header.restarted(using: &state.walWriter.random)
                state.walWriter.encoder = nil
                state.walWriter.pendingHeader = restarted
                state.walWriter.backfilled = 0
            }
            if let encoder = state.walWriter.encoder { return (encoder, nil) }
            let header = state.walWriter.pendingHeader
                ?? WALHeader.first(pageSize: pageSize, using: &state.walWriter.random)
            // From here the file's header is this one; a rollback must not bring back the old.
            state.walWriter.pendingHeader = nil
            state.walWriter.encoder = WALFrameEncoder(header: header)
            return (WALFrameEncoder(header: header), header)
        }
        pendingHeaderToWrite = header
        if header != nil {
            // This connection's snapshot still names the log's previous generation; its reads
            // of the database file stay right (everything was checkpointed), and from here it
            // reads its own frames through the index.
            snapshotIgnoresWAL = true
        }
        return encoder
    }

    /// Gives an empty database file the page 1 of an empty WAL-mode database (header, and an
    /// empty sqlite_schema leaf), made durable before any frame is written: sqlite3 treats the log
    /// of a zero-length database file as stale and deletes it, and SQLite itself never leaves a
    /// log beside an empty file (it writes page 1 in place when a database enters WAL mode).
    private func writeEmptyDatabasePageOne() throws(DatabaseError) {
        let buffer = shared.pool.takePages(1)[0]
        defer { shared.pool.returnPages([buffer]) }
        let bytes = buffer.bytes
        bytes.initializeMemory(as: UInt8.self, repeating: 0)
        DatabaseHeader.new(pageSize: pageSize, wal: true).write(to: bytes)
        bytes[100] = 0x0d  // table leaf, no cells; content area starts at the end of the usable space
        bytes.storeBigEndianUInt16(UInt16(truncatingIfNeeded: usableSize), at: 105)
        let write = Completion(.write(shared.databaseFile, buffer, offset: 0))
        backend.submit(write)
        backend.wait(for: write)
        if let error = write.error { throw DatabaseError.io(.SQLITE_IOERR_WRITE, error, "writing \(shared.path)") }
        if shared.options.synchronous != .off { try sync(shared.databaseFile, "fsync of \(shared.path)") }
        shared.state.withLock { $0.walWriter.databaseFileEmpty = false }
    }

    /// When the cache has grown well past its capacity with dirty pages, writes the unpinned
    /// ones to the log as uncommitted frames so they can be evicted: a transaction larger than
    /// the cache costs disk, not memory. Without a log (journal_mode=OFF) they go straight to the
    /// database file.
    func spillIfCacheIsFull() throws(DatabaseError) {
        guard transaction == .write, cache.count > cache.capacity + cache.capacity / 4,
              cache.dirtyCount > cache.capacity / 2 else { return }
        let victims = cache.dirtySlots().filter { cache.pins($0) == 0 && cache.loading($0) == nil }
        guard !victims.isEmpty else { return }
        if shared.wal != nil {
            try writeFrames(victims, commitSize: 0)
            for slot in victims {
                spilledPages.insert(cache.pgno(slot))
                cache.markClean(slot)
            }
        } else {
            let writes = CompletionGroup()
            for slot in victims {
                let write = Completion(.write(shared.databaseFile, cache.buffer(slot), offset: Int64(cache.pgno(slot) - 1) * Int64(pageSize)))
                writes.add(write)
                backend.submit(write)
            }
            let written = writes.build()
            backend.wait(for: written)
            if let error = written.error {
                // Without a journal the file now holds part of the transaction.
                let failure = DatabaseError.io(.SQLITE_IOERR_WRITE, error, "writing \(shared.path)")
                shared.poison(failure)
                throw failure
            }
            for slot in victims { cache.markClean(slot) }
        }
    }

    /// After a commit that leaves the log long, a PASSIVE checkpoint, as sqlite3's default
    /// wal_autocheckpoint does. Its failure does not undo the commit; it is only logged.
    func autoCheckpoint() {
        let threshold = shared.options.autoCheckpointFrames
        guard threshold > 0, let wal = shared.wal, wal.index.committedMaxFrame >= UInt32(threshold) else { return }
        do {
            _ = try checkpoint(.passive)
        } catch {
            Log.log(.warning, "automatic checkpoint of \(shared.path) failed: \(error)")
        }
    }
}
