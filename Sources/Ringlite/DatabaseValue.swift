import BTree

/// A value stored in or read from a database: one of SQLite's five storage classes.
///
/// ```swift
/// let values: [DatabaseValue] = [.integer(42), .real(2.5), .text("hi"), .blob([0xFF]), .null]
/// ```
public enum DatabaseValue: Sendable, Hashable, CustomStringConvertible {
    /// SQL NULL.
    case null
    /// A 64-bit signed integer.
    case integer(Int64)
    /// An IEEE 754 double (SQLite has no NaN: a NaN result is stored as NULL).
    case real(Double)
    /// UTF-8 text. Text that is not valid UTF-8 (a blob cast to text, say) is read with each
    /// invalid sequence replaced by U+FFFD; ``Statement/withText(at:_:)`` lends the raw bytes.
    case text(String)
    /// Bytes.
    case blob([UInt8])

    /// The value's storage class.
    ///
    /// ```swift
    /// DatabaseValue.real(1.5).storageClass   // .real
    /// ```
    public var storageClass: StorageClass {
        switch self {
        case .null: .null
        case .integer: .integer
        case .real: .real
        case .text: .text
        case .blob: .blob
        }
    }

    /// The storage class's name, as SQL's `typeof()` returns it.
    ///
    /// ```swift
    /// DatabaseValue.text("a").typeName   // "text"
    /// ```
    public var typeName: String {
        switch self {
        case .null: "null"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        case .blob: "blob"
        }
    }

    /// True for ``null``.
    ///
    /// ```swift
    /// if row[0].isNull { print("no value") }
    /// ```
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as text for display: NULL, the number, the text itself, or x'..' for a blob.
    ///
    /// ```swift
    /// print(DatabaseValue.blob([0xAB]))   // x'AB'
    /// ```
    public var description: String {
        switch self {
        case .null: "NULL"
        case .integer(let value): String(value)
        case .real(let value): String(value)
        case .text(let value): value
        case .blob(let bytes): "x'" + bytes.map { String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined() + "'"
        }
    }

    init(_ value: Value) {
        switch value {
        case .null: self = .null
        case .integer(let value): self = .integer(value)
        case .real(let value): self = .real(value)
        case .text(let bytes): self = .text(String(decoding: bytes, as: UTF8.self))
        case .blob(let bytes): self = .blob(bytes)
        }
    }

    var storageValue: Value {
        switch self {
        case .null: .null
        case .integer(let value): .integer(value)
        case .real(let value): .real(value)
        case .text(let value): .text(Array(value.utf8))
        case .blob(let bytes): .blob(bytes)
        }
    }
}

/// One of SQLite's five storage classes: what `typeof()` returns and sqlite3_column_type
/// reports.
///
/// ```swift
/// if statement.storageClass(at: 0) == .integer { print(statement.int64(at: 0)) }
/// ```
public enum StorageClass: String, Sendable, Hashable, CaseIterable {
    /// NULL.
    case null
    /// A 64-bit signed integer.
    case integer
    /// A double.
    case real
    /// UTF-8 text.
    case text
    /// Bytes.
    case blob
}

/// A Swift value that can be bound to a statement parameter.
///
/// ```swift
/// try statement.bind(42, at: 1)
/// try statement.bind("name", at: 2)
/// ```
public protocol DatabaseValueConvertible {
    /// The value as a database value.
    var databaseValue: DatabaseValue { get }
}

extension DatabaseValue: DatabaseValueConvertible {
    /// The value itself.
    ///
    /// ```swift
    /// try statement.bind(DatabaseValue.null, at: 1)
    /// ```
    public var databaseValue: DatabaseValue { self }
}

extension Int: DatabaseValueConvertible {
    /// An INTEGER.
    ///
    /// ```swift
    /// 42.databaseValue   // .integer(42)
    /// ```
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
}

extension Int64: DatabaseValueConvertible {
    /// An INTEGER.
    ///
    /// ```swift
    /// Int64.max.databaseValue   // .integer(9223372036854775807)
    /// ```
    public var databaseValue: DatabaseValue { .integer(self) }
}

extension Int32: DatabaseValueConvertible {
    /// An INTEGER.
    ///
    /// ```swift
    /// Int32(7).databaseValue   // .integer(7)
    /// ```
    public var databaseValue: DatabaseValue { .integer(Int64(self)) }
}

extension Bool: DatabaseValueConvertible {
    /// SQLite has no boolean type: true is 1 and false is 0.
    ///
    /// ```swift
    /// true.databaseValue   // .integer(1)
    /// ```
    public var databaseValue: DatabaseValue { .integer(self ? 1 : 0) }
}

extension Double: DatabaseValueConvertible {
    /// A REAL (NaN is stored as NULL, as SQLite stores it).
    ///
    /// ```swift
    /// 2.5.databaseValue   // .real(2.5)
    /// ```
    public var databaseValue: DatabaseValue { .real(self) }
}

extension String: DatabaseValueConvertible {
    /// TEXT.
    ///
    /// ```swift
    /// "hi".databaseValue   // .text("hi")
    /// ```
    public var databaseValue: DatabaseValue { .text(self) }
}

extension Array: DatabaseValueConvertible where Element == UInt8 {
    /// A BLOB.
    ///
    /// ```swift
    /// [UInt8]([0xFF]).databaseValue   // .blob([255])
    /// ```
    public var databaseValue: DatabaseValue { .blob(self) }
}

extension Optional: DatabaseValueConvertible where Wrapped: DatabaseValueConvertible {
    /// `nil` binds NULL.
    ///
    /// ```swift
    /// let missing: Int? = nil
    /// try statement.bind(missing, at: 1)   // NULL
    /// ```
    public var databaseValue: DatabaseValue { self?.databaseValue ?? .null }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
