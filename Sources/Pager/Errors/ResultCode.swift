/// An SQLite result code: a primary code in the low 8 bits, and for extended codes more detail
/// above them (GRDB's `ResultCode`, after sqlite3.h). Ringlite reports the same codes SQLite would
/// for the same condition, so code written against SQLite's codes works unchanged.
package struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: Int32

    package init(rawValue: Int32) { self.rawValue = rawValue }

    /// The primary code: `.SQLITE_IOERR` for `.SQLITE_IOERR_FSYNC`, and so on.
    package var primary: ResultCode { ResultCode(rawValue: rawValue & 0xff) }

    package static let SQLITE_OK = ResultCode(rawValue: 0)
    package static let SQLITE_ERROR = ResultCode(rawValue: 1)
    package static let SQLITE_INTERNAL = ResultCode(rawValue: 2)
    package static let SQLITE_PERM = ResultCode(rawValue: 3)
    package static let SQLITE_ABORT = ResultCode(rawValue: 4)
    package static let SQLITE_BUSY = ResultCode(rawValue: 5)
    package static let SQLITE_LOCKED = ResultCode(rawValue: 6)
    package static let SQLITE_NOMEM = ResultCode(rawValue: 7)
    package static let SQLITE_READONLY = ResultCode(rawValue: 8)
    package static let SQLITE_INTERRUPT = ResultCode(rawValue: 9)
    package static let SQLITE_IOERR = ResultCode(rawValue: 10)
    package static let SQLITE_CORRUPT = ResultCode(rawValue: 11)
    package static let SQLITE_NOTFOUND = ResultCode(rawValue: 12)
    package static let SQLITE_FULL = ResultCode(rawValue: 13)
    package static let SQLITE_CANTOPEN = ResultCode(rawValue: 14)
    package static let SQLITE_PROTOCOL = ResultCode(rawValue: 15)
    package static let SQLITE_EMPTY = ResultCode(rawValue: 16)
    package static let SQLITE_SCHEMA = ResultCode(rawValue: 17)
    package static let SQLITE_TOOBIG = ResultCode(rawValue: 18)
    package static let SQLITE_CONSTRAINT = ResultCode(rawValue: 19)
    package static let SQLITE_MISMATCH = ResultCode(rawValue: 20)
    package static let SQLITE_MISUSE = ResultCode(rawValue: 21)
    package static let SQLITE_NOLFS = ResultCode(rawValue: 22)
    package static let SQLITE_AUTH = ResultCode(rawValue: 23)
    package static let SQLITE_FORMAT = ResultCode(rawValue: 24)
    package static let SQLITE_RANGE = ResultCode(rawValue: 25)
    package static let SQLITE_NOTADB = ResultCode(rawValue: 26)
    package static let SQLITE_NOTICE = ResultCode(rawValue: 27)
    package static let SQLITE_WARNING = ResultCode(rawValue: 28)
    package static let SQLITE_ROW = ResultCode(rawValue: 100)
    package static let SQLITE_DONE = ResultCode(rawValue: 101)

    package static let SQLITE_IOERR_READ = ResultCode(rawValue: 10 | (1 << 8))
    package static let SQLITE_IOERR_SHORT_READ = ResultCode(rawValue: 10 | (2 << 8))
    package static let SQLITE_IOERR_WRITE = ResultCode(rawValue: 10 | (3 << 8))
    package static let SQLITE_IOERR_FSYNC = ResultCode(rawValue: 10 | (4 << 8))
    package static let SQLITE_IOERR_TRUNCATE = ResultCode(rawValue: 10 | (6 << 8))
    package static let SQLITE_IOERR_FSTAT = ResultCode(rawValue: 10 | (7 << 8))
    package static let SQLITE_IOERR_LOCK = ResultCode(rawValue: 10 | (15 << 8))
    package static let SQLITE_IOERR_CLOSE = ResultCode(rawValue: 10 | (16 << 8))
    package static let SQLITE_IOERR_DELETE = ResultCode(rawValue: 10 | (10 << 8))
    package static let SQLITE_IOERR_NOMEM = ResultCode(rawValue: 10 | (12 << 8))
    package static let SQLITE_CORRUPT_INDEX = ResultCode(rawValue: 11 | (3 << 8))
    package static let SQLITE_BUSY_SNAPSHOT = ResultCode(rawValue: 5 | (2 << 8))
    package static let SQLITE_BUSY_TIMEOUT = ResultCode(rawValue: 5 | (3 << 8))
    package static let SQLITE_CANTOPEN_ISDIR = ResultCode(rawValue: 14 | (2 << 8))
    package static let SQLITE_READONLY_DBMOVED = ResultCode(rawValue: 8 | (4 << 8))
    package static let SQLITE_CONSTRAINT_CHECK = ResultCode(rawValue: 19 | (1 << 8))
    package static let SQLITE_CONSTRAINT_FOREIGNKEY = ResultCode(rawValue: 19 | (3 << 8))
    package static let SQLITE_CONSTRAINT_NOTNULL = ResultCode(rawValue: 19 | (5 << 8))
    package static let SQLITE_CONSTRAINT_PRIMARYKEY = ResultCode(rawValue: 19 | (6 << 8))
    package static let SQLITE_CONSTRAINT_TRIGGER = ResultCode(rawValue: 19 | (7 << 8))
    package static let SQLITE_CONSTRAINT_UNIQUE = ResultCode(rawValue: 19 | (8 << 8))
    package static let SQLITE_CONSTRAINT_ROWID = ResultCode(rawValue: 19 | (10 << 8))
    package static let SQLITE_CONSTRAINT_DATATYPE = ResultCode(rawValue: 19 | (12 << 8))

    /// sqlite3_errstr's text for the primary code.
    package var errorString: String {
        switch primary.rawValue {
        case 0: "not an error"
        case 1: "SQL logic error"
        case 2: "internal logic error"
        case 3: "access permission denied"
        case 4: "query aborted"
        case 5: "database is locked"
        case 6: "database table is locked"
        case 7: "out of memory"
        case 8: "attempt to write a readonly database"
        case 9: "interrupted"
        case 10: "disk I/O error"
        case 11: "database disk image is malformed"
        case 12: "unknown operation"
        case 13: "database or disk is full"
        case 14: "unable to open database file"
        case 15: "locking protocol"
        case 17: "database schema has changed"
        case 18: "string or blob too big"
        case 19: "constraint failed"
        case 20: "datatype mismatch"
        case 21: "bad parameter or other API misuse"
        case 22: "large file support is disabled"
        case 23: "authorization denied"
        case 25: "column index out of range"
        case 26: "file is not a database"
        case 100: "another row available"
        case 101: "no more rows available"
        default: "unknown error"
        }
    }

    package var description: String { "\(rawValue) (\(errorString))" }
}

