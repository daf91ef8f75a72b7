/// Reading SQLite records: the header (its size, then a serial type per column) and the bodies.
/// Every size and offset is checked against the record before a byte of it is read.

/// Walks the fields of a record in order without allocating; the building block of both the
/// reusable `RecordHeader` and the streaming key comparisons.
package struct RecordFieldWalker {
    /// Bytes of the record that may be read.
    package let record: UnsafeRawBufferPointer
    /// The record's full length (may exceed `record.count` when only a prefix is in memory).
    package let payloadSize: Int
    package let headerSize: Int
    package private(set) var typeOffset: Int
    package private(set) var bodyOffset: Int

    /// The largest header SQLite accepts: 32768 columns of 3-byte types plus the size varint.
    package static let maxHeaderSize = 98307

    /// Validates the header size.
    /// - Precondition: `record.count <= payloadSize`.
    @inlinable
    package init(_ record: UnsafeRawBufferPointer, payloadSize: Int) throws(CorruptionError) {
        precondition(record.count <= payloadSize, "record buffer is longer than the record")
        self.record = record
        self.payloadSize = payloadSize
        guard let (size, length) = Varint.read(record, at: 0, end: record.count) else {
            throw CorruptionError(page: nil, "record header size varint is truncated")
        }
        guard size >= UInt64(length), size <= UInt64(Self.maxHeaderSize), size <= UInt64(payloadSize) else {
            throw CorruptionError(page: nil, "record header size \(size) is impossible for a \(payloadSize)-byte record")
        }
        headerSize = Int(size)
        typeOffset = length
        bodyOffset = headerSize
    }

    /// True while the header has more serial types.
    @inlinable @inline(__always)
    package var hasMoreFields: Bool { typeOffset < headerSize }

    /// Reads the next field's serial type and body offset, checking the body against the record.
    /// - Precondition: `hasMoreFields`, and the whole header lies in `record`.
    @inlinable @inline(__always)
    mutating func next() throws(CorruptionError) -> (serialType: UInt64, bodyOffset: Int) {
        guard let (serialType, length) = Varint.read(record, at: typeOffset, end: headerSize) else {
            throw CorruptionError(page: nil, "record serial type runs past the end of the header")
        }
        guard SerialType.isValidInRecord(serialType) else {
            throw CorruptionError(page: nil, "record holds reserved serial type \(serialType)")
        }
        let size = serialType >= 12 ? (serialType - 12) >> 1 : UInt64(SerialType.contentSize(serialType))
        guard size <= UInt64(payloadSize - bodyOffset) else {
            throw CorruptionError(page: nil, "record field of \(size) bytes runs past the end of the record")
        }
        let offset = bodyOffset
        typeOffset += length
        bodyOffset += Int(size)
        return (serialType, offset)
    }
}

