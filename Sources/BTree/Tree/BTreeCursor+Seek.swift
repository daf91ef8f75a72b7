import Pager

/// Seeking: descend from the root by binary search on each page. Like moves, a seek builds its
/// path aside and is restartable.
extension BTreeCursor {
    /// Positions a table cursor at `rowid`, or at the smallest larger rowid (`.after`), or at the
    /// largest rowid when every rowid is smaller (`.before`).
    package func seek(rowid: Int64) throws(DatabaseError) -> IOResult<SeekResult> {
        precondition(kind.isTable, "seek(rowid:) is for table trees")
        return try seekPath { (node) throws(DatabaseError) -> (index: Int, exact: Bool) in
            try self.searchTablePage(node, rowid)
        }
    }

    /// The first cell of a table page whose key is >= rowid, and whether it is equal on a leaf.
    /// In an interior page, the keys of child i are at most cell i's key, so an equal cell's
    /// child is where rowid lives.
    func searchTablePage(_ node: Node, _ rowid: Int64) throws(DatabaseError) -> (index: Int, exact: Bool) {
        let (index, exact) = try Self.searchCells(node.cellCount) { (i) throws(DatabaseError) -> Int in
            let key = try self.tableKey(node, i)
            return key < rowid ? -1 : key > rowid ? 1 : 0
        }
        return (index, exact && node.isLeaf)
    }

    /// Binary search over a page's cells in SQLite's probe order (sqlite3BtreeTableMoveto and
    /// sqlite3BtreeIndexMoveto start at (n - 1) / 2): `compare(i)` orders cell i against the
    /// target. Returns an equal cell, or the first cell greater than the target (n when none is).
    /// On a well-formed page any search order finds the same cell; on a damaged one (keys out of
    /// order) SQLite's order finds what sqlite3 finds, which the integrity check's agreement with
    /// sqlite3 depends on.
    static func searchCells(_ count: Int, _ compare: (Int) throws(DatabaseError) -> Int) throws(DatabaseError) -> (index: Int, exact: Bool) {
        guard count > 0 else { return (0, false) }
        var lower = 0
        var upper = count - 1
        var probe = upper >> 1
        while true {
            let order = try compare(probe)
            if order < 0 {
                lower = probe + 1
            } else if order > 0 {
                upper = probe - 1
            } else {
                return (probe, true)
            }
            if lower > upper { return (lower, false) }
            probe = (lower + upper) >> 1
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
    func searchIndexPage(_ node: Node, _ compare: (UnsafeRawBufferPointer) throws(DatabaseError) -> Int) throws(DatabaseError) -> (index: Int, exact: Bool) {
        try Self.searchCells(node.cellCount) { (i) throws(DatabaseError) -> Int in
            let cell = try node.cell(i)
            if cell.hasOverflow {
                try self.store.readPayload(of: cell, in: node, into: &self.recordBuffer)
                return try self.recordBuffer.withBytes { (bytes) throws(DatabaseError) -> Int in try compare(bytes) }
            }
            return try compare(UnsafeRawBufferPointer(rebasing: node.bytes[cell.localPayloadRange]))
        }
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
            if self.isUnwrittenSchemaTree {
                outcome = .empty
                return .done(false)
            }
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
                let (index, exact) = try self.searching(node, search)
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

    /// `search` over a node not yet on the pending path: when it throws (a corrupt cell), the
    /// node's pin is let go here, since `move` releases only the pages on the path, and a pin left
    /// behind would stop the transaction's commit or rollback.
    func searching(_ node: Node, _ search: (Node) throws(DatabaseError) -> (index: Int, exact: Bool)) throws(DatabaseError) -> (index: Int, exact: Bool) {
        do {
            return try search(node)
        } catch {
            store.release(node)
            throw error
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
