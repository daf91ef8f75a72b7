/// How a payload is laid out as a cell: what stays on the page, what goes to overflow pages
/// (fillInCell's arithmetic).
package struct CellLayout: Sendable, Equatable {
    package let pageType: PageType
    /// Bytes before the payload: child pointer, payload size varint, rowid varint.
    package let headerSize: Int
    package let payloadSize: Int
    package let localPayloadSize: Int
    /// Bytes the cell takes on the page: header, local payload, the 4-byte first overflow page
    /// number when there is overflow, and padding to at least 4 bytes.
    package let cellSize: Int

    @inlinable package var hasOverflow: Bool { localPayloadSize < payloadSize }
    @inlinable package var overflowPayloadSize: Int { payloadSize - localPayloadSize }
}

extension BTreeGeometry {
    /// The layout of a cell for a page of `pageType` holding `payloadSize` bytes of payload and,
    /// on table pages, `rowid`. Table interior cells have no payload.
    @inlinable
    package func cellLayout(pageType: PageType, payloadSize: Int, rowid: Int64 = 0) -> CellLayout {
        precondition(payloadSize >= 0 && payloadSize <= BTreePage.maxPayloadSize, "payload size out of range")
        var headerSize = pageType.childPointerSize
        if pageType == .tableInterior {
            precondition(payloadSize == 0, "table interior cells carry no payload")
            headerSize += Varint.encodedLength(rowid)
            return CellLayout(
                pageType: pageType, headerSize: headerSize, payloadSize: 0, localPayloadSize: 0, cellSize: headerSize)
        }
        headerSize += Varint.encodedLength(UInt64(payloadSize))
        if pageType == .tableLeaf { headerSize += Varint.encodedLength(rowid) }
        let local = localPayloadSize(payloadSize: payloadSize, pageType: pageType)
        let cellSize = local < payloadSize ? headerSize + local + 4 : max(4, headerSize + local)
        return CellLayout(
            pageType: pageType, headerSize: headerSize, payloadSize: payloadSize, localPayloadSize: local,
            cellSize: cellSize)
    }

    /// Overflow pages a payload needs beyond its local part.
    @inlinable
    package func overflowPageCount(for layout: CellLayout) -> Int {
        (layout.overflowPayloadSize + overflowPageCapacity - 1) / overflowPageCapacity
    }

    /// The part of the payload that overflow page `index` (0 for the first) of the chain carries.
    @inlinable
    package func overflowPayloadRange(for layout: CellLayout, page index: Int) -> Range<Int> {
        precondition(index >= 0 && index < overflowPageCount(for: layout), "overflow page index out of range")
        let start = layout.localPayloadSize + index * overflowPageCapacity
        return start..<min(layout.payloadSize, start + overflowPageCapacity)
    }
}

