import Pager

/// The current row of a table cursor read the way SQLite's OP_Column reads it during the
/// integrity check: the header parsed up to the last column the table declares, with SQLite's
/// rules for what makes a record corrupt, and a column's content read (from overflow pages if it
/// lies there) only when an index key needs it.
struct StoredRow {
    let rowid: Int64
    let cell: CellInfo
    let node: Node
    /// Serial types of the fields parsed, and where each field's body starts (`starts[i]`) and
    /// ends (`starts[i + 1]`).
    private(set) var serialTypes: [UInt32] = []
    private(set) var starts: [Int] = []

    /// Parses the header through field `lastColumn`. Nil where SQLite reports the record corrupt.
    init?(cursor: BTreeCursor, store: TreeStore, through lastColumn: Int?) throws(DatabaseError) {
        cell = try cursor.currentCell()
        node = cursor.stack.last!.node
        rowid = cell.key
        guard let lastColumn else { return }
        let local = RawPage(bytes: UnsafeRawBufferPointer(rebasing: node.bytes[cell.localPayloadRange]))
        let (headerSize, headerSizeLength) = local.byte(0) < 0x80 ? (UInt32(local.byte(0)), 1) : local.varint32(at: 0)
        if cell.localPayloadSize >= Int(headerSize) {
            guard parseFields(local, headerSize: headerSize, from: headerSizeLength, through: lastColumn) else { return nil }
            return
        }
        // The header spills into the overflow pages.
        guard headerSize <= 98307, Int(headerSize) <= cell.payloadSize else { return nil }
        guard headerSizeLength < Int(headerSize) else { return }
        let header = try store.readPayloadPrefix(of: cell, in: node, count: Int(headerSize))
        let valid = header.withUnsafeBytes { bytes in
            parseFields(RawPage(bytes: bytes), headerSize: headerSize, from: headerSizeLength, through: lastColumn)
        }
        guard valid else { return nil }
    }

    /// OP_Column's loop: fields until `lastColumn` or the end of the header, then the checks that
    /// the header ends where it says and the bodies stay inside the record. False for a corrupt
    /// record; a header size of 0 is accepted as a record without fields, as SQLite accepts it.
    private mutating func parseFields(_ header: RawPage, headerSize: UInt32, from start: Int, through lastColumn: Int) -> Bool {
        var position = start
        var offset = UInt64(headerSize)
        let end = Int(headerSize)
        starts = [Int(headerSize)]
        repeat {
            let (type, length) = header.byte(position) < 0x80 ? (UInt32(header.byte(position)), 1) : header.varint32(at: position)
            position += length
            serialTypes.append(type)
            offset += UInt64(Self.bodySize(type))
            starts.append(Int(truncatingIfNeeded: offset & 0xffff_ffff))
        } while serialTypes.count <= lastColumn && position < end
        let size = UInt64(cell.payloadSize)
        if (position >= end && (position > end || offset != size)) || offset > size {
            serialTypes.removeAll()
            starts.removeAll()
            return headerSize == 0
        }
        return true
    }

    static func bodySize(_ serialType: UInt32) -> Int {
        serialType >= 12 ? Int((serialType - 12) / 2) : SerialType.contentSize(UInt64(serialType))
    }

    var fieldCount: Int { serialTypes.count }

    /// Field `index`'s value, read from the cell or its overflow pages; nil when the record has
    /// fewer fields.
    func field(_ index: Int, store: TreeStore) throws(DatabaseError) -> Value? {
        guard index < serialTypes.count else { return nil }
        let type = UInt64(serialTypes[index])
        let range = starts[index]..<starts[index + 1]
        if range.upperBound <= cell.localPayloadSize {
            let local = UnsafeRawBufferPointer(rebasing: node.bytes[cell.localPayloadRange])
            return SerialType.decode(type, UnsafeRawBufferPointer(rebasing: local[range]), at: 0)
        }
        let prefix = try store.readPayloadPrefix(of: cell, in: node, count: range.upperBound)
        return prefix.withUnsafeBytes { bytes in
            SerialType.decode(type, UnsafeRawBufferPointer(rebasing: bytes[range]), at: 0)
        }
    }
}

extension TreeStore {
    /// The first `count` bytes of a cell's payload, its local part then as much of its overflow
    /// chain as they need. The chain is checked as it is followed: page numbers inside the
    /// database, no more pages than the payload needs.
    func readPayloadPrefix(of cell: CellInfo, in node: Node, count: Int) throws(DatabaseError) -> [UInt8] {
        precondition(count <= cell.payloadSize, "a prefix longer than the payload")
        var buffer = [UInt8](UnsafeRawBufferPointer(rebasing: node.bytes[cell.localPayloadRange].prefix(count)))
        var chain = OverflowChainReader(cell: cell, geometry: geometry)
        var visited = 0
        let limit = (cell.payloadSize - cell.localPayloadSize + geometry.overflowPageCapacity - 1) / geometry.overflowPageCapacity
        while buffer.count < count, let pgno = chain.nextPage {
            visited += 1
            guard visited <= limit, pgno >= 2, pgno <= pager.databaseSize, pgno != pager.shared.lockBytePage else {
                throw DatabaseError.corrupt(page: pgno, "overflow chain of page \(node.pgno) is broken")
            }
            let page = try pager.page(pgno)
            defer { pager.release(page) }
            do {
                let part = try chain.consume(UnsafeRawBufferPointer(page.bytes))
                buffer.append(contentsOf: part.prefix(count - buffer.count))
            } catch {
                throw error.databaseError
            }
        }
        guard buffer.count == count else {
            throw DatabaseError.corrupt(page: node.pgno, "payload of a cell ends after \(buffer.count) of \(count) bytes")
        }
        return buffer
    }
}
