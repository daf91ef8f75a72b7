import CSQLite
import Ringlite

/// One libsqlite3 connection (through CSQLite): the oracle the simulator and the query fuzzer
/// hold Ringlite's answers against.
final class SQLiteHandle {
    private var handle: OpaquePointer?
    let path: String

    /// Opens (or creates) `path`; `busy_timeout` stays 0, as on Ringlite's side, so a lock
    /// conflict is reported at once by both engines.
    init(path: String) {
        self.path = path
        let code = sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil)
        precondition(code == SQLITE_OK, "sqlite3 cannot open \(path): \(code)")
    }

    deinit { close() }

    func close() {
        if let handle { sqlite3_close_v2(handle) }
        handle = nil
    }

    /// True outside BEGIN ... COMMIT (sqlite3_get_autocommit).
    var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    /// Runs every statement of `sql`; the oracle's own set-up must not fail.
    func execute(_ sql: String) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        precondition(code == SQLITE_OK, "sqlite3 failed on \(sql): \(String(cString: sqlite3_errmsg(handle)))")
    }

    /// Runs the one statement in `sql`, reading every row; a statement still running after about
    /// `instructionLimit` VM instructions is interrupted (an endless query is the fuzzer's own
    /// fault, not a finding).
    func run(_ sql: String, instructionLimit: Int32 = 20_000_000) -> Outcome {
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v2(handle, sql, -1, &statement, nil)
        guard code == SQLITE_OK else {
            return .error(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
        }
        guard let statement else { return .rows([]) }
        defer { sqlite3_finalize(statement) }
        let counter = UnsafeMutablePointer<Int32>.allocate(capacity: 2)
        counter[0] = 0
        counter[1] = instructionLimit / 1000
        defer { counter.deallocate() }
        sqlite3_progress_handler(handle, 1000, { context in
            let counter = context!.assumingMemoryBound(to: Int32.self)
            counter[0] += 1
            return counter[0] > counter[1] ? 1 : 0
        }, counter)
        defer { sqlite3_progress_handler(handle, 0, nil, nil) }
        var rows: [[DatabaseValue]] = []
        while true {
            let step = sqlite3_step(statement)
            if step == SQLITE_DONE { break }
            guard step == SQLITE_ROW else {
                return .error(code: sqlite3_extended_errcode(handle), message: String(cString: sqlite3_errmsg(handle)))
            }
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
