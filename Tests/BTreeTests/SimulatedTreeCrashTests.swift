import Testing
@testable import BTree
@testable import Pager

/// Rows written through the B-tree on the simulated machine (journal_mode OFF, synchronous FULL,
/// completions out of order, short transfers, a small cache so pages are read back) survive a
/// crash after their commits, byte for byte.
@Suite struct SimulatedTreeCrashTests {
    static let path = "tree.db"

    func options(_ environment: SimulatedEnvironment) -> PagerOptions {
        var options = PagerOptions()
        options.environment = environment
        options.journalMode = .off
        options.synchronous = .full
        options.cachePages = 16
        return options
    }

    @Test(arguments: 0..<10 as Range<UInt64>)
    func committedRowsSurviveACrash(_ seed: UInt64) throws {
        let environment = SimulatedEnvironment(seed: seed, faults: .shortTransfers(0.2))
        let fileSystem = environment.simulatedFileSystem
        var generator = SeededGenerator(seed: seed)
        var model: [Int64: [UInt8]] = [:]
        var root: UInt32 = 0
        do {
            let pager = Pager(shared: try PagerShared.open(path: Self.path, options: options(environment)))
            let store = try TreeStore(pager: pager)
            try pager.beginWrite()
            root = try store.createTable(name: "t", sql: "CREATE TABLE t(b)")
            try pager.commit()
            for transaction in 0..<5 {
                try pager.beginWrite()
                let cursor = BTreeCursor(store: store, root: root, kind: .table, writable: true)
                for _ in 0..<300 {
                    let rowid = Int64.random(in: 1...3000, using: &generator)
                    // One transaction writes rows that spill into overflow pages.
                    let blob = generator.bytes(Int.random(in: 0...(transaction == 2 ? 9000 : 200), using: &generator))
                    try RecordEncoder.encode([.blob(blob)]).withUnsafeBytes { try cursor.insert(rowid: rowid, payload: $0) }
                    model[rowid] = blob
                }
                cursor.close()
                try pager.commit()
            }
        }
        let committed = fileSystem.contents(Self.path)!
        let report = fileSystem.crash(seed: seed)
        #expect(report.settled.isEmpty, "every commit's fsync covered its writes")
        #expect(fileSystem.contents(Self.path) == committed)

        let pager = Pager(shared: try PagerShared.open(path: Self.path, options: options(environment)))
        let store = try TreeStore(pager: pager)
        pager.beginRead()
        let cursor = BTreeCursor(store: store, root: root, kind: .table, writable: false)
        var rows: [Int64: [UInt8]] = [:]
        var more = try cursor.blocking { try cursor.first() }
        while more {
            guard case .blob(let blob) = try cursor.values().first else {
                Issue.record("row \(try cursor.rowid()) is not one blob")
                break
            }
            rows[try cursor.rowid()] = blob
            more = try cursor.blocking { try cursor.next() }
        }
        cursor.close()
        pager.endRead()
        #expect(rows.count == model.count)
        #expect(rows == model)
    }
}
