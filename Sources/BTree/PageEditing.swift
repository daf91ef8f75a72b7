/// Changing a B-tree page: initializing it, inserting and dropping cells, and defragmenting it,
/// as SQLite's zeroPage, insertCell, dropCell and defragmentPage do.
extension BTreePage {
    /// Formats `bytes` as an empty page of `type` and returns its descriptor (zeroPage). On page 1
    /// the header goes after the 100-byte database header, which is left alone.
    /// - Precondition: `bytes` holds at least the usable part of the page.
    package static func initialize(
        _ bytes: UnsafeMutableRawBufferPointer, pageNumber: UInt32, type: PageType, geometry: BTreeGeometry
    ) -> BTreePage {
        precondition(pageNumber >= 1, "page numbers start at 1")
        precondition(bytes.count >= geometry.usableSize, "page buffer is smaller than the usable size")
        let header = pageNumber == 1 ? 100 : 0
        bytes[header] = type.rawValue
        for offset in header + 1..<header + type.headerSize { bytes[offset] = 0 }
        BigEndian.write16(bytes, at: header + 5, geometry.usableSize)
        return BTreePage(initializedAs: type, pageNumber: pageNumber, geometry: geometry)
    }

    /// Inserts `cell` so that it becomes cell `index` (insertCell). On interior pages a non-nil
    /// `leftChild` replaces the cell's first 4 bytes. Returns false, leaving the page unchanged,
    /// when the cell and its pointer do not fit in the free space: the caller then keeps the cell
    /// aside as an overflow cell and balances the page.
    /// - Precondition: `index <= cellCount`; `cell` is one whole cell of this page's type, at
    ///   least 4 bytes (see `CellBuilder`).
    package mutating func insertCell(
        _ cell: UnsafeRawBufferPointer, at index: Int, leftChild: UInt32? = nil,
        in bytes: UnsafeMutableRawBufferPointer
    ) throws(CorruptionError) -> Bool {
        precondition(index >= 0 && index <= cellCount, "cell index out of range")
        precondition(cell.count >= 4, "cells are at least 4 bytes")
        precondition(leftChild == nil || !isLeaf, "leaf cells have no child pointer")
        let size = cell.count
        guard size + 2 <= freeSpace else { return false }
        let offset = try allocateSpace(size, in: bytes)
        freeSpace -= 2 + size
        copyBytes(from: cell, to: bytes, at: offset)
        if let leftChild { BigEndian.write32(bytes, at: offset, leftChild) }
        let slot = cellPointerArrayOffset + 2 * index
        moveBytes(in: bytes, from: slot, to: slot + 2, count: 2 * (cellCount - index))
        BigEndian.write16(bytes, at: slot, offset)
        cellCount += 1
        BigEndian.write16(bytes, at: headerOffset + 3, cellCount)
        return true
    }

    /// Removes cell `index` and frees its space (dropCell). The cell's overflow pages, if any,
    /// are the caller's to free (`cell(at:in:)` gives the first one).
    package mutating func dropCell(at index: Int, in bytes: UnsafeMutableRawBufferPointer) throws(CorruptionError) {
        let info = try cell(at: index, in: UnsafeRawBufferPointer(bytes))
        try releaseSpace(at: info.cellOffset, size: info.cellSize, in: bytes)
        cellCount -= 1
        if cellCount == 0 {
            for offset in headerOffset + 1..<headerOffset + 5 { bytes[offset] = 0 }
            bytes[headerOffset + 7] = 0
            BigEndian.write16(bytes, at: headerOffset + 5, usableSize)
            freeSpace = usableSize - headerOffset - pageType.headerSize
        } else {
            let slot = cellPointerArrayOffset + 2 * index
            moveBytes(in: bytes, from: slot + 2, to: slot, count: 2 * (cellCount - index))
            BigEndian.write16(bytes, at: headerOffset + 3, cellCount)
            freeSpace += 2
        }
    }

    /// Packs the cells at the end of the page so that all free space is one gap (defragmentPage).
    /// When there are at most two freeblocks and at most `maxFragments` fragment bytes, the cells
    /// in front of the freeblocks slide up instead and the fragments stay.
    package mutating func defragment(
        in bytes: UnsafeMutableRawBufferPointer, maxFragments: Int = 0
    ) throws(CorruptionError) {
        let readable = UnsafeRawBufferPointer(bytes)
        let header = headerOffset
        let firstCell = cellPointerArrayEnd
        let usableSize = usableSize
        var contentStart = 0
        var packed = false
        if Int(bytes[header + 7]) <= maxFragments {
            let first = firstFreeblock(in: readable)
            guard first <= usableSize - 4 else {
                throw CorruptionError(page: pageNumber, "freeblock \(first) lies past the usable end")
            }
            if first != 0 {
                let second = BigEndian.read16(readable, at: first)
                guard second <= usableSize - 4 else {
                    throw CorruptionError(page: pageNumber, "freeblock \(second) lies past the usable end")
                }
                if second == 0 || BigEndian.read16(readable, at: second) == 0 {
                    contentStart = try slideCellsOverFreeblocks(first, second, in: bytes)
                    packed = true
                }
            }
        }
        if !packed {
            contentStart = try packCells(in: bytes)
            bytes[header + 7] = 0
        }
        guard Int(bytes[header + 7]) + contentStart - firstCell == freeSpace, contentStart >= firstCell else {
            throw CorruptionError(page: pageNumber, "free space changed while defragmenting")
        }
        BigEndian.write16(bytes, at: header + 5, contentStart)
        bytes[header + 1] = 0
        bytes[header + 2] = 0
        for offset in firstCell..<contentStart { bytes[offset] = 0 }
    }

