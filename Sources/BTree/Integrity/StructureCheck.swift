import Pager

/// The structural half of the integrity check (sqlite3BtreeIntegrityCheck): every page is
/// accounted for exactly once (trees, overflow chains, the freelist, the lock-byte page and, in
/// auto-vacuum databases, the pointer-map pages), and every tree page holds together.
///
/// Damage is reported, never thrown: like SQLite's checker this one reads whatever it finds, so
/// it goes on past a bad page to report what else is wrong, up to the error limit. Pages are read
/// through the pager and released before moving on, so a check of any size runs in the
/// connection's page cache.
final class StructureCheck {
    let store: TreeStore
    let geometry: BTreeGeometry
    /// Pages in the database (SQLite's nPage).
    let pageCount: UInt32
    /// True in auto-vacuum and incremental-vacuum databases, which keep pointer-map pages.
    let autoVacuum: Bool
    var references: PageReferences
    var messages: IntegrityMessages

    var pager: Pager { store.pager }

    init(store: TreeStore, limit: Int) throws(DatabaseError) {
        self.store = store
        geometry = store.geometry
        pageCount = store.pager.databaseSize
        references = PageReferences(pageCount: pageCount)
        messages = IntegrityMessages(limit: limit)
        autoVacuum = pageCount > 0 ? try store.headerField(Self.largestRootPageOffset) != 0 : false
    }

    static let largestRootPageOffset = 52
    static let incrementalVacuumOffset = 64

    /// Checks the freelist, the trees rooted at `roots` (in order) and that no page is left out.
    func run(roots: [UInt32]) throws(DatabaseError) {
        guard pageCount > 0 else { return }
        let lockByte = pager.shared.lockBytePage
        if lockByte <= pageCount { references.insert(lockByte) }

        let firstTrunk = try store.headerField(DatabaseHeader.Offset.firstFreelistTrunk)
        let freelistCount = try store.headerField(DatabaseHeader.Offset.freelistCount)
        messages.state.prefix = .mainFreelist
        checkList(isFreelist: true, first: firstTrunk, expected: freelistCount)
        messages.state.prefix = .none

        if autoVacuum {
            let largest = roots.max() ?? 0
            let inHeader = try store.headerField(Self.largestRootPageOffset)
            if largest != inHeader {
                messages.report("max rootpage (\(largest.printedSigned)) disagrees with header (\(inHeader.printedSigned))")
            }
        } else if try store.headerField(Self.incrementalVacuumOffset) != 0 {
            messages.report("incremental_vacuum enabled with a max rootpage of zero")
        }

        for root in roots where root != 0 {
            if messages.isFull { break }
            if autoVacuum && root > 1 { checkPointerMap(root, .rootPage, parent: 0) }
            checkTree(root: root)
        }

        var pgno: UInt32 = 1
        while pgno <= pageCount && !messages.isFull {
            let isMapPage = autoVacuum && pointerMapPage(for: pgno) == pgno
            if !references.contains(pgno) && !isMapPage {
                messages.report("Page \(pgno.printedSigned) is never used")
            }
            if references.contains(pgno) && isMapPage {
                messages.report("Pointer map page \(pgno.printedSigned) is referenced")
            }
            if pgno == UInt32.max { break }
            pgno += 1
        }
    }

    /// Counts a reference to `pgno` (checkRef): true, with a message, when the number is outside
    /// the database or the page was referenced already; the caller then does not read it.
    func checkReference(_ pgno: UInt32) -> Bool {
        if pgno > pageCount || pgno == 0 {
            messages.report("invalid page number \(pgno.printedSigned)")
            return true
        }
        if references.contains(pgno) {
            messages.report("2nd reference to page \(pgno.printedSigned)")
            return true
        }
        references.insert(pgno)
        return false
    }

    /// A freelist (trunk pages listing leaf pages) or an overflow chain starting at `first`, which
    /// should hold `expected` pages (checkList). Each page is referenced once, so a chain that
    /// loops back stops at the repeated page.
    func checkList(isFreelist: Bool, first: UInt32, expected: UInt32) {
        var pgno = first
        var remaining = expected
        let errorsAtStart = messages.count
        while pgno != 0 && !messages.isFull {
            if checkReference(pgno) { break }
            remaining &-= 1
            let page: PageRef
            do { page = try pager.page(pgno) } catch {
                messages.report("failed to get page \(pgno.printedSigned)")
                break
            }
            let raw = RawPage(bytes: UnsafeRawBufferPointer(page.bytes))
            if isFreelist {
                let leafCount = raw.read32(4)
                if autoVacuum { checkPointerMap(pgno, .freePage, parent: 0) }
                if leafCount > UInt32(geometry.usableSize / 4 - 2) {
                    messages.report("freelist leaf count too big on page \(pgno.printedSigned)")
                    remaining &-= 1
                } else {
                    for i in 0..<Int(leafCount) {
                        let leaf = raw.read32(8 + 4 * i)
                        if autoVacuum { checkPointerMap(leaf, .freePage, parent: 0) }
                        _ = checkReference(leaf)
                    }
                    remaining &-= leafCount
                }
            } else if autoVacuum && remaining > 0 {
                checkPointerMap(raw.read32(0), .overflowLater, parent: pgno)
            }
            pgno = raw.read32(0)
            pager.release(page)
        }
        if remaining != 0 && errorsAtStart == messages.count {
            let found = (expected &- remaining).printedSigned
            messages.report("\(isFreelist ? "size" : "overflow list length") is \(found) but should be \(expected.printedSigned)")
        }
    }
}
