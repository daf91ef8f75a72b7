import Pager

/// A position in one B-tree: a table tree (entries keyed by rowid, payload in leaves) or an index
/// tree (entries are records ordered by a `KeyInfo`, in leaves and interior pages alike).
///
/// The cursor holds the path from the root to its entry, each page pinned. Moves and seeks are
/// restartable: they build the new path aside, and when a page is not in memory they release what
/// they took and return `.io` without having changed the cursor, so the caller can wait and call
/// again. Writes (insert, delete) wait for their IO on the connection's backend instead.
///
/// When the tree changes through another cursor, this one records its position as a key and lets
/// go of its pages; it seeks back to that key when next used (SQLite's saveCursorPosition).
/// Its hot mutable state is `@exclusivity(unchecked)`: it is confined to its connection's
/// thread and no access to that state overlaps another (the suites ran with the checks on), while
/// the dynamic checks cost about a fifth of a lookup-heavy query's time.
package final class BTreeCursor {
    package enum Kind: Equatable {
        case table
        case index(KeyInfo)

        package var isTable: Bool { self == .table }
    }

    struct Level {
        var node: Node
        /// In an interior node: the child the path descends into (0...cellCount), or, at the top
        /// of an index tree's path, the interior cell that is the current entry. In a leaf: the
        /// current cell.
        var index: Int
    }

    enum Position {
        /// Not positioned: never moved, or its tree changed under it in a way it cannot recover.
        case invalid
        /// At the entry `stack.last` names.
        case valid
        /// Past the last entry or before the first (or the tree is empty).
        case atEnd
        /// Pages released; the position is the entry with this key (or where it was).
        case saved(SavedKey)
    }

    enum SavedKey {
        case rowid(Int64)
        case record([UInt8])
    }

    package let store: TreeStore
    package let root: UInt32
    package let kind: Kind
    package let writable: Bool

    @exclusivity(unchecked) var stack: [Level] = []
    @exclusivity(unchecked) var position: Position = .invalid
    /// Set after a restore that landed next to (not on) the saved key, or after a delete: the
    /// next `next()` (+1) or `previous()` (-1) stays on the entry it is at instead of moving.
    @exclusivity(unchecked) var skip = 0
    /// The path being built by a restartable move.
    @exclusivity(unchecked) var pending: [Level] = []
    /// Levels of `pending` below this index are the old path's own (already pinned by it).
    @exclusivity(unchecked) var freshFrom = 0
    /// Pages the current attempt pinned and then stepped back from (popped): kept pinned until
    /// the attempt ends, so that a `.io` return can hold them too.
    @exclusivity(unchecked) var popped: [Node] = []
    /// Every page the last attempt of a restartable move pinned, when it returned `.io`: they
    /// stay pinned until the next attempt ends. The next attempt retraces the same pages (the
    /// tree and the target are the same), so with these pinned and the page it waited for kept
    /// from eviction by the cache, it gets at least one page further whatever else it reads on
    /// the way (a key's overflow chain longer than the cache evicted the page the last attempt
    /// waited for, and a seek restarted forever).
    @exclusivity(unchecked) var held: [Node] = []
    /// Distinct reads the current restartable operation has waited for, and the last of them:
    /// an operation touches at most 2 * maxDepth pages (down to a leaf, then to its successor),
    /// so more waits than that mean it no longer makes progress.
    @exclusivity(unchecked) var restarts = 0
    @exclusivity(unchecked) var lastAwaited: ObjectIdentifier?
    /// The current entry's payload when it spills into overflow pages.
    @exclusivity(unchecked) var payloadBuffer: [UInt8] = []
    /// Scratch for the record of an index entry being compared or saved.
    @exclusivity(unchecked) var recordBuffer: [UInt8] = []

    /// SQLite limits a path to 20 levels; a deeper tree is a loop in the page graph.
    static let maxDepth = 20

    package init(store: TreeStore, root: UInt32, kind: Kind, writable: Bool) {
        precondition(root >= 1, "root page numbers start at 1")
        self.store = store
        self.root = root
        self.kind = kind
        self.writable = writable
        stack.reserveCapacity(Self.maxDepth)
        pending.reserveCapacity(Self.maxDepth)
        popped.reserveCapacity(Self.maxDepth)
        held.reserveCapacity(2 * Self.maxDepth)
        store.register(self)
    }

    deinit {
        releaseStack()
        store.unregister(self)
    }

    /// Releases the cursor's pages; it must be positioned again before use.
    package func close() {
        releaseStack()
        position = .invalid
    }

    /// Lets go of the path, and of pages held for an operation that returned `.io` and is not
    /// coming back (the cursor is closed, saved or repositioned by a new operation).
    func releaseStack() {
        for level in stack { store.release(level.node) }
        stack.removeAll(keepingCapacity: true)
        releaseHeld()
    }

    func releaseHeld() {
        for node in held { store.release(node) }
        held.removeAll(keepingCapacity: true)
        restarts = 0
        lastAwaited = nil
    }

    /// True when the cursor is at an entry (after resolving a saved position, which may need IO).
    package var isValid: Bool {
        if case .valid = position { return true }
        return false
    }

    package var isAtEnd: Bool {
        if case .atEnd = position { return true }
        return false
    }

    // MARK: The current entry

    /// The current entry's cell.
    package func currentCell() throws(DatabaseError) -> CellInfo {
        guard case .valid = position, let top = stack.last else {
            preconditionFailure("reading the entry of a cursor that is not at one")
        }
        return try top.node.cell(top.index)
    }

    /// The rowid of the current entry of a table cursor.
    package func rowid() throws(DatabaseError) -> Int64 {
        precondition(kind.isTable, "only table entries have a rowid key")
        return try currentCell().key
    }

    /// Calls `body` with the current entry's whole payload: straight from the page when it is all
    /// there, else assembled with its overflow pages (read, waiting if needed) into a buffer the
    /// cursor reuses. Valid only during `body`.
    package func withPayload<R>(_ body: (UnsafeRawBufferPointer) throws(DatabaseError) -> R) throws(DatabaseError) -> R {
        try withPayload(of: try currentCell(), body)
    }

    /// `withPayload` for a caller that has just read `currentCell()` and not moved the cursor
    /// since, which saves parsing the cell again.
    package func withPayload<R>(of cell: CellInfo, _ body: (UnsafeRawBufferPointer) throws(DatabaseError) -> R) throws(DatabaseError) -> R {
        let node = stack.last!.node
        if !cell.hasOverflow {
            return try body(UnsafeRawBufferPointer(rebasing: node.bytes[cell.localPayloadRange]))
        }
        try store.readPayload(of: cell, in: node, into: &payloadBuffer)
        return try payloadBuffer.withBytes { (bytes) throws(DatabaseError) -> R in try body(bytes) }
    }

    /// The current entry's payload size in bytes.
    package func payloadSize() throws(DatabaseError) -> Int { try currentCell().payloadSize }

    // MARK: Saving and restoring the position

    /// Records the position as a key and releases the pages (another cursor is about to change
    /// the tree).
    func savePosition() throws(DatabaseError) {
        guard case .valid = position else {
            releaseStack()
            if case .saved = position { return }
            if case .atEnd = position { return }
            position = .invalid
            return
        }
        let key: SavedKey
        if kind.isTable {
            key = .rowid(try rowid())
        } else {
            key = .record(try withPayload { Array($0) })
        }
        releaseStack()
        position = .saved(key)
    }

    /// Forgets the position entirely (the tree is being dropped or cleared).
    func invalidate() {
        releaseStack()
        position = .invalid
        skip = 0
    }

    /// Resolves a saved position by seeking its key. Restartable.
    func restoreIfSaved() throws(DatabaseError) -> IOResult<Void> {
        guard case .saved(let key) = position else { return .done }
        let result: IOResult<SeekResult>
        switch key {
        case .rowid(let rowid): result = try seek(rowid: rowid)
        case .record(let record): result = try seek(record: record)
        }
        switch result {
        case .io(let completion):
            return .io(completion)
        case .done(let found):
            switch found {
            case .exact: skip = 0
            case .after: skip = 1
            case .before: skip = -1
            case .empty: skip = 0
            }
            return .done
        }
    }
}

@available(*, unavailable)
extension BTreeCursor: Sendable {}

/// Where a seek left the cursor relative to the key it looked for.
package enum SeekResult: Equatable {
    /// At an entry equal to the key.
    case exact
    /// At the smallest entry greater than the key (no equal entry).
    case after
    /// At the largest entry smaller than the key: every entry is smaller.
    case before
    /// The tree is empty; the cursor is at the end.
    case empty
}
