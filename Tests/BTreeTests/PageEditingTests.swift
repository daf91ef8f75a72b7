import Testing
@testable import BTree

/// Pages built by inserting and dropping cells at random, checked after every step.
@Suite struct PageEditingTests {
    struct Scenario: CustomTestStringConvertible, Sendable {
        var pageSize: Int
        var reservedBytes: Int
        var pageNumber: UInt32
        var type: PageType
        var testDescription: String { "\(pageSize)/\(reservedBytes) page \(pageNumber) \(type)" }
    }

    static let scenarios: [Scenario] = {
        var result: [Scenario] = []
        for (pageSize, reserved) in [(512, 0), (1024, 0), (4096, 0), (4096, 100), (65536, 0)] {
            for type in PageType.allCases {
                for pageNumber: UInt32 in [1, 2] {
                    result.append(Scenario(pageSize: pageSize, reservedBytes: reserved, pageNumber: pageNumber, type: type))
                }
            }
        }
        return result
    }()

    /// A random cell of `type`, with payload sizes spread across the overflow threshold.
    static func randomCell(
        _ type: PageType, _ geometry: BTreeGeometry, _ random: inout SeededGenerator
    ) -> (cell: [UInt8], rowid: Int64) {
        let rowid = Int64.random(in: Int64.min...Int64.max, using: &random) >> Int64.random(in: 0...63, using: &random)
        let maxLocal = geometry.maxLocal(for: type)
        var payloadSize = 0
        if type.hasPayload {
            switch Int.random(in: 0..<4, using: &random) {
            case 0: payloadSize = Int.random(in: 0...8, using: &random)
            case 1: payloadSize = Int.random(in: 0...60, using: &random)
            case 2: payloadSize = Int.random(in: max(0, maxLocal - 6)...maxLocal + 6, using: &random)
            default: payloadSize = Int.random(in: 0...3 * maxLocal, using: &random)
            }
        }
        let layout = geometry.cellLayout(pageType: type, payloadSize: payloadSize, rowid: rowid)
        let cell = CellBuilder.makeCell(
            layout: layout, leftChild: UInt32.random(in: 1...UInt32.max, using: &random), rowid: rowid,
            payload: random.bytes(payloadSize),
            firstOverflowPage: layout.hasOverflow ? UInt32.random(in: 1...UInt32.max, using: &random) : 0)
        #expect(cell.count == layout.cellSize)
        return (cell, rowid)
    }

    @Test(arguments: scenarios)
    func randomEditsKeepThePageConsistent(_ scenario: Scenario) throws {
        let geometry = try BTreeGeometry(pageSize: scenario.pageSize, reservedBytes: scenario.reservedBytes)
        var random = SeededGenerator(seed: UInt64(scenario.pageSize) &* 31 &+ UInt64(scenario.type.rawValue) &* 7
                                     &+ UInt64(scenario.pageNumber) &+ UInt64(scenario.reservedBytes))
        var bytes = [UInt8](repeating: 0xa5, count: scenario.pageSize)
        let databaseHeader = Array(bytes[0..<100])
        var model: [[UInt8]] = []
        var page = bytes.withUnsafeMutableBytes {
            BTreePage.initialize($0, pageNumber: scenario.pageNumber, type: scenario.type, geometry: geometry)
        }
        var refusals = 0
        var sawFreeblocks = false
        var sawFragments = false
        let steps = scenario.pageSize >= 65536 ? 800 : 2000
        for step in 0..<steps {
            let action = Int.random(in: 0..<100, using: &random)
            try bytes.withUnsafeMutableBytes { buffer in
                // Lean towards inserting until the page is full, then churn.
                if action < 55 {
                    let (cell, _) = Self.randomCell(scenario.type, geometry, &random)
                    let index = Int.random(in: 0...model.count, using: &random)
                    let fits = try cell.withUnsafeBytes { try page.insertCell($0, at: index, in: buffer) }
                    if fits {
                        model.insert(cell, at: index)
                    } else {
                        refusals += 1
                        #expect(cell.count + 2 > page.freeSpace, "refused a cell that fits")
                    }
                } else if action < 92 {
                    if !model.isEmpty {
                        let index = Int.random(in: 0..<model.count, using: &random)
                        try page.dropCell(at: index, in: buffer)
                        model.remove(at: index)
                    }
                } else {
                    try page.defragment(in: buffer, maxFragments: Int.random(in: 0...4, using: &random))
                }
            }
            try bytes.withUnsafeBytes { buffer in
                #expect(page.cellCount == model.count, "step \(step)")
                try PageChecks.checkLayout(page, buffer)
                let reloaded = try BTreePage(loading: buffer, pageNumber: scenario.pageNumber, geometry: geometry)
                #expect(reloaded.cellCount == page.cellCount && reloaded.freeSpace == page.freeSpace)
                for (index, cell) in model.enumerated() {
                    let info = try page.cell(at: index, in: buffer)
                    #expect(info.cellSize == cell.count)
                    if Array(buffer[info.cellOffset..<info.cellOffset + info.cellSize]) != cell {
                        Issue.record("step \(step): cell \(index) bytes changed")
                    }
                }
                if page.firstFreeblock(in: buffer) != 0 { sawFreeblocks = true }
                if page.fragmentedBytes(in: buffer) != 0 { sawFragments = true }
            }
        }
        if scenario.pageSize < 65536 || scenario.type.hasPayload {
            #expect(refusals > 0, "the page never filled up")
        }
        if scenario.type.hasPayload || scenario.pageSize <= 4096 {
            #expect(sawFreeblocks)
        }
        _ = sawFragments
        if scenario.pageNumber == 1 {
            #expect(Array(bytes[0..<100]) == databaseHeader, "page 1's database header was touched")
        }
    }

