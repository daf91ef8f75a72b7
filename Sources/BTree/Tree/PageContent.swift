import Pager

/// Cells copied out of pages, back to back in one buffer: what balancing redistributes.
struct CellList {
    private(set) var bytes: [UInt8] = []
    private(set) var starts: [Int] = []
    private(set) var sizes: [Int] = []

    var count: Int { starts.count }
    var isEmpty: Bool { starts.isEmpty }

    /// Appends a cell, optionally with a new 4-byte child pointer in front of (or instead of the
    /// first four bytes of) it.
    mutating func append(_ cell: UnsafeRawBufferPointer, replacingChild child: UInt32? = nil, prependingChild: UInt32? = nil) {
        starts.append(bytes.count)
        if let prependingChild {
            appendBigEndian(prependingChild)
            bytes.append(contentsOf: cell)
            sizes.append(cell.count + 4)
        } else if let child {
            precondition(cell.count >= 4, "an interior cell starts with its child pointer")
            appendBigEndian(child)
            bytes.append(contentsOf: cell.dropFirst(4))
            sizes.append(cell.count)
        } else {
            bytes.append(contentsOf: cell)
            sizes.append(cell.count)
        }
    }

    /// Appends cell `index` of `other`, transformed the same ways as `append`.
    mutating func append(from other: CellList, _ index: Int, replacingChild child: UInt32? = nil,
                         prependingChild: UInt32? = nil, droppingChild: Bool = false) {
        other.withCell(index) { cell in
            if droppingChild {
                append(UnsafeRawBufferPointer(rebasing: cell.dropFirst(4)))
            } else {
                append(cell, replacingChild: child, prependingChild: prependingChild)
            }
        }
    }

    /// Inserts a cell at `index`.
    mutating func insert(_ cell: UnsafeRawBufferPointer, at index: Int) {
        var rebuilt = CellList()
        for i in 0..<index { rebuilt.append(from: self, i) }
        rebuilt.append(cell)
        for i in index..<count { rebuilt.append(from: self, i) }
        self = rebuilt
    }

    func withCell<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) throws(DatabaseError) -> R) throws(DatabaseError) -> R {
        let start = starts[index], size = sizes[index]
        return try bytes.withBytes { (all) throws(DatabaseError) -> R in
            try body(UnsafeRawBufferPointer(rebasing: all[start..<start + size]))
        }
    }

    func withCell<R>(_ index: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        let start = starts[index], size = sizes[index]
        return bytes.withUnsafeBytes { all in body(UnsafeRawBufferPointer(rebasing: all[start..<start + size])) }
    }

    /// The 4-byte child pointer at the start of interior cell `index`.
    func child(_ index: Int) -> UInt32 {
        let start = starts[index]
        return UInt32(bytes[start]) << 24 | UInt32(bytes[start + 1]) << 16 | UInt32(bytes[start + 2]) << 8 | UInt32(bytes[start + 3])
    }

    /// Overwrites the child pointer of interior cell `index`.
    mutating func setChild(_ index: Int, _ child: UInt32) {
        let start = starts[index]
        bytes[start] = UInt8(truncatingIfNeeded: child >> 24)
        bytes[start + 1] = UInt8(truncatingIfNeeded: child >> 16)
        bytes[start + 2] = UInt8(truncatingIfNeeded: child >> 8)
        bytes[start + 3] = UInt8(truncatingIfNeeded: child)
    }

    private mutating func appendBigEndian(_ value: UInt32) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }
}

/// What one page should hold: its type, its cells in order and, for an interior page, its right
/// child. Balancing computes these before writing any page.
struct PageContent {
    var type: PageType
    var cells: CellList
    var rightChild: UInt32

    /// Bytes the cells need on a page, counting each one's 2-byte pointer.
    var usedBytes: Int { cells.sizes.reduce(0) { $0 + $1 + 2 } }

