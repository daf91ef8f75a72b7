import Pager

/// Checking one tree (checkTreePage): each page's header and free space, its cells inside the
/// page and not overlapping each other or the freeblocks, the fragment count, rowids in order
/// within and across pages, overflow chain lengths, and every leaf at the same depth.
///
/// SQLite recurses from each page into its children; a damaged file can chain pages far deeper
/// than any real tree, so this walk keeps its own stack of frames instead, and re-reads a page
/// when it comes back to it rather than keeping it pinned. It visits pages, cells and children in
/// SQLite's order (right child first, then cells from last to first), so messages come out in the
/// same order and with the same prefixes.
extension StructureCheck {
    /// One page being checked, suspended while a child is checked.
    struct TreeFrame {
        let header: RawPageHeader
        /// The caller's message prefix, restored when this page is done.
        let callerPrefix: IntegrityMessages.PrefixState
        let contentOffset: Int
        /// The largest rowid this page's keys may have; becomes the smallest key seen.
        var maxKey: Int64
        var keyCanBeEqual = true
        /// Depth of the subtree below (-1 for a leaf until set).
        var depth = -1
        /// The next cell to look at, counting down; -1 when all are done.
        var nextCell: Int
        var coverageCheck = true
        /// Cell and freeblock extents on a leaf, as (start << 16) | end.
        var extents: [UInt32] = []
        var awaiting: Awaiting = .nothing
        var started = false

        enum Awaiting { case nothing, rightChild, leftChild }
    }

    /// What a finished page hands back: its depth, and the smallest rowid under it once its cells
    /// were reached (a page that could not be read leaves the caller's bound as it was).
    struct TreeResult {
        var depth: Int
        var minKey: Int64?
    }

    /// Checks the tree rooted at `root`.
    func checkTree(root: UInt32) {
        var stack: [TreeFrame] = []
        var returned: TreeResult?
        switch enterPage(root, maxKey: Int64.max) {
        case .finished: return
        case .frame(let frame): stack.append(frame)
        }
        while var frame = stack.popLast() {
            if let result = returned {
                resume(&frame, with: result)
                returned = nil
            }
            switch step(&frame) {
            case .finished(let result):
                messages.state = frame.callerPrefix
                returned = result
            case .descend(let child, let maxKey):
                stack.append(frame)
                switch enterPage(child, maxKey: maxKey) {
                case .finished(let result): returned = result
                case .frame(let childFrame): stack.append(childFrame)
                }
            }
        }
    }

    enum Entry {
        case finished(TreeResult)
        case frame(TreeFrame)
    }

    /// The start of checkTreePage: the reference, the page read, btreeInitPage and the free space.
    private func enterPage(_ pgno: UInt32, maxKey: Int64) -> Entry {
        let unchanged = TreeResult(depth: 0, minKey: nil)
        if pgno == 0 { return .finished(unchanged) }
        if checkReference(pgno) { return .finished(unchanged) }
        let callerPrefix = messages.state
        messages.state.prefix = .page
        messages.state.v1 = Int32(bitPattern: pgno)
        func fail(_ message: String) -> Entry {
            messages.report(message)
            messages.state = callerPrefix
            return .finished(unchanged)
        }
        let page: PageRef
        do { page = try pager.page(pgno) } catch {
            return fail("unable to get the page. error code=\(error.resultCode.rawValue)")
        }
        defer { pager.release(page) }
        let raw = RawPage(bytes: UnsafeRawBufferPointer(page.bytes))
        guard let header = RawPageHeader(raw, pageNumber: pgno, geometry: geometry) else {
            return fail("btreeInitPage() returns error code \(ResultCode.SQLITE_CORRUPT.rawValue)")
        }
        guard header.freeSpaceIsConsistent(raw) else {
            return fail("free space corruption")
        }
        messages.state.prefix = .treePageCell
        return .frame(TreeFrame(header: header, callerPrefix: callerPrefix,
                                contentOffset: raw.read16NotZero(header.headerOffset + 5),
                                maxKey: maxKey, nextCell: header.cellCount - 1))
    }

    private func resume(_ frame: inout TreeFrame, with result: TreeResult) {
        if let minKey = result.minKey { frame.maxKey = minKey }
        frame.keyCanBeEqual = false
        switch frame.awaiting {
        case .rightChild:
            frame.depth = result.depth
        case .leftChild:
            if result.depth != frame.depth {
                messages.report("Child page depth differs")
                frame.depth = result.depth
            }
        case .nothing:
            preconditionFailure("a child result for a frame that awaited none")
        }
        frame.awaiting = .nothing
    }

    enum Step {
        case finished(TreeResult)
        case descend(UInt32, maxKey: Int64)
    }

