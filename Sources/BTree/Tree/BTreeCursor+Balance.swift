import Pager

/// Balancing: after an insert that does not fit, or a delete that leaves a page under a third
/// full, pages are rewritten so every page fits and none below the root is too empty.
///
/// Each level of the cursor's path may carry an override: the content its page should hold, which
/// may not fit. Balancing walks from the deepest changed level up to the root. A level that fits
/// (and is full enough, or is the root) is written; one that does not is redistributed with up to
/// two neighbours (SQLite's balance_nonroot), which gives its parent new dividers, so the parent
/// gets an override in turn. A root that does not fit moves its content into a new child and
/// becomes that child's parent (balance_deeper), so the root page number never changes; an
/// interior root left with no cells takes in its only child (balance_shallower).
extension BTreeCursor {
    /// Balances the path from `level` up, where `overrides[i]` is the content level i's page must
    /// hold (nil: its page as it is) and `touched` marks levels whose page changed in place (they
    /// may now be under-full). Leaves the path's pages in place for the caller to release.
    func balance(overrides: inout [PageContent?], touched: inout [Bool], from start: Int) throws(DatabaseError) {
        precondition(overrides.count == stack.count && touched.count == stack.count, "one override per path level")
        var level = start
        while level >= 0 {
            let node = stack[level].node
            guard overrides[level] != nil || touched[level] else {
                level -= 1
                continue
            }
            let content: PageContent
            if let override = overrides[level] { content = override } else { content = try PageContent(of: node) }
            let capacity = store.geometry.cellCapacity(content.type, pageNumber: node.pgno)
            let fits = content.usedBytes <= capacity
            if level == 0 {
                if !fits {
                    try deepenRoot(content, overrides: &overrides, touched: &touched)
                    level = 1
                    continue
                }
                if !content.type.isLeaf && content.cells.isEmpty {
                    try shallowRoot(content)
                } else if overrides[0] != nil {
                    try write(content, to: node)
                }
                overrides[0] = nil
                level -= 1
                continue
            }
            let underfull = content.usedBytes * 3 < store.geometry.usableSize
            if fits && !underfull {
                if overrides[level] != nil { try write(content, to: node) }
                overrides[level] = nil
                level -= 1
                continue
            }
            try balanceNonRoot(level, content, overrides: &overrides)
            overrides[level] = nil
            touched[level] = false
            level -= 1
        }
    }

    /// Rewrites a page with `content`, which must fit.
    func write(_ content: PageContent, to node: Node) throws(DatabaseError) {
        store.makeWritable(node)
        var header = BTreePage.initialize(node.mutableBytes, pageNumber: node.pgno, type: content.type, geometry: store.geometry)
        for index in 0..<content.cells.count {
            let inserted = try content.cells.withCell(index) { (cell) throws(DatabaseError) -> Bool in
                do throws(CorruptionError) { return try header.insertCell(cell, at: index, in: node.mutableBytes) } catch { throw error.databaseError }
            }
            precondition(inserted, "page \(node.pgno) was given more cells than fit")
        }
        if !content.type.isLeaf {
            precondition(content.rightChild != 0, "an interior page needs a right child")
            header.setRightChild(content.rightChild, in: node.mutableBytes)
        }
    }

    /// The root's content does not fit: it moves to a new child page, and the root becomes an
    /// interior page whose only child is that page. The path gains a level below the root.
    private func deepenRoot(_ content: PageContent, overrides: inout [PageContent?], touched: inout [Bool]) throws(DatabaseError) {
        let childPage = try store.allocatePage()
        let childHeader = BTreePage.initialize(childPage.bytes, pageNumber: childPage.pgno, type: content.type, geometry: store.geometry)
        let child = Node(page: childPage, header: childHeader)
        guard stack.count < Self.maxDepth else {
            store.release(child)
            throw DatabaseError.corrupt(page: root, "B-tree deeper than \(Self.maxDepth) levels")
        }
        // The child takes over the root's place on the path (and the root's child index).
        stack.insert(Level(node: child, index: stack[0].index), at: 1)
        stack[0].index = 0
        overrides[0] = PageContent(type: content.type.interiorType, rightChild: childPage.pgno)
        overrides.insert(content, at: 1)
        touched.insert(true, at: 1)
    }

    /// An interior root with no cells takes in its only child, when the child's cells fit.
    private func shallowRoot(_ content: PageContent) throws(DatabaseError) {
        let rootNode = stack[0].node
        let childNumber = content.rightChild
        let child = try store.node(childNumber)
        defer { store.release(child) }
        try checkKind(child)
        let childContent = try PageContent(of: child)
        if childContent.usedBytes <= store.geometry.cellCapacity(childContent.type, pageNumber: rootNode.pgno) {
            try write(childContent, to: rootNode)
            try store.freePage(childNumber)
        } else {
            try write(content, to: rootNode)
        }
    }

