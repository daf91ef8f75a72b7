import Pager

/// Auto-vacuum databases keep pointer-map pages: for every page after them, a type byte and the
/// parent page number, so a page can be moved and its parent fixed (fileformat2.html, "Pointer Map
/// or Ptrmap Pages"). The check verifies each entry against what the walk found (checkPtrmap).
extension StructureCheck {
    enum PointerMapType: UInt8 {
        case rootPage = 1
        case freePage = 2
        /// The first page of an overflow chain; its parent is the B-tree page holding the cell.
        case overflowFirst = 3
        /// A later page of an overflow chain; its parent is the previous overflow page.
        case overflowLater = 4
        case btree = 5
    }

    /// The pointer-map page that holds the entry for `pgno` (PTRMAP_PAGENO); 0 for pages 0 and 1.
    func pointerMapPage(for pgno: UInt32) -> UInt32 {
        guard pgno >= 2 else { return 0 }
        let pagesPerMapPage = UInt32(geometry.usableSize / 5 + 1)
        let mapIndex = (pgno - 2) / pagesPerMapPage
        var mapPage = mapIndex &* pagesPerMapPage &+ 2
        if mapPage == pager.shared.lockBytePage { mapPage &+= 1 }
        return mapPage
    }

    /// Reads the entry for `pgno` (ptrmapGet); nil where SQLite's read fails.
    private func pointerMapEntry(_ pgno: UInt32) -> (type: UInt8, parent: UInt32)? {
        let mapPage = pointerMapPage(for: pgno)
        guard mapPage != 0 else { return nil }
        let offset = 5 * (Int(pgno) - Int(mapPage) - 1)
        guard offset >= 0 else { return nil }
        // Pages past the end of the database read as zeros in SQLite: an entry of type 0.
        guard mapPage <= pageCount, mapPage != pager.shared.lockBytePage else { return nil }
        guard let page = try? pager.page(mapPage) else { return nil }
        defer { pager.release(page) }
        let raw = RawPage(bytes: UnsafeRawBufferPointer(page.bytes))
        let type = raw.byte(offset)
        guard type >= 1 && type <= 5 else { return nil }
        return (type, raw.read32(offset + 1))
    }

    /// Checks that the pointer map says `child` is of `type` with parent `parent` (checkPtrmap).
    func checkPointerMap(_ child: UInt32, _ type: PointerMapType, parent: UInt32) {
        guard let entry = pointerMapEntry(child) else {
            messages.report("Failed to read ptrmap key=\(child.printedSigned)")
            return
        }
        if entry.type != type.rawValue || entry.parent != parent {
            messages.report("Bad ptr map entry key=\(child.printedSigned) expected=(\(type.rawValue),\(parent.printedSigned)) got=(\(entry.type),\(entry.parent.printedSigned))")
        }
    }
}
