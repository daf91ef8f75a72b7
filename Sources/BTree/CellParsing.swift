/// What a cell holds and where (SQLite's CellInfo).
///
///   table leaf:      payload size varint · rowid varint · local payload · [first overflow page]
///   table interior:  left child (4) · rowid varint
///   index leaf:      payload size varint · local payload · [first overflow page]
///   index interior:  left child (4) · payload size varint · local payload · [first overflow page]
package struct CellInfo: Sendable, Equatable {
    /// The rowid on table pages; the payload size on index pages (SQLite's nKey).
    package var key: Int64
    /// Total payload bytes, local and overflow; 0 on table interior pages.
    package var payloadSize: Int
    /// Payload bytes stored in the cell itself.
    package var localPayloadSize: Int
    /// Offset of the local payload in the page.
    package var payloadOffset: Int
    /// Offset of the cell in the page.
    package var cellOffset: Int
    /// Bytes the cell occupies on the page, never less than 4 (its pointer not included).
    package var cellSize: Int
    /// First overflow page, 0 when the payload is all local.
    package var overflowPage: UInt32
    /// Left child on interior pages, 0 on leaves.
    package var leftChild: UInt32

    @inlinable package var rowid: Int64 { key }
    @inlinable package var hasOverflow: Bool { localPayloadSize < payloadSize }
    /// Where the local payload lies in the page.
    @inlinable package var localPayloadRange: Range<Int> { payloadOffset..<payloadOffset + localPayloadSize }
}

extension BTreePage {
    /// The largest payload size a cell may declare. SQLite's own limit is 1,000,000,000 bytes by
    /// default and at most 2^31 - 1; anything larger cannot have been written by it.
    package static let maxPayloadSize = 0x7fff_ffff

    /// Parses cell `index`.
    @inlinable
    package func cell(at index: Int, in bytes: UnsafeRawBufferPointer) throws(CorruptionError) -> CellInfo {
        try parseCell(atOffset: try cellOffset(at: index, in: bytes), in: bytes)
    }

    /// Bytes cell `index` occupies on the page.
    @inlinable
    package func cellSize(at index: Int, in bytes: UnsafeRawBufferPointer) throws(CorruptionError) -> Int {
        try cell(at: index, in: bytes).cellSize
    }

    /// Parses the cell at `offset` (btreeParseCellPtr, btreeParseCellPtrNoPayload,
    /// btreeParseCellPtrIndex), checking that all of it lies within the usable area.
    /// - Precondition: `offset` is inside the page.
    @inlinable
    package func parseCell(atOffset offset: Int, in bytes: UnsafeRawBufferPointer) throws(CorruptionError) -> CellInfo {
        precondition(offset >= 0 && offset < usableSize, "cell offset lies outside the page")
        let end = usableSize
        var cursor = offset
        var leftChild: UInt32 = 0
        if !isLeaf {
            guard offset + 4 <= end else {
                throw CorruptionError(page: pageNumber, "cell at \(offset) is cut off by the end of the page")
            }
            leftChild = BigEndian.read32(bytes, at: offset)
            cursor += 4
        }
        if pageType == .tableInterior {
            guard let (rowid, length) = Varint.read(bytes, at: cursor, end: end) else {
                throw CorruptionError(page: pageNumber, "rowid of cell at \(offset) is cut off")
            }
            return CellInfo(
                key: Int64(bitPattern: rowid), payloadSize: 0, localPayloadSize: 0, payloadOffset: cursor + length,
                cellOffset: offset, cellSize: 4 + length, overflowPage: 0, leftChild: leftChild)
        }
        guard let (declaredSize, sizeLength) = Varint.read(bytes, at: cursor, end: end) else {
            throw CorruptionError(page: pageNumber, "payload size of cell at \(offset) is cut off")
        }
        guard declaredSize <= UInt64(Self.maxPayloadSize) else {
            throw CorruptionError(page: pageNumber, "cell at \(offset) declares a payload of \(declaredSize) bytes")
        }
        let payloadSize = Int(declaredSize)
        cursor += sizeLength
        var key = Int64(payloadSize)
        if pageType == .tableLeaf {
            guard let (rowid, length) = Varint.read(bytes, at: cursor, end: end) else {
                throw CorruptionError(page: pageNumber, "rowid of cell at \(offset) is cut off")
            }
            key = Int64(bitPattern: rowid)
            cursor += length
        }
        let headerSize = cursor - offset
        let localSize = geometry.localPayloadSize(payloadSize: payloadSize, pageType: pageType)
        let cellSize = localSize < payloadSize ? headerSize + localSize + 4 : max(4, headerSize + localSize)
        guard cellSize <= end - offset else {
            throw CorruptionError(
                page: pageNumber, "cell at \(offset) of \(cellSize) bytes extends past the usable end \(end)")
        }
        var overflowPage: UInt32 = 0
        if localSize < payloadSize {
            overflowPage = BigEndian.read32(bytes, at: offset + cellSize - 4)
            guard overflowPage != 0 else {
                throw CorruptionError(page: pageNumber, "cell at \(offset) has overflow but no overflow page")
            }
        }
        return CellInfo(
            key: key, payloadSize: payloadSize, localPayloadSize: localSize, payloadOffset: cursor,
            cellOffset: offset, cellSize: cellSize, overflowPage: overflowPage, leftChild: leftChild)
    }
}
