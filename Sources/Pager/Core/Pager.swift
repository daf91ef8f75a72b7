/// A pinned page: its number and its bytes, valid until it is released.
@frozen
package struct PageRef {
    /// The page cache entry holding it.
    package let slot: Int32
    package let pgno: UInt32
    package let bytes: UnsafeMutableRawBufferPointer
}

/// A connection's view of a database: its page cache, its transaction state and its IO backend.
/// Reads go through the cache; a page not in it is read through a completion, so callers that can
/// restart take `fetch` (which returns `.io` and lets them yield) and callers that cannot take
/// `page` (which waits on the backend). Confined to one thread at a time.
///
/// In WAL mode a page is read from the newest frame of the log that the transaction's snapshot
/// includes, or from the database file when no such frame exists (Pager+Transaction says how
/// snapshots are taken and caches kept in step with other connections' commits).
/// The hot mutable state (`cache`) is `@exclusivity(unchecked)`: a Pager is confined to its
/// connection's thread and no access to it overlaps another (the test suites run with the checks
/// on before this), while the dynamic checks cost a fifth of a lookup-heavy query's time.
package final class Pager {
    package let shared: PagerShared
    package let backend: any IOBackend
    @exclusivity(unchecked) package var cache: PageCache

    package enum TransactionState: Equatable {
        case none
        case read
        case write
    }

    package internal(set) var transaction: TransactionState = .none
    /// Pages in the database as this connection sees it (grows as a write transaction allocates).
    package internal(set) var databaseSize: UInt32 = 0
    /// What the cache's clean pages reflect: the commit sequence, and in WAL mode the snapshot
    /// they were read at.
    var cacheSequence: UInt64 = 0
    var cacheSnapshot: WALIndex.Snapshot?
    /// The snapshot of the current read (or write) transaction, in WAL mode.
    var snapshot: WALIndex.Snapshot?
    /// The snapshot's frames are all in the database file: read it only.
    var snapshotIgnoresWAL = false
    /// Database size at the start of the write transaction, restored by rollback.
    var sizeAtWriteStart: UInt32 = 0
    /// Open savepoints, outermost first (see Pager+Savepoint).
    var savepoints: [Savepoint] = []
    /// The write transaction's place in the log once it has written frames (spilled, or while
    /// committing); nil before its first frame.
    var transactionEncoder: WALFrameEncoder?
    /// Pages this transaction has written to the log before committing: a rollback must forget
    /// both the frames and any clean cached copy of these pages.
    var spilledPages: Set<UInt32> = []
    /// A new log header this transaction must write before its first frame.
    var pendingHeaderToWrite: WALHeader?

    package var pageSize: Int { shared.pageSize }
    package var usableSize: Int { shared.usableSize }

    package init(shared: PagerShared) {
        self.shared = shared
        self.backend = shared.options.makeConnectionBackend(selection: shared.io, pool: shared.pool)
        self.cache = PageCache(pool: shared.pool, capacity: shared.options.cacheCapacity(pageSize: shared.pageSize))
    }

    deinit {
        switch transaction {
        case .write: rollback()
        case .read: endRead()
        case .none: break
        }
        backend.drain()
    }

    // MARK: Pages

    /// The page, pinned, if it is cached and loaded; otherwise starts reading it and returns the
    /// read's completion (call again once it has finished). A page returned `.io` for is kept
    /// from eviction until it is fetched again, so the caller's next attempt finds it. Pages past the end of the database,
    /// page 0 and the lock-byte page are corruption.
    package func fetch(_ pgno: UInt32) throws(DatabaseError) -> IOResult<PageRef> {
        try fetch(pgno, protectingAwaited: true)
    }

    /// `fetch`, with `protectingAwaited` false for a caller that waits for the read at once
    /// (`page`): its page needs no protection, and must not take it from the page a restartable
    /// operation further up is coming back for (an overflow page read while comparing keys).
    private func fetch(_ pgno: UInt32, protectingAwaited: Bool) throws(DatabaseError) -> IOResult<PageRef> {
        precondition(transaction != .none, "pages are read inside a transaction")
        if let slot = cache.slot(of: pgno) {
            if let loading = cache.loading(slot), loading.isFinished, loading.error != nil, cache.isSpeculative(slot) {
                // Read-ahead that failed before anything asked for the page: the error belongs
                // to no statement (the one that started it may have ended). Read it again now,
                // and let that read's outcome be this caller's.
                cache.remove(slot)
                return try fetch(pgno, protectingAwaited: protectingAwaited)
            }
            if let loading = cache.loading(slot) {
                guard loading.isFinished else {
                    if protectingAwaited { cache.markAwaited(slot) }
                    return .io(loading)
                }
                try finishLoad(slot, loading)
            }
            cache.pin(slot)
            return .done(ref(slot))
        }
        guard pgno >= 1 && pgno <= databaseSize else {
            throw DatabaseError.corrupt(page: pgno, "page number out of range (database has \(databaseSize) pages)")
        }
        guard pgno != shared.lockBytePage else {
            throw DatabaseError.corrupt(page: pgno, "the lock-byte page is not a database page")
        }
        let slot = cache.insert(pgno)
        let (file, offset) = source(of: pgno)
        let read = Completion(.read(file, cache.buffer(slot), offset: offset))
        cache.setLoading(slot, read)
        backend.submit(read)
        try spillIfCacheIsFull()
        guard read.isFinished else {
            if protectingAwaited { cache.markAwaited(slot) }
            return .io(read)
        }
        try finishLoad(slot, read)
        cache.pin(slot)
        return .done(ref(slot))
    }

    /// The page, pinned, waiting for its read when it is not cached.
    package func page(_ pgno: UInt32) throws(DatabaseError) -> PageRef {
        while true {
            switch try fetch(pgno, protectingAwaited: false) {
            case .done(let page): return page
            case .io(let completion): backend.wait(for: completion)
            }
        }
    }

    /// Starts reads for pages that are not cached, without waiting or pinning: a cursor about to
    /// visit several children asks for them together so their reads overlap.
    ///
    /// With the cache full, read-ahead takes the places of pages CLOCK finds cold, never of a
    /// pinned page, a page being read, or the page a restartable operation is waiting for (an
    /// attempt that returned `.io` keeps the pages it reached pinned until it runs again, so
    /// read-ahead cannot undo its progress). It takes at most a quarter of the cache per call, so
    /// the children of one interior page cannot flush everything else.
    package func prefetch(_ pgnos: some Sequence<UInt32>) {
        let budget = max(1, cache.capacity / 4)
        var started = 0
        for pgno in pgnos where cache.slot(of: pgno) == nil && pgno >= 1 && pgno <= databaseSize && pgno != shared.lockBytePage {
            guard started < budget, let slot = cache.insertWithinCapacity(pgno) else { break }
            let (file, offset) = source(of: pgno)
            let read = Completion(.read(file, cache.buffer(slot), offset: offset))
            cache.setLoading(slot, read, speculative: true)
            backend.submit(read)
            started += 1
        }
        if started > 0 { backend.flush() }
    }

    /// Where this transaction reads `pgno` from: the newest log frame its snapshot includes (a
    /// writer also sees the frames it has spilled), else the database file.
    func source(of pgno: UInt32) -> (StorageFile, Int64) {
        if let wal = shared.wal {
            let frame: UInt32?
            if transaction == .write {
                frame = wal.index.lookup(page: pgno, atOrBelow: wal.index.maxFrame)
            } else if !snapshotIgnoresWAL, let snapshot {
                frame = snapshot.lookup(page: pgno)
            } else {
                frame = nil
            }
            if let frame {
                return (wal.file, WALFrame.offset(ofFrame: frame, pageSize: pageSize) + Int64(WALFrameHeader.size))
            }
        }
        return (shared.databaseFile, Int64(pgno - 1) * Int64(pageSize))
    }

    private func finishLoad(_ slot: Int32, _ read: Completion) throws(DatabaseError) {
        cache.setLoading(slot, nil)
        if let error = read.error {
            let pgno = cache.pgno(slot)
            cache.remove(slot)
            throw DatabaseError.io(.SQLITE_IOERR_READ, error, "reading page \(pgno) of \(shared.path)")
        }
        if read.bytesTransferred < pageSize {
            // Past the end of the file (a database whose header claims more pages than the file
            // holds): SQLite reads zeros there, and so does Ringlite.
            let buffer = cache.buffer(slot)
            (buffer.base + read.bytesTransferred).initializeMemory(as: UInt8.self, repeating: 0, count: pageSize - read.bytesTransferred)
        }
    }

    func ref(_ slot: Int32) -> PageRef {
        PageRef(slot: slot, pgno: cache.pgno(slot), bytes: cache.buffer(slot).bytes)
    }

    /// Unpins a page returned by `fetch` or `page`.
    package func release(_ page: PageRef) {
        cache.unpin(page.slot)
    }

    /// Makes a pinned page writable in the current write transaction.
    package func makeWritable(_ page: PageRef) {
        precondition(transaction == .write, "pages are written inside a write transaction")
        if !savepoints.isEmpty { recordBeforeImage(page.slot) }
        cache.markDirty(page.slot)
    }

    /// Shrinks the database to `size` pages (a savepoint rollback dropping pages it created).
    func truncateDatabase(to size: UInt32) {
        precondition(size <= databaseSize, "truncation grows nothing")
        databaseSize = size
    }

    /// A page whose old contents do not matter (taken from the freelist to be rewritten): pinned,
    /// writable and zeroed, without reading it from disk.
    package func overwrite(_ pgno: UInt32) throws(DatabaseError) -> PageRef {
        precondition(transaction == .write, "pages are written inside a write transaction")
        guard pgno >= 1 && pgno <= databaseSize && pgno != shared.lockBytePage else {
            throw DatabaseError.corrupt(page: pgno, "page number out of range (database has \(databaseSize) pages)")
        }
        let slot: Int32
        if let cached = cache.slot(of: pgno) {
            if let loading = cache.loading(cached) {
                // Its read is in flight (a prefetch): the buffer is the kernel's until it lands.
                backend.wait(for: loading)
                cache.setLoading(cached, nil)
            }
            slot = cached
        } else {
            slot = cache.insert(pgno)
            if !savepoints.isEmpty && pgno <= savepoints[savepoints.count - 1].databaseSize {
                // Its old contents may matter to a savepoint (a freelist trunk handed out): read
                // them so the savepoint can restore them.
                cache.remove(slot)
                let page = try page(pgno)
                cache.unpin(page.slot)
                return try overwrite(pgno)
            }
        }
        if !savepoints.isEmpty { recordBeforeImage(slot) }
        cache.buffer(slot).base.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize)
        cache.markDirty(slot)
        cache.pin(slot)
        return ref(slot)
    }

    /// Appends a new page at the end of the database (skipping the lock-byte page): zeroed, pinned
    /// and writable.
    package func allocateAtEnd() throws(DatabaseError) -> PageRef {
        precondition(transaction == .write, "pages are allocated inside a write transaction")
        var pgno = databaseSize + 1
        if pgno == shared.lockBytePage { pgno += 1 }
        guard pgno < UInt32.max else { throw DatabaseError(.SQLITE_FULL, "database or disk is full (page limit)") }
        if let stale = cache.slot(of: pgno) {
            // A page past the end can be cached from before a rollback shrank the database.
            precondition(cache.pins(stale) == 0, "page \(pgno) past the end of the database is pinned")
            cache.remove(stale)
        }
        databaseSize = pgno
        let slot = cache.insert(pgno)
        cache.buffer(slot).base.initializeMemory(as: UInt8.self, repeating: 0, count: pageSize)
        cache.markDirty(slot)
        cache.pin(slot)
        do throws(DatabaseError) { try spillIfCacheIsFull() } catch {
            // The caller never gets the page to release; rollback needs every pin released.
            cache.unpin(slot)
            throw error
        }
        return ref(slot)
    }
}

@available(*, unavailable)
extension Pager: Sendable {}
