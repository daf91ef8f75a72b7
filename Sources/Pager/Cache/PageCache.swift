/// A connection's page cache: page number -> a page-sized buffer from the database's pool, with pin
/// counts, dirty flags and CLOCK eviction of clean unpinned pages.
///
/// Capacity is a target, not a wall: when every page is pinned, dirty or being read, the cache
/// grows past it rather than fail (as SQLite's does), and the pager spills dirty pages to bring it
/// back. Confined to its connection's thread.
package struct PageCache: ~Copyable {
    /// One cached page. `pgno == 0` marks a free entry.
    struct Entry {
        var pgno: UInt32 = 0
        var buffer: IOBuffer
        var pins: Int32 = 0
        var dirty = false
        /// CLOCK's second-chance bit.
        var referenced = false
        /// The read filling this page, while it is in flight.
        var loading: Completion?
        /// Filled by read-ahead that nothing has asked for yet (see `Pager.prefetch`).
        var speculative = false
    }

    private var entries: [Entry] = []
    private var index: [UInt32: Int32] = [:]
    private var freeEntries: [Int32] = []
    private var hand = 0
    /// The entry of the page a restartable operation last returned `.io` for, or -1. It is not
    /// evicted until it is pinned: the operation runs again once the read is done, and whatever
    /// it reads on its way back to that page (overflow chains of keys it compares, other pages)
    /// must not evict it, or each attempt would wait for the same page again. One entry is
    /// enough: a connection runs one operation at a time, and an operation abandoned mid-way
    /// (its statement reset) loses the protection as soon as another one waits.
    private var awaited: Int32 = -1
    private var buffers: BufferPool.Local
    package private(set) var capacity: Int
    package private(set) var dirtyCount = 0

    package init(pool: BufferPool, capacity: Int) {
        precondition(capacity >= 8, "a page cache holds at least 8 pages")
        self.capacity = capacity
        self.buffers = BufferPool.Local(pool: pool)
    }

    package var count: Int { index.count }
    package var pageSize: Int { buffers.pool.pageSize }

    /// Changes the target capacity; pages beyond it are evicted as they become clean and unpinned.
    package mutating func setCapacity(_ pages: Int) {
        capacity = max(8, pages)
    }

    /// The entry holding `pgno`, if cached (possibly still loading).
    package func slot(of pgno: UInt32) -> Int32? { index[pgno] }

    package func pgno(_ slot: Int32) -> UInt32 { entries[Int(slot)].pgno }
    package func buffer(_ slot: Int32) -> IOBuffer { entries[Int(slot)].buffer }
    package func isDirty(_ slot: Int32) -> Bool { entries[Int(slot)].dirty }
    package func pins(_ slot: Int32) -> Int32 { entries[Int(slot)].pins }
    package func loading(_ slot: Int32) -> Completion? { entries[Int(slot)].loading }

    package mutating func pin(_ slot: Int32) {
        entries[Int(slot)].pins += 1
        entries[Int(slot)].referenced = true
        if slot == awaited { awaited = -1 }
    }

    /// Keeps `slot` from eviction until it is next pinned (see `awaited`).
    package mutating func markAwaited(_ slot: Int32) {
        precondition(entries[Int(slot)].pgno != 0, "awaiting a free cache entry")
        awaited = slot
    }

    /// The page protected for the operation waiting for it, if any.
    package var awaitedPage: UInt32? { awaited >= 0 ? entries[Int(awaited)].pgno : nil }

    package mutating func unpin(_ slot: Int32) {
        precondition(entries[Int(slot)].pins > 0, "unpinning page \(entries[Int(slot)].pgno), which is not pinned")
        entries[Int(slot)].pins -= 1
    }

    package mutating func setLoading(_ slot: Int32, _ completion: Completion?, speculative: Bool = false) {
        entries[Int(slot)].loading = completion
        entries[Int(slot)].speculative = speculative
    }

    /// Whether the page's read was read-ahead that nothing has asked for yet.
    package func isSpeculative(_ slot: Int32) -> Bool { entries[Int(slot)].speculative }

    package mutating func markDirty(_ slot: Int32) {
        precondition(entries[Int(slot)].loading == nil, "page \(entries[Int(slot)].pgno) made dirty while still loading")
        if !entries[Int(slot)].dirty {
            entries[Int(slot)].dirty = true
            dirtyCount += 1
        }
    }

    package mutating func markClean(_ slot: Int32) {
        if entries[Int(slot)].dirty {
            entries[Int(slot)].dirty = false
            dirtyCount -= 1
        }
    }

    /// The dirty pages' entries, in page-number order.
    package func dirtySlots() -> [Int32] {
        var slots: [Int32] = []
        slots.reserveCapacity(dirtyCount)
        for (i, entry) in entries.enumerated() where entry.pgno != 0 && entry.dirty { slots.append(Int32(i)) }
        slots.sort { entries[Int($0)].pgno < entries[Int($1)].pgno }
        return slots
    }

    /// Takes an entry for `pgno` (which must not be cached): a free one, else the buffer of an
    /// evicted clean unpinned page, else a new one past capacity. The entry comes back unpinned,
    /// clean and not loading; its contents are undefined.
    package mutating func insert(_ pgno: UInt32) -> Int32 {
        precondition(pgno != 0, "page 0 does not exist")
        precondition(index[pgno] == nil, "page \(pgno) is cached twice")
        let slot: Int32
        if let free = freeEntries.popLast() {
            slot = free
        } else if index.count >= capacity, let victim = evictOne() {
            slot = victim
        } else {
            slot = Int32(entries.count)
            entries.append(Entry(buffer: buffers.take()))
        }
        entries[Int(slot)].pgno = pgno
        entries[Int(slot)].pins = 0
        entries[Int(slot)].dirty = false
        entries[Int(slot)].referenced = true
        entries[Int(slot)].loading = nil
        entries[Int(slot)].speculative = false
        index[pgno] = slot
        return slot
    }

    /// Like `insert`, but never past capacity: with the cache full it takes the entry of a page
    /// CLOCK finds cold, and returns nil when every page is pinned, dirty, being read or awaited.
    package mutating func insertWithinCapacity(_ pgno: UInt32) -> Int32? {
        if freeEntries.isEmpty, index.count >= capacity {
            guard let victim = evictOne() else { return nil }
            freeEntries.append(victim)
        }
        return insert(pgno)
    }

    /// Drops a page from the cache. It must be unpinned and have no read in flight; a dirty page
    /// dropped loses its changes (rollback).
    package mutating func remove(_ slot: Int32) {
        let entry = entries[Int(slot)]
        precondition(entry.pgno != 0, "removing a free cache entry")
        precondition(entry.pins == 0, "removing page \(entry.pgno) while it is pinned")
        precondition(entry.loading?.isFinished ?? true, "removing page \(entry.pgno) while it is being read")
        if entry.dirty { dirtyCount -= 1 }
        if slot == awaited { awaited = -1 }
        index[entry.pgno] = nil
        entries[Int(slot)].pgno = 0
        entries[Int(slot)].dirty = false
        entries[Int(slot)].loading = nil
        freeEntries.append(slot)
    }

    /// Moves a cached page to another page number (used when the pager renumbers a page).
    package mutating func renumber(_ slot: Int32, to pgno: UInt32) {
        precondition(index[pgno] == nil, "page \(pgno) is already cached")
        index[entries[Int(slot)].pgno] = nil
        entries[Int(slot)].pgno = pgno
        index[pgno] = slot
    }

    /// Clean, unpinned, idle pages are evictable. CLOCK: pass over referenced ones once, clearing
    /// their bit; take the first that is not referenced.
    private mutating func evictOne() -> Int32? {
        let n = entries.count
        guard n > 0 else { return nil }
        for _ in 0..<(2 * n) {
            let i = hand
            hand = (hand + 1) % n
            let entry = entries[i]
            guard entry.pgno != 0, entry.pins == 0, !entry.dirty, entry.loading?.isFinished ?? true, i != awaited else { continue }
            if entry.referenced {
                entries[i].referenced = false
                continue
            }
            index[entry.pgno] = nil
            entries[i].pgno = 0
            entries[i].loading = nil
            return Int32(i)
        }
        return nil
    }

    /// Every cached page number with its entry, for invalidation sweeps.
    package func cachedPages() -> [(pgno: UInt32, slot: Int32)] {
        index.map { ($0.key, $0.value) }
    }

    /// Drops every clean, unpinned, idle page (a new snapshot may have changed any of them).
    package mutating func removeAllClean() {
        for (pgno, slot) in index {
            let entry = entries[Int(slot)]
            guard !entry.dirty, entry.pins == 0, entry.loading?.isFinished ?? true else { continue }
            // An awaited page goes too: it may be stale in the new snapshot, and the operation
            // that waited for it reads it again.
            if slot == awaited { awaited = -1 }
            index[pgno] = nil
            entries[Int(slot)].pgno = 0
            entries[Int(slot)].loading = nil
            freeEntries.append(slot)
        }
    }

    /// Pins held across every page, for leak checks in tests and at transaction end.
    package var totalPins: Int { entries.reduce(0) { $0 + Int($1.pins) } }

    deinit {
        for entry in entries {
            precondition(entry.loading == nil || entry.loading!.isFinished,
                         "page cache dropped while page \(entry.pgno) is still being read")
        }
        buffers.pool.returnPages(entries.map(\.buffer))
    }
}