    @Test func emptyPagesOfEverySize() throws {
        for pageSize in [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536] {
            let geometry = try BTreeGeometry(pageSize: pageSize)
            for type in PageType.allCases {
                var bytes = [UInt8](repeating: 0xff, count: pageSize)
                let page = bytes.withUnsafeMutableBytes {
                    BTreePage.initialize($0, pageNumber: 2, type: type, geometry: geometry)
                }
                try bytes.withUnsafeBytes { buffer in
                    let loaded = try BTreePage(loading: buffer, pageNumber: 2, geometry: geometry)
                    #expect(loaded.freeSpace == pageSize - type.headerSize)
                    #expect(page.freeSpace == loaded.freeSpace)
                    #expect(loaded.cellContentStart(in: buffer) == pageSize)
                    if pageSize == 65536 { #expect(buffer[5] == 0 && buffer[6] == 0) }
                }
            }
        }
    }

    @Test func geometryMatchesSQLite() throws {
        // Values computed by hand from btree.c's formulas for the default 4096-byte page.
        let geometry = try BTreeGeometry(pageSize: 4096)
        #expect(geometry.maxLocalIndex == 1002)
        #expect(geometry.minLocalIndex == 489)
        #expect(geometry.maxLocalTable == 4061)
        #expect(geometry.minLocalTable == 489)
        #expect(geometry.maxCellCount == 681)
        #expect(throws: CorruptionError.self) { try BTreeGeometry(pageSize: 1000) }
        #expect(throws: CorruptionError.self) { try BTreeGeometry(pageSize: 512, reservedBytes: 33) }
        #expect(throws: CorruptionError.self) { try BTreeGeometry(pageSize: 131072) }
        // Local payload: the surplus rule keeps the overflow pages full when it can.
        #expect(geometry.localPayloadSize(payloadSize: 4061, pageType: .tableLeaf) == 4061)
        #expect(geometry.localPayloadSize(payloadSize: 4062, pageType: .tableLeaf) == 489)
        #expect(geometry.localPayloadSize(payloadSize: 489 + 4092 + 100, pageType: .tableLeaf) == 589)
        #expect(geometry.localPayloadSize(payloadSize: 489 + 4092 + 513, pageType: .indexLeaf) == 1002)
        #expect(geometry.localPayloadSize(payloadSize: 489 + 4092 + 514, pageType: .indexLeaf) == 489)
        #expect(geometry.localPayloadSize(payloadSize: 1003, pageType: .indexLeaf) == 489)
    }
}
