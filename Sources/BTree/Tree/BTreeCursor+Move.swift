import Pager

/// Moving a cursor: first, last, next, previous. Each builds the new path in `pending` and only
/// then replaces the cursor's path, so a `.io` return leaves the cursor where it was.
extension BTreeCursor {
    enum Edge { case left, right }

    /// How many children ahead a scan asks the pager to read while it works on the current one.
    static let readAhead = 8

    /// Positions at the first entry; false when the tree is empty.
    package func first() throws(DatabaseError) -> IOResult<Bool> {
        try move { () throws(DatabaseError) -> IOResult<Bool> in
            try self.descend(into: self.root, toward: .left)
        }
    }

    /// Positions at the last entry; false when the tree is empty.
    package func last() throws(DatabaseError) -> IOResult<Bool> {
        try move { () throws(DatabaseError) -> IOResult<Bool> in
            try self.descend(into: self.root, toward: .right)
        }
    }

    /// Moves to the next entry; false (and at the end) after the last.
    package func next() throws(DatabaseError) -> IOResult<Bool> {
        if case .io(let completion) = try restoreIfSaved() { return .io(completion) }
        switch position {
        case .valid: break
        case .atEnd: return .done(false)
        case .invalid: preconditionFailure("next() on a cursor that was never positioned")
        case .saved: preconditionFailure("a restored cursor is no longer saved")
        }
        if skip > 0 {
            skip = 0
            return .done(true)
        }
        skip = 0
        // Fast path: the next cell of the same leaf, no page needed.
        let top = stack.count - 1
        if stack[top].node.isLeaf && stack[top].index + 1 < stack[top].node.cellCount {
            stack[top].index += 1
            return .done(true)
        }
        return try move(keepingPath: true) { () throws(DatabaseError) -> IOResult<Bool> in try self.advancePending() }
    }

    /// Moves to the previous entry; false (and at the end) before the first.
    package func previous() throws(DatabaseError) -> IOResult<Bool> {
        if case .io(let completion) = try restoreIfSaved() { return .io(completion) }
        switch position {
        case .valid: break
        case .atEnd: return .done(false)
        case .invalid: preconditionFailure("previous() on a cursor that was never positioned")
        case .saved: preconditionFailure("a restored cursor is no longer saved")
        }
        if skip < 0 {
            skip = 0
            return .done(true)
        }
        skip = 0
        let top = stack.count - 1
        if stack[top].node.isLeaf && stack[top].index > 0 {
            stack[top].index -= 1
            return .done(true)
        }
        return try move(keepingPath: true) { () throws(DatabaseError) -> IOResult<Bool> in try self.retreatPending() }
    }

    // MARK: Building paths

    /// Runs a restartable path change. `body` edits `pending` (a copy of the path when
    /// `keepingPath`, else empty) and returns whether it found an entry. On `.io` the cursor is
    /// untouched and the pages the attempt pinned are held until the next attempt ends (see
    /// `held`); on an error they are released. On success the new path becomes the cursor's, and
    /// pages the old path held but the new one does not are released.
    func move(keepingPath: Bool = false, _ body: () throws(DatabaseError) -> IOResult<Bool>) throws(DatabaseError) -> IOResult<Bool> {
        pending.removeAll(keepingCapacity: true)
        freshFrom = 0
        if keepingPath {
            pending.append(contentsOf: stack)
            freshFrom = pending.count
        }
        let result: IOResult<Bool>
        do {
            result = try body()
        } catch {
            abandonPending()
            releaseHeld()
            throw error
        }
        switch result {
        case .io(let completion):
            holdPending(awaiting: completion)
            return .io(completion)
        case .done(let found):
            commitPending()
            releaseHeld()
            position = found ? .valid : .atEnd
            skip = 0
            if !found { releaseStack() }
            return .done(found)
        }
    }

    /// Pending levels below `retainedPrefix` are the old path's; the rest, and the popped
    /// pages, were pinned by this attempt.
    private func abandonPending() {
        for level in pending[retainedPrefix...] { store.release(level.node) }
        pending.removeAll(keepingCapacity: true)
        for node in popped { store.release(node) }
        popped.removeAll(keepingCapacity: true)
    }

    /// An attempt returned `.io`: its pages replace the previous attempt's as the held ones (it
    /// pinned every page of the previous attempt that it reached, so nothing it needs is let go).
    private func holdPending(awaiting completion: Completion) {
        for node in held { store.release(node) }
        held.removeAll(keepingCapacity: true)
        for level in pending[retainedPrefix...] { held.append(level.node) }
        held.append(contentsOf: popped)
        pending.removeAll(keepingCapacity: true)
        popped.removeAll(keepingCapacity: true)
        // The same read returned again (its caller did not wait for it) is not a restart.
        let awaited = ObjectIdentifier(completion)
        if awaited != lastAwaited {
            lastAwaited = awaited
            restarts += 1
            assert(restarts <= 2 * Self.maxDepth + 1,
                   "a restartable operation on the tree rooted at \(root) waited for \(restarts) reads: it makes no progress")
        }
    }

