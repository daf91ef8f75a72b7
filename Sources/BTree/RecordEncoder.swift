/// Serializes values into SQLite's record format: a header (its own size as a varint, then one
/// serial type varint per column) followed by the column bodies in order.
package enum RecordEncoder {
    /// Header bytes, including the header-size varint itself, as OP_MakeRecord computes them.
    @inlinable
    package static func headerSize(of values: [Value], fileFormat: Int = 4) -> Int {
        var typeBytes = 0
        for value in values {
            typeBytes += Varint.encodedLength(SerialType.of(value, fileFormat: fileFormat))
        }
        return headerSize(typeBytes: typeBytes)
    }

    /// Adds the header-size varint to the serial-type bytes; the varint may need one byte more
    /// once its own length is counted.
    @inlinable
    package static func headerSize(typeBytes: Int) -> Int {
        if typeBytes <= 126 { return typeBytes + 1 }
        let varintLength = Varint.encodedLength(UInt64(typeBytes))
        var total = typeBytes + varintLength
        if varintLength < Varint.encodedLength(UInt64(total)) { total += 1 }
        return total
    }

    /// The total size of the record for `values`.
    @inlinable
    package static func encodedSize(of values: [Value], fileFormat: Int = 4) -> Int {
        var typeBytes = 0
        var bodyBytes = 0
        for value in values {
            let serialType = SerialType.of(value, fileFormat: fileFormat)
            typeBytes += Varint.encodedLength(serialType)
            bodyBytes += SerialType.contentSize(serialType)
        }
        return headerSize(typeBytes: typeBytes) + bodyBytes
    }

    /// Writes the record at the start of `buffer` and returns its length.
    /// - Precondition: `buffer.count >= encodedSize(of: values, fileFormat: fileFormat)`.
    @inlinable
    @discardableResult
    package static func encode(
        _ values: [Value], into buffer: UnsafeMutableRawBufferPointer, fileFormat: Int = 4
    ) -> Int {
        let header = headerSize(of: values, fileFormat: fileFormat)
        precondition(buffer.count >= header, "record buffer is smaller than the record header")
        var typeOffset = Varint.write(UInt64(header), into: buffer, at: 0)
        var bodyOffset = header
        for value in values {
            let serialType = SerialType.of(value, fileFormat: fileFormat)
            typeOffset += Varint.write(serialType, into: buffer, at: typeOffset)
            bodyOffset += SerialType.writeContent(value, as: serialType, into: buffer, at: bodyOffset)
        }
        precondition(typeOffset == header, "record header size disagrees with the serial types written")
        return bodyOffset
    }

    /// The record for `values` in a new array.
    package static func encode(_ values: [Value], fileFormat: Int = 4) -> [UInt8] {
        let size = encodedSize(of: values, fileFormat: fileFormat)
        return [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            let written = encode(values, into: UnsafeMutableRawBufferPointer(buffer), fileFormat: fileFormat)
            precondition(written == size, "record size disagrees with the bytes written")
            initialized = written
        }
    }
}
