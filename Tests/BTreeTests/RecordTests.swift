import Testing
@testable import BTree

@Suite struct RecordTests {
    @Test func serialTypesAreTheSmallestEncoding() {
        let cases: [(Int64, UInt64)] = [
            (0, 8), (1, 9), (2, 1), (-1, 1), (127, 1), (-128, 1), (128, 2), (-129, 2), (32767, 2), (32768, 3),
            (-32768, 2), (-32769, 3), (8_388_607, 3), (8_388_608, 4), (2_147_483_647, 4), (2_147_483_648, 5),
            (-2_147_483_648, 4), (-2_147_483_649, 5), (140_737_488_355_327, 5), (140_737_488_355_328, 6),
            (-140_737_488_355_328, 5), (-140_737_488_355_329, 6), (Int64.max, 6), (Int64.min, 6),
        ]
        for (value, serialType) in cases {
            #expect(SerialType.forInteger(value) == serialType, "\(value)")
        }
        #expect(SerialType.forInteger(0, fileFormat: 1) == 1)
        #expect(SerialType.forInteger(1, fileFormat: 3) == 1)
        #expect(SerialType.of(.null) == 0)
        #expect(SerialType.of(.real(0)) == 7)
        #expect(SerialType.of(.text([])) == 13)
        #expect(SerialType.of(.blob([])) == 12)
        #expect(SerialType.of(.text([1, 2, 3])) == 19)
        #expect(SerialType.of(.blob([1, 2, 3])) == 18)
        for serialType: UInt64 in [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12, 13, 14, 15] {
            #expect(SerialType.contentSize(serialType) == [0, 1, 2, 3, 4, 6, 8, 8, 0, 0, 0, 0, 0, 0, 1, 1][Int(serialType)])
        }
    }

    @Test func recordsRoundTrip() throws {
        var generator = ValueGenerator(seed: 11)
        var header = RecordHeader()
        for count in [0, 1, 2, 5, 40, 126, 127, 200, 3000] {
            var values = (0..<count).map { _ in generator.value(maxLength: 20) }
            // A NaN reads back as NULL, as in SQLite; keep it out of the round trip.
            values = values.map { if case .real(let real) = $0, real.isNaN { return .null } else { return $0 } }
            let record = RecordEncoder.encode(values)
            #expect(record.count == RecordEncoder.encodedSize(of: values))
            try record.withUnsafeBytes { bytes throws in
                try header.parse(bytes)
                #expect(header.columnCount == count)
                #expect(header.headerSize == RecordEncoder.headerSize(of: values))
                for index in 0..<count {
                    #expect(header.column(index, in: bytes) == values[index])
                    #expect(header.compareColumn(index, in: bytes, to: values[index]) == 0)
                }
                // Columns past the end of the record are absent (ALTER TABLE ADD COLUMN).
                #expect(header.column(count, in: bytes) == nil)
                #expect(header.compareColumn(count + 3, in: bytes, to: .null) == nil)
                #expect(try RecordHeader.decodeAll(bytes) == values)
            }
        }
    }

    @Test func headerSizeVarintGrowsWithItsOwnLength() {
        // 126 one-byte types fit a one-byte header size; 127 need two bytes for it.
        #expect(RecordEncoder.headerSize(typeBytes: 126) == 127)
        #expect(RecordEncoder.headerSize(typeBytes: 127) == 129)
        #expect(RecordEncoder.headerSize(typeBytes: 16381) == 16383)
        #expect(RecordEncoder.headerSize(typeBytes: 16382) == 16385)
    }

    @Test func prefixParsingNeedsTheWholeHeader() throws {
        let values: [Value] = [.integer(1), .blob([UInt8](repeating: 7, count: 1000)), .text("tail")]
        let record = RecordEncoder.encode(values)
        var header = RecordHeader()
        let complete = try record.withUnsafeBytes { bytes throws in
            try header.parse(prefix: UnsafeRawBufferPointer(rebasing: bytes[0..<2]), payloadSize: record.count)
        }
        #expect(!complete)
        #expect(header.headerSize == 5)
        try record.withUnsafeBytes { bytes throws in
            let prefix = UnsafeRawBufferPointer(rebasing: bytes[0..<20])
            #expect(try header.parse(prefix: prefix, payloadSize: record.count))
            #expect(header.column(0, in: prefix) == .integer(1))
            #expect(header.bodyRange(ofColumn: 2) == record.count - 4..<record.count)
        }
    }

