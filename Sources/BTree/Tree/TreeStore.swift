import Pager

/// A loaded B-tree page: pinned in the page cache, with its header parsed and validated.
package struct Node {
    package var page: PageRef
    package var header: BTreePage

    package var pgno: UInt32 { page.pgno }
    package var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(page.bytes) }
    package var mutableBytes: UnsafeMutableRawBufferPointer { page.bytes }
    package var cellCount: Int { header.cellCount }
    package var isLeaf: Bool { header.isLeaf }

    /// Child `index` (0...cellCount) of an interior page.

    package func child(_ index: Int) throws(DatabaseError) -> UInt32 {
        do throws(CorruptionError) { return try header.child(at: index, in: bytes) } catch { throw error.databaseError }
    }


    package func cell(_ index: Int) throws(DatabaseError) -> CellInfo {
        do throws(CorruptionError) { return try header.cell(at: index, in: bytes) } catch { throw error.databaseError }
    }
}

extension CorruptionError {
    /// The same fault as an SQLITE_CORRUPT database error.

    package var databaseError: DatabaseError { DatabaseError.corrupt(page: pageNumber, reason) }
}

/// A connection's access to the B-trees of one database: loads and validates pages through its
/// pager, allocates and frees pages (the freelist), reads and writes overflow chains, and keeps
/// track of the cursors open on each tree so a change through one cursor saves the others'
/// positions first. Confined to its connection's thread, like the pager.
package final class TreeStore {
    package let pager: Pager
    package let geometry: BTreeGeometry
    /// Cursors open on each root page, so a change through one can save the positions of others.
    var cursors: [UInt32: [Unmanaged<BTreeCursor>]] = [:]
    /// Reused for overflow chains and balance scratch space.
    var scratch: [UInt8] = []

    package init(pager: Pager) throws(DatabaseError) {
        self.pager = pager
        do {
            geometry = try BTreeGeometry(pageSize: pager.pageSize, reservedBytes: pager.pageSize - pager.usableSize)
        } catch {
            throw error.databaseError
        }
    }

    // MARK: Pages

    /// The page as a B-tree node, pinned, or the read it waits for. A page that is not a B-tree
    /// page, or whose header does not hold together, is corruption.

    package func fetchNode(_ pgno: UInt32) throws(DatabaseError) -> IOResult<Node> {
        switch try pager.fetch(pgno) {
        case .io(let completion): return .io(completion)
        case .done(let page): return .done(try parse(page))
        }
    }

    /// The page as a B-tree node, waiting for its read when needed.

    package func node(_ pgno: UInt32) throws(DatabaseError) -> Node {
        try parse(try pager.page(pgno))
    }


    func parse(_ page: PageRef) throws(DatabaseError) -> Node {
        do {
            let header = try BTreePage(loading: UnsafeRawBufferPointer(page.bytes), pageNumber: page.pgno, geometry: geometry)
            return Node(page: page, header: header)
        } catch {
            pager.release(page)
            throw error.databaseError
        }
    }


    package func release(_ node: Node) { pager.release(node.page) }

    /// Makes a node's page writable in the current write transaction.

    package func makeWritable(_ node: Node) { pager.makeWritable(node.page) }

    // MARK: The header on page 1

    /// Reads a 4-byte header field of page 1.
    package func headerField(_ offset: Int) throws(DatabaseError) -> UInt32 {
        let page1 = try pager.page(1)
        defer { pager.release(page1) }
        return page1.bytes.loadBigEndianUInt32(at: offset)
    }

    /// Writes a 4-byte header field of page 1 (inside a write transaction).
    package func setHeaderField(_ offset: Int, _ value: UInt32) throws(DatabaseError) {
        let page1 = try pager.page(1)
        defer { pager.release(page1) }
        pager.makeWritable(page1)
        page1.bytes.storeBigEndianUInt32(value, at: offset)
    }

    /// Makes an empty database a real one: page 1 with the header and an empty sqlite_schema
    /// table leaf. Does nothing when the database already has pages.
    package func initializeIfEmpty() throws(DatabaseError) {
        guard pager.databaseSize == 0 else { return }
        let page1 = try pager.allocateAtEnd()
        precondition(page1.pgno == 1, "the first page of a new database is page 1")
        pager.writeNewDatabaseHeader(page1)
        _ = BTreePage.initialize(page1.bytes, pageNumber: 1, type: .tableLeaf, geometry: geometry)
        pager.release(page1)
    }

    // MARK: Cursor registry

    func register(_ cursor: BTreeCursor) {
        cursors[cursor.root, default: []].append(Unmanaged.passUnretained(cursor))
    }

    func unregister(_ cursor: BTreeCursor) {
        guard var list = cursors[cursor.root] else { return }
        list.removeAll { $0.toOpaque() == Unmanaged.passUnretained(cursor).toOpaque() }
        cursors[cursor.root] = list.isEmpty ? nil : list
    }

    /// Before a tree changes, every other cursor on it records its position by key and lets go of
    /// its pages; it finds its place again (by seeking) when next used.
    func saveOtherCursors(on root: UInt32, except writer: BTreeCursor?) throws(DatabaseError) {
        guard let list = cursors[root] else { return }
        for entry in list {
            let cursor = entry.takeUnretainedValue()
            if cursor !== writer { try cursor.savePosition() }
        }
    }

    /// Every cursor on the tree gives up its position (the tree is being dropped or cleared).
    func invalidateCursors(on root: UInt32) {
        guard let list = cursors[root] else { return }
        for entry in list { entry.takeUnretainedValue().invalidate() }
    }
}

@available(*, unavailable)
extension TreeStore: Sendable {}
