import Pager

/// Seeking: descend from the root by binary search on each page. Like moves, a seek builds its
/// path aside and is restartable.
extension BTreeCursor {
    /// Positions a table cursor at `rowid`, or at the smallest larger rowid (`.after`), or at the
    /// largest rowid when every rowid is smaller (`.before`).
    package func seek(rowid: Int64) throws(DatabaseError) -> IOResult<SeekResult> {
        precondition(kind.isTable, "seek(rowid:) is for table trees")
        return try seekPath { (node) throws(DatabaseError) -> (index: Int, exact: Bool) in
            // First cell whose key is >= rowid. In an interior page, the keys of child i are at
            // most cell i's key, so that cell's child is where rowid lives.
            var low = 0
            var high = node.cellCount
            while low < high {
                let mid = (low + high) / 2
                let key = try self.tableKey(node, mid)
                if key < rowid {
                    low = mid + 1
                } else {
                    high = mid
                }
            }
            guard node.isLeaf && low < node.cellCount else { return (low, false) }
            return (low, try self.tableKey(node, low) == rowid)
        }
    }

    /// Positions an index cursor by comparing each entry with `key` (a prefix of the index's
    /// columns) under the index's key info. `defaultResult` is what an entry whose compared
    /// columns all equal the key counts as (SQLite's default_rc): +1 finds the first such entry
    /// (seek GE), -1 goes past them all (seek GT); 0 stops at an equal entry.
    package func seek(key: [Value], defaultResult: Int) throws(DatabaseError) -> IOResult<SeekResult> {
        guard case .index(let keyInfo) = kind else { preconditionFailure("seek(key:) is for index trees") }
        return try seekPath { (node) throws(DatabaseError) -> (index: Int, exact: Bool) in
            try self.searchIndexPage(node) { (record) throws(DatabaseError) -> Int in
                do throws(CorruptionError) { return try keyInfo.compare(record: record, to: key, defaultResult: defaultResult) }
                catch { throw error.onPage(node.pgno).databaseError }
            }
        }
    }

    /// Positions an index cursor at the entry equal to a whole record (or where it would go).
    package func seek(record: [UInt8]) throws(DatabaseError) -> IOResult<SeekResult> {
        guard case .index(let keyInfo) = kind else { preconditionFailure("seek(record:) is for index trees") }
        return try record.withBytes { (target) throws(DatabaseError) -> IOResult<SeekResult> in
            try seekPath { (node) throws(DatabaseError) -> (index: Int, exact: Bool) in
                try self.searchIndexPage(node) { (entry) throws(DatabaseError) -> Int in
                    do throws(CorruptionError) { return try keyInfo.compare(record: entry, toRecord: target) }
                    catch { throw error.onPage(node.pgno).databaseError }
                }
            }
        }
    }

    /// Binary search of an index page: the first cell comparing greater than the target, or an
    /// equal one (which, in an index tree, is an entry wherever it is).
    private func searchIndexPage(_ node: Node, _ compare: (UnsafeRawBufferPointer) throws(DatabaseError) -> Int) throws(DatabaseError) -> (index: Int, exact: Bool) {
        var low = 0
        var high = node.cellCount
        while low < high {
            let mid = (low + high) / 2
            let cell = try node.cell(mid)
            let order: Int
            if cell.hasOverflow {
                try store.readPayload(of: cell, in: node, into: &recordBuffer)
                order = try recordBuffer.withBytes { (bytes) throws(DatabaseError) -> Int in try compare(bytes) }
            } else {
                order = try compare(UnsafeRawBufferPointer(rebasing: node.bytes[cell.localPayloadRange]))
            }
            if order == 0 { return (mid, true) }
            if order < 0 { low = mid + 1 } else { high = mid }
        }
        return (low, false)
    }

    /// The rowid key of cell `index` of a table page, read without parsing the rest of the cell.
    @inline(__always)
    func tableKey(_ node: Node, _ index: Int) throws(DatabaseError) -> Int64 {
        try node.cell(index).key
    }

    /// Descends from the root, choosing at each page the index `search` returns (a child of an
    /// interior page, a cell of a leaf), and positions the cursor as described for `SeekResult`.
    private func seekPath(_ search: (Node) throws(DatabaseError) -> (index: Int, exact: Bool)) throws(DatabaseError) -> IOResult<SeekResult> {
        var outcome = SeekResult.empty
        let moved = try move { () throws(DatabaseError) -> IOResult<Bool> in
            var pgno = self.root
            while true {
                guard self.pending.count < Self.maxDepth else {
                    throw DatabaseError.corrupt(page: pgno, "B-tree deeper than \(Self.maxDepth) levels (a loop in the tree)")
                }
                let node: Node
                switch try self.store.fetchNode(pgno) {
                case .io(let completion): return .io(completion)
                case .done(let loaded): node = loaded
                }
                try self.checkKind(node)
                let (index, exact) = try search(node)
                if exact {
                    // An equal key: a leaf cell, or an index tree's interior cell (an entry too).
                    self.pending.append(Level(node: node, index: index))
                    outcome = .exact
                    return .done(true)
                }
                if node.isLeaf {
                    if node.cellCount == 0 {
                        self.pending.append(Level(node: node, index: 0))
                        guard self.pending.count == 1 else {
                            throw DatabaseError.corrupt(page: pgno, "empty leaf page below the root")
                        }
                        outcome = .empty
                        return .done(false)
                    }
                    if index < node.cellCount {
                        self.pending.append(Level(node: node, index: index))
                        outcome = .after
                        return .done(true)
                    }
                    // Every key here is smaller: the next entry, if any, is further on.
                    self.pending.append(Level(node: node, index: node.cellCount - 1))
                    return try self.seekSuccessorOfLastCell(&outcome)
                }
                self.pending.append(Level(node: node, index: index))
                pgno = try node.child(index)
            }
        }
        switch moved {
        case .io(let completion): return .io(completion)
        case .done: return .done(outcome)
        }
    }

    /// The pending path is at the last cell of a leaf whose keys are all below the target: find
    /// the entry after it. When there is none, the path goes back to that last cell (`.before`).
    private func seekSuccessorOfLastCell(_ outcome: inout SeekResult) throws(DatabaseError) -> IOResult<Bool> {
        // The successor is up the path: the first ancestor not already at its last child.
        var depth = pending.count - 1
        while depth > 0 {
            let parent = pending[depth - 1]
            if parent.index < parent.node.cellCount { break }
            depth -= 1
        }
        guard depth > 0 else {
            outcome = .before
            return .done(true)
        }
        // Pop to that ancestor and step: an index tree's interior cell is itself the successor;
        // a table tree continues in the next child's leftmost leaf.
        while pending.count > depth { popPending() }
        let parentIndex = pending.count - 1
        outcome = .after
        if !kind.isTable { return .done(true) }
        pending[parentIndex].index += 1
        return try descend(into: pending[parentIndex].node.child(pending[parentIndex].index), toward: .left)
    }
}
