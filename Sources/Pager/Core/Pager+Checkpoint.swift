/// SQLite's checkpoint modes (sqlite3_wal_checkpoint_v2).
package enum CheckpointMode: String, Sendable, CaseIterable {
    /// Copy what can be copied without waiting for anyone.
    case passive
    /// Wait for the writer and for readers on older snapshots, then copy everything.
    case full
    /// FULL, then wait for readers of the log to finish and restart it, so the next writer
    /// begins again at its start.
    case restart
    /// RESTART, then truncate the log file to zero bytes.
    case truncate
}

/// What a checkpoint did, as `PRAGMA wal_checkpoint` reports it.
package struct CheckpointResult: Equatable, Sendable {
    /// True when it could not do all its mode asks (a writer or readers did not get out of the
    /// way within the busy timeout); SQLite returns SQLITE_BUSY then.
    package var busy: Bool
    /// Frames in the log (-1 outside WAL mode).
    package var logFrames: Int
    /// Frames of the log now in the database file (-1 outside WAL mode).
    package var checkpointedFrames: Int
}

extension Pager {
    /// Pages copied per batch: each batch's reads go out together, then its writes.
    static let checkpointBatch = 256

    /// Copies the newest committed frame of each page from the log into the database file, as far
    /// as live readers allow: never a frame newer than a reader's snapshot, since that reader may
    /// read the page from the database file. The log is fsynced before any page is copied (its
    /// frames must not vanish once the database depends on them), and the database file after,
    /// before the progress is recorded. Runs outside any transaction of this connection.
    package func checkpoint(_ mode: CheckpointMode) throws(DatabaseError) -> CheckpointResult {
        guard let wal = shared.wal else { return CheckpointResult(busy: false, logFrames: -1, checkpointedFrames: -1) }
        guard transaction == .none else {
            throw DatabaseError(.SQLITE_LOCKED, "database table is locked (a checkpoint cannot run inside a transaction)")
        }
        let owner = ObjectIdentifier(self)
        let gotCheckpointLock = shared.state.withLock { state -> Bool in
            guard state.checkpointer == nil else { return false }
            state.checkpointer = owner
            return true
        }
        guard gotCheckpointLock else {
            let frames = Int(wal.index.committedMaxFrame)
            return CheckpointResult(busy: true, logFrames: frames, checkpointedFrames: Int(shared.state.withLock { $0.walWriter.backfilled }))
        }
        defer { shared.state.withLock { $0.checkpointer = nil } }

        var busy = false
        var holdsWriter = false
        if mode != .passive {
            holdsWriter = shared.acquireWriter(owner)
            busy = !holdsWriter
        }
        defer { if holdsWriter { shared.releaseWriter(owner) } }

        var plan = checkpointPlan(wal)
        if holdsWriter && plan.safeFrame < plan.maxFrame {
            // FULL and up wait for readers on older snapshots to finish.
            let caughtUp = shared.retryUntilBusyTimeout {
                plan = checkpointPlan(wal)
                return plan.safeFrame == plan.maxFrame
            }
            if !caughtUp { busy = true }
        }
        if plan.safeFrame > plan.backfilled {
            try copyFrames(wal, plan)
        }
        var result = CheckpointResult(busy: busy, logFrames: Int(plan.maxFrame), checkpointedFrames: Int(max(plan.safeFrame, plan.backfilled)))

        if (mode == .restart || mode == .truncate) && !busy && result.checkpointedFrames == result.logFrames {
            let restarted = shared.retryUntilBusyTimeout { tryRestartLog(wal, truncate: mode == .truncate) }
            if restarted {
                if mode == .truncate {
                    do { try wal.file.truncate(to: 0) } catch {
                        throw DatabaseError.io(.SQLITE_IOERR_TRUNCATE, error, "truncating \(wal.file.path)")
                    }
                    if shared.options.synchronous != .off { try sync(wal.file, "fsync of \(wal.file.path)") }
                    result.logFrames = 0
                    result.checkpointedFrames = 0
                }
            } else {
                result.busy = true
            }
        }
        return result
    }

    struct CheckpointPlan {
        var generation: UInt64
        var maxFrame: UInt32
        var backfilled: UInt32
        /// The newest frame no reader forbids copying.
        var safeFrame: UInt32
        var databaseSize: UInt32
    }