    @Test func malformedRecordsAreCorruption() {
        let malformed: [[UInt8]] = [
            [],                          // no header size
            [0x00],                      // header size smaller than its own varint
            [0x05, 0x01],                // header claims more than the record
            [0x02, 0x01],                // integer body missing
            [0x02, 0x0a],                // reserved serial type 10
            [0x02, 0x0b],                // reserved serial type 11
            [0x03, 0x81],                // serial type varint runs past the header
            [0x02, 0x01, 0x05, 0x06],    // bytes after the last body
            [0x02, 0x1f, 0x41],          // 9-byte text with 1 byte of body
            [0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // enormous serial type
            [0x86, 0x80, 0x80, 0x01],    // header size over 98307
        ]
        for record in malformed {
            #expect(throws: CorruptionError.self, "\(record)") {
                try record.withUnsafeBytes { try RecordHeader.decodeAll($0) }
            }
        }
        // The streaming comparison reports the same damage when it reaches it.
        let keyInfo = KeyInfo(binaryColumns: 2)
        #expect(throws: CorruptionError.self) {
            try [UInt8]([0x02, 0x01]).withUnsafeBytes { try keyInfo.compare(record: $0, to: [.integer(1)]) }
        }
    }

    @Test func storedNaNReadsAsNull() throws {
        var record: [UInt8] = [0x02, 0x07]
        record.append(contentsOf: Double.nan.bitPattern.bigEndianBytes)
        try record.withUnsafeBytes { bytes throws in
            #expect(try RecordHeader.decodeAll(bytes) == [.null])
            #expect(try KeyInfo(binaryColumns: 1).compare(record: bytes, to: [.null]) == 0)
        }
    }

    @Test func seekDefaultsDecideEqualPrefixes() throws {
        let keyInfo = KeyInfo(columns: [KeyColumn(collation: .nocase), KeyColumn(descending: true)])
        let record = RecordEncoder.encode([.text("Apple"), .integer(5), .integer(77)])
        try record.withUnsafeBytes { bytes throws in
            #expect(try keyInfo.compare(record: bytes, to: [.text("APPLE")], defaultResult: -1) == -1)
            #expect(try keyInfo.compare(record: bytes, to: [.text("APPLE")], defaultResult: 1) == 1)
            #expect(try keyInfo.compare(record: bytes, to: [.text("apple"), .integer(5), .integer(77)]) == 0)
            // DESC second column: 5 sorts after 6.
            #expect(try keyInfo.compare(record: bytes, to: [.text("apple"), .integer(6)]) > 0)
            #expect(try keyInfo.compare(record: bytes, to: [.text("apple"), .integer(4)]) < 0)
            #expect(try keyInfo.compare(record: bytes, to: [.text("apricot")]) < 0)
            // The record has fewer fields than the key: the default decides.
            #expect(try keyInfo.compare(record: bytes, to: [.text("apple"), .integer(5), .integer(77), .null],
                                        defaultResult: 1) == 1)
        }
    }

    @Test func collationsMatchSQLiteRules() {
        func compare(_ collation: Collation, _ lhs: String, _ rhs: String) -> Int {
            Array(lhs.utf8).withUnsafeBytes { left in
                Array(rhs.utf8).withUnsafeBytes { right in collation.compare(left, right).signum() }
            }
        }
        #expect(compare(.binary, "abc", "abd") == -1)
        #expect(compare(.binary, "ab", "abc") == -1)
        #expect(compare(.binary, "B", "a") == -1)
        #expect(compare(.nocase, "B", "a") == 1)
        #expect(compare(.nocase, "ABC", "abc") == 0)
        #expect(compare(.nocase, "É", "é") != 0)
        #expect(compare(.nocase, "[", "a") == -1)  // '[' (0x5b) < 'a' once 'A'..'Z' fold
        #expect(compare(.nocase, "a\u{0}b", "a\u{0}c") == 0)  // sqlite3StrNICmp stops at a NUL
        #expect(compare(.rtrim, "abc  ", "abc") == 0)
        #expect(compare(.rtrim, "abc\t", "abc") == 1)
        #expect(compare(.rtrim, " ", "") == 0)
        #expect(Collation(name: "NoCase") == .nocase)
        #expect(Collation(name: "unknown") == nil)
    }
}
