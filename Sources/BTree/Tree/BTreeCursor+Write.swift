import Pager

/// Inserting and deleting. These wait for their IO on the connection's backend (they are not
/// restartable: a balance changes many pages), and leave the cursor's position saved by key.
extension BTreeCursor {
    /// Runs a restartable operation to completion, waiting on the backend whenever it needs IO.
    package func blocking<T, E: Error>(_ operation: () throws(E) -> IOResult<T>) throws(E) -> T {
        while true {
            switch try operation() {
            case .done(let value): return value
            case .io(let completion): store.pager.backend.wait(for: completion)
            }
        }
    }

    /// Inserts (or replaces) the row `rowid` of a table tree.
    package func insert(rowid: Int64, payload: UnsafeRawBufferPointer) throws(DatabaseError) {
        precondition(writable && kind.isTable, "insert(rowid:) needs a writable table cursor")
        try store.saveOtherCursors(on: root, except: self)
        let exact = try blocking { () throws(DatabaseError) -> IOResult<Bool> in
            try self.descendForInsert { (node) throws(DatabaseError) -> (index: Int, exact: Bool) in
                try self.searchTablePage(node, rowid)
            }
        }
        let layout = store.geometry.cellLayout(pageType: .tableLeaf, payloadSize: payload.count, rowid: rowid)
        try place(payload: payload, layout: layout, rowid: rowid, exact: exact, savedKey: .rowid(rowid))
    }

    /// Inserts a record into an index tree, replacing an entry equal to it on its first
    /// `keyFields` fields (all of them by default), as SQLite does: a WITHOUT ROWID table's
    /// records compare on their primary key columns only, so a new version of a row replaces the
    /// old one.
    package func insert(record: UnsafeRawBufferPointer, keyFields: Int = .max) throws(DatabaseError) {
        guard writable, case .index(let keyInfo) = kind else {
            preconditionFailure("insert(record:) needs a writable index cursor")
        }
        try store.saveOtherCursors(on: root, except: self)
        let exact = try blocking { () throws(DatabaseError) -> IOResult<Bool> in
            try self.descendForInsert { (node) throws(DatabaseError) -> (index: Int, exact: Bool) in
                try self.searchIndexPage(node) { (entry) throws(DatabaseError) -> Int in
                    do throws(CorruptionError) { return try keyInfo.compare(record: entry, toRecord: record, fieldLimit: keyFields) }
                    catch { throw error.onPage(node.pgno).databaseError }
                }
            }
        }
        let layout = store.geometry.cellLayout(pageType: .indexLeaf, payloadSize: record.count)
        try place(payload: record, layout: layout, rowid: 0, exact: exact, savedKey: .record(Array(record)))
    }

