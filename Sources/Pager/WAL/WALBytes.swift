/// Field access for the WAL's headers: every multi-byte field of the WAL format is a big-endian
/// 32-bit word, whatever the checksum order.
enum WALBytes {
    @inline(__always)
    static func load(_ base: UnsafeRawPointer, at offset: Int) -> UInt32 {
        UInt32(bigEndian: base.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    static func store(_ value: UInt32, _ base: UnsafeMutableRawPointer, at offset: Int) {
        base.storeBytes(of: value.bigEndian, toByteOffset: offset, as: UInt32.self)
    }

    /// `0x0000abcd`: how salts, magics and checksums print in messages.
    static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: 8 - digits.count) + digits
    }
}