    /// The fast path of defragmentPage for one or two freeblocks: moves the cells before them up
    /// by the freeblocks' sizes and returns the new content start.
    private func slideCellsOverFreeblocks(
        _ first: Int, _ second: Int, in bytes: UnsafeMutableRawBufferPointer
    ) throws(CorruptionError) -> Int {
        let readable = UnsafeRawBufferPointer(bytes)
        var size = BigEndian.read16(readable, at: first + 2)
        var secondSize = 0
        let top = cellContentStart(in: readable)
        guard top < first, top >= cellPointerArrayEnd else {
            throw CorruptionError(page: pageNumber, "freeblock \(first) lies outside the cell content area")
        }
        if second != 0 {
            guard first + size <= second else {
                throw CorruptionError(page: pageNumber, "freeblock \(first) overlaps freeblock \(second)")
            }
            secondSize = BigEndian.read16(readable, at: second + 2)
            guard second + secondSize <= usableSize else {
                throw CorruptionError(page: pageNumber, "freeblock \(second) extends past the usable end")
            }
            moveBytes(in: bytes, from: first + size, to: first + size + secondSize, count: second - (first + size))
            size += secondSize
        } else if first + size > usableSize {
            throw CorruptionError(page: pageNumber, "freeblock \(first) extends past the usable end")
        }
        let contentStart = top + size
        moveBytes(in: bytes, from: top, to: contentStart, count: first - top)
        let pointers = cellPointerArrayOffset
        for slot in stride(from: pointers, to: pointers + 2 * cellCount, by: 2) {
            let offset = BigEndian.read16(readable, at: slot)
            if offset < first {
                BigEndian.write16(bytes, at: slot, offset + size)
            } else if offset < second {
                BigEndian.write16(bytes, at: slot, offset + secondSize)
            }
        }
        return contentStart
    }

    /// The general path of defragmentPage: copies every cell, in cell order, to the end of the
    /// page from a snapshot of it, and returns the new content start.
    private func packCells(in bytes: UnsafeMutableRawBufferPointer) throws(CorruptionError) -> Int {
        let usableSize = usableSize
        let oldContentStart = BigEndian.read16(UnsafeRawBufferPointer(bytes), at: headerOffset + 5)
        var contentEnd = usableSize
        guard cellCount > 0 else { return contentEnd }
        var failure: CorruptionError? = nil
        withUnsafeTemporaryAllocation(byteCount: usableSize, alignment: 8) { snapshot in
            copyBytes(from: UnsafeRawBufferPointer(rebasing: bytes[0..<usableSize]), to: snapshot, at: 0)
            let source = UnsafeRawBufferPointer(snapshot)
            for index in 0..<cellCount {
                let slot = cellPointerArrayOffset + 2 * index
                let offset = BigEndian.read16(source, at: slot)
                guard offset <= usableSize - 4 else {
                    failure = CorruptionError(page: pageNumber, "cell \(index) pointer \(offset) is past the usable end")
                    return
                }
                let size: Int
                do throws(CorruptionError) {
                    size = try parseCell(atOffset: offset, in: source).cellSize
                } catch {
                    failure = error
                    return
                }
                contentEnd -= size
                guard contentEnd >= oldContentStart, offset + size <= usableSize else {
                    failure = CorruptionError(page: pageNumber, "cells overlap or overflow the content area")
                    return
                }
                BigEndian.write16(bytes, at: slot, contentEnd)
                copyBytes(from: UnsafeRawBufferPointer(rebasing: source[offset..<offset + size]), to: bytes, at: contentEnd)
            }
        }
        if let failure { throw failure }
        return contentEnd
    }
}

/// memmove within one page buffer.
@inlinable @inline(__always)
package func moveBytes(in bytes: UnsafeMutableRawBufferPointer, from source: Int, to target: Int, count: Int) {
    precondition(count >= 0 && source >= 0 && target >= 0, "negative move")
    precondition(source + count <= bytes.count && target + count <= bytes.count, "move outside the page")
    guard count > 0, let base = bytes.baseAddress else { return }
    (base + target).copyMemory(from: base + source, byteCount: count)
}

/// memcpy of a whole buffer into another at an offset.
@inlinable @inline(__always)
package func copyBytes(from source: UnsafeRawBufferPointer, to target: UnsafeMutableRawBufferPointer, at offset: Int) {
    precondition(offset >= 0 && offset + source.count <= target.count, "copy outside the target buffer")
    guard source.count > 0, let sourceBase = source.baseAddress, let targetBase = target.baseAddress else { return }
    (targetBase + offset).copyMemory(from: sourceBase, byteCount: source.count)
}
