/// The four kinds of B-tree page, by the flag byte that starts the page header.
package enum PageType: UInt8, Sendable, CaseIterable {
    /// Index interior: cells are a left-child page number and a key.
    case indexInterior = 0x02
    /// Table interior: cells are a left-child page number and a rowid.
    case tableInterior = 0x05
    /// Index leaf: cells are keys.
    case indexLeaf = 0x0a
    /// Table leaf: cells are a rowid and a record.
    case tableLeaf = 0x0d

    @inlinable package var isLeaf: Bool { rawValue & 0x08 != 0 }
    /// True for table (intkey) pages, whose cells are ordered by an integer rowid.
    @inlinable package var isTable: Bool { rawValue & 0x01 != 0 }
    /// Interior pages start each cell with a 4-byte left-child page number.
    @inlinable package var childPointerSize: Int { isLeaf ? 0 : 4 }
    /// Interior pages add the 4-byte right-child page number to the 8-byte header.
    @inlinable package var headerSize: Int { isLeaf ? 8 : 12 }
    /// Every kind but table interior pages carries payload in its cells.
    @inlinable package var hasPayload: Bool { self != .tableInterior }

    /// The leaf kind of the same tree.
    @inlinable package var leafType: PageType { isTable ? .tableLeaf : .indexLeaf }
    /// The interior kind of the same tree.
    @inlinable package var interiorType: PageType { isTable ? .tableInterior : .indexInterior }
}

/// Sizes derived from the database's page size and reserved bytes, computed once per database:
/// the usable size and the local-payload limits that decide which part of a cell's payload stays
/// on the B-tree page and which spills to overflow pages.
package struct BTreeGeometry: Sendable, Equatable, Hashable {
    package let pageSize: Int
    /// Page size less the reserved bytes at the end of each page.
    package let usableSize: Int
    /// Most payload an index cell keeps on its page (SQLite's maxLocal).
    package let maxLocalIndex: Int
    /// Least payload an index cell with overflow keeps on its page (minLocal).
    package let minLocalIndex: Int
    /// Most payload a table leaf cell keeps on its page (maxLeaf).
    package let maxLocalTable: Int
    /// Least payload a table leaf cell with overflow keeps on its page (minLeaf).
    package let minLocalTable: Int

    /// The smallest usable size SQLite accepts.
    package static let minUsableSize = 480

    /// Derives the geometry, rejecting what SQLite rejects when it opens a database: a page size
    /// that is not a power of two in 512...65536, more than 255 reserved bytes, or a usable size
    /// under 480.
    package init(pageSize: Int, reservedBytes: Int = 0) throws(CorruptionError) {
        guard pageSize >= 512, pageSize <= 65536, pageSize & (pageSize - 1) == 0 else {
            throw CorruptionError(page: 1, "page size \(pageSize) is not a power of two in 512...65536")
        }
        guard reservedBytes >= 0, reservedBytes <= 255, pageSize - reservedBytes >= Self.minUsableSize else {
            throw CorruptionError(page: 1, "\(reservedBytes) reserved bytes leave too little of a \(pageSize)-byte page")
        }
        self.pageSize = pageSize
        usableSize = pageSize - reservedBytes
        // The payload fractions are fixed by the format (64, 32, 32 in the database header).
        maxLocalIndex = (usableSize - 12) * 64 / 255 - 23
        minLocalIndex = (usableSize - 12) * 32 / 255 - 23
        maxLocalTable = usableSize - 35
        minLocalTable = (usableSize - 12) * 32 / 255 - 23
    }

    /// Reads the page size (offset 16, where 1 means 65536) and reserved bytes (offset 20) from the
    /// 100-byte database header and checks the fixed payload fractions (offsets 21...23).
    package init(databaseHeader header: UnsafeRawBufferPointer) throws(CorruptionError) {
        guard header.count >= 100 else {
            throw CorruptionError(page: 1, "database header is shorter than 100 bytes")
        }
        let stored = BigEndian.read16(header, at: 16)
        guard header[21] == 64, header[22] == 32, header[23] == 32 else {
            throw CorruptionError(page: 1, "payload fractions are not 64, 32, 32")
        }
        try self.init(pageSize: stored == 1 ? 65536 : stored, reservedBytes: Int(header[20]))
    }

    package var reservedBytes: Int { pageSize - usableSize }

    /// Most cells one page can hold: every cell takes at least 4 bytes plus a 2-byte pointer.
    @inlinable package var maxCellCount: Int { (pageSize - 8) / 6 }

    /// Payload bytes each overflow page carries after its 4-byte next-page pointer.
    @inlinable package var overflowPageCapacity: Int { usableSize - 4 }

    @inlinable
    package func maxLocal(for pageType: PageType) -> Int {
        pageType.isTable ? maxLocalTable : maxLocalIndex
    }

    @inlinable
    package func minLocal(for pageType: PageType) -> Int {
        pageType.isTable ? minLocalTable : minLocalIndex
    }

    /// How much of a payload of `payloadSize` bytes a cell on a page of `pageType` keeps locally
    /// (btreePayloadToLocal). Payload beyond maxLocal keeps minLocal bytes plus whatever part of
    /// the overflow would only partly fill the last overflow page, as long as that stays within
    /// maxLocal: this leaves the overflow pages full.
    @inlinable
    package func localPayloadSize(payloadSize: Int, pageType: PageType) -> Int {
        let maxLocal = maxLocal(for: pageType)
        if payloadSize <= maxLocal { return payloadSize }
        let minLocal = minLocal(for: pageType)
        let surplus = minLocal + (payloadSize - minLocal) % (usableSize - 4)
        return surplus <= maxLocal ? surplus : minLocal
    }
}
