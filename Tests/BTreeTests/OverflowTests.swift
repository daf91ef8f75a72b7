import Testing
@testable import BTree

@Suite struct OverflowTests {
    @Test(arguments: [512, 1024, 65536])
    func overflowChainsRoundTrip(pageSize: Int) throws {
        let geometry = try BTreeGeometry(pageSize: pageSize)
        var random = SeededGenerator(seed: UInt64(pageSize))
        for type in [PageType.tableLeaf, .indexLeaf, .indexInterior] {
            for payloadSize in [0, 1, geometry.maxLocal(for: type), geometry.maxLocal(for: type) + 1, 5000, 300_000] {
                let payload = random.bytes(payloadSize)
                let layout = geometry.cellLayout(pageType: type, payloadSize: payloadSize, rowid: -7)
                let chainLength = geometry.overflowPageCount(for: layout)
                let pageNumbers = (0..<chainLength).map { UInt32(100 + 3 * $0) }
                var pages: [UInt32: [UInt8]] = [:]
                for (index, number) in pageNumbers.enumerated() {
                    var page = [UInt8](repeating: 0xcc, count: pageSize)
                    page.withUnsafeMutableBytes { target in
                        payload.withUnsafeBytes { source in
                            CellBuilder.writeOverflowPage(
                                into: target, geometry: geometry, layout: layout, index: index, payload: source,
                                nextPage: index + 1 < pageNumbers.count ? pageNumbers[index + 1] : 0)
                        }
                    }
                    pages[number] = page
                }
                // Put the cell on a page and read the payload back through the chain.
                var bytes = [UInt8](repeating: 0, count: pageSize)
                var page = bytes.withUnsafeMutableBytes {
                    BTreePage.initialize($0, pageNumber: 2, type: type, geometry: geometry)
                }
                let cell = CellBuilder.makeCell(
                    layout: layout, leftChild: 9, rowid: -7, payload: payload, firstOverflowPage: pageNumbers.first ?? 0)
                let inserted = try bytes.withUnsafeMutableBytes { buffer in
                    try cell.withUnsafeBytes { try page.insertCell($0, at: 0, in: buffer) }
                }
                #expect(inserted)
                let info = try bytes.withUnsafeBytes { try page.cell(at: 0, in: $0) }
                #expect(info.payloadSize == payloadSize)
                #expect(info.key == (type.isTable ? -7 : Int64(payloadSize)))
                #expect(info.leftChild == (type.isLeaf ? 0 : 9))
                var assembled = Array(bytes[info.localPayloadRange])
                var reader = OverflowChainReader(cell: info, geometry: geometry)
                var visited = 0
                while let next = reader.nextPage {
                    visited += 1
                    try pages[next]!.withUnsafeBytes { assembled.append(contentsOf: try reader.consume($0)) }
                }
                #expect(visited == chainLength)
                #expect(assembled == payload)
            }
        }
    }

    @Test func chainThatLoopsEndsWithAnError() throws {
        let geometry = try BTreeGeometry(pageSize: 512)
        let layout = geometry.cellLayout(pageType: .tableLeaf, payloadSize: 5000)
        let info = CellInfo(
            key: 1, payloadSize: 5000, localPayloadSize: layout.localPayloadSize, payloadOffset: 0, cellOffset: 0,
            cellSize: layout.cellSize, overflowPage: 5, leftChild: 0)
        var page = [UInt8](repeating: 0, count: 512)
        page[3] = 5  // the page points at itself
        var reader = OverflowChainReader(cell: info, geometry: geometry)
        #expect(throws: CorruptionError.self) {
            try page.withUnsafeBytes { _ = try reader.consume($0) }
        }
        // Pointing at 0 before the payload is complete is also an error.
        page[3] = 0
        reader = OverflowChainReader(cell: info, geometry: geometry)
        #expect(throws: CorruptionError.self) {
            try page.withUnsafeBytes { _ = try reader.consume($0) }
        }
    }
}
