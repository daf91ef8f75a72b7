import Foundation
import Testing
@testable import BTree
@testable import Pager

/// Databases written by the sqlite3 shell, read through Ringlite's cursors on the backend
/// `RINGLITE_IO` names with a 16-page cache (so pages are evicted and read again): forward and
/// backward scans and seeks in every mode must return exactly what sqlite3 returns, and
/// Ringlite's integrity check must agree with sqlite3's.
@Suite(.serialized) struct CursorOracleTests {
    struct Fixture: CustomStringConvertible, Sendable {
        var pageSize: Int
        var wal: Bool
        var description: String { "\(pageSize)/\(wal ? "wal" : "rollback")" }
    }

    static let fixtures = [
        Fixture(pageSize: 512, wal: false), Fixture(pageSize: 1024, wal: false), Fixture(pageSize: 4096, wal: false),
        Fixture(pageSize: 65536, wal: false), Fixture(pageSize: 4096, wal: true), Fixture(pageSize: 1024, wal: true),
    ]

    enum Mode: CaseIterable { case eq, ge, gt, le, lt }

    @Test(.timeLimit(.minutes(10)), arguments: fixtures)
    func cursorsReturnWhatSQLiteReturns(_ fixture: Fixture) throws {
        let (directory, path) = try SQLiteShell.temporaryDatabase("cursor.db")
        defer { try? FileManager.default.removeItem(at: directory) }
        try SQLiteShell.run(path, CursorFixture.sql(pageSize: fixture.pageSize, wal: fixture.wal))
        let facts = try SQLiteShell.run(path, "PRAGMA journal_mode; PRAGMA freelist_count; PRAGMA page_size;").split(separator: "\n")
        #expect(facts[0] == (fixture.wal ? "wal" : "delete"))
        #expect(Int(facts[1])! > 0, "the freelist is in use")
        #expect(Int(facts[2])! == fixture.pageSize)
        let schema = try IntegrityDescriptions.schema(path: path, tables: CursorFixture.descriptions)
        let sqliteIntegrity = try SQLiteShell.integrityCheck(path)
        let roots = try Dictionary(uniqueKeysWithValues: SQLiteShell.run(path, "SELECT name, rootpage FROM sqlite_schema WHERE rootpage > 0;")
            .split(separator: "\n").map { line in
                let parts = line.split(separator: "|")
                return (String(parts[0]), UInt32(parts[1])!)
            })
        var expectedTables: [String: [Substring]] = [:]
        for table in CursorFixture.tables {
            let rendering = table.columns.map(SQLiteShell.exactRendering(of:)).joined(separator: ", ")
            expectedTables[table.name] = try SQLiteShell.run(path, "SELECT rowid, \(rendering) FROM \(table.name) ORDER BY rowid;")
                .split(separator: "\n")
        }
        var expectedIndexes: [String: [Substring]] = [:]
        for index in CursorFixture.indexes {
            let rendering = index.columns.map { SQLiteShell.exactRendering(of: index.table.columns[$0]) }.joined(separator: ", ")
            expectedIndexes[index.name] = try SQLiteShell.run(
                path, "SELECT \(rendering), rowid FROM \(index.table.name) INDEXED BY \(index.name) ORDER BY \(index.orderBy);"
            ).split(separator: "\n")
        }

        let session = try ReadSession(path: path)
        var random = SeededGenerator(seed: UInt64(fixture.pageSize))
        try session.read {
            for table in CursorFixture.tables {
                try checkTable(table, root: roots[table.name]!, expected: expectedTables[table.name]!, session, &random)
            }
            for index in CursorFixture.indexes {
                try checkIndex(index, root: roots[index.name]!, expected: expectedIndexes[index.name]!, session, &random)
            }
            // Trees of depth 3 and more: the 100,000-row table on pages up to 4 KiB, the wide
            // index everywhere.
            if fixture.pageSize <= 4096 { #expect(try depth(of: roots["big"]!, session) >= 3) }
            #expect(try depth(of: roots["wide_k"]!, session, index: true) >= 3)
            #expect(try session.store.countEntries(root: roots["big"]!) == expectedTables["big"]!.count)
        }
        #expect(sqliteIntegrity == "ok")
        #expect(try session.integrityCheck(schema) == sqliteIntegrity)
        #expect(try session.integrityCheck(schema, options: IntegrityOptions(quick: true)) == sqliteIntegrity)
    }

    func depth(of root: UInt32, _ session: ReadSession, index: Bool = false) throws -> Int {
        let cursor = BTreeCursor(store: session.store, root: root, kind: index ? .index(KeyInfo(binaryColumns: 1)) : .table, writable: false)
        defer { cursor.close() }
        _ = try cursor.blocking { try cursor.first() }
        return cursor.stack.count
    }

    func render(row values: [Value], rowid: Int64, _ table: TableSpec) -> String {
        var parts = [String(rowid)]
        for column in table.columns.indices {
            parts.append(table.readValue(column < values.count ? values[column] : nil, column: column, rowid: rowid).exactRendering)
        }
        return parts.joined(separator: "|")
    }

    func render(entry values: [Value], _ index: IndexSpec) -> String {
        guard case .integer(let rowid) = values.last else { return "entry without a rowid" }
        var parts: [String] = []
        for (position, column) in index.columns.enumerated() {
            parts.append(index.table.readValue(values[position], column: column, rowid: rowid).exactRendering)
        }
        parts.append(String(rowid))
        return parts.joined(separator: "|")
    }

    func checkTable(_ table: TableSpec, root: UInt32, expected: [Substring], _ session: ReadSession, _ random: inout SeededGenerator) throws {
        let cursor = BTreeCursor(store: session.store, root: root, kind: .table, writable: false)
        defer { cursor.close() }
        func current() throws -> String { render(row: try cursor.values(), rowid: try cursor.rowid(), table) }
        // Forward and backward scans.
        var rows: [String] = []
        var more = try cursor.blocking { try cursor.first() }
        while more {
            rows.append(try current())
            more = try cursor.blocking { try cursor.next() }
        }
        #expect(rows.count == expected.count, "\(table.name) forward")
        let firstMismatch = rows.indices.first { $0 < expected.count && rows[$0] != expected[$0] }
        #expect(firstMismatch == nil, "\(table.name) row \(firstMismatch ?? 0): \(firstMismatch.map { rows[$0].prefix(200) } ?? "")")
        rows.removeAll()
        more = try cursor.blocking { try cursor.last() }
        while more {
            rows.append(try current())
            more = try cursor.blocking { try cursor.previous() }
        }
        #expect(rows == expected.reversed().map(String.init), "\(table.name) backward")

        // Seeks: existing rowids, their neighbours, the extremes.
        let rowids = expected.map { Int64($0.prefix { $0 != "|" })! }
        var probes: [Int64] = [.min, .max, 0, -1, 1]
        for _ in 0..<300 {
            let rowid = rowids.randomElement(using: &random)!
            probes += [rowid, rowid &- 1, rowid &+ 1]
        }
        for probe in probes {
            let lower = partition(rowids.count) { rowids[$0] >= probe }
            let upper = partition(rowids.count) { rowids[$0] > probe }
            for mode in Mode.allCases {
                let want = expectedPosition(mode, lower: lower, upper: upper, count: rowids.count)
                let landed = try seek(cursor, rowid: probe, mode) ? try current() : nil
                #expect(landed == want.map { String(expected[$0]) }, "\(table.name) seek \(mode) \(probe)")
            }
        }
    }

    /// Positions a table cursor by one of the five seek modes; false when no row qualifies.
    func seek(_ cursor: BTreeCursor, rowid: Int64, _ mode: Mode) throws -> Bool {
        let result = try cursor.blocking { try cursor.seek(rowid: rowid) }
        switch (mode, result) {
        case (_, .empty): return false
        case (.eq, let result): return result == .exact
        case (.ge, let result): return result != .before
        case (.gt, .exact): return try cursor.blocking { try cursor.next() }
        case (.gt, let result): return result == .after
        case (.le, .after): return try cursor.blocking { try cursor.previous() }
        case (.le, _): return true
        case (.lt, .before): return true
        case (.lt, _): return try cursor.blocking { try cursor.previous() }
        }
    }

    func checkIndex(_ index: IndexSpec, root: UInt32, expected: [Substring], _ session: ReadSession, _ random: inout SeededGenerator) throws {
        let cursor = BTreeCursor(store: session.store, root: root, kind: .index(index.keyInfo), writable: false)
        defer { cursor.close() }
        func current() throws -> String { render(entry: try cursor.values(), index) }
        var entries: [String] = []
        var more = try cursor.blocking { try cursor.first() }
        while more {
            entries.append(try current())
            more = try cursor.blocking { try cursor.next() }
        }
        #expect(entries.count == expected.count, "\(index.name) forward")
        let firstMismatch = entries.indices.first { $0 < expected.count && entries[$0] != expected[$0] }
        #expect(firstMismatch == nil, "\(index.name) entry \(firstMismatch ?? 0): \(firstMismatch.map { entries[$0].prefix(200) } ?? "")")
        entries.removeAll()
        more = try cursor.blocking { try cursor.last() }
        while more {
            entries.append(try current())
            more = try cursor.blocking { try cursor.previous() }
        }
        #expect(entries == expected.reversed().map(String.init), "\(index.name) backward")

        // sqlite3's order, parsed back; it must be sorted under the independent oracle order.
        let parsed = expected.map { $0.split(separator: "|", omittingEmptySubsequences: false).enumerated().map { position, field in
            position < index.columns.count ? Value(exactRendering: field) : .integer(Int64(field)!)
        } }
        let columns = index.keyInfo.columns
        for i in parsed.indices.dropFirst() where OracleOrder.compare(entry: parsed[i - 1], key: parsed[i], columns: columns) >= 0 {
            Issue.record("\(index.name): sqlite3's order disagrees with the test's oracle at entry \(i)")
            return
        }
        // Seeks by whole keys and by prefixes of existing entries, and by keys between entries.
        for _ in 0..<400 where !parsed.isEmpty {
            let entry = parsed.randomElement(using: &random)!
            let length = Int.random(in: 1...entry.count, using: &random)
            var key = Array(entry.prefix(length))
            if Bool.random(using: &random) { key[length - 1] = nudge(key[length - 1], &random) }
            // Sorted entries compare with a key prefix in non-decreasing order.
            let lower = partition(parsed.count) { OracleOrder.compare(entry: parsed[$0], key: key, columns: columns) >= 0 }
            let upper = partition(parsed.count) { OracleOrder.compare(entry: parsed[$0], key: key, columns: columns) > 0 }
            for mode in Mode.allCases {
                let landed = try seek(cursor, key: key, mode) ? try current() : nil
                if mode == .eq {
                    // Any entry with an equal key will do.
                    #expect((landed != nil) == (lower < upper), "\(index.name) seek eq \(key)")
                    if let landed { #expect(expected[lower..<upper].contains { $0 == landed }, "\(index.name) seek eq \(key)") }
                    continue
                }
                let want = expectedPosition(mode, lower: lower, upper: upper, count: parsed.count)
                #expect(landed == want.map { String(expected[$0]) }, "\(index.name) seek \(mode) \(key)")
            }
        }
    }

    /// The first index in 0..<count where `isAfter` holds (count when none does), for a
    /// predicate that is false and then true.
    func partition(_ count: Int, _ isAfter: (Int) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if isAfter(mid) { high = mid } else { low = mid + 1 }
        }
        return low
    }

    /// Where a seek must land given the entries equal to the key (lower..<upper).
    func expectedPosition(_ mode: Mode, lower: Int, upper: Int, count: Int) -> Int? {
        switch mode {
        case .eq: lower < upper ? lower : nil
        case .ge: lower < count ? lower : nil
        case .gt: upper < count ? upper : nil
        case .le: upper > 0 ? upper - 1 : nil
        case .lt: lower > 0 ? lower - 1 : nil
        }
    }

    /// A value close to `value` that is usually not in the index.
    func nudge(_ value: Value, _ random: inout SeededGenerator) -> Value {
        switch value {
        case .null: return .integer(Int64.random(in: -5...5, using: &random))
        case .integer(let i): return Bool.random(using: &random) ? .integer(i &+ 1) : .real(Double(i) - 0.5)
        case .real(let r): return .real(r + (Bool.random(using: &random) ? 0.25 : -0.25))
        case .text(let bytes): return .text(Bool.random(using: &random) ? bytes + [0x20] : bytes + [0x41])
        case .blob(let bytes): return .blob(bytes.isEmpty ? [0] : Array(bytes.dropLast()))
        }
    }

    /// Positions an index cursor by one of the five seek modes; false when no entry qualifies.
    func seek(_ cursor: BTreeCursor, key: [Value], _ mode: Mode) throws -> Bool {
        switch mode {
        case .eq:
            return try cursor.blocking { try cursor.seek(key: key, defaultResult: 0) } == .exact
        case .ge, .gt:
            return try cursor.blocking { try cursor.seek(key: key, defaultResult: mode == .ge ? 1 : -1) } == .after
        case .le, .lt:
            switch try cursor.blocking({ try cursor.seek(key: key, defaultResult: mode == .lt ? 1 : -1) }) {
            case .after: return try cursor.blocking { try cursor.previous() }
            case .before: return true
            case .empty, .exact: return false
            }
        }
    }
}
