extension Pager {
    /// Writes the header of a new database into page 1 (which the caller has just allocated).
    package func writeNewDatabaseHeader(_ page1: PageRef) {
        precondition(page1.pgno == 1, "the database header lives on page 1")
        DatabaseHeader.new(pageSize: pageSize, wal: shared.options.journalMode == .wal).write(to: page1.bytes)
    }

    /// Commits the write transaction: every dirty page goes to the database file (journal_mode
    /// OFF: in place, all writes in flight at once), then the fsync the synchronous mode asks for,
    /// then the commit is published to other connections. Waits on this connection's backend.
    ///
    /// A failed write or fsync leaves the file in an unknown state (there is no journal), so it
    /// poisons the handle: further writes are refused until the database is reopened.
    package func commit() throws(DatabaseError) {
        precondition(transaction == .write, "commit outside a write transaction")
        precondition(cache.totalPins == 0, "commit while \(cache.totalPins) page pins are held")
        savepoints.removeAll()
        let dirty = cache.dirtySlots()
        if dirty.isEmpty && databaseSize == sizeAtStartOfWrite {
            endWriteUnchanged()
            return
        }
        try stampHeader()
        let file = shared.databaseFile
        let writes = CompletionGroup()
        for slot in cache.dirtySlots() {
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
            rollback()
            throw failure
        }
        if shared.options.synchronous != .off {
            let sync = Completion(.sync(file, dataOnly: true))
            backend.submit(sync)
            backend.wait(for: sync)
            if let error = sync.error {
                let failure = DatabaseError.io(.SQLITE_IOERR_FSYNC, error, "fsync of \(shared.path)")
                shared.poison(failure)
                rollback()
                throw failure
            }
        }
        for slot in dirty { cache.markClean(slot) }
        let sequence = shared.publishCommit(databaseSize: databaseSize, by: ObjectIdentifier(self))
        setCacheSequence(sequence)
        endWriteUnchanged()
    }

    /// Updates page 1's change counter, database size and version-valid-for, as every SQLite
    /// writer does at commit so that other readers know the file changed.
    private func stampHeader() throws(DatabaseError) {
        let page1 = try page(1)
        defer { release(page1) }
        makeWritable(page1)
        let counter = page1.bytes.loadBigEndianUInt32(at: DatabaseHeader.Offset.fileChangeCounter) &+ 1
        page1.bytes.storeBigEndianUInt32(counter, at: DatabaseHeader.Offset.fileChangeCounter)
        page1.bytes.storeBigEndianUInt32(databaseSize, at: DatabaseHeader.Offset.databaseSize)
        page1.bytes.storeBigEndianUInt32(counter, at: DatabaseHeader.Offset.versionValidFor)
        page1.bytes.storeBigEndianUInt32(DatabaseHeader.writerVersion, at: DatabaseHeader.Offset.sqliteVersion)
    }
}
