import Pager

/// An SQLite result code: a primary code in the low 8 bits and, for extended codes, more detail
/// above them. Ringlite reports the code SQLite reports for the same condition.
///
/// ```swift
/// catch let error as DatabaseError where error.resultCode.primary == .constraint { ... }
/// ```
public struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The code's number, as SQLite defines it (2067 for SQLITE_CONSTRAINT_UNIQUE).
    ///
    /// ```swift
    /// error.resultCode.rawValue   // 2067
    /// ```
    public let rawValue: Int32

    /// The code with this number.
    ///
    /// ```swift
    /// let unique = ResultCode(rawValue: 2067)   // SQLITE_CONSTRAINT_UNIQUE
    /// ```
    public init(rawValue: Int32) { self.rawValue = rawValue }

    /// The primary code (`.constraint` for `SQLITE_CONSTRAINT_UNIQUE`, and so on).
    ///
    /// ```swift
    /// ResultCode(rawValue: 2067).primary == .constraint   // true
    /// ```
    public var primary: ResultCode { ResultCode(rawValue: rawValue & 0xff) }

    // The primary codes, named after SQLite's (SQLITE_OK, SQLITE_ERROR, ...); compare one with
    // `error.resultCode.primary`, for example `error.resultCode.primary == .busy`.

    /// SQLITE_OK: success.
    public static let ok = ResultCode(rawValue: 0)
    /// SQLITE_ERROR: an SQL error (syntax, a missing table, ...).
    public static let error = ResultCode(rawValue: 1)
    /// SQLITE_INTERNAL: a bug in Ringlite.
    public static let `internal` = ResultCode(rawValue: 2)
    /// SQLITE_ABORT: ROLLBACK or an ABORT conflict ended the statement.
    public static let abort = ResultCode(rawValue: 4)
    /// SQLITE_BUSY: another connection or process holds the lock past the busy timeout.
    public static let busy = ResultCode(rawValue: 5)
    /// SQLITE_LOCKED: a conflict inside this connection.
    public static let locked = ResultCode(rawValue: 6)
    /// SQLITE_NOMEM: out of memory.
    public static let noMemory = ResultCode(rawValue: 7)
    /// SQLITE_READONLY: a write to a database opened read-only.
    public static let readOnly = ResultCode(rawValue: 8)
    /// SQLITE_INTERRUPT: stopped by ``InterruptHandle/interrupt()``.
    public static let interrupt = ResultCode(rawValue: 9)
    /// SQLITE_IOERR: the operating system reported an IO error.
    public static let ioError = ResultCode(rawValue: 10)
    /// SQLITE_CORRUPT: the file is damaged.
    public static let corrupt = ResultCode(rawValue: 11)
    /// SQLITE_FULL: the disk is full.
    public static let full = ResultCode(rawValue: 13)
    /// SQLITE_CANTOPEN: the file cannot be opened.
    public static let cantOpen = ResultCode(rawValue: 14)
    /// SQLITE_SCHEMA: the schema changed (Ringlite prepares again and retries on its own).
    public static let schema = ResultCode(rawValue: 17)
    /// SQLITE_TOOBIG: a string or blob over the length limit.
    public static let tooBig = ResultCode(rawValue: 18)
    /// SQLITE_CONSTRAINT: a NOT NULL, UNIQUE, PRIMARY KEY or CHECK constraint failed.
    public static let constraint = ResultCode(rawValue: 19)
    /// SQLITE_MISMATCH: a non-integer rowid, and the like.
    public static let mismatch = ResultCode(rawValue: 20)
    /// SQLITE_MISUSE: the API used wrongly (no statement in the text given to prepare, ...).
    public static let misuse = ResultCode(rawValue: 21)
    /// SQLITE_RANGE: a parameter index or name the statement does not have.
    public static let range = ResultCode(rawValue: 25)
    /// SQLITE_NOTADB: the file is not an SQLite database.
    public static let notADatabase = ResultCode(rawValue: 26)

    /// The description sqlite3_errstr gives for the primary code.
    ///
    /// ```swift
    /// ResultCode.busy.description   // "database is locked"
    /// ```
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
    ///
    /// ```swift
    /// if error.resultCode.primary == .constraint { ... }
    /// ```
    public var resultCode: ResultCode
    /// The message, worded as sqlite3 words it.
    ///
    /// ```swift
    /// error.message   // "UNIQUE constraint failed: t.a"
    /// ```
    public var message: String
    /// The statement that failed, when the error comes from one.
    ///
    /// ```swift
    /// print(error.sql ?? "")
    /// ```
    public var sql: String?
    /// The byte offset in the SQL text given to `prepare` of the token the error is about, when
    /// it is known (sqlite3_error_offset).
    ///
    /// ```swift
    /// // "SELEC 1": near "SELEC": syntax error, offset 0
    /// ```
    public var offset: Int?

    /// An error with this code and message.
    ///
    /// ```swift
    /// throw DatabaseError(resultCode: .misuse, message: "no statement")
    /// ```
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

    /// "SQLite error CODE: MESSAGE", with the statement when there is one.
    ///
    /// ```swift
    /// print(error)   // SQLite error 1: no such table: nope - while executing `SELECT * FROM nope`
    /// ```
    public var description: String {
        var text = "SQLite error \(resultCode.rawValue): \(message)"
        if let sql { text += " - while executing `\(sql)`" }
        return text
    }
}