    /// What may be copied now: up to the oldest snapshot among active readers of this log's
    /// generation; a reader whose snapshot belongs to an earlier generation reads the database
    /// file for everything, so nothing may be copied under it.
    private func checkpointPlan(_ wal: WALShared) -> CheckpointPlan {
        shared.state.withLock { state in
            let generation = wal.index.generation
            let maxFrame = wal.index.committedMaxFrame
            var safe = maxFrame
            for mark in state.readers.values {
                let effective = mark.generation == generation ? mark.frame : 0
                safe = min(safe, effective)
            }
            return CheckpointPlan(generation: generation, maxFrame: maxFrame, backfilled: state.walWriter.backfilled,
                                  safeFrame: max(safe, state.walWriter.backfilled), databaseSize: state.committed.databaseSize)
        }
    }

    /// Copies the frames (backfilled, safeFrame] in batches (all reads of a batch in flight, then
    /// all its writes), fsyncing the log first and the database file last, then records progress.
    private func copyFrames(_ wal: WALShared, _ plan: CheckpointPlan) throws(DatabaseError) {
        let sync = shared.options.synchronous != .off
        if sync { try self.sync(wal.file, "fsync of \(wal.file.path)") }
        // A frame for a page past the last commit's size is dead (the database shrank, or the log
        // is damaged); copying it would grow the file to wherever its number points. sqlite3
        // skips it too (walCheckpoint: iDbpage>mxPage).
        let frames = wal.index.newestFrames(atOrBelow: plan.safeFrame)
            .filter { $0.frame > plan.backfilled && $0.page <= plan.databaseSize }
        let database = shared.databaseFile
        let pool = shared.pool
        let buffers = pool.takePages(min(Self.checkpointBatch, max(frames.count, 1)))
        defer { pool.returnPages(buffers) }
        var start = 0
        while start < frames.count {
            let batch = frames[start..<min(start + buffers.count, frames.count)]
            let reads = CompletionGroup()
            for (k, pageFrame) in batch.enumerated() {
                let offset = WALFrame.offset(ofFrame: pageFrame.frame, pageSize: pageSize) + Int64(WALFrameHeader.size)
                let read = Completion(.read(wal.file, buffers[k], offset: offset))
                reads.add(read)
                backend.submit(read)
            }
            let allRead = reads.build()
            backend.wait(for: allRead)
            if let error = allRead.error { throw DatabaseError.io(.SQLITE_IOERR_READ, error, "reading \(wal.file.path)") }
            guard allRead.bytesTransferred == batch.count * pageSize else {
                throw DatabaseError(.SQLITE_IOERR_SHORT_READ, "disk I/O error (the log \(wal.file.path) is shorter than its index says)")
            }
            let writes = CompletionGroup()
            for (k, pageFrame) in batch.enumerated() {
                let write = Completion(.write(database, buffers[k], offset: Int64(pageFrame.page - 1) * Int64(pageSize)))
                writes.add(write)
                backend.submit(write)
            }
            let allWritten = writes.build()
            backend.wait(for: allWritten)
            if let error = allWritten.error { throw DatabaseError.io(.SQLITE_IOERR_WRITE, error, "writing \(shared.path)") }
            start += batch.count
        }
        if plan.safeFrame == plan.maxFrame {
            // The whole log is in: the file is exactly the database's size (sqlite3 does the same).
            do {
                let size = Int64(plan.databaseSize) * Int64(pageSize)
                if try database.size() > size { try database.truncate(to: size) }
            } catch {
                throw DatabaseError.io(.SQLITE_IOERR_TRUNCATE, error, "truncating \(shared.path)")
            }
        }
        if sync { try self.sync(database, "fsync of \(shared.path)") }
        shared.state.withLock { state in
            if wal.index.generation == plan.generation && state.walWriter.backfilled < plan.safeFrame {
                state.walWriter.backfilled = plan.safeFrame
            }
        }
    }

    /// Restarts the log now (its next frame is frame 1 under new salts) if it is wholly
    /// checkpointed and no reader other than this connection reads its bytes. Needs the writer
    /// lock (held by RESTART and TRUNCATE).
    private func tryRestartLog(_ wal: WALShared, truncate: Bool) -> Bool {
        let owner = ObjectIdentifier(self)
        return shared.state.withLock { state in
            precondition(state.writer == owner, "restarting the log needs the writer lock")
            guard state.walWriter.backfilled >= wal.index.committedMaxFrame,
                  wal.index.maxFrame == wal.index.committedMaxFrame,
                  !state.readers.contains(where: { $0.key != owner && !$0.value.ignoresWAL && $0.value.frame > 0 })
            else { return false }
            guard wal.index.committedMaxFrame > 0 || truncate else { return true }
            let header = state.walWriter.encoder?.header ?? state.walWriter.pendingHeader
            wal.index.reset()
            state.walWriter.encoder = nil
            state.walWriter.backfilled = 0
            if let header {
                state.walWriter.pendingHeader = header.restarted(using: &state.walWriter.random)
            }
            return true
        }
    }
}
