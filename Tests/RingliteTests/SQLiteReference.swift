import CSQLite
import Ringlite

/// libsqlite3 (3.40.1) through CSQLite, for the API and bad-input tests: what sqlite3 makes of
/// the same SQL on the same database.
final class SQLiteReference {
    private var handle: OpaquePointer?

    /// What running one statement produced: its rows, or its error message.
    enum Outcome: Equatable, CustomStringConvertible {
        case rows([[DatabaseValue]])
        case error(String)

        var description: String {
            switch self {
            case .rows(let rows): rows.map { $0.map(\.description).joined(separator: "|") }.joined(separator: "\n")
            case .error(let message): "error: \(message)"
            }
        }

        var isError: Bool {
            if case .error = self { return true }
            return false
        }
    }

    init(path: String = ":memory:") {
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        precondition(code == SQLITE_OK, "sqlite3 cannot open \(path)")
    }

    deinit { sqlite3_close_v2(handle) }

    func execute(_ sql: String) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        precondition(code == SQLITE_OK, "sqlite3 failed on \(sql): \(String(cString: sqlite3_errmsg(handle)))")
    }

    /// The result columns' names and declared types of the one statement in `sql`.
    func columns(_ sql: String) -> (names: [String], declaredTypes: [String?]) {
        var statement: OpaquePointer?
        precondition(sqlite3_prepare_v2(handle, sql, -1, &statement, nil) == SQLITE_OK, String(cString: sqlite3_errmsg(handle)))
        defer { sqlite3_finalize(statement) }
        let count = sqlite3_column_count(statement)
        return ((0..<count).map { String(cString: sqlite3_column_name(statement, $0)) },
                (0..<count).map { sqlite3_column_decltype(statement, $0).map { String(cString: $0) } })
    }

    /// Runs the first statement of `sql` (the rest is ignored), reading at most `rowLimit`
    /// rows; a statement still running after about 50 million VM instructions is interrupted.
    func run(_ sql: String, rowLimit: Int = 1000) -> Outcome {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK else { return .error(String(cString: sqlite3_errmsg(handle))) }
        guard let statement else { return .error("no statement") }
        defer { sqlite3_finalize(statement) }
        let counter = UnsafeMutablePointer<Int32>.allocate(capacity: 1)
        counter.initialize(to: 0)
        defer { counter.deallocate() }
        sqlite3_progress_handler(handle, 1000, { context in
            let counter = context!.assumingMemoryBound(to: Int32.self)
            counter.pointee += 1
            return counter.pointee > 50_000 ? 1 : 0
        }, counter)
        defer { sqlite3_progress_handler(handle, 0, nil, nil) }
        var rows: [[DatabaseValue]] = []
        while rows.count < rowLimit {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else { return .error(String(cString: sqlite3_errmsg(handle))) }
            rows.append((0..<sqlite3_column_count(statement)).map { Self.value(statement, $0) })
        }
        return .rows(rows)
    }

    static func value(_ statement: OpaquePointer, _ column: Int32) -> DatabaseValue {
        switch sqlite3_column_type(statement, column) {
        case SQLITE_INTEGER: return .integer(sqlite3_column_int64(statement, column))
        case SQLITE_FLOAT: return .real(sqlite3_column_double(statement, column))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, column))
            let bytes = sqlite3_column_text(statement, column).map { Array(UnsafeBufferPointer(start: $0, count: count)) } ?? []
            return .text(String(decoding: bytes, as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, column))
            guard count > 0, let pointer = sqlite3_column_blob(statement, column) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: pointer, count: count)))
        default: return .null
        }
    }
}