/// The parsed header of one record: serial type and body offset of each column.
///
/// The caller owns one and reuses it for row after row: parsing keeps the arrays' capacity, so a
/// warmed-up header decodes records without allocating. A record may have fewer columns than its
/// table (ALTER TABLE ADD COLUMN); columns past the end are reported as absent (nil), and the
/// caller substitutes the column's default.
package struct RecordHeader: Sendable {
    package private(set) var serialTypes: [UInt64] = []
    package private(set) var bodyOffsets: [Int] = []
    /// Bytes of header, including the header-size varint.
    package private(set) var headerSize: Int = 0
    /// The full record length the header was validated against.
    package private(set) var payloadSize: Int = 0

    package init(reservingColumns capacity: Int = 16) {
        serialTypes.reserveCapacity(capacity)
        bodyOffsets.reserveCapacity(capacity)
    }

    @inlinable
    package var columnCount: Int { serialTypes.count }

    /// Parses the header of a complete record held in `record`. The bodies must end exactly at
    /// the end of the record, as SQLite's OP_Column requires once it has read the whole header.
    @inlinable
    package mutating func parse(_ record: UnsafeRawBufferPointer) throws(CorruptionError) {
        let complete = try parse(prefix: record, payloadSize: record.count)
        precondition(complete, "a complete record always holds its own header")
    }

    /// Parses the header of a record of `payloadSize` bytes of which `prefix` holds the first
    /// `prefix.count` (the local part of a cell, say). Returns false, leaving the header empty,
    /// when the prefix is too short to hold the header; `headerSize` then says how much is needed.
    @inlinable
    package mutating func parse(prefix: UnsafeRawBufferPointer, payloadSize: Int) throws(CorruptionError) -> Bool {
        serialTypes.removeAll(keepingCapacity: true)
        bodyOffsets.removeAll(keepingCapacity: true)
        headerSize = 0
        self.payloadSize = 0
        var walker = try RecordFieldWalker(prefix, payloadSize: payloadSize)
        headerSize = walker.headerSize
        guard walker.headerSize <= prefix.count else { return false }
        while walker.hasMoreFields {
            let (serialType, offset) = try walker.next()
            serialTypes.append(serialType)
            bodyOffsets.append(offset)
        }
        guard walker.bodyOffset == payloadSize else {
            serialTypes.removeAll(keepingCapacity: true)
            bodyOffsets.removeAll(keepingCapacity: true)
            throw CorruptionError(
                page: nil, "record fields end at byte \(walker.bodyOffset) of a \(payloadSize)-byte record")
        }
        self.payloadSize = payloadSize
        return true
    }

    /// Makes this the header of a zero-length payload: a record with no fields, every column of
    /// which is absent (SQLite reads NULL there; an Insert of a NULL register stores one).
    @inlinable
    package mutating func setEmpty() {
        serialTypes.removeAll(keepingCapacity: true)
        bodyOffsets.removeAll(keepingCapacity: true)
        headerSize = 0
        payloadSize = 0
    }

    /// The serial type of column `index`, or nil when the record does not have that column.
    @inlinable
    package func serialType(ofColumn index: Int) -> UInt64? {
        index < serialTypes.count ? serialTypes[index] : nil
    }

    /// Where column `index`'s body lies in the record, or nil when the column is absent.
    @inlinable
    package func bodyRange(ofColumn index: Int) -> Range<Int>? {
        guard index < serialTypes.count else { return nil }
        let start = bodyOffsets[index]
        return start..<start + SerialType.contentSize(serialTypes[index])
    }

    /// Materializes column `index`, or returns nil when the record does not have it.
    /// - Precondition: `record` is the record this header was parsed from, or a prefix of it that
    ///   covers the column (see `bodyRange(ofColumn:)`).
    @inlinable
    package func column(_ index: Int, in record: UnsafeRawBufferPointer) -> Value? {
        guard let range = bodyRange(ofColumn: index) else { return nil }
        precondition(range.upperBound <= record.count, "record buffer does not cover the requested column")
        return SerialType.decode(serialTypes[index], record, at: range.lowerBound)
    }

    /// Compares column `index` with `value` as SQLite orders values, text by `collation`, without
    /// materializing the column; nil when the record does not have the column.
    /// - Precondition: as for `column(_:in:)`.
    @inlinable
    package func compareColumn(
        _ index: Int, in record: UnsafeRawBufferPointer, to value: Value, collation: Collation = .binary
    ) -> Int? {
        guard let range = bodyRange(ofColumn: index) else { return nil }
        precondition(range.upperBound <= record.count, "record buffer does not cover the requested column")
        let left = ValueOperand(serialType: serialTypes[index], body: UnsafeRawBufferPointer(rebasing: record[range]))
        return ValueOperand.with(value) { right in
            ValueOperand.compare(left, right, collation: collation)
        }
    }

    /// Decodes every column of a complete record; a convenience for tests and tools, which
    /// allocates.
    package static func decodeAll(_ record: UnsafeRawBufferPointer) throws(CorruptionError) -> [Value] {
        var header = RecordHeader()
        try header.parse(record)
        var values: [Value] = []
        values.reserveCapacity(header.columnCount)
        for index in 0..<header.columnCount {
            values.append(header.column(index, in: record)!)
        }
        return values
    }
}
