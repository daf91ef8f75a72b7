import Foundation
@testable import BTree

/// A database file read into memory and walked with the BTree module's page code, checking every
/// page, cell and overflow chain on the way.
struct DatabaseImage {
    let bytes: [UInt8]
    let geometry: BTreeGeometry

    init(path: String) throws {
        bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        geometry = try bytes.withUnsafeBytes { whole throws(CorruptionError) in
            try BTreeGeometry(databaseHeader: UnsafeRawBufferPointer(rebasing: whole[0..<100]))
        }
    }

    var pageCount: Int { bytes.count / geometry.pageSize }

    func withPage<Result>(_ number: UInt32, _ body: (UnsafeRawBufferPointer) throws -> Result) throws -> Result {
        guard number >= 1, Int(number) <= pageCount else {
            throw CorruptionError(page: number, "page number out of range in test image")
        }
        let start = (Int(number) - 1) * geometry.pageSize
        return try bytes.withUnsafeBytes { whole in
            try body(UnsafeRawBufferPointer(rebasing: whole[start..<start + geometry.pageSize]))
        }
    }

    /// One entry of a tree in key order: the rowid (table trees) and the whole payload.
    struct Entry {
        var rowid: Int64
        var payload: [UInt8]
    }

    struct WalkStatistics {
        var pages: [PageType: Int] = [:]
        var overflowPages = 0
        var freeblocks = 0
        var fragmentedBytes = 0
        var depth = 0
        var cellsWithOverflow = 0
    }

    /// Every entry of the tree rooted at `root`, in key order.
    func walk(root: UInt32, statistics: inout WalkStatistics) throws -> [Entry] {
        var entries: [Entry] = []
        var leafDepth: Int? = nil
        try visit(root, depth: 1, expectTable: nil, leafDepth: &leafDepth, entries: &entries, statistics: &statistics)
        statistics.depth = max(statistics.depth, leafDepth ?? 0)
        return entries
    }

    private func visit(
        _ number: UInt32, depth: Int, expectTable: Bool?, leafDepth: inout Int?, entries: inout [Entry],
        statistics: inout WalkStatistics
    ) throws {
        guard depth < 20 else { throw CorruptionError(page: number, "tree too deep in test walk") }
        struct Child { var page: UInt32; var entryAfter: Entry? }
        var children: [Child] = []
        var localEntries: [Entry] = []
        var pageType = PageType.tableLeaf
        try withPage(number) { bytes in
            let page = try BTreePage(loading: bytes, pageNumber: number, geometry: geometry)
            pageType = page.pageType
            try page.validateCells(in: bytes)
            try checkAccounting(page, bytes, statistics: &statistics)
            statistics.pages[page.pageType, default: 0] += 1
            for index in 0..<page.cellCount {
                let cell = try page.cell(at: index, in: bytes)
                var payload: [UInt8] = []
                if page.pageType.hasPayload {
                    payload = try assemblePayload(cell, bytes, statistics: &statistics)
                }
                try checkRebuild(page, cell, payload, bytes)
                let entry = Entry(rowid: cell.key, payload: payload)
                if page.isLeaf {
                    localEntries.append(entry)
                } else {
                    children.append(Child(page: try page.leftChild(ofCell: index, in: bytes),
                                          entryAfter: page.pageType == .indexInterior ? entry : nil))
                }
            }
            if !page.isLeaf {
                children.append(Child(page: try page.rightChild(in: bytes), entryAfter: nil))
            }
        }
        if let expectTable, expectTable != pageType.isTable {
            throw CorruptionError(page: number, "tree mixes table and index pages")
        }
        if pageType.isLeaf {
            if let leafDepth, leafDepth != depth { throw CorruptionError(page: number, "leaves at different depths") }
            leafDepth = depth
            entries.append(contentsOf: localEntries)
            return
        }
        for child in children {
            try visit(child.page, depth: depth + 1, expectTable: pageType.isTable, leafDepth: &leafDepth,
                      entries: &entries, statistics: &statistics)
            if let entry = child.entryAfter { entries.append(entry) }
        }
    }

    private func assemblePayload(
        _ cell: CellInfo, _ bytes: UnsafeRawBufferPointer, statistics: inout WalkStatistics
    ) throws -> [UInt8] {
        var payload = Array(bytes[cell.localPayloadRange])
        var chain = OverflowChainReader(cell: cell, geometry: geometry)
        if chain.nextPage != nil { statistics.cellsWithOverflow += 1 }
        while let next = chain.nextPage {
            try withPage(next) { page in
                payload.append(contentsOf: try chain.consume(page))
            }
            statistics.overflowPages += 1
        }
        return payload
    }

