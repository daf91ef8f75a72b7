import Foundation
import Testing
@testable import BTree
@testable import Pager

/// A database written through the B-tree API (journal_mode=OFF), checked by reading it back
/// through cursors and by sqlite3's integrity_check and queries.
final class TreeHarness {
    let directory: URL
    let path: String
    let options: PagerOptions
    private var session: (shared: PagerShared, pager: Pager, store: TreeStore)?

    init(_ name: String = #function, pageSize: Int = 4096, cachePages: Int = 64) throws {
        (directory, path) = try SQLiteShell.temporaryDatabase("tree.db")
        var options = PagerOptions()
        options.journalMode = .off
        options.synchronous = .off
        options.newDatabasePageSize = pageSize
        options.cachePages = cachePages
        options.io = IOBackendKind.fromEnvironment() ?? .uring
        self.options = options
        try open()
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    func open() throws {
        let shared = try PagerShared.open(path: path, options: options)
        let pager = Pager(shared: shared)
        session = (shared, pager, try TreeStore(pager: pager))
    }

    var pager: Pager { session!.pager }
    var store: TreeStore { session!.store }

    func write<R>(_ body: () throws -> R) throws -> R {
        try pager.beginWrite()
        do {
            let result = try body()
            try pager.commit()
            return result
        } catch {
            pager.rollback()
            throw error
        }
    }

    func read<R>(_ body: () throws -> R) throws -> R {
        pager.beginRead()
        defer { pager.endRead() }
        return try body()
    }

    /// Runs sqlite3 on the file with Ringlite's handle closed (it holds the database's lock), then
    /// opens it again.
    func sqlite(_ sql: String) throws -> String {
        session = nil
        defer { try? open() }
        return try SQLiteShell.run(path, sql)
    }

    /// sqlite3's verdict on the file as it is on disk.
    func integrityCheck() throws -> String {
        try sqlite("PRAGMA integrity_check;").trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Deterministic row contents: the blob for a rowid at a version has a size and bytes derived
/// from both, so a test can check any row without keeping its bytes.
func blobFor(rowid: Int64, version: Int, size: Int) -> [UInt8] {
    var generator = SeededGenerator(seed: UInt64(bitPattern: rowid) &* 31 &+ UInt64(version) &* 7919 &+ UInt64(size))
    return generator.bytes(size)
}

@Suite(.serialized) struct TreeWriteTests {
    struct Row: Equatable { var a: Int64; var version: Int; var size: Int }

    func record(_ rowid: Int64, _ row: Row) -> [UInt8] {
        RecordEncoder.encode([.integer(row.a), .blob(blobFor(rowid: rowid, version: row.version, size: row.size))])
    }

    func indexRecord(_ rowid: Int64, _ row: Row) -> [UInt8] {
        RecordEncoder.encode([.integer(row.a), .integer(rowid)])
    }

    /// Reads every row of table `root` and index `indexRoot` through cursors and compares with
    /// the model; walks both directions.
    func verify(_ harness: TreeHarness, table root: UInt32, index indexRoot: UInt32, _ model: [Int64: Row]) throws {
        try harness.read {
            let cursor = BTreeCursor(store: harness.store, root: root, kind: .table, writable: false)
            var seen = 0
            var previous: Int64 = .min
            var more = try cursor.blocking { try cursor.first() }
            while more {
                let rowid = try cursor.rowid()
                #expect(rowid > previous)
                previous = rowid
                guard let row = model[rowid] else {
                    Issue.record("row \(rowid) should not exist")
                    return
                }
                let values = try cursor.values()
                #expect(values == [.integer(row.a), .blob(blobFor(rowid: rowid, version: row.version, size: row.size))], "row \(rowid)")
                seen += 1
                more = try cursor.blocking { try cursor.next() }
            }
            #expect(seen == model.count)
            // Backwards.
            var backwards = 0
            more = try cursor.blocking { try cursor.last() }
            while more {
                backwards += 1
                more = try cursor.blocking { try cursor.previous() }
            }
            #expect(backwards == model.count)
            #expect(try harness.store.countEntries(root: root) == model.count)

            let index = BTreeCursor(store: harness.store, root: indexRoot, kind: .index(KeyInfo(columns: [KeyColumn()])), writable: false)
            var expected = model.map { ($0.value.a, $0.key) }.sorted { $0.0 != $1.0 ? $0.0 < $1.0 : $0.1 < $1.1 }
            var position = 0
            more = try index.blocking { try index.first() }
            while more {
                let values = try index.values()
                if position < expected.count {
                    #expect(values == [.integer(expected[position].0), .integer(expected[position].1)])
                }
                position += 1
                more = try index.blocking { try index.next() }
            }
            #expect(position == expected.count)
            // Seeks on the index: the first entry >= a key.
            var generator = SeededGenerator(seed: 99)
            for _ in 0..<200 where !expected.isEmpty {
                let target = Int64.random(in: -10...1_000_010, using: &generator)
                let result = try index.blocking { try index.seek(key: [.integer(target)], defaultResult: 1) }
                let firstAtLeast = expected.firstIndex { $0.0 >= target }
                if let firstAtLeast {
                    #expect(result == .after || result == .exact)
                    let values = try index.values()
                    #expect(values == [.integer(expected[firstAtLeast].0), .integer(expected[firstAtLeast].1)])
                } else {
                    #expect(result == .before)
                }
            }
            expected.removeAll()
        }
    }

    func sqliteAgrees(_ harness: TreeHarness, _ model: [Int64: Row]) throws {
        #expect(try harness.integrityCheck() == "ok")
        let summary = try harness.sqlite("SELECT count(*), coalesce(sum(a),0), coalesce(sum(length(b)),0) FROM t;")
        let expected = "\(model.count)|\(model.values.reduce(0) { $0 + $1.a })|\(model.values.reduce(0) { $0 + $1.size })\n"
        #expect(summary == expected)
        // Spot-check whole rows, with the index used and not.
        let sample = model.keys.sorted().enumerated().filter { $0.offset % 97 == 0 }.map(\.element)
        for rowid in sample.prefix(40) {
            let row = model[rowid]!
            let hex = try harness.sqlite("SELECT a, hex(b) FROM t WHERE rowid = \(rowid);")
            #expect(hex == "\(row.a)|\(hexString(blobFor(rowid: rowid, version: row.version, size: row.size)))\n")
            let viaIndex = try harness.sqlite("SELECT rowid FROM t INDEXED BY ta WHERE a = \(row.a) AND rowid = \(rowid);")
            #expect(viaIndex == "\(rowid)\n")
        }
    }

    func createSchema(_ harness: TreeHarness) throws -> (UInt32, UInt32) {
        try harness.write {
            let table = try harness.store.createTable(name: "t", sql: "CREATE TABLE t(a, b)")
            let index = try harness.store.createIndex(name: "ta", table: "t", sql: "CREATE INDEX ta ON t(a)")
            return (table, index)
        }
    }

    func put(_ harness: TreeHarness, _ table: BTreeCursor, _ index: BTreeCursor, _ rowid: Int64, _ row: Row, replacing old: Row?) throws {
        if let old {
            let oldKey = indexRecord(rowid, old)
            let found = try index.blocking { try index.seek(record: oldKey) }
            #expect(found == .exact)
            try index.delete()
        }
        try record(rowid, row).withUnsafeBytes { try table.insert(rowid: rowid, payload: $0) }
        try indexRecord(rowid, row).withUnsafeBytes { try index.insert(record: $0) }
    }

    @Test(arguments: [4096, 512])
    func randomInsertsDeletesAndOverwrites(pageSize: Int) throws {
        let harness = try TreeHarness(pageSize: pageSize)
        let (tableRoot, indexRoot) = try createSchema(harness)
        var model: [Int64: Row] = [:]
        var generator = SeededGenerator(seed: UInt64(pageSize))
        let rowCount = pageSize == 4096 ? 100_000 : 20_000
        // Sizes mostly small, some across the overflow threshold, a few large.
        func size() -> Int {
            switch Int.random(in: 0..<100, using: &generator) {
            case 0..<70: Int.random(in: 0...60, using: &generator)
            case 70..<95: Int.random(in: pageSize / 8...pageSize, using: &generator)
            default: Int.random(in: pageSize...6 * pageSize, using: &generator)
            }
        }
        try harness.write {
            let table = BTreeCursor(store: harness.store, root: tableRoot, kind: .table, writable: true)
            let index = BTreeCursor(store: harness.store, root: indexRoot, kind: .index(KeyInfo(columns: [KeyColumn()])), writable: true)
            for _ in 0..<rowCount {
                let rowid = Int64.random(in: -1_000_000_000_000...1_000_000_000_000, using: &generator)
                let row = Row(a: Int64.random(in: 0...1_000_000, using: &generator), version: 0, size: size())
                try put(harness, table, index, rowid, row, replacing: model[rowid])
                model[rowid] = row
            }
            table.close()
            index.close()
        }
        try verify(harness, table: tableRoot, index: indexRoot, model)
        try sqliteAgrees(harness, model)

        // Delete a random half.
        try harness.write {
            let table = BTreeCursor(store: harness.store, root: tableRoot, kind: .table, writable: true)
            let index = BTreeCursor(store: harness.store, root: indexRoot, kind: .index(KeyInfo(columns: [KeyColumn()])), writable: true)
            for rowid in model.keys.shuffled(using: &generator).prefix(model.count / 2) {
                let row = model[rowid]!
                #expect(try table.blocking { try table.seek(rowid: rowid) } == .exact)
                try table.delete()
                #expect(try index.blocking { try index.seek(record: indexRecord(rowid, row)) } == .exact)
                try index.delete()
                model[rowid] = nil
            }
            table.close()
            index.close()
        }
        try verify(harness, table: tableRoot, index: indexRoot, model)
        try sqliteAgrees(harness, model)

        // Overwrites that grow and shrink rows across the overflow threshold.
        try harness.write {
            let table = BTreeCursor(store: harness.store, root: tableRoot, kind: .table, writable: true)
            let index = BTreeCursor(store: harness.store, root: indexRoot, kind: .index(KeyInfo(columns: [KeyColumn()])), writable: true)
            for rowid in model.keys.shuffled(using: &generator).prefix(model.count / 3) {
                let old = model[rowid]!
                let row = Row(a: old.a + 1, version: old.version + 1, size: size())
                try put(harness, table, index, rowid, row, replacing: old)
                model[rowid] = row
            }
            table.close()
            index.close()
        }
        try verify(harness, table: tableRoot, index: indexRoot, model)
        try sqliteAgrees(harness, model)
    }

    /// Deleting while scanning: each delete leaves the cursor so that next() lands on the row
    /// after the deleted one.
    @Test func deleteWhileScanning() throws {
        let harness = try TreeHarness()
        let (tableRoot, indexRoot) = try createSchema(harness)
        var model: [Int64: Row] = [:]
        try harness.write {
            let table = BTreeCursor(store: harness.store, root: tableRoot, kind: .table, writable: true)
            let index = BTreeCursor(store: harness.store, root: indexRoot, kind: .index(KeyInfo(columns: [KeyColumn()])), writable: true)
            for rowid in Int64(1)...20_000 {
                let row = Row(a: rowid % 1000, version: 0, size: Int(rowid % 300))
                try put(harness, table, index, rowid, row, replacing: nil)
                model[rowid] = row
            }
            // Delete every row whose rowid is divisible by 3, in one forward scan of the index.
            var more = try index.blocking { try index.first() }
            while more {
                let values = try index.values()
                guard case .integer(let rowid) = values[1] else { Issue.record("bad index record"); return }
                if rowid % 3 == 0 {
                    try index.delete()
                    #expect(try table.blocking { try table.seek(rowid: rowid) } == .exact)
                    try table.delete()
                    model[rowid] = nil
                }
                more = try index.blocking { try index.next() }
            }
            table.close()
            index.close()
        }
        try verify(harness, table: tableRoot, index: indexRoot, model)
        try sqliteAgrees(harness, model)
    }

    /// Dropping a whole tree returns every page to the freelist, and sqlite3 agrees.
    @Test func dropTreeFreesEveryPage() throws {
        let harness = try TreeHarness()
        let (tableRoot, indexRoot) = try createSchema(harness)
        try harness.write {
            let table = BTreeCursor(store: harness.store, root: tableRoot, kind: .table, writable: true)
            let index = BTreeCursor(store: harness.store, root: indexRoot, kind: .index(KeyInfo(columns: [KeyColumn()])), writable: true)
            for rowid in Int64(1)...5_000 {
                try put(harness, table, index, rowid, Row(a: rowid, version: 0, size: Int(rowid % 5000)), replacing: nil)
            }
            table.close()
            index.close()
        }
        #expect(try harness.integrityCheck() == "ok")
        let pagesBefore = try harness.read { harness.pager.databaseSize }
        try harness.write {
            for (rowid, row) in try harness.store.schemaRows().reversed() {
                try harness.store.dropTree(root: row.rootPage)
                try harness.store.deleteSchemaRow(rowid: rowid)
            }
        }
        #expect(try harness.integrityCheck() == "ok")
        let freelist = try harness.sqlite("PRAGMA freelist_count; PRAGMA page_count;")
        #expect(freelist == "\(pagesBefore - 1)\n\(pagesBefore)\n")
        // Freed pages are reused before the file grows.
        let table = try harness.write { try harness.store.createTable(name: "u", sql: "CREATE TABLE u(a, b)") }
        try harness.write {
            let cursor = BTreeCursor(store: harness.store, root: table, kind: .table, writable: true)
            for rowid in Int64(1)...1000 {
                try RecordEncoder.encode([.integer(rowid), .blob([UInt8](repeating: 7, count: 500))]).withUnsafeBytes {
                    try cursor.insert(rowid: rowid, payload: $0)
                }
            }
            cursor.close()
        }
        #expect(try harness.read { harness.pager.databaseSize } == pagesBefore)
        #expect(try harness.integrityCheck() == "ok")
        #expect(try harness.sqlite("SELECT count(*), sum(length(b)) FROM u;") == "1000|500000\n")
    }
}

extension BTreeCursor {
    /// The current entry's record, decoded.
    func values() throws -> [Value] {
        try withPayload { (bytes) throws(DatabaseError) -> [Value] in
            do throws(CorruptionError) { return try RecordHeader.decodeAll(bytes) } catch { throw error.databaseError }
        }
    }
}