    private func commitPending() {
        for level in stack[retainedPrefix...] { store.release(level.node) }
        swap(&stack, &pending)
        pending.removeAll(keepingCapacity: true)
        for node in popped { store.release(node) }
        popped.removeAll(keepingCapacity: true)
    }

    /// How many of the old path's levels the pending path still holds: the old path is popped
    /// from the top and never pushed again, so they are a prefix of both.
    var retainedPrefix: Int { min(freshFrom, pending.count, stack.count) }

    /// Pops the pending path's top level (its page is still held by the old path, or was pinned
    /// by this attempt and is let go when the attempt ends).
    func popPending() {
        let level = pending.removeLast()
        if pending.count >= freshFrom {
            popped.append(level.node)
        } else {
            freshFrom = pending.count
        }
    }

    /// The schema table of a database that has no page yet (nothing was ever committed): empty,
    /// as sqlite3's moveToRoot treats root page 1 of a zero-page file, rather than page 1 being
    /// out of range.
    var isUnwrittenSchemaTree: Bool { root == 1 && store.pager.databaseSize == 0 }

    /// Appends `pgno` and its leftmost or rightmost descendants down to a leaf to the pending path.
    /// Returns false when that leaf is an empty root (the tree is empty).
    func descend(into pgno: UInt32, toward edge: Edge) throws(DatabaseError) -> IOResult<Bool> {
        if pgno == root && pending.isEmpty && isUnwrittenSchemaTree { return .done(false) }
        var pgno = pgno
        while true {
            guard pending.count < Self.maxDepth else {
                throw DatabaseError.corrupt(page: pgno, "B-tree deeper than \(Self.maxDepth) levels (a loop in the tree)")
            }
            let node: Node
            switch try store.fetchNode(pgno) {
            case .io(let completion): return .io(completion)
            case .done(let loaded): node = loaded
            }
            try checkKind(node)
            if node.isLeaf {
                if node.cellCount == 0 {
                    guard pending.isEmpty else {
                        store.release(node)
                        throw DatabaseError.corrupt(page: pgno, "empty leaf page below the root")
                    }
                    pending.append(Level(node: node, index: 0))
                    return .done(false)
                }
                pending.append(Level(node: node, index: edge == .left ? 0 : node.cellCount - 1))
                return .done(true)
            }
            let index = edge == .left ? 0 : node.cellCount
            pending.append(Level(node: node, index: index))
            if edge == .left { readAheadChildren(of: node, after: 0) }
            pgno = try node.child(index)
        }
    }

    /// Asks the pager for the children that follow `index`, so a forward scan finds them read.
    func readAheadChildren(of node: Node, after index: Int) {
        guard !node.isLeaf, index + 1 <= node.cellCount else { return }
        let last = min(node.cellCount, index + Self.readAhead)
        var pages: [UInt32] = []
        pages.reserveCapacity(last - index)
        for child in (index + 1)...last {
            guard let pgno = try? node.child(child) else { break }
            pages.append(pgno)
        }
        store.pager.prefetch(pages)
    }

    /// The page's type must match the tree's kind; a table page in an index tree is corruption.
    func checkKind(_ node: Node) throws(DatabaseError) {
        if node.header.isTable != kind.isTable {
            store.release(node)
            throw DatabaseError.corrupt(page: node.pgno, "\(node.header.isTable ? "table" : "index") page in \(kind.isTable ? "a table" : "an index") tree rooted at \(root)")
        }
    }

    /// Moves the pending path to the next entry in key order.
    private func advancePending() throws(DatabaseError) -> IOResult<Bool> {
        let top = pending.count - 1
        if !pending[top].node.isLeaf {
            // At an index tree's interior entry (cell c): the next entry is child c+1's first.
            let node = pending[top].node
            pending[top].index += 1
            readAheadChildren(of: node, after: pending[top].index)
            return try descend(into: node.child(pending[top].index), toward: .left)
        }
        if pending[top].index + 1 < pending[top].node.cellCount {
            pending[top].index += 1
            return .done(true)
        }
        popPending()
        while let parent = pending.last {
            let child = parent.index
            if child < parent.node.cellCount {
                if !kind.isTable { return .done(true) }  // the interior cell itself is next
                pending[pending.count - 1].index = child + 1
                readAheadChildren(of: parent.node, after: child + 1)
                return try descend(into: parent.node.child(child + 1), toward: .left)
            }
            popPending()
        }
        return .done(false)
    }

    /// Moves the pending path to the previous entry in key order.
    private func retreatPending() throws(DatabaseError) -> IOResult<Bool> {
        let top = pending.count - 1
        if !pending[top].node.isLeaf {
            // At an index tree's interior entry (cell c): the previous entry is child c's last.
            let node = pending[top].node
            return try descend(into: node.child(pending[top].index), toward: .right)
        }
        if pending[top].index > 0 {
            pending[top].index -= 1
            return .done(true)
        }
        popPending()
        while let parent = pending.last {
            let child = parent.index
            if child > 0 {
                pending[pending.count - 1].index = child - 1
                if !kind.isTable { return .done(true) }  // the interior cell before is previous
                return try descend(into: parent.node.child(child - 1), toward: .right)
            }
            popPending()
        }
        return .done(false)
    }
}
