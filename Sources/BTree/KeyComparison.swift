/// How one column of an index key sorts.
package struct KeyColumn: Sendable, Equatable, Hashable {
    package var collation: Collation
    package var descending: Bool

    package init(collation: Collation = .binary, descending: Bool = false) {
        self.collation = collation
        self.descending = descending
    }
}

/// The sort order of an index's keys (SQLite's KeyInfo): one entry per key column. Fields past
/// the described columns (the rowid that ends every index record, say) sort BINARY ascending.
package struct KeyInfo: Sendable, Equatable, Hashable {
    package var columns: [KeyColumn]

    package init(columns: [KeyColumn]) {
        self.columns = columns
    }

    /// `count` BINARY ascending columns.
    package init(binaryColumns count: Int) {
        self.columns = Array(repeating: KeyColumn(), count: count)
    }

    @inlinable @inline(__always)
    package func column(_ index: Int) -> KeyColumn {
        index < columns.count ? columns[index] : KeyColumn()
    }

    /// Compares a serialized record with an unpacked key, as sqlite3VdbeRecordCompare does.
    ///
    /// Fields are compared in order up to `key.count` or the end of the record, whichever comes
    /// first; the first difference decides (negated for DESC columns). When every compared field
    /// is equal the result is `defaultResult`, which is how seeks are built: with -1 the record
    /// sorts before an equal key (seek to the first entry >= key: GE / LT), with +1 after it (GT /
    /// LE), with 0 equality is reported as such. Never allocates.
    @inlinable
    package func compare(
        record: UnsafeRawBufferPointer, to key: [Value], defaultResult: Int = 0
    ) throws(CorruptionError) -> Int {
        var walker = try RecordFieldWalker(record, payloadSize: record.count)
        var index = 0
        while index < key.count && walker.hasMoreFields {
            let (serialType, offset) = try walker.next()
            let body = UnsafeRawBufferPointer(
                rebasing: record[offset..<offset + SerialType.contentSize(serialType)])
            let left = ValueOperand(serialType: serialType, body: body)
            let keyColumn = column(index)
            let result = ValueOperand.with(key[index]) { right in
                ValueOperand.compare(left, right, collation: keyColumn.collation)
            }
            if result != 0 { return keyColumn.descending ? -result : result }
            index += 1
        }
        return defaultResult
    }

    /// Compares two serialized records field by field, up to the shorter of the two; when all
    /// those fields are equal the result is `defaultResult`. Never allocates.
    @inlinable
    package func compare(
        record lhs: UnsafeRawBufferPointer, toRecord rhs: UnsafeRawBufferPointer, defaultResult: Int = 0,
        fieldLimit: Int = .max
    ) throws(CorruptionError) -> Int {
        var left = try RecordFieldWalker(lhs, payloadSize: lhs.count)
        var right = try RecordFieldWalker(rhs, payloadSize: rhs.count)
        var index = 0
        while index < fieldLimit && left.hasMoreFields && right.hasMoreFields {
            let (leftType, leftOffset) = try left.next()
            let (rightType, rightOffset) = try right.next()
            let leftOperand = ValueOperand(
                serialType: leftType,
                body: UnsafeRawBufferPointer(
                    rebasing: lhs[leftOffset..<leftOffset + SerialType.contentSize(leftType)]))
            let rightOperand = ValueOperand(
                serialType: rightType,
                body: UnsafeRawBufferPointer(
                    rebasing: rhs[rightOffset..<rightOffset + SerialType.contentSize(rightType)]))
            let keyColumn = column(index)
            let result = ValueOperand.compare(leftOperand, rightOperand, collation: keyColumn.collation)
            if result != 0 { return keyColumn.descending ? -result : result }
            index += 1
        }
        return defaultResult
    }

    /// Compares two unpacked keys with the same rules.
    @inlinable
    package func compare(_ lhs: [Value], _ rhs: [Value], defaultResult: Int = 0) -> Int {
        var index = 0
        while index < lhs.count && index < rhs.count {
            let keyColumn = column(index)
            let result = ValueOrdering.compare(lhs[index], rhs[index], collation: keyColumn.collation)
            if result != 0 { return keyColumn.descending ? -result : result }
            index += 1
        }
        return defaultResult
    }
}
