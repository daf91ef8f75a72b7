import BTree
import CSQLite
import Foundation

/// What running SQL produced: the rows of every statement in it, in order, or the first error's
/// message (the work of the statements before it stays, as with sqlite3_exec).
enum Outcome: Equatable, CustomStringConvertible {
    case rows([[Value]])
    case error(String)

    var description: String {
        switch self {
        case .rows(let rows):
            return rows.isEmpty ? "(no rows)" : rows.map { $0.map(Outcome.render).joined(separator: "|") }.joined(separator: "\n")
        case .error(let message):
            return "error: \(message)"
        }
    }

    /// A value as sqlite3's list mode shows it, with its storage class where the text alone
    /// would hide it.
    static func render(_ value: Value) -> String {
        switch value {
        case .null: "NULL"
        case .integer(let i): String(i)
        case .real(let r): String(format: "%.17g", r) + "r"
        case .text(let bytes): "'" + String(decoding: bytes, as: UTF8.self) + "'"
        case .blob(let bytes): "x'" + bytes.map { String(format: "%02x", $0) }.joined() + "'"
        }
    }

    /// The same rows in a canonical order, for statements whose row order SQL leaves open.
    var sorted: Outcome {
        guard case .rows(let rows) = self else { return self }
        return .rows(rows.sorted { $0.map(Outcome.render).joined(separator: "|") < $1.map(Outcome.render).joined(separator: "|") })
    }
}

/// sqlite3 (libsqlite3, 3.40.1) on a database file: the oracle every conformance case is
/// checked against.
final class SQLiteOracle {
    private var handle: OpaquePointer?

    init(path: String) throws {
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            throw OracleError(message: "sqlite3 cannot open \(path): \(message)")
        }
    }

    deinit { close() }

    func close() {
        sqlite3_close_v2(handle)
        handle = nil
    }

    /// Runs every statement of `sql`, collecting their rows.
    func run(_ sql: String) -> Outcome {
        var rows: [[Value]] = []
        let bytes = Array(sql.utf8CString)
        return bytes.withUnsafeBufferPointer { buffer -> Outcome in
            var tail: UnsafePointer<CChar>? = buffer.baseAddress
            while let start = tail, start.pointee != 0 {
                var statement: OpaquePointer?
                guard sqlite3_prepare_v2(handle, start, -1, &statement, &tail) == SQLITE_OK else {
                    return .error(String(cString: sqlite3_errmsg(handle)))
                }
                guard let statement else { continue }
                defer { sqlite3_finalize(statement) }
                while true {
                    let code = sqlite3_step(statement)
                    if code == SQLITE_DONE { break }
                    guard code == SQLITE_ROW else { return .error(String(cString: sqlite3_errmsg(handle))) }
                    rows.append((0..<sqlite3_column_count(statement)).map { Self.value(statement, $0) })
                }
            }
            return .rows(rows)
        }
    }

    /// Runs SQL that must succeed (set-up, checks).
    @discardableResult
    func execute(_ sql: String) throws -> [[Value]] {
        switch run(sql) {
        case .rows(let rows): return rows
        case .error(let message): throw OracleError(message: "sqlite3: \(message) in \(sql)")
        }
    }

    private static func value(_ statement: OpaquePointer, _ column: Int32) -> Value {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard let text = sqlite3_column_text(statement, column) else { return .text([]) }
            return .text(Array(UnsafeBufferPointer(start: text, count: count)))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let blob = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: blob, count: count)))
        default: return .null
        }
    }
}

struct OracleError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
