import BTree
import Pager

/// The records of a SorterOpen cursor, sorted in memory when SorterSort runs. Records are not
/// spilled to disk (SQLite's sorter writes sorted runs to temporary files past its cache size);
/// a sort needs memory for all of its records.
final class Sorter {
    let key: KeyDescription
    private(set) var records: [[UInt8]] = []
    private(set) var position = 0

    init(key: KeyDescription) {
        self.key = key
    }

    func insert(_ record: [UInt8]) {
        records.append(record)
    }

    func reset() {
        records.removeAll()
        position = 0
    }

    /// Sorts by the key columns only (fields past them do not take part, as in vdbesort.c);
    /// records with equal keys keep their insertion order, which is the order sqlite3's sorter
    /// gives them. Each record's key is decoded once. Returns false when there are no records.
    func sort() throws(DatabaseError) -> Bool {
        let keyInfo = key.keyInfo
        let fieldCount = key.columns.count
        var keys: [[Value]] = []
        keys.reserveCapacity(records.count)
        var header = RecordHeader()
        for record in records {
            keys.append(try record.withBytes { (bytes) throws(DatabaseError) -> [Value] in
                do throws(CorruptionError) { try header.parse(bytes) } catch { throw error.databaseError }
                let count = min(fieldCount, header.columnCount)
                return (0..<count).map { header.column($0, in: bytes)! }
            })
        }
        let order = records.indices.sorted { left, right in
            let result = keyInfo.compare(keys[left], keys[right])
            return result != 0 ? result < 0 : left < right
        }
        records = order.map { records[$0] }
        position = 0
        return !records.isEmpty
    }

    /// Compares the first `fieldCount` fields of two records (SorterCompare).
    static func compare(_ lhs: [UInt8], _ rhs: [UInt8], _ keyInfo: KeyInfo, _ fieldCount: Int) throws(DatabaseError) -> Int {
        try lhs.withBytes { (left) throws(DatabaseError) -> Int in
            try rhs.withBytes { (right) throws(DatabaseError) -> Int in
                do throws(CorruptionError) {
                    return try RecordPrefixComparison.compare(left, right, keyInfo: keyInfo, fieldCount: fieldCount)
                } catch {
                    throw error.databaseError
                }
            }
        }
    }

    var hasRow: Bool { position < records.count }

    /// The current record. - Precondition: `hasRow`.
    var current: [UInt8] {
        precondition(hasRow, "sorter read past its last record")
        return records[position]
    }

    /// Moves to the next record; false past the last.
    func next() -> Bool {
        position += 1
        return position < records.count
    }
}

@available(*, unavailable)
extension Sorter: Sendable {}

/// Record-against-record comparison limited to a number of leading fields (BTree's KeyInfo
/// compares every field the shorter record has).
enum RecordPrefixComparison {
    static func compare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer, keyInfo: KeyInfo,
                        fieldCount: Int) throws(CorruptionError) -> Int {
        var left = RecordHeader()
        var right = RecordHeader()
        try left.parse(lhs)
        try right.parse(rhs)
        let count = min(fieldCount, left.columnCount, right.columnCount)
        for index in 0..<count {
            let leftRange = left.bodyRange(ofColumn: index)!
            let rightRange = right.bodyRange(ofColumn: index)!
            let leftOperand = ValueOperand(serialType: left.serialType(ofColumn: index)!, body: UnsafeRawBufferPointer(rebasing: lhs[leftRange]))
            let rightOperand = ValueOperand(serialType: right.serialType(ofColumn: index)!, body: UnsafeRawBufferPointer(rebasing: rhs[rightRange]))
            let column = keyInfo.column(index)
            let result = ValueOperand.compare(leftOperand, rightOperand, collation: column.collation)
            if result != 0 { return column.descending ? -result : result }
        }
        return 0
    }
}
