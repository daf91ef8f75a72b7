/// One B-tree page as the layer above sees it (SQLite's MemPage without the page bytes): what the
/// page header says, validated once when the page is loaded, plus the free-byte count.
///
/// The bytes themselves belong to the page cache and are passed to every call. Reads are bounded
/// by the usable size using only this struct's validated fields, so even bytes changed behind the
/// struct's back cannot cause an out-of-bounds access, only a `CorruptionError`. After changing a
/// page's bytes other than through these methods, load it again.
///
/// Header layout (at offset 100 on page 1, else 0): flag byte; first freeblock (2); cell count (2);
/// cell content start (2, 0 meaning 65536); fragmented free bytes (1); on interior pages the right
/// child (4). The cell pointer array (2 bytes per cell, in key order) follows the header.
package struct BTreePage: Sendable {
    package let pageNumber: UInt32
    package let pageType: PageType
    package let geometry: BTreeGeometry
    /// 100 on page 1 (after the database header), else 0.
    package let headerOffset: Int
    package internal(set) var cellCount: Int
    /// Unused bytes: the gap between the cell pointers and the content area, the freeblocks and
    /// the fragments (SQLite's nFree). A new cell needs its size plus 2 for its pointer.
    package internal(set) var freeSpace: Int

    /// Loads a page: decodes the header, checks the cell count and computes and validates the free
    /// space (btreeInitPage followed by btreeComputeFreeSpace). Cells are checked when they are
    /// read; `validateCells(in:)` checks them all at once (PRAGMA cell_size_check).
    /// - Precondition: `bytes` holds at least the usable part of the page; `pageNumber >= 1`.
    package init(loading bytes: UnsafeRawBufferPointer, pageNumber: UInt32, geometry: BTreeGeometry) throws(CorruptionError) {
        precondition(pageNumber >= 1, "page numbers start at 1")
        precondition(bytes.count >= geometry.usableSize, "page buffer is smaller than the usable size")
        let headerOffset = pageNumber == 1 ? 100 : 0
        guard let pageType = PageType(rawValue: bytes[headerOffset]) else {
            throw CorruptionError(page: pageNumber, "invalid B-tree page type \(bytes[headerOffset])")
        }
        let cellCount = BigEndian.read16(bytes, at: headerOffset + 3)
        guard cellCount <= geometry.maxCellCount else {
            throw CorruptionError(page: pageNumber, "cell count \(cellCount) exceeds \(geometry.maxCellCount)")
        }
        self.pageNumber = pageNumber
        self.pageType = pageType
        self.geometry = geometry
        self.headerOffset = headerOffset
        self.cellCount = cellCount
        self.freeSpace = 0
        self.freeSpace = try computeFreeSpace(in: bytes)
    }

    /// A page descriptor for bytes just initialized by `initialize(_:pageNumber:type:geometry:)`.
    init(initializedAs pageType: PageType, pageNumber: UInt32, geometry: BTreeGeometry) {
        self.pageNumber = pageNumber
        self.pageType = pageType
        self.geometry = geometry
        self.headerOffset = pageNumber == 1 ? 100 : 0
        self.cellCount = 0
        self.freeSpace = geometry.usableSize - headerOffset - pageType.headerSize
    }

    @inlinable package var isLeaf: Bool { pageType.isLeaf }
    @inlinable package var isTable: Bool { pageType.isTable }
    @inlinable package var usableSize: Int { geometry.usableSize }
    @inlinable package var maxLocal: Int { geometry.maxLocal(for: pageType) }
    @inlinable package var minLocal: Int { geometry.minLocal(for: pageType) }

    /// Offset of the cell pointer array.
    @inlinable package var cellPointerArrayOffset: Int { headerOffset + pageType.headerSize }

    /// First byte past the cell pointer array: no cell or freeblock may start before it.
    @inlinable package var cellPointerArrayEnd: Int { cellPointerArrayOffset + 2 * cellCount }

    /// The last offset a cell may start at; interior cells are at least 5 bytes.
    @inlinable package var lastCellOffset: Int { usableSize - (isLeaf ? 4 : 5) }

    // MARK: Header fields

    /// Offset of the first freeblock, 0 when there is none.
    @inlinable
    package func firstFreeblock(in bytes: UnsafeRawBufferPointer) -> Int {
        BigEndian.read16(bytes, at: headerOffset + 1)
    }

    /// Start of the cell content area, with the stored 0 of an empty 64 KiB page read as 65536.
    @inlinable
    package func cellContentStart(in bytes: UnsafeRawBufferPointer) -> Int {
        ((BigEndian.read16(bytes, at: headerOffset + 5) - 1) & 0xffff) + 1
    }

    @inlinable
    package func fragmentedBytes(in bytes: UnsafeRawBufferPointer) -> Int {
        Int(bytes[headerOffset + 7])
    }

    // MARK: Cell pointers

    /// The offset of cell `index`, checked to lie between the cell pointer array and the end of
    /// the usable area.
    /// - Precondition: `index < cellCount`.
    @inlinable
    package func cellOffset(at index: Int, in bytes: UnsafeRawBufferPointer) throws(CorruptionError) -> Int {
        precondition(index >= 0 && index < cellCount, "cell index out of range")
        let offset = BigEndian.read16(bytes, at: cellPointerArrayOffset + 2 * index)
        guard offset >= cellPointerArrayEnd, offset <= lastCellOffset else {
            throw CorruptionError(page: pageNumber, "cell \(index) pointer \(offset) is outside the cell content area")
        }
        return offset
    }

    // MARK: Child pointers

    /// The right-most child of an interior page.
    @inlinable
    package func rightChild(in bytes: UnsafeRawBufferPointer) throws(CorruptionError) -> UInt32 {
        precondition(!isLeaf, "leaf pages have no right child")
        let child = BigEndian.read32(bytes, at: headerOffset + 8)
        guard child != 0 else { throw CorruptionError(page: pageNumber, "right child page number is 0") }
        return child
    }

    @inlinable
    package func setRightChild(_ child: UInt32, in bytes: UnsafeMutableRawBufferPointer) {
        precondition(!isLeaf, "leaf pages have no right child")
        precondition(child != 0, "a child page number is never 0")
        BigEndian.write32(bytes, at: headerOffset + 8, child)
    }

    /// The left child of interior cell `index`: the page holding the keys before that cell's.
    @inlinable
    package func leftChild(ofCell index: Int, in bytes: UnsafeRawBufferPointer) throws(CorruptionError) -> UInt32 {
        precondition(!isLeaf, "leaf cells have no child pointer")
        let child = BigEndian.read32(bytes, at: try cellOffset(at: index, in: bytes))
        guard child != 0 else { throw CorruptionError(page: pageNumber, "cell \(index) child page number is 0") }
        return child
    }

    @inlinable
    package func setLeftChild(
        ofCell index: Int, to child: UInt32, in bytes: UnsafeMutableRawBufferPointer
    ) throws(CorruptionError) {
        precondition(!isLeaf, "leaf cells have no child pointer")
        precondition(child != 0, "a child page number is never 0")
        BigEndian.write32(bytes, at: try cellOffset(at: index, in: UnsafeRawBufferPointer(bytes)), child)
    }

    /// Child `index` of an interior page, 0...cellCount: the left child of cell `index`, or the
    /// right child for `index == cellCount`.
    @inlinable
    package func child(at index: Int, in bytes: UnsafeRawBufferPointer) throws(CorruptionError) -> UInt32 {
        index == cellCount ? try rightChild(in: bytes) : try leftChild(ofCell: index, in: bytes)
    }

    /// Checks every cell pointer and cell extent (btreeCellSizeCheck).
    package func validateCells(in bytes: UnsafeRawBufferPointer) throws(CorruptionError) {
        for index in 0..<cellCount {
            _ = try cell(at: index, in: bytes)
        }
    }
}
