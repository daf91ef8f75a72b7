extension Pager {
    /// Writes the header of a new database into page 1 (which the caller has just allocated).
    package func writeNewDatabaseHeader(_ page1: PageRef) {
        precondition(page1.pgno == 1, "the database header lives on page 1")
        DatabaseHeader.new(pageSize: pageSize, wal: shared.journalMode == .wal).write(to: page1.bytes)
    }

    /// Commits the write transaction and waits for it to be durable as the synchronous mode asks.
    ///
    /// WAL mode: the dirty pages are appended to the log as frames, the last one marking the
    /// commit and carrying the database size, in a few large writes all in flight at once; then,
    /// under synchronous=FULL, the log is fsynced (after those writes have completed); only then
    /// is the commit published to readers. A failed write abandons the transaction (its frames are
    /// forgotten; the log's last commit is unchanged); a failed fsync poisons the handle, since
    /// what the log holds is then unknown.
    ///
    /// journal_mode=OFF: every dirty page is written in place, then fsynced. A failure there
    /// leaves the file in an unknown state and poisons the handle.
    ///
    /// When commit throws, the transaction is still open: the caller rolls it back.
    package func commit() throws(DatabaseError) {
        precondition(transaction == .write, "commit outside a write transaction")
        precondition(cache.totalPins == 0, "commit while \(cache.totalPins) page pins are held")
        savepoints.removeAll()
        if cache.dirtyCount == 0 && databaseSize == sizeAtWriteStart && spilledPages.isEmpty {
            endWrite()
            return
        }
        try stampHeaderIfNeeded()
        if shared.wal != nil {
            try commitToLog()
        } else {
            try commitInPlace()
        }
    }

    /// Page 1's change counter, database size and version-valid-for are updated whenever page 1
    /// changes or the database grows or shrinks, as SQLite's pager does (and, in WAL mode, the
    /// header's format bytes say WAL).
    private func stampHeaderIfNeeded() throws(DatabaseError) {
        let page1Dirty = cache.slot(of: 1).map { cache.isDirty($0) } ?? false
        let page1 = try page(1)
        defer { release(page1) }
        let walMode = shared.journalMode == .wal
        let formatWrong = walMode ? page1.bytes[18] != 2 || page1.bytes[19] != 2 : false
        guard page1Dirty || databaseSize != sizeAtWriteStart || formatWrong || shared.wal == nil else { return }
        makeWritable(page1)
        if walMode {
            page1.bytes[18] = 2
            page1.bytes[19] = 2
        }
        let counter = page1.bytes.loadBigEndianUInt32(at: DatabaseHeader.Offset.fileChangeCounter) &+ 1
        page1.bytes.storeBigEndianUInt32(counter, at: DatabaseHeader.Offset.fileChangeCounter)
        page1.bytes.storeBigEndianUInt32(databaseSize, at: DatabaseHeader.Offset.databaseSize)
        page1.bytes.storeBigEndianUInt32(counter, at: DatabaseHeader.Offset.versionValidFor)
        page1.bytes.storeBigEndianUInt32(DatabaseHeader.writerVersion, at: DatabaseHeader.Offset.sqliteVersion)
    }

    /// journal_mode=OFF: dirty pages straight into the database file.
    private func commitInPlace() throws(DatabaseError) {
        let dirty = cache.dirtySlots()
        let file = shared.databaseFile
        let writes = CompletionGroup()
        for slot in dirty {
            let pgno = cache.pgno(slot)
            let write = Completion(.write(file, cache.buffer(slot), offset: Int64(pgno - 1) * Int64(pageSize)))
            writes.add(write)
            backend.submit(write)
        }
        let written = writes.build()
        backend.wait(for: written)
        if let error = written.error {
            let failure = DatabaseError.io(.SQLITE_IOERR_WRITE, error, "writing \(shared.path)")
            shared.poison(failure)
            throw failure
        }
        if databaseSize < sizeAtWriteStart {
            // The database shrank (VACUUM): the file ends where the database does.
            do {
                try file.truncate(to: Int64(databaseSize) * Int64(pageSize))
            } catch {
                let failure = DatabaseError.io(.SQLITE_IOERR_TRUNCATE, error, "truncating \(shared.path)")
                shared.poison(failure)
                throw failure
            }
        }
        if shared.options.synchronous != .off {
            try sync(file, "fsync of \(shared.path)")
        }
        for slot in dirty { cache.markClean(slot) }
        publish(frame: nil)
        endWrite()
    }

    /// Waits for an fsync (fdatasync) of `file`; a failure poisons the handle.
    func sync(_ file: StorageFile, _ what: String) throws(DatabaseError) {
        let sync = Completion(.sync(file, dataOnly: true))
        backend.submit(sync)
        backend.wait(for: sync)
        if let error = sync.error {
            let failure = DatabaseError.io(.SQLITE_IOERR_FSYNC, error, what)
            shared.poison(failure)
            throw failure
        }
    }

    /// Makes the commit visible: new snapshots see it (and, in WAL mode, frames through `frame`),
    /// and this connection's cache is known to reflect it.
    func publish(frame: UInt32?) {
        let owner = ObjectIdentifier(self)
        let size = databaseSize
        let (sequence, snapshot) = shared.state.withLock { state -> (UInt64, WALIndex.Snapshot?) in
            precondition(state.writer == owner, "only the writer publishes a commit")
            var snapshot: WALIndex.Snapshot?
            if let frame, let wal = shared.wal {
                wal.index.commit(through: frame)
                snapshot = wal.index.snapshot()
                state.walWriter.encoder = transactionEncoder
            }
            state.committed.databaseSize = size
            state.committed.sequence += 1
            return (state.committed.sequence, snapshot)
        }
        cacheSequence = sequence
        cacheSnapshot = snapshot
    }
}