/// Writes cells and overflow pages (fillInCell). The cursor allocates the overflow pages; this
/// writes the cell with the first overflow page number and then each overflow page: a 4-byte
/// next page number (0 on the last) followed by up to usableSize - 4 bytes of payload.
package enum CellBuilder {
    /// Writes a cell at the start of `cell` and returns its size (`layout.cellSize`).
    /// - Parameters:
    ///   - leftChild: the child page on interior pages (ignored on leaves).
    ///   - rowid: the key on table pages (ignored on index pages).
    ///   - payload: the whole payload; only its local part is written.
    ///   - firstOverflowPage: the first page of the chain when `layout.hasOverflow`.
    /// - Precondition: `payload.count == layout.payloadSize`, `cell.count >= layout.cellSize`.
    @inlinable
    @discardableResult
    package static func writeCell(
        into cell: UnsafeMutableRawBufferPointer, layout: CellLayout, leftChild: UInt32 = 0, rowid: Int64 = 0,
        payload: UnsafeRawBufferPointer, firstOverflowPage: UInt32 = 0
    ) -> Int {
        precondition(payload.count == layout.payloadSize, "payload does not match the cell layout")
        precondition(cell.count >= layout.cellSize, "cell buffer is smaller than the cell")
        precondition(!layout.hasOverflow || firstOverflowPage != 0, "a cell with overflow needs its first page")
        var offset = 0
        if !layout.pageType.isLeaf {
            BigEndian.write32(cell, at: 0, leftChild)
            offset = 4
        }
        if layout.pageType == .tableInterior {
            offset += Varint.write(UInt64(bitPattern: rowid), into: cell, at: offset)
            precondition(offset == layout.cellSize, "table interior cell size disagrees with its layout")
            return offset
        }
        offset += Varint.write(UInt64(layout.payloadSize), into: cell, at: offset)
        if layout.pageType == .tableLeaf {
            offset += Varint.write(UInt64(bitPattern: rowid), into: cell, at: offset)
        }
        precondition(offset == layout.headerSize, "cell header size disagrees with its layout")
        copyBytes(from: UnsafeRawBufferPointer(rebasing: payload[0..<layout.localPayloadSize]), to: cell, at: offset)
        offset += layout.localPayloadSize
        if layout.hasOverflow {
            BigEndian.write32(cell, at: offset, firstOverflowPage)
            offset += 4
        }
        // Cells shorter than 4 bytes are padded so that freeing one always leaves a freeblock.
        while offset < layout.cellSize {
            cell[offset] = 0
            offset += 1
        }
        return offset
    }

    /// A new array holding the cell; a convenience for tests and tools.
    package static func makeCell(
        layout: CellLayout, leftChild: UInt32 = 0, rowid: Int64 = 0, payload: [UInt8], firstOverflowPage: UInt32 = 0
    ) -> [UInt8] {
        var cell = [UInt8](repeating: 0, count: layout.cellSize)
        cell.withUnsafeMutableBytes { target in
            payload.withUnsafeBytes { source in
                _ = writeCell(
                    into: target, layout: layout, leftChild: leftChild, rowid: rowid, payload: source,
                    firstOverflowPage: firstOverflowPage)
            }
        }
        return cell
    }

    /// Writes overflow page `index` of the chain for `payload` into `page`.
    /// - Precondition: `page` holds at least the usable part of a page.
    @inlinable
    package static func writeOverflowPage(
        into page: UnsafeMutableRawBufferPointer, geometry: BTreeGeometry, layout: CellLayout, index: Int,
        payload: UnsafeRawBufferPointer, nextPage: UInt32
    ) {
        precondition(page.count >= geometry.usableSize, "page buffer is smaller than the usable size")
        precondition(payload.count == layout.payloadSize, "payload does not match the cell layout")
        let range = geometry.overflowPayloadRange(for: layout, page: index)
        BigEndian.write32(page, at: 0, nextPage)
        copyBytes(from: UnsafeRawBufferPointer(rebasing: payload[range]), to: page, at: 4)
    }
}

/// Reads a payload's overflow chain page by page: the caller fetches `nextPage` and hands its
/// bytes to `consume`, which returns the part of the payload that page carries. The number of
/// pages is fixed by the payload size, so a chain that loops back cannot loop forever.
package struct OverflowChainReader: Sendable {
    package let geometry: BTreeGeometry
    /// The page to read next, nil once the payload is complete.
    package private(set) var nextPage: UInt32?
    /// Payload bytes still to come.
    package private(set) var remaining: Int

    package init(cell: CellInfo, geometry: BTreeGeometry) {
        self.geometry = geometry
        remaining = cell.payloadSize - cell.localPayloadSize
        nextPage = remaining > 0 ? cell.overflowPage : nil
    }

    /// Takes the bytes of `nextPage` and returns the payload it carries (a slice of `page`).
    /// - Precondition: `nextPage != nil`; `page` holds at least the usable part of a page.
    package mutating func consume(_ page: UnsafeRawBufferPointer) throws(CorruptionError) -> UnsafeRawBufferPointer {
        guard let current = nextPage else { preconditionFailure("the overflow chain is already complete") }
        precondition(page.count >= geometry.usableSize, "page buffer is smaller than the usable size")
        let count = min(remaining, geometry.overflowPageCapacity)
        remaining -= count
        let next = BigEndian.read32(page, at: 0)
        if remaining > 0 {
            guard next != 0, next != current else {
                throw CorruptionError(page: current, "overflow chain ends \(remaining) bytes early")
            }
            nextPage = next
        } else {
            nextPage = nil
        }
        return UnsafeRawBufferPointer(rebasing: page[4..<4 + count])
    }
}
