/// Read and write transactions.
///
/// A read transaction sees the database as of the last commit when it began: in WAL mode its
/// snapshot is the log's last committed frame, registered with the shared state so a checkpoint
/// does not copy newer frames into the database file under it. One connection at a time holds the
/// writer lock; a write transaction always starts from the latest commit (a read transaction on
/// an older snapshot cannot upgrade: SQLITE_BUSY_SNAPSHOT, as in SQLite).
///
/// The page cache survives between transactions: when a new snapshot begins, only the pages
/// other connections committed since the cache's snapshot are dropped (the WAL index lists them);
/// without a WAL, or when that history is unknown, every clean page is.
extension Pager {
    package func beginRead() {
        precondition(transaction == .none, "beginRead inside a transaction")
        takeSnapshot()
        transaction = .read
    }

    package func endRead() {
        precondition(transaction == .read, "endRead outside a read transaction")
        leaveSnapshot()
        transaction = .none
    }

    /// Upgrades to (or starts) a write transaction, waiting for another writer up to the busy
    /// timeout.
    package func beginWrite() throws(DatabaseError) {
        precondition(transaction != .write, "beginWrite inside a write transaction")
        if shared.options.readOnly { throw DatabaseError(.SQLITE_READONLY, "attempt to write a readonly database") }
        if let poisoned = shared.committed.poisoned {
            throw DatabaseError(poisoned.resultCode, "the database handle refuses writes after a failed commit (\(poisoned.message)); close and reopen it")
        }
        guard shared.acquireWriter(ObjectIdentifier(self)) else {
            throw DatabaseError(.SQLITE_BUSY, "database is locked")
        }
        if transaction == .read {
            if shared.committed.sequence != cacheSequence {
                shared.releaseWriter(ObjectIdentifier(self))
                throw DatabaseError(.SQLITE_BUSY_SNAPSHOT, "database is locked (snapshot is stale)")
            }
        } else {
            takeSnapshot()
        }
        sizeAtWriteStart = databaseSize
        transactionEncoder = nil
        spilledPages.removeAll(keepingCapacity: true)
        transaction = .write
    }

    /// Discards the write transaction's changes: dirty pages are dropped, and frames it already
    /// wrote to the log are forgotten (the next transaction writes over them). Every page must
    /// have been released (cursors closed) first: a cursor still holding a page would go on
    /// reading discarded changes.
    package func rollback() {
        precondition(transaction == .write, "rollback outside a write transaction")
        precondition(cache.totalPins == 0, "rollback while \(cache.totalPins) page pins are held")
        for slot in cache.dirtySlots() { cache.remove(slot) }
        forgetSpilledFrames()
        savepoints.removeAll()
        databaseSize = sizeAtWriteStart
        endWrite()
    }

    /// Ends a write transaction (its commit, if any, already published).
    func endWrite() {
        transactionEncoder = nil
        spilledPages.removeAll(keepingCapacity: true)
        leaveSnapshot()
        shared.releaseWriter(ObjectIdentifier(self))
        transaction = .none
    }

    /// Drops the frames a rolled-back transaction spilled to the log, and the clean copies of
    /// those pages it may have cached since (they hold its changes).
    func forgetSpilledFrames() {
        guard let wal = shared.wal, !spilledPages.isEmpty || wal.index.maxFrame > wal.index.committedMaxFrame else { return }
        wal.index.truncate(toFrame: wal.index.committedMaxFrame)
        for pgno in spilledPages {
            guard let slot = cache.slot(of: pgno) else { continue }
            precondition(cache.pins(slot) == 0, "page \(pgno) is pinned while its spilled frame is forgotten")
            // A read in flight may be filling the page from the spilled frame (read-ahead, or a
            // read left behind by a statement that failed): once it lands, the page goes too, or
            // the cache would keep the rolled-back version, and later frames overwrite that one.
            if let loading = cache.loading(slot) { backend.wait(for: loading) }
            cache.remove(slot)
        }
        spilledPages.removeAll(keepingCapacity: true)
    }

    // MARK: Snapshots

    /// Fixes this transaction's view at the last commit and brings the cache in step with it.
    private func takeSnapshot() {
        let owner = ObjectIdentifier(self)
        let taken: (size: UInt32, sequence: UInt64, snapshot: WALIndex.Snapshot?, ignoresWAL: Bool)
        taken = shared.state.withLock { state in
            guard let wal = shared.wal else {
                return (state.committed.databaseSize, state.committed.sequence, nil, false)
            }
            // Under the state lock, so the frame and the database size belong to one commit.
            let snapshot = wal.index.snapshot()
            let ignoresWAL = snapshot.maxFrame <= state.walWriter.backfilled
            state.readers[owner] = PagerShared.ReaderMark(generation: snapshot.generation, frame: snapshot.maxFrame, ignoresWAL: ignoresWAL)
            return (state.committed.databaseSize, state.committed.sequence, snapshot, ignoresWAL)
        }
        databaseSize = taken.size
        snapshot = taken.snapshot
        snapshotIgnoresWAL = taken.ignoresWAL
        if taken.sequence != cacheSequence {
            precondition(cache.dirtyCount == 0, "dirty pages outside a write transaction")
            invalidateCache(from: cacheSnapshot, to: taken.snapshot)
            cacheSequence = taken.sequence
            cacheSnapshot = taken.snapshot
        }
    }

    private func leaveSnapshot() {
        // Reads still in flight (prefetches nobody used) were issued for this snapshot; let them
        // land now, so the next snapshot's invalidation sees every page the cache holds.
        if backend.inFlightCount > 0 { backend.drain() }
        if shared.wal != nil {
            let owner = ObjectIdentifier(self)
            shared.state.withLock { state in _ = state.readers.removeValue(forKey: owner) }
        }
        snapshot = nil
        snapshotIgnoresWAL = false
    }

    /// Drops the cached pages that changed between two snapshots: exactly those committed in
    /// between when both are known; every clean page otherwise.
    private func invalidateCache(from old: WALIndex.Snapshot?, to new: WALIndex.Snapshot?) {
        guard let old, let new else {
            cache.removeAllClean()
            return
        }
        var changed: [UInt32]
        if old.generation == new.generation {
            changed = new.changedPages(after: old.maxFrame, through: new.maxFrame)
        } else if new.generation == old.generation + 1 {
            // The log restarted once since: what the old generation committed after our
            // snapshot, then everything the new one has committed.
            changed = old.changedPages(after: old.maxFrame, through: old.generationMaxFrame)
            changed += new.changedPages(after: 0, through: new.maxFrame)
        } else {
            cache.removeAllClean()
            return
        }
        for pgno in changed {
            guard let slot = cache.slot(of: pgno) else { continue }
            precondition(!cache.isDirty(slot), "a dirty page outside a write transaction")
            if cache.pins(slot) == 0 && (cache.loading(slot)?.isFinished ?? true) {
                cache.remove(slot)
            } else {
                // A page still pinned or in flight from a prefetch cannot be dropped here; it is
                // only reachable through this stale copy, so start over with an empty cache.
                cache.removeAllClean()
                return
            }
        }
    }
}