    /// Redistributes the cells of the page at `level` (its content given) and up to two of its
    /// siblings over as many pages as they need, and gives the parent its new dividers as an
    /// override.
    private func balanceNonRoot(_ level: Int, _ content: PageContent, overrides: inout [PageContent?]) throws(DatabaseError) {
        let parentNode = stack[level - 1].node
        var parent: PageContent
        if let override = overrides[level - 1] { parent = override } else { parent = try PageContent(of: parentNode) }
        let childIndex = stack[level - 1].index
        let childCount = parent.cells.count + 1
        precondition(childIndex >= 0 && childIndex < childCount, "path index outside its parent")
        let first = max(0, min(childIndex - 1, childCount - 3))
        let siblingCount = min(3, childCount)

        func childNumber(_ i: Int) -> UInt32 { i == parent.cells.count ? parent.rightChild : parent.cells.child(i) }

        // Load the siblings (the page at `level` is already on the path) and gather every cell,
        // with the parent's dividers between them where the page type keeps dividers as cells.
        var siblings: [Node] = []
        defer { for sibling in siblings where sibling.pgno != stack[level].node.pgno { store.release(sibling) } }
        var contents: [PageContent] = []
        for i in first..<(first + siblingCount) {
            let pgno = childNumber(i)
            if i == childIndex {
                precondition(pgno == stack[level].node.pgno, "the path's page is not its parent's child")
                siblings.append(stack[level].node)
                contents.append(content)
            } else {
                let sibling = try store.node(pgno)
                siblings.append(sibling)
                try checkKind(sibling)
                guard sibling.header.pageType == content.type else {
                    throw DatabaseError.corrupt(page: pgno, "sibling pages of different types under page \(parentNode.pgno)")
                }
                contents.append(try PageContent(of: sibling))
            }
        }
        let type = content.type
        let leafTable = type == .tableLeaf
        var all = CellList()
        for (k, sibling) in contents.enumerated() {
            for c in 0..<sibling.cells.count { all.append(from: sibling.cells, c) }
            guard k < contents.count - 1, !leafTable else { continue }
            let divider = first + k
            if type.isLeaf {
                all.append(from: parent.cells, divider, droppingChild: true)  // index leaf: the key comes down
            } else {
                all.append(from: parent.cells, divider, replacingChild: sibling.rightChild)
            }
        }
        let finalRightChild = contents.last!.rightChild
        let capacity = store.geometry.usableSize - type.headerSize
        let ranges = CellDistribution.split(sizes: all.sizes.map { $0 + 2 }, capacity: capacity, dividers: !leafTable)

        // Page numbers: the siblings' own first, more from the allocator, extras freed; used in
        // ascending order so a scan reads the file forwards.
        var pages: [Node] = []
        var newlyAllocated: [Node] = []
        defer { for node in newlyAllocated { store.release(node) } }
        for k in 0..<ranges.count {
            if k < siblings.count {
                pages.append(siblings[k])
            } else {
                let page = try store.allocatePage()
                let node = Node(page: page, header: BTreePage.initialize(page.bytes, pageNumber: page.pgno, type: type, geometry: store.geometry))
                newlyAllocated.append(node)
                pages.append(node)
            }
        }
        pages.sort { $0.pgno < $1.pgno }
        for extra in siblings.dropFirst(ranges.count) {
            try store.freePage(extra.pgno)
        }

        // Write the pages and collect the dividers they give the parent.
        var dividers = CellList()
        for (k, range) in ranges.enumerated() {
            var page = PageContent(type: type)
            for c in range { page.cells.append(from: all, c) }
            let isLast = k == ranges.count - 1
            if !type.isLeaf {
                page.rightChild = isLast ? finalRightChild : all.child(range.upperBound)
            }
            try write(page, to: pages[k])
            guard !isLast else { continue }
            let pgno = pages[k].pgno
            if leafTable {
                let maxRowid = try lastRowid(of: page.cells)
                var cell = [UInt8](repeating: 0, count: 4 + 9)
                let length = cell.withUnsafeMutableBytes { bytes in
                    BigEndian.write32(bytes, at: 0, pgno)
                    return 4 + Varint.write(UInt64(bitPattern: maxRowid), into: bytes, at: 4)
                }
                cell.withUnsafeBytes { dividers.append(UnsafeRawBufferPointer(rebasing: $0[0..<length])) }
            } else if type.isLeaf {
                dividers.append(from: all, range.upperBound, prependingChild: pgno)
            } else {
                dividers.append(from: all, range.upperBound, replacingChild: pgno)
            }
        }

        // The parent: the old dividers between the siblings give way to the new ones, and the
        // pointer that led to the last sibling now leads to the last new page.
        var rebuilt = CellList()
        for c in 0..<first { rebuilt.append(from: parent.cells, c) }
        for d in 0..<dividers.count { rebuilt.append(from: dividers, d) }
        let afterLast = first + siblingCount - 1
        for c in afterLast..<parent.cells.count { rebuilt.append(from: parent.cells, c) }
        let lastPage = pages[ranges.count - 1].pgno
        if afterLast == parent.cells.count {
            parent.rightChild = lastPage
        } else {
            rebuilt.setChild(first + dividers.count, lastPage)
        }
        parent.cells = rebuilt
        overrides[level - 1] = parent
    }

    /// The rowid of the last cell of a list of table-leaf cells.
    private func lastRowid(of cells: CellList) throws(DatabaseError) -> Int64 {
        try cells.withCell(cells.count - 1) { (cell) throws(DatabaseError) -> Int64 in
            guard let (_, sizeLength) = Varint.read(cell, at: 0, end: cell.count),
                  let (rowid, _) = Varint.read(cell, at: sizeLength, end: cell.count) else {
                throw DatabaseError.corrupt(page: root, "table leaf cell without a rowid")
            }
            return Int64(bitPattern: rowid)
        }
    }
}
