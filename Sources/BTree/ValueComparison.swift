/// SQLite's ordering of values (sqlite3MemCompare): NULL < numbers < text < blob. Integers and
/// reals compare by exact numeric value, text by collation, blobs by memcmp then length.
/// Results are negative, zero or positive; only the sign is meaningful.

/// A value that borrows its text or blob bytes, so values in records can be compared without
/// materializing them.
package enum ValueOperand {
    case null
    case integer(Int64)
    case real(Double)
    case text(UnsafeRawBufferPointer)
    case blob(UnsafeRawBufferPointer)

    /// The operand for a record body. A stored NaN is NULL, as SQLite reads it.
    /// - Precondition: the serial type is valid and `body` is exactly its content.
    @inlinable @inline(__always)
    package init(serialType: UInt64, body: UnsafeRawBufferPointer) {
        switch serialType {
        case 0, 10, 11:
            self = .null
        case 7:
            let real = Double(bitPattern: BigEndian.read64(body, at: 0))
            self = real.isNaN ? .null : .real(real)
        case 1...6, 8, 9:
            self = .integer(SerialType.readInteger(serialType, body, at: 0))
        default:
            self = serialType & 1 == 0 ? .blob(body) : .text(body)
        }
    }

    /// Runs `body` with an operand borrowing `value`'s bytes.
    @inlinable @inline(__always)
    package static func with<Result>(_ value: Value, _ body: (ValueOperand) -> Result) -> Result {
        switch value {
        case .null: return body(.null)
        case .integer(let integer): return body(.integer(integer))
        case .real(let real): return body(real.isNaN ? .null : .real(real))
        case .text(let bytes): return bytes.withUnsafeBytes { body(.text($0)) }
        case .blob(let bytes): return bytes.withUnsafeBytes { body(.blob($0)) }
        }
    }

    /// sqlite3MemCompare.
    @inlinable
    package static func compare(_ lhs: ValueOperand, _ rhs: ValueOperand, collation: Collation) -> Int {
        switch (lhs, rhs) {
        case (.null, .null): return 0
        case (.null, _): return -1
        case (_, .null): return 1
        case (.integer(let left), .integer(let right)):
            return left < right ? -1 : (left > right ? 1 : 0)
        case (.real(let left), .real(let right)):
            return left < right ? -1 : (left > right ? 1 : 0)
        case (.integer(let left), .real(let right)):
            return ValueOrdering.compare(integer: left, real: right)
        case (.real(let left), .integer(let right)):
            return -ValueOrdering.compare(integer: right, real: left)
        case (.integer, _), (.real, _): return -1
        case (_, .integer), (_, .real): return 1
        case (.text(let left), .text(let right)):
            return collation.compare(left, right)
        case (.text, .blob): return -1
        case (.blob, .text): return 1
        case (.blob(let left), .blob(let right)):
            return Collation.compareBytes(left, right)
        }
    }
}

package enum ValueOrdering {
    /// sqlite3IntFloatCompare: the exact order of an integer and a double, with no rounding of
    /// either (9223372036854775807 is less than 9223372036854775808.0). NaN compares equal, as the
    /// x86-64 build of SQLite (long double arithmetic) has it; NaN never comes out of a record.
    @inlinable
    package static func compare(integer: Int64, real: Double) -> Int {
        if real.isNaN { return 0 }
        if real < -9_223_372_036_854_775_808.0 { return 1 }
        if real >= 9_223_372_036_854_775_808.0 { return -1 }
        let truncated = Int64(real)
        if integer < truncated { return -1 }
        if integer > truncated { return 1 }
        // Equal integer parts: any fraction decides. Double(integer) is exact here, because a
        // real with a fraction is below 2^53 in magnitude.
        let widened = Double(integer)
        if widened < real { return -1 }
        if widened > real { return 1 }
        return 0
    }

    /// Orders two values as SQLite does, text by `collation`.
    @inlinable
    package static func compare(_ lhs: Value, _ rhs: Value, collation: Collation = .binary) -> Int {
        ValueOperand.with(lhs) { left in
            ValueOperand.with(rhs) { right in
                ValueOperand.compare(left, right, collation: collation)
            }
        }
    }
}
