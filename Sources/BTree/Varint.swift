/// SQLite's variable-length integer: 1 to 9 bytes, big-endian, seven bits per byte with the high
/// bit meaning "more follows", except that a ninth byte contributes all eight of its bits.
package enum Varint {
    /// The longest encoding.
    package static let maxLength = 9

    /// Decodes the varint at `offset`, reading no byte at or past `end`.
    ///
    /// Returns nil when the encoding is cut off by `end`: for data from disk that is corruption,
    /// which the caller reports with the context (page, cell, record) it knows.
    /// - Precondition: `0 <= offset` and `end <= bytes.count`.
    @inlinable @inline(__always)
    package static func read(
        _ bytes: UnsafeRawBufferPointer, at offset: Int, end: Int
    ) -> (value: UInt64, length: Int)? {
        precondition(offset >= 0 && end <= bytes.count, "varint read window lies outside the buffer")
        guard offset < end else { return nil }
        let b0 = bytes[offset]
        if b0 < 0x80 { return (UInt64(b0), 1) }
        guard offset + 1 < end else { return nil }
        let b1 = bytes[offset + 1]
        if b1 < 0x80 { return (UInt64(b0 & 0x7f) << 7 | UInt64(b1), 2) }
        return readLong(bytes, at: offset, end: end)
    }

        package static func readLong(
        _ bytes: UnsafeRawBufferPointer, at offset: Int, end: Int
    ) -> (value: UInt64, length: Int)? {
        var value: UInt64 = 0
        var index = 0
        while index < 8 {
            guard offset + index < end else { return nil }
            let byte = bytes[offset + index]
            value = value << 7 | UInt64(byte & 0x7f)
            if byte < 0x80 { return (value, index + 1) }
            index += 1
        }
        guard offset + 8 < end else { return nil }
        value = value << 8 | UInt64(bytes[offset + 8])
        return (value, 9)
    }

    /// The number of bytes `write` uses for `value`.
    @inlinable @inline(__always)
    package static func encodedLength(_ value: UInt64) -> Int {
        if value <= 0x7f { return 1 }
        if value <= 0x3fff { return 2 }
        if value > 0x00ff_ffff_ffff_ffff { return 9 }
        var length = 3
        var rest = value >> 21
        while rest != 0 {
            length += 1
            rest >>= 7
        }
        return length
    }

    @inlinable @inline(__always)
    package static func encodedLength(_ value: Int64) -> Int {
        encodedLength(UInt64(bitPattern: value))
    }

    /// Encodes `value` at `offset` and returns the number of bytes written.
    /// - Precondition: the encoding fits in `bytes` from `offset`.
    @inlinable @inline(__always)
    @discardableResult
    package static func write(_ value: UInt64, into bytes: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        if value <= 0x7f {
            precondition(offset >= 0 && offset < bytes.count, "varint does not fit in the buffer")
            bytes[offset] = UInt8(value)
            return 1
        }
        if value <= 0x3fff {
            precondition(offset >= 0 && offset + 2 <= bytes.count, "varint does not fit in the buffer")
            bytes[offset] = UInt8(value >> 7) | 0x80
            bytes[offset + 1] = UInt8(value & 0x7f)
            return 2
        }
        return writeLong(value, into: bytes, at: offset)
    }

        package static func writeLong(_ value: UInt64, into bytes: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        let length = encodedLength(value)
        precondition(offset >= 0 && offset + length <= bytes.count, "varint does not fit in the buffer")
        var rest = value
        var index = offset + length - 1
        if length == 9 {
            bytes[index] = UInt8(truncatingIfNeeded: rest)
            rest >>= 8
            index -= 1
        } else {
            bytes[index] = UInt8(rest & 0x7f)
            rest >>= 7
            index -= 1
        }
        while index >= offset {
            bytes[index] = UInt8(rest & 0x7f) | 0x80
            rest >>= 7
            index -= 1
        }
        return length
    }

    /// Appends the encoding of `value` to `array`.
    @inlinable
    package static func append(_ value: UInt64, to array: inout [UInt8]) {
        var scratch: (UInt64, UInt64) = (0, 0)
        let length = withUnsafeMutableBytes(of: &scratch) { write(value, into: $0, at: 0) }
        withUnsafeBytes(of: &scratch) { array.append(contentsOf: $0[0..<length]) }
    }
}