/// An error with an SQLite result code, a message, and the SQL it concerns when there is one
/// (GRDB's `DatabaseError`).
package struct DatabaseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The extended result code; `resultCode.primary` is the primary one.
    package var resultCode: ResultCode
    package var message: String
    package var sql: String?
    /// The byte offset in the SQL text of the token the error is about (sqlite3_error_offset).
    package var offset: Int?

    package init(_ resultCode: ResultCode, _ message: String? = nil, sql: String? = nil, offset: Int? = nil) {
        self.resultCode = resultCode
        self.message = message ?? resultCode.errorString
        self.sql = sql
        self.offset = offset
    }

    package var description: String {
        var text = "SQLite error \(resultCode.rawValue): \(message)"
        if let sql { text += " - while executing `\(sql)`" }
        return text
    }

    /// SQLITE_CORRUPT naming the page, for anything read from disk that does not hold together.
    package static func corrupt(page: UInt32? = nil, _ detail: String) -> DatabaseError {
        let location = page.map { "page \($0): " } ?? ""
        return DatabaseError(.SQLITE_CORRUPT, "database disk image is malformed (\(location)\(detail))")
    }

    /// An IO failure with the errno that caused it.
    package static func io(_ code: ResultCode, _ errno: Errno, _ what: String) -> DatabaseError {
        if errno == .noSpace || errno == .quotaExceeded {
            return DatabaseError(.SQLITE_FULL, "database or disk is full (\(what): \(errno))")
        }
        return DatabaseError(code, "disk I/O error (\(what): \(errno))")
    }
}