    /// Runs a frame until it needs a child checked or is done.
    private func step(_ frame: inout TreeFrame) -> Step {
        let header = frame.header
        let page: PageRef
        do { page = try pager.page(header.pageNumber) } catch {
            messages.report("unable to get the page. error code=\(error.resultCode.rawValue)")
            return .finished(TreeResult(depth: frame.depth + 1, minKey: nil))
        }
        defer { pager.release(page) }
        let raw = RawPage(bytes: UnsafeRawBufferPointer(page.bytes))
        let usable = header.usableSize

        if !frame.started {
            frame.started = true
            if !header.isLeaf {
                let right = raw.read32(header.headerOffset + 8)
                if autoVacuum {
                    messages.state.prefix = .pageRightChild
                    checkPointerMap(right, .btree, parent: header.pageNumber)
                }
                frame.awaiting = .rightChild
                return .descend(right, maxKey: frame.maxKey)
            }
        }

        while frame.nextCell >= 0 && !messages.isFull {
            let i = frame.nextCell
            frame.nextCell -= 1
            messages.state.v2 = Int32(i)
            let pc = header.cellPointer(i, in: raw)
            if pc < frame.contentOffset || pc > usable - 4 {
                messages.report("Offset \(pc) out of range \(frame.contentOffset)..\(usable - 4)")
                frame.coverageCheck = false
                continue
            }
            let cell = header.parseCell(at: pc, in: raw)
            if pc + cell.size > usable {
                messages.report("Extends off end of page")
                frame.coverageCheck = false
                continue
            }
            if header.isTable {
                if frame.keyCanBeEqual ? cell.key > frame.maxKey : cell.key >= frame.maxKey {
                    messages.report("Rowid \(cell.key) out of order")
                }
                frame.maxKey = cell.key
                frame.keyCanBeEqual = false
            }
            if cell.payloadSize > UInt32(cell.localSize) {
                let spill = cell.payloadSize &- UInt32(cell.localSize)
                let pageCount = (spill &+ UInt32(usable - 5)) / UInt32(usable - 4)
                let first = raw.read32(pc + cell.size - 4)
                if autoVacuum { checkPointerMap(first, .overflowFirst, parent: header.pageNumber) }
                checkList(isFreelist: false, first: first, expected: pageCount)
            }
            if !header.isLeaf {
                let child = raw.read32(pc)
                if autoVacuum { checkPointerMap(child, .btree, parent: header.pageNumber) }
                frame.awaiting = .leftChild
                return .descend(child, maxKey: frame.maxKey)
            }
            frame.extents.append(UInt32(pc) << 16 | UInt32(pc + cell.size - 1))
        }

        let minKey = frame.maxKey
        messages.state.prefix = .none
        if frame.coverageCheck && !messages.isFull {
            checkCoverage(&frame, raw)
        }
        return .finished(TreeResult(depth: frame.depth + 1, minKey: minKey))
    }

    /// Cells and freeblocks must not overlap, and the bytes between them must add up to the
    /// page's fragment count.
    private func checkCoverage(_ frame: inout TreeFrame, _ raw: RawPage) {
        let header = frame.header
        if !header.isLeaf {
            frame.extents.removeAll(keepingCapacity: true)
            for i in 0..<header.cellCount {
                let pc = header.cellPointer(i, in: raw)
                let size = header.parseCell(at: pc, in: raw).size
                frame.extents.append(UInt32(pc) << 16 | UInt32(truncatingIfNeeded: pc + size - 1))
            }
        }
        // The free-space walk already proved the freeblock chain ascending and inside the page.
        var block = raw.read16(header.headerOffset + 1)
        while block > 0 {
            let size = raw.read16(block + 2)
            frame.extents.append(UInt32(block) << 16 | UInt32(truncatingIfNeeded: block + size - 1))
            block = raw.read16(block)
        }
        frame.extents.sort()
        var fragments = 0
        var previous = UInt32(frame.contentOffset - 1)
        // SQLite pulls extents off a heap and compares the fragment count only when the heap
        // ends empty: with no overlap, or with the overlap found at the very last extent.
        var heapEmptied = true
        for (k, extent) in frame.extents.enumerated() {
            if previous & 0xffff >= extent >> 16 {
                messages.report("Multiple uses for byte \(extent >> 16) of page \(header.pageNumber)")
                heapEmptied = k == frame.extents.count - 1
                break
            }
            fragments += Int(extent >> 16) - Int(previous & 0xffff) - 1
            previous = extent
        }
        fragments += header.usableSize - Int(previous & 0xffff) - 1
        let recorded = Int(raw.byte(header.headerOffset + 7))
        if heapEmptied && fragments != recorded {
            messages.report("Fragmentation of \(fragments) bytes reported as \(recorded) on page \(header.pageNumber)")
        }
    }
}