    /// Copies a page's cells (and right child) out of it.
    init(of node: Node) throws(DatabaseError) {
        type = node.header.pageType
        cells = CellList()
        rightChild = 0
        for index in 0..<node.cellCount {
            let cell = try node.cell(index)
            cells.append(UnsafeRawBufferPointer(rebasing: node.bytes[cell.cellOffset..<cell.cellOffset + cell.cellSize]))
        }
        if !node.isLeaf { rightChild = try node.child(node.cellCount) }
    }

    init(type: PageType, cells: CellList = CellList(), rightChild: UInt32 = 0) {
        self.type = type
        self.cells = cells
        self.rightChild = rightChild
    }
}

extension BTreeGeometry {
    /// Bytes available for cells and their pointers on a page of `type` (page 1 loses 100 bytes
    /// to the database header).
    func cellCapacity(_ type: PageType, pageNumber: UInt32) -> Int {
        usableSize - type.headerSize - (pageNumber == 1 ? 100 : 0)
    }
}

/// How balancing splits a run of cells into pages.
enum CellDistribution {
    /// Splits cells (sizes include each cell's 2-byte pointer) into as few pages of `capacity`
    /// bytes as hold them, then evens out neighbours from the right as SQLite does, so the last
    /// page is not left nearly empty. With `dividers`, the cell after each page but the last moves
    /// up to the parent (index trees and interior pages); without (table leaves), every cell stays
    /// on a page. Returns each page's range of cells; with dividers, cell `range.upperBound` of
    /// every page but the last is its divider.
    static func split(sizes: [Int], capacity: Int, dividers: Bool) -> [Range<Int>] {
        let n = sizes.count
        precondition(n > 0, "nothing to distribute")
        var pages: [Range<Int>] = []
        var start = 0
        var used = 0
        var i = 0
        while i < n {
            precondition(sizes[i] <= capacity, "a cell of \(sizes[i]) bytes does not fit an empty page of \(capacity)")
            if used + sizes[i] <= capacity {
                used += sizes[i]
                i += 1
                continue
            }
            precondition(i > start, "an empty page in a split")
            if dividers && i == n - 1 {
                // The divider would be the last cell, leaving nothing for the right page: give
                // the right page the last cell and make the one before it the divider.
                precondition(i - 1 > start, "too few cells to split with a divider")
                pages.append(start..<(i - 1))
                start = i
                used = sizes[i]
                i += 1
                continue
            }
            pages.append(start..<i)
            if dividers { i += 1 }
            start = i
            used = 0
        }
        pages.append(start..<n)
        guard pages.count > 1 else { return pages }

        func size(_ range: Range<Int>) -> Int {
            var total = 0
            for i in range { total += sizes[i] }
            return total
        }
        for p in stride(from: pages.count - 1, to: 0, by: -1) {
            var leftSize = size(pages[p - 1])
            var rightSize = size(pages[p])
            while true {
                let left = pages[p - 1], right = pages[p]
                guard left.count > 1 else { break }
                if dividers {
                    // The divider moves into the right page; the left page's last cell becomes
                    // the divider.
                    let divider = left.upperBound
                    let grown = rightSize + sizes[divider]
                    let shrunk = leftSize - sizes[divider - 1]
                    guard grown <= capacity, grown <= shrunk else { break }
                    pages[p - 1] = left.lowerBound..<(left.upperBound - 1)
                    pages[p] = (right.lowerBound - 1)..<right.upperBound
                    leftSize = shrunk
                    rightSize = grown
                } else {
                    let moving = left.upperBound - 1
                    let grown = rightSize + sizes[moving]
                    let shrunk = leftSize - sizes[moving]
                    guard grown <= capacity, grown <= shrunk else { break }
                    pages[p - 1] = left.lowerBound..<moving
                    pages[p] = moving..<right.upperBound
                    leftSize = shrunk
                    rightSize = grown
                }
            }
        }
        return pages
    }
}
