/// Fixed-width big-endian integers, as every multi-byte field of the file format is stored.
///
/// Callers pass offsets they have already checked against the buffer; the checks here are the
/// buffer's own debug-build bounds checks, which is why these are internal building blocks and
/// not entry points for data straight from disk.
package enum BigEndian {
    @inlinable @inline(__always)
    package static func read16(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> Int {
        Int(bytes[offset]) << 8 | Int(bytes[offset + 1])
    }

    @inlinable @inline(__always)
    package static func read32(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt32 {
        UInt32(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inlinable @inline(__always)
    package static func read64(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> UInt64 {
        UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// Stores the low 16 bits of `value`; 65536 (an empty 64 KiB page's content offset) becomes 0
    /// exactly as the format requires.
    @inlinable @inline(__always)
    package static func write16(_ bytes: UnsafeMutableRawBufferPointer, at offset: Int, _ value: Int) {
        bytes[offset] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[offset + 1] = UInt8(truncatingIfNeeded: value)
    }

    @inlinable @inline(__always)
    package static func write32(_ bytes: UnsafeMutableRawBufferPointer, at offset: Int, _ value: UInt32) {
        bytes.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self)
    }

    @inlinable @inline(__always)
    package static func write64(_ bytes: UnsafeMutableRawBufferPointer, at offset: Int, _ value: UInt64) {
        bytes.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt64.self)
    }
}
