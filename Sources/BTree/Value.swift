/// A SQL value as held in a record, a register or a result row.
package enum Value: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text([UInt8])   // UTF-8 bytes, not nul-terminated
    case blob([UInt8])
}

/// The five storage classes, in SQLite's sort order: NULL sorts first, then numbers (integers and
/// reals interleave by numeric value), then text, then blobs.
package enum StorageClass: UInt8, Sendable, Comparable, CaseIterable {
    case null = 0
    case integer = 1
    case real = 2
    case text = 3
    case blob = 4

    /// The name `typeof()` returns.
    package var name: String {
        switch self {
        case .null: "null"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        case .blob: "blob"
        }
    }

    /// Rank used to order values of different classes; integers and reals share one.
    @inlinable
    package var sortRank: Int {
        switch self {
        case .null: 0
        case .integer, .real: 1
        case .text: 2
        case .blob: 3
        }
    }

    package static func < (lhs: StorageClass, rhs: StorageClass) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}

extension Value {
    @inlinable
    package var storageClass: StorageClass {
        switch self {
        case .null: .null
        case .integer: .integer
        case .real: .real
        case .text: .text
        case .blob: .blob
        }
    }

    @inlinable
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// True for integers and reals.
    @inlinable
    package var isNumeric: Bool {
        switch self {
        case .integer, .real: true
        default: false
        }
    }

    /// The bytes of a text or blob value, nil for the other classes.
    @inlinable
    package var bytes: [UInt8]? {
        switch self {
        case .text(let bytes), .blob(let bytes): bytes
        default: nil
        }
    }

    /// A text value from a Swift string, stored as its UTF-8 bytes.
    @inlinable
    package static func text(_ string: String) -> Value {
        .text(Array(string.utf8))
    }
}

extension Value: CustomStringConvertible {
    /// A debugging rendering close to SQL's `quote()`; not a SQL conversion.
    package var description: String {
        switch self {
        case .null:
            return "NULL"
        case .integer(let value):
            return String(value)
        case .real(let value):
            return String(value)
        case .text(let bytes):
            return "'" + String(decoding: bytes, as: UTF8.self).replacingQuotes() + "'"
        case .blob(let bytes):
            let digits: [Character] = Array("0123456789ABCDEF")
            var hex = "X'"
            for byte in bytes {
                hex.append(digits[Int(byte >> 4)])
                hex.append(digits[Int(byte & 0x0f)])
            }
            return hex + "'"
        }
    }
}

extension String {
    fileprivate func replacingQuotes() -> String {
        var result = ""
        for character in self {
            if character == "'" { result.append("''") } else { result.append(character) }
        }
        return result
    }
}
