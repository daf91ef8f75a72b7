/// A page's bytes as btree.c's integrity check reads them.
///
/// The check must report what SQLite reports for the same damage, so it parses pages with
/// SQLite's own arithmetic (xParseCell, btreeInitPage, btreeComputeFreeSpace) rather than with
/// `BTreePage`, which rejects some damage earlier and with other words. Every read is bounds
/// checked: bytes past the buffer read as zero (SQLite reads a few bytes of padding there).
struct RawPage {
    let bytes: UnsafeRawBufferPointer

    @inline(__always)
    func byte(_ offset: Int) -> UInt8 {
        offset >= 0 && offset < bytes.count ? bytes[offset] : 0
    }

    func read16(_ offset: Int) -> Int {
        Int(byte(offset)) << 8 | Int(byte(offset + 1))
    }

    /// get2byteNotZero: 0 means 65536.
    func read16NotZero(_ offset: Int) -> Int {
        ((read16(offset) - 1) & 0xffff) + 1
    }

    func read32(_ offset: Int) -> UInt32 {
        UInt32(byte(offset)) << 24 | UInt32(byte(offset + 1)) << 16 | UInt32(byte(offset + 2)) << 8 | UInt32(byte(offset + 3))
    }

    /// sqlite3GetVarint: up to 9 bytes, the ninth contributing all 8 bits. Returns the value and
    /// the number of bytes read.
    func varint(at offset: Int) -> (value: UInt64, length: Int) {
        var value: UInt64 = 0
        for i in 0..<8 {
            let b = byte(offset + i)
            value = (value << 7) | UInt64(b & 0x7f)
            if b < 0x80 { return (value, i + 1) }
        }
        return ((value << 8) | UInt64(byte(offset + 8)), 9)
    }

    /// sqlite3GetVarint32: a varint that does not fit 32 bits reads as 0xffffffff.
    func varint32(at offset: Int) -> (value: UInt32, length: Int) {
        let (value, length) = varint(at: offset)
        return (value > UInt64(UInt32.max) ? UInt32.max : UInt32(value), length)
    }

    /// The payload-size loop inlined in btreeParseCellPtr and cellSizePtr: 7 bits from each of up
    /// to 9 bytes, kept in 32 bits. Returns the value and the offset just past it.
    func payloadSizeVarint(at offset: Int) -> (value: UInt32, end: Int) {
        var position = offset
        var value = UInt32(byte(position))
        if value >= 0x80 {
            let last = position + 8
            value &= 0x7f
            repeat {
                position += 1
                value = (value << 7) | UInt32(byte(position) & 0x7f)
            } while byte(position) >= 0x80 && position < last
        }
        return (value, position + 1)
    }
}

/// A cell as SQLite's xParseCell sees it.
struct RawCell {
    /// The rowid (table pages) or payload size (index pages).
    var key: Int64
    var payloadSize: UInt32
    var localSize: Int
    /// Bytes on the page (SQLite's nSize, a u16).
    var size: Int
}

/// A B-tree page header as btreeInitPage decodes it.
struct RawPageHeader {
    let pageNumber: UInt32
    let pageType: PageType
    let headerOffset: Int
    let cellCount: Int
    let geometry: BTreeGeometry

    var isLeaf: Bool { pageType.isLeaf }
    var isTable: Bool { pageType.isTable }
    /// Start of the cell pointer array.
    var cellStart: Int { headerOffset + (isLeaf ? 8 : 12) }
    var usableSize: Int { geometry.usableSize }

    /// btreeInitPage without the optional cell-size check (integrity_check turns it off): the
    /// flag byte must name a page type and the cell count must fit. Nil when either fails.
    init?(_ page: RawPage, pageNumber: UInt32, geometry: BTreeGeometry) {
        let headerOffset = pageNumber == 1 ? 100 : 0
        guard let type = PageType(rawValue: page.byte(headerOffset)) else { return nil }
        let cellCount = page.read16(headerOffset + 3)
        guard cellCount <= geometry.maxCellCount else { return nil }
        self.pageNumber = pageNumber
        self.pageType = type
        self.headerOffset = headerOffset
        self.cellCount = cellCount
        self.geometry = geometry
    }

    /// btreeComputeFreeSpace: false where SQLite reports "free space corruption".
    func freeSpaceIsConsistent(_ page: RawPage) -> Bool {
        let hdr = headerOffset
        let top = page.read16NotZero(hdr + 5)
        let firstCell = cellStart + 2 * cellCount
        let lastCell = usableSize - 4
        var pc = page.read16(hdr + 1)
        var free = Int(page.byte(hdr + 7)) + top
        if pc > 0 {
            if pc < top { return false }
            var next = 0
            var size = 0
            while true {
                if pc > lastCell { return false }
                next = page.read16(pc)
                size = page.read16(pc + 2)
                free += size
                if next <= pc + size + 3 { break }
                pc = next
            }
            if next > 0 { return false }
            if pc + size > usableSize { return false }
        }
        return free <= usableSize && free >= firstCell
    }

    /// The offset of cell `index` as stored in the cell pointer array, unchecked.
    func cellPointer(_ index: Int, in page: RawPage) -> Int {
        page.read16(cellStart + 2 * index)
    }

    /// xParseCell for this page's type, on the cell at `pc`.
    func parseCell(at pc: Int, in page: RawPage) -> RawCell {
        if pageType == .tableInterior {
            let (key, length) = page.varint(at: pc + 4)
            return RawCell(key: Int64(bitPattern: key), payloadSize: 0, localSize: 0, size: 4 + length)
        }
        let (payloadSize, afterSize) = page.payloadSizeVarint(at: pc + (isLeaf ? 0 : 4))
        var key = Int64(payloadSize)
        var payloadStart = afterSize
        if pageType == .tableLeaf {
            let (rowid, length) = page.varint(at: afterSize)
            key = Int64(bitPattern: rowid)
            payloadStart += length
        }
        let maxLocal = geometry.maxLocal(for: pageType)
        if payloadSize <= UInt32(maxLocal) {
            let size = max(4, Int(payloadSize) + payloadStart - pc)
            return RawCell(key: key, payloadSize: payloadSize, localSize: Int(payloadSize), size: size & 0xffff)
        }
        let minLocal = geometry.minLocal(for: pageType)
        let surplus = minLocal + Int((payloadSize - UInt32(minLocal)) % UInt32(usableSize - 4))
        let local = surplus <= maxLocal ? surplus : minLocal
        return RawCell(key: key, payloadSize: payloadSize, localSize: local, size: (payloadStart + local - pc + 4) & 0xffff)
    }
}
