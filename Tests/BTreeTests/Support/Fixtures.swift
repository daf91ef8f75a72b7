import Foundation
import Testing
@testable import BTree

/// A table of a fixture database and how its columns read back.
struct TableSpec {
    var name: String
    var columns: [String]
    /// The INTEGER PRIMARY KEY column: stored as NULL in the record, read as the rowid.
    var integerPrimaryKey: Int? = nil
    /// Columns with REAL affinity: integral reals are stored as integers and read back as reals.
    var realColumns: Set<Int> = []
    /// Defaults of columns added by ALTER TABLE, for records written before them.
    var defaults: [Int: Value] = [:]

    func readValue(_ value: Value?, column: Int, rowid: Int64) -> Value {
        if column == integerPrimaryKey { return .integer(rowid) }
        var value = value ?? defaults[column] ?? .null
        if realColumns.contains(column), case .integer(let integer) = value { value = .real(Double(integer)) }
        return value
    }
}

/// An index of a fixture database: the table columns it holds and their sort order.
struct IndexSpec {
    var name: String
    var table: TableSpec
    var columns: [Int]
    var keyColumns: [KeyColumn]

    /// The key order with the trailing rowid, BINARY ascending.
    var keyInfo: KeyInfo { KeyInfo(columns: keyColumns + [KeyColumn()]) }

    var orderBy: String {
        zip(columns, keyColumns).map { column, key in
            "\(table.columns[column]) COLLATE \(key.collation.name)\(key.descending ? " DESC" : "")"
        }.joined(separator: ", ") + ", rowid"
    }
}

enum FixtureCheck {
    /// Walks a table with the BTree code and requires exactly the rows sqlite3 returns.
    static func checkTable(
        _ spec: TableSpec, image: DatabaseImage, path: String, statistics: inout DatabaseImage.WalkStatistics
    ) throws {
        let schema = try image.schema()
        let root = try #require(schema[spec.name]?.root)
        let entries = try image.walk(root: root, statistics: &statistics)
        let rendering = spec.columns.map(SQLiteShell.exactRendering(of:)).joined(separator: ", ")
        let expected = try SQLiteShell.run(path, "SELECT rowid, \(rendering) FROM \(spec.name) ORDER BY rowid;")
            .split(separator: "\n", omittingEmptySubsequences: true)
        #expect(entries.count == expected.count, "row count of \(spec.name)")
        var header = RecordHeader()
        var mismatches = 0
        for (entry, line) in zip(entries, expected) {
            try entry.payload.withUnsafeBytes { payload in try header.parse(payload) }
            var parts = [String(entry.rowid)]
            for column in spec.columns.indices {
                let stored = entry.payload.withUnsafeBytes { header.column(column, in: $0) }
                parts.append(spec.readValue(stored, column: column, rowid: entry.rowid).exactRendering)
            }
            let stored = try entry.payload.withUnsafeBytes { try RecordHeader.decodeAll($0) }
            if RecordEncoder.encode(stored) != entry.payload {
                Issue.record("\(spec.name) row \(entry.rowid): re-encoding the record gives different bytes")
            }
            let rendered = parts.joined(separator: "|")
            if rendered != line && mismatches < 3 {
                mismatches += 1
                Issue.record("\(spec.name) row \(entry.rowid): got \(rendered.prefix(300)), want \(line.prefix(300))")
            }
        }
        #expect(mismatches == 0)
    }

    /// Walks an index: its records must be in order by the index's KeyInfo, and be exactly the
    /// entries sqlite3 reads through the index, in the same order.
    static func checkIndex(
        _ spec: IndexSpec, image: DatabaseImage, path: String, statistics: inout DatabaseImage.WalkStatistics
    ) throws {
        let schema = try image.schema()
        let root = try #require(schema[spec.name]?.root)
        let entries = try image.walk(root: root, statistics: &statistics)
        let keyInfo = spec.keyInfo
        var previous: [UInt8]? = nil
        for entry in entries {
            let values = try entry.payload.withUnsafeBytes { try RecordHeader.decodeAll($0) }
            #expect(values.count == spec.columns.count + 1)
            #expect(RecordEncoder.encode(values) == entry.payload, "re-encoded index record differs")
            try entry.payload.withUnsafeBytes { record in
                #expect(try keyInfo.compare(record: record, to: values) == 0)
                for prefix in 1..<values.count {
                    let key = Array(values[0..<prefix])
                    #expect(try keyInfo.compare(record: record, to: key, defaultResult: -1) == -1)
                    #expect(try keyInfo.compare(record: record, to: key, defaultResult: 1) == 1)
                }
                if let previous {
                    try previous.withUnsafeBytes { earlier in
                        let order = try keyInfo.compare(record: earlier, toRecord: record)
                        if order >= 0 { Issue.record("\(spec.name): entries out of order (\(order))") }
                        #expect(try keyInfo.compare(record: earlier, to: values) < 0)
                    }
                }
            }
            #expect(keyInfo.compare(values, values) == 0)
            previous = entry.payload
        }
        let rendering = spec.columns.map { SQLiteShell.exactRendering(of: spec.table.columns[$0]) }
            .joined(separator: ", ")
        let expected = try SQLiteShell.run(
            path, "SELECT \(rendering), rowid FROM \(spec.table.name) INDEXED BY \(spec.name) ORDER BY \(spec.orderBy);"
        ).split(separator: "\n", omittingEmptySubsequences: true)
        #expect(entries.count == expected.count, "entry count of \(spec.name)")
        var mismatches = 0
        for (entry, line) in zip(entries, expected) {
            let values = try entry.payload.withUnsafeBytes { try RecordHeader.decodeAll($0) }
            guard case .integer(let rowid) = values.last else {
                Issue.record("\(spec.name): record does not end with a rowid")
                continue
            }
            var parts: [String] = []
            for (position, column) in spec.columns.enumerated() {
                parts.append(spec.table.readValue(values[position], column: column, rowid: rowid).exactRendering)
            }
            parts.append(String(rowid))
            let rendered = parts.joined(separator: "|")
            if rendered != line && mismatches < 3 {
                mismatches += 1
                Issue.record("\(spec.name): got \(rendered.prefix(300)), want \(line.prefix(300))")
            }
        }
        #expect(mismatches == 0)
    }
}
