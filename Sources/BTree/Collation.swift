/// The built-in collating sequences, compared exactly as SQLite's binCollFunc, nocaseCollatingFunc
/// and rtrimCollFunc do on UTF-8 text.
package enum Collation: Sendable, Equatable, Hashable {
    /// memcmp, then the shorter string first.
    case binary
    /// ASCII letters fold to lower case; other bytes compare as they are. As in SQLite's
    /// sqlite3StrNICmp, a NUL byte in the left operand ends the case-folded prefix comparison.
    case nocase
    /// Binary after trailing spaces (0x20 only) are removed from both operands.
    case rtrim

    /// Looks a collation up by name, case-insensitively, as `COLLATE name` does.
    package init?(name: String) {
        switch name.lowercased() {
        case "binary": self = .binary
        case "nocase": self = .nocase
        case "rtrim": self = .rtrim
        default: return nil
        }
    }

    package var name: String {
        switch self {
        case .binary: "BINARY"
        case .nocase: "NOCASE"
        case .rtrim: "RTRIM"
        }
    }

    /// Orders two texts: negative, zero or positive (only the sign is meaningful).
    @inlinable
    package func compare(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
        switch self {
        case .binary:
            return Self.compareBytes(lhs, rhs)
        case .nocase:
            return Self.compareNoCase(lhs, rhs)
        case .rtrim:
            return Self.compareBytes(
                UnsafeRawBufferPointer(rebasing: lhs[0..<Self.lengthWithoutTrailingSpaces(lhs)]),
                UnsafeRawBufferPointer(rebasing: rhs[0..<Self.lengthWithoutTrailingSpaces(rhs)]))
        }
    }

    /// memcmp over the common prefix, then the difference in length.
    @inlinable
    package static func compareBytes(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
        let common = min(lhs.count, rhs.count)
        var index = 0
        // Eight bytes at a time: big-endian words order the same way as their bytes.
        while index + 8 <= common {
            let left = UInt64(bigEndian: lhs.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            let right = UInt64(bigEndian: rhs.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            if left != right { return left < right ? -1 : 1 }
            index += 8
        }
        while index < common {
            let left = lhs[index]
            let right = rhs[index]
            if left != right { return Int(left) - Int(right) }
            index += 1
        }
        return lhs.count - rhs.count
    }

    @inlinable
    package static func compareNoCase(_ lhs: UnsafeRawBufferPointer, _ rhs: UnsafeRawBufferPointer) -> Int {
        let common = min(lhs.count, rhs.count)
        var index = 0
        while index < common {
            let left = lhs[index]
            let foldedLeft = foldASCII(left)
            let foldedRight = foldASCII(rhs[index])
            if left == 0 || foldedLeft != foldedRight {
                let difference = Int(foldedLeft) - Int(foldedRight)
                if difference != 0 { return difference }
                break
            }
            index += 1
        }
        return lhs.count - rhs.count
    }

    @inlinable @inline(__always)
    package static func foldASCII(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }

    @inlinable
    package static func lengthWithoutTrailingSpaces(_ bytes: UnsafeRawBufferPointer) -> Int {
        var length = bytes.count
        while length > 0 && bytes[length - 1] == 0x20 { length -= 1 }
        return length
    }
}