    /// Descends to where a key belongs, leaving the path's top at a leaf cell index that may be
    /// one past the last cell (an append to that leaf), or at an equal entry (which, in an index
    /// tree, may be an interior cell). Restartable. Returns whether the key is there already.
    private func descendForInsert(_ search: (Node) throws(DatabaseError) -> (index: Int, exact: Bool)) throws(DatabaseError) -> IOResult<Bool> {
        var exact = false
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
                let (index, found) = try self.searching(node, search)
                self.pending.append(Level(node: node, index: index))
                if found || node.isLeaf {
                    exact = found
                    return .done(true)
                }
                pgno = try node.child(index)
            }
        }
        switch moved {
        case .io(let completion): return .io(completion)
        case .done: return .done(exact)
        }
    }

    /// Puts a new cell where `descendForInsert` left the path: over the equal entry, or before
    /// the cell at the path's index. Balances when it does not fit.
    private func place(payload: UnsafeRawBufferPointer, layout: CellLayout, rowid: Int64, exact: Bool, savedKey: SavedKey) throws(DatabaseError) {
        let top = stack.count - 1
        let index = stack[top].index
        var node = stack[top].node
        // The cell: a leaf cell, or for an equal entry in an index tree's interior page the same
        // bytes behind that entry's child pointer.
        let interior = !node.isLeaf
        precondition(!interior || exact, "new cells go into leaves")
        let oldCell: CellInfo? = exact ? try node.cell(index) : nil
        var firstOverflow: UInt32 = 0
        if layout.hasOverflow { firstOverflow = try store.writeOverflowChain(payload, layout: layout) }
        var cell = [UInt8](repeating: 0, count: layout.cellSize + (interior ? 4 : 0))
        cell.withUnsafeMutableBytes { bytes in
            let target = UnsafeMutableRawBufferPointer(rebasing: bytes[(interior ? 4 : 0)...])
            CellBuilder.writeCell(into: target, layout: layout, rowid: rowid, payload: payload, firstOverflowPage: firstOverflow)
            if interior { BigEndian.write32(bytes, at: 0, oldCell!.leftChild) }
        }
        if let oldCell, firstOverflow == 0, oldCell.cellSize == cell.count,
           oldCell.cellOffset >= 0, oldCell.cellOffset + cell.count <= node.bytes.count,
           cell.withUnsafeBytes({ $0.elementsEqual(node.bytes[oldCell.cellOffset..<oldCell.cellOffset + cell.count]) }) {
            // The entry already holds these bytes: leave the page clean, as sqlite3's
            // btreeOverwriteContent does. An UPDATE that changes nothing then writes nothing,
            // and, committing nothing, leaves other connections' snapshots current.
            position = .valid
            skip = 0
            return
        }
        store.makeWritable(node)
        if let oldCell {
            try store.freeOverflowChain(of: oldCell)
            if oldCell.cellSize == cell.count {
                // Same size: overwrite in place (the common UPDATE of fixed-width columns).
                cell.withUnsafeBytes { copyBytes(from: $0, to: node.mutableBytes, at: oldCell.cellOffset) }
                position = .valid
                skip = 0
                return
            }
            do throws(CorruptionError) { try node.header.dropCell(at: index, in: node.mutableBytes) } catch { throw error.databaseError }
        }
        let inserted = try cell.withBytes { (bytes) throws(DatabaseError) -> Bool in
            do throws(CorruptionError) { return try node.header.insertCell(bytes, at: index, in: node.mutableBytes) } catch { throw error.databaseError }
        }
        stack[top].node = node
        if inserted {
            position = .valid
            skip = 0
            return
        }
        var overrides = [PageContent?](repeating: nil, count: stack.count)
        var touched = [Bool](repeating: false, count: stack.count)
        if try !appendToNewRightmostLeaf(cell, index: index, overrides: &overrides) {
            var content = try PageContent(of: node)
            cell.withUnsafeBytes { content.cells.insert($0, at: index) }
            overrides[top] = content
        }
        try balance(overrides: &overrides, touched: &touched, from: top)
        releaseStack()
        position = .saved(savedKey)
        skip = 0
    }

    /// SQLite's balance_quick: a row appended past the end of a table's rightmost leaf, when
    /// that leaf is full, starts a new leaf of its own instead of splitting the full one, so
    /// tables filled in rowid order end up with full pages. Returns false when it does not apply.
    private func appendToNewRightmostLeaf(_ cell: [UInt8], index: Int, overrides: inout [PageContent?]) throws(DatabaseError) -> Bool {
        let top = stack.count - 1
        let leaf = stack[top].node
        guard kind.isTable, leaf.isLeaf, top > 0, index == leaf.cellCount, leaf.cellCount > 0,
              stack[top - 1].index == stack[top - 1].node.cellCount else { return false }
        let page = try store.allocatePage()
        // Released on every way out: an error below must not leave it pinned for the rollback.
        defer { store.pager.release(page) }
        var header = BTreePage.initialize(page.bytes, pageNumber: page.pgno, type: .tableLeaf, geometry: store.geometry)
        let inserted = try cell.withBytes { (bytes) throws(DatabaseError) -> Bool in
            do throws(CorruptionError) { return try header.insertCell(bytes, at: 0, in: page.bytes) } catch { throw error.databaseError }
        }
        precondition(inserted, "one cell always fits an empty leaf")
        let maxRowid = try leaf.cell(leaf.cellCount - 1).key
        var parent = try PageContent(of: stack[top - 1].node)
        var divider = [UInt8](repeating: 0, count: 13)
        let length = divider.withUnsafeMutableBytes { bytes in
            BigEndian.write32(bytes, at: 0, leaf.pgno)
            return 4 + Varint.write(UInt64(bitPattern: maxRowid), into: bytes, at: 4)
        }
        divider.withUnsafeBytes { parent.cells.append(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
        parent.rightChild = page.pgno
        overrides[top - 1] = parent
        return true
    }

    /// Deletes the current entry. Afterwards the cursor's position is the deleted key's: the next
    /// `next()` lands on the entry after it, the next `previous()` on the one before.
    package func delete() throws(DatabaseError) {
        precondition(writable, "delete() needs a writable cursor")
        try blocking { () throws(DatabaseError) -> IOResult<Void> in try self.restoreIfSaved() }
        guard case .valid = position else { preconditionFailure("delete() on a cursor that is not at an entry") }
        try store.saveOtherCursors(on: root, except: self)
        let savedKey: SavedKey = kind.isTable ? .rowid(try rowid()) : .record(try withPayload { Array($0) })
        let top = stack.count - 1
        var node = stack[top].node
        let index = stack[top].index
        let cell = try node.cell(index)
        var overrides = [PageContent?](repeating: nil, count: stack.count)
        var touched = [Bool](repeating: false, count: stack.count)
        if node.isLeaf {
            try store.freeOverflowChain(of: cell)
            store.makeWritable(node)
            do throws(CorruptionError) { try node.header.dropCell(at: index, in: node.mutableBytes) } catch { throw error.databaseError }
            stack[top].node = node
            touched[top] = true
            try balance(overrides: &overrides, touched: &touched, from: top)
        } else {
            try deleteInteriorEntry(cell, at: top, overrides: &overrides, touched: &touched)
        }
        releaseStack()
        position = .saved(savedKey)
        skip = 0
    }

    /// An index tree's interior entry is replaced by its predecessor (the last entry of its left
    /// subtree, always in a leaf), which is then removed from that leaf.
    private func deleteInteriorEntry(_ cell: CellInfo, at level: Int, overrides: inout [PageContent?], touched: inout [Bool]) throws(DatabaseError) {
        let index = stack[level].index
        _ = try blocking { () throws(DatabaseError) -> IOResult<Bool> in
            try self.move(keepingPath: true) { () throws(DatabaseError) -> IOResult<Bool> in
                try self.descend(into: cell.leftChild, toward: .right)
            }
        }
        overrides = [PageContent?](repeating: nil, count: stack.count)
        touched = [Bool](repeating: false, count: stack.count)
        let leafLevel = stack.count - 1
        var leaf = stack[leafLevel].node
        let predecessorIndex = stack[leafLevel].index
        let predecessor = try leaf.cell(predecessorIndex)
        var replacement = [UInt8](repeating: 0, count: 4)
        replacement.withUnsafeMutableBytes { BigEndian.write32($0, at: 0, cell.leftChild) }
        replacement.append(contentsOf: leaf.bytes[predecessor.cellOffset..<predecessor.cellOffset + predecessor.cellSize])

        try store.freeOverflowChain(of: cell)
        var interior = stack[level].node
        store.makeWritable(interior)
        do throws(CorruptionError) { try interior.header.dropCell(at: index, in: interior.mutableBytes) } catch { throw error.databaseError }
        let inserted = try replacement.withBytes { (bytes) throws(DatabaseError) -> Bool in
            do throws(CorruptionError) { return try interior.header.insertCell(bytes, at: index, in: interior.mutableBytes) } catch { throw error.databaseError }
        }
        stack[level].node = interior
        if inserted {
            touched[level] = true
        } else {
            var content = try PageContent(of: interior)
            replacement.withUnsafeBytes { content.cells.insert($0, at: index) }
            overrides[level] = content
        }
        // The predecessor's overflow chain now belongs to the interior cell: drop, don't free.
        store.makeWritable(leaf)
        do throws(CorruptionError) { try leaf.header.dropCell(at: predecessorIndex, in: leaf.mutableBytes) } catch { throw error.databaseError }
        stack[leafLevel].node = leaf
        touched[leafLevel] = true
        try balance(overrides: &overrides, touched: &touched, from: leafLevel)
    }
}