    /// Cells, pointers, header and free bytes must add up to the usable size, no two cells or
    /// freeblocks may overlap, and the free space must match an independent count.
    private func checkAccounting(
        _ page: BTreePage, _ bytes: UnsafeRawBufferPointer, statistics: inout WalkStatistics
    ) throws {
        var used = [Bool](repeating: false, count: page.usableSize)
        func claim(_ range: Range<Int>, _ what: String) throws {
            for offset in range {
                if used[offset] { throw CorruptionError(page: page.pageNumber, "\(what) overlaps at \(offset)") }
                used[offset] = true
            }
        }
        try claim(0..<page.cellPointerArrayEnd, "header")
        var cellBytes = 0
        for index in 0..<page.cellCount {
            let cell = try page.cell(at: index, in: bytes)
            try claim(cell.cellOffset..<cell.cellOffset + cell.cellSize, "cell \(index)")
            cellBytes += cell.cellSize
        }
        var block = BigEndian.read16(bytes, at: page.headerOffset + 1)
        var freeblockBytes = 0
        while block != 0 {
            let size = BigEndian.read16(bytes, at: block + 2)
            try claim(block..<block + size, "freeblock \(block)")
            freeblockBytes += size
            statistics.freeblocks += 1
            block = BigEndian.read16(bytes, at: block)
        }
        let fragments = Int(bytes[page.headerOffset + 7])
        statistics.fragmentedBytes += fragments
        let gap = page.cellContentStart(in: bytes) - page.cellPointerArrayEnd
        let independent = gap + freeblockBytes + fragments
        guard independent == page.freeSpace else {
            throw CorruptionError(page: page.pageNumber, "free space \(page.freeSpace) != independent \(independent)")
        }
        guard page.cellPointerArrayEnd + cellBytes + page.freeSpace == page.usableSize else {
            throw CorruptionError(page: page.pageNumber, "page bytes do not add up to the usable size")
        }
    }

    /// Building the cell from its payload with CellBuilder must give the bytes on the page.
    private func checkRebuild(
        _ page: BTreePage, _ cell: CellInfo, _ payload: [UInt8], _ bytes: UnsafeRawBufferPointer
    ) throws {
        let layout = geometry.cellLayout(pageType: page.pageType, payloadSize: payload.count, rowid: cell.key)
        guard layout.cellSize == cell.cellSize, layout.localPayloadSize == cell.localPayloadSize else {
            throw CorruptionError(page: page.pageNumber, "cell layout disagrees with the parsed cell")
        }
        let rebuilt = CellBuilder.makeCell(
            layout: layout, leftChild: cell.leftChild, rowid: cell.key, payload: payload,
            firstOverflowPage: cell.overflowPage)
        // SQLite leaves the padding of cells shorter than 4 bytes partly uninitialized.
        let meaningful = layout.hasOverflow ? layout.cellSize : layout.headerSize + layout.localPayloadSize
        guard Array(rebuilt[0..<meaningful]) == Array(bytes[cell.cellOffset..<cell.cellOffset + meaningful]) else {
            throw CorruptionError(page: page.pageNumber, "rebuilt cell differs from the cell at \(cell.cellOffset)")
        }
    }

    /// name -> (type, root page, sql) from sqlite_schema.
    func schema() throws -> [String: (type: String, root: UInt32, sql: String)] {
        var statistics = WalkStatistics()
        var result: [String: (type: String, root: UInt32, sql: String)] = [:]
        for entry in try walk(root: 1, statistics: &statistics) {
            let values = try entry.payload.withUnsafeBytes { try RecordHeader.decodeAll($0) }
            guard values.count == 5, case .text(let type) = values[0], case .text(let name) = values[1],
                  case .integer(let root) = values[3] else { continue }
            var sql = ""
            if case .text(let text) = values[4] { sql = String(decoding: text, as: UTF8.self) }
            result[String(decoding: name, as: UTF8.self)] = (String(decoding: type, as: UTF8.self), UInt32(root), sql)
        }
        return result
    }
}

extension Value {
    /// The same rendering as `SQLiteShell.exactRendering(of:)`.
    var exactRendering: String {
        switch self {
        case .null: return "null:"
        case .integer(let value): return "integer:\(value)"
        case .real(let value): return "real:" + hexString(value.bitPattern.bigEndianBytes)
        case .text(let bytes): return "text:" + hexString(bytes)
        case .blob(let bytes): return "blob:" + hexString(bytes)
        }
    }
}
