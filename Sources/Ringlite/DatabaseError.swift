import Pager

/// An SQLite result code: a primary code in the low 8 bits and, for extended codes, more detail
/// above them. Ringlite reports the code SQLite reports for the same condition.
///
/// ```swift
/// catch let error as DatabaseError where error.resultCode.primary == .constraint { ... }
/// ```
public struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: Int32

    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The primary code (`.constraint` for `SQLITE_CONSTRAINT_UNIQUE`, and so on).
    public var primary: ResultCode { ResultCode(rawValue: rawValue & 0xff) }

    public static let ok = ResultCode(rawValue: 0)
    public static let error = ResultCode(rawValue: 1)
    public static let `internal` = ResultCode(rawValue: 2)
    public static let abort = ResultCode(rawValue: 4)
    public static let busy = ResultCode(rawValue: 5)
    public static let locked = ResultCode(rawValue: 6)
    public static let noMemory = ResultCode(rawValue: 7)
    public static let readOnly = ResultCode(rawValue: 8)
    public static let interrupt = ResultCode(rawValue: 9)
    public static let ioError = ResultCode(rawValue: 10)
    public static let corrupt = ResultCode(rawValue: 11)
    public static let full = ResultCode(rawValue: 13)
    public static let cantOpen = ResultCode(rawValue: 14)
    public static let schema = ResultCode(rawValue: 17)
    public static let tooBig = ResultCode(rawValue: 18)
    public static let constraint = ResultCode(rawValue: 19)
    public static let mismatch = ResultCode(rawValue: 20)
    public static let misuse = ResultCode(rawValue: 21)
    public static let range = ResultCode(rawValue: 25)
    public static let notADatabase = ResultCode(rawValue: 26)

    /// The description sqlite3_errstr gives for the primary code.
    public var description: String { EngineResultCode(rawValue: rawValue).description }
}

/// An error from the database: the SQLite result code (primary and extended), the message, and
/// the SQL it concerns when there is one.
///
/// ```swift
/// do {
///     try connection.execute("INSERT INTO t(id) VALUES (1)")
/// } catch let error as DatabaseError {
///     print(error.resultCode, error.message)
/// }
/// ```
public struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code; `resultCode.primary` is the primary one.
    public var resultCode: ResultCode
    /// The message, worded as sqlite3 words it.
    public var message: String
    /// The statement that failed, when the error comes from one.
    public var sql: String?
    /// The byte offset in the SQL text given to `prepare` of the token the error is about, when
    /// it is known (sqlite3_error_offset).
    public var offset: Int?

    public init(resultCode: ResultCode, message: String, sql: String? = nil, offset: Int? = nil) {
        self.resultCode = resultCode
        self.message = message
        self.sql = sql
        self.offset = offset
    }

    init(_ error: EngineError, sql: String? = nil) {
        self.init(resultCode: ResultCode(rawValue: error.resultCode.rawValue), message: error.message, sql: sql ?? error.sql,
                  offset: error.offset)
    }

    public var description: String {
        var text = "SQLite error \(resultCode.rawValue): \(message)"
        if let sql { text += " - while executing `\(sql)`" }
        return text
    }
}
