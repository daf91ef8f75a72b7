/// Serial types: the per-column codes of a record header that say how a value is stored.
///
///   0 NULL · 1..6 big-endian two's-complement integers of 1, 2, 3, 4, 6, 8 bytes · 7 IEEE-754
///   double · 8 and 9 the integers 0 and 1 with no content (schema format 4) · 10, 11 reserved ·
///   even N >= 12 a blob of (N-12)/2 bytes · odd N >= 13 text of (N-13)/2 bytes.
package enum SerialType {
    /// The largest value of a 6-byte integer (serial type 5).
    package static let maxSixByteInteger: UInt64 = (UInt64(0x8000) << 32) - 1

    /// The serial type SQLite picks for an integer: the smallest encoding that holds it, and the
    /// bodiless types 8 and 9 for 0 and 1 when the schema format is 4 or more.
    @inlinable
    package static func forInteger(_ value: Int64, fileFormat: Int = 4) -> UInt64 {
        // Ones' complement folds negatives onto the same magnitude ranges as positives.
        let magnitude = value < 0 ? UInt64(bitPattern: ~value) : UInt64(bitPattern: value)
        if magnitude <= 127 {
            if value & 1 == value && fileFormat >= 4 { return 8 + magnitude }
            return 1
        }
        if magnitude <= 32767 { return 2 }
        if magnitude <= 8_388_607 { return 3 }
        if magnitude <= 2_147_483_647 { return 4 }
        if magnitude <= maxSixByteInteger { return 5 }
        return 6
    }

    /// The serial type a value is stored with.
    @inlinable
    package static func of(_ value: Value, fileFormat: Int = 4) -> UInt64 {
        switch value {
        case .null: return 0
        case .integer(let integer): return forInteger(integer, fileFormat: fileFormat)
        case .real: return 7
        case .text(let bytes): return UInt64(bytes.count) * 2 + 13
        case .blob(let bytes): return UInt64(bytes.count) * 2 + 12
        }
    }

    /// Bytes of record body a serial type occupies. The reserved types 10 and 11 have no body;
    /// records holding them are rejected by the decoder.
    @inlinable @inline(__always)
    package static func contentSize(_ serialType: UInt64) -> Int {
        switch serialType {
        case 0, 8, 9, 10, 11: return 0
        case 1, 2, 3, 4: return Int(serialType)
        case 5: return 6
        case 6, 7: return 8
        default: return Int((serialType - 12) >> 1)
        }
    }

    /// True for the codes a record written by SQLite may contain.
    @inlinable @inline(__always)
    package static func isValidInRecord(_ serialType: UInt64) -> Bool {
        serialType != 10 && serialType != 11
    }

    /// The storage class a (valid) serial type decodes to. A real that is NaN still decodes to
    /// NULL; that needs the content and is handled by `decode`.
    @inlinable
    package static func storageClass(_ serialType: UInt64) -> StorageClass {
        switch serialType {
        case 0, 10, 11: .null
        case 1...6, 8, 9: .integer
        case 7: .real
        default: serialType & 1 == 0 ? .blob : .text
        }
    }

    /// Reads an integer body of serial type 1...6, 8 or 9.
    /// - Precondition: the body lies inside `bytes` (the caller validated it against the record).
    @inlinable @inline(__always)
    package static func readInteger(_ serialType: UInt64, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int64 {
        switch serialType {
        case 1:
            return Int64(Int8(bitPattern: bytes[offset]))
        case 2:
            return Int64(Int8(bitPattern: bytes[offset])) << 8 | Int64(bytes[offset + 1])
        case 3:
            return Int64(Int8(bitPattern: bytes[offset])) << 16
                | Int64(bytes[offset + 1]) << 8 | Int64(bytes[offset + 2])
        case 4:
            return Int64(Int32(bitPattern: BigEndian.read32(bytes, at: offset)))
        case 5:
            return Int64(Int16(bitPattern: UInt16(BigEndian.read16(bytes, at: offset)))) << 32
                | Int64(BigEndian.read32(bytes, at: offset + 2))
        case 6:
            return Int64(bitPattern: BigEndian.read64(bytes, at: offset))
        case 8:
            return 0
        case 9:
            return 1
        default:
            preconditionFailure("serial type \(serialType) is not an integer type")
        }
    }

    /// Materializes the value of a body. A stored NaN reads as NULL, as in SQLite.
    /// - Precondition: `serialType` is valid and its body lies inside `bytes`.
    @inlinable
    package static func decode(_ serialType: UInt64, _ bytes: UnsafeRawBufferPointer, at offset: Int) -> Value {
        switch serialType {
        case 0, 10, 11:
            return .null
        case 7:
            let real = Double(bitPattern: BigEndian.read64(bytes, at: offset))
            return real.isNaN ? .null : .real(real)
        case 1...6, 8, 9:
            return .integer(readInteger(serialType, bytes, at: offset))
        default:
            let size = contentSize(serialType)
            precondition(offset + size <= bytes.count, "record body runs past the buffer")
            let content = Array(UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + size]))
            return serialType & 1 == 0 ? .blob(content) : .text(content)
        }
    }

    /// Writes the body of `value` stored as `serialType` and returns its length.
    /// - Precondition: `serialType == of(value)` for some file format, and the body fits.
    @inlinable
    @discardableResult
    package static func writeContent(
        _ value: Value, as serialType: UInt64, into bytes: UnsafeMutableRawBufferPointer, at offset: Int
    ) -> Int {
        let size = contentSize(serialType)
        precondition(offset >= 0 && offset + size <= bytes.count, "record body does not fit in the buffer")
        switch value {
        case .null:
            return 0
        case .integer(let integer):
            var shifted = UInt64(bitPattern: integer)
            var index = offset + size - 1
            while index >= offset {
                bytes[index] = UInt8(truncatingIfNeeded: shifted)
                shifted >>= 8
                index -= 1
            }
            return size
        case .real(let real):
            BigEndian.write64(bytes, at: offset, real.bitPattern)
            return 8
        case .text(let content), .blob(let content):
            content.withUnsafeBytes { source in
                if let base = source.baseAddress, let target = bytes.baseAddress {
                    (target + offset).copyMemory(from: base, byteCount: source.count)
                }
            }
            return size
        }
    }
}
