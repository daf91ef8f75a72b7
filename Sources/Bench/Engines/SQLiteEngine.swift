import CSQLite

/// SQLite through libsqlite3, set up as Ringlite is: WAL, the same synchronous mode, cache size
/// (in pages) and page size, automatic checkpoints at 1000 frames unless turned off.
final class SQLiteConnection: BenchConnection {
    private var handle: OpaquePointer?
    private var insertStatement: OpaquePointer?
    private var replaceStatement: OpaquePointer?
    private var readStatement: OpaquePointer?
    private var updateStatement: OpaquePointer?
    private var deleteStatement: OpaquePointer?
    private var scanStatement: OpaquePointer?
    private var beginStatement: OpaquePointer?
    private var commitStatement: OpaquePointer?

    init(path: String, config: EngineConfig) throws {
        // One connection per thread (NOMUTEX), as Ringlite's connections are.
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(handle)
            handle = nil
            throw BenchError("sqlite3_open_v2(\(path)): \(message)")
        }
        sqlite3_busy_timeout(handle, 5000)
        do {
            try execute("PRAGMA page_size = \(config.pageSize)")
            let mode = try scalarText("PRAGMA journal_mode = WAL")
            guard mode.lowercased() == "wal" else { throw BenchError("SQLite refused WAL mode (journal_mode is \(mode))") }
            try execute("PRAGMA synchronous = \(config.sync.rawValue.uppercased())")
            try execute("PRAGMA cache_size = \(config.cachePages)")
            try execute("PRAGMA wal_autocheckpoint = \(config.autoCheckpoint ? 1000 : 0)")
        } catch {
            close()
            throw error
        }
    }

    private var errorMessage: String {
        handle.map { String(cString: sqlite3_errmsg($0)) } ?? "connection closed"
    }

    private func check(_ code: Int32, _ what: @autoclosure () -> String) throws {
        guard code == SQLITE_OK else { throw BenchError("\(what()): \(errorMessage) (\(code))") }
    }

    private func execute(_ sql: String) throws {
        try check(sqlite3_exec(handle, sql, nil, nil, nil), sql)
    }

    private func scalarText(_ sql: String) throws -> String {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v2(handle, sql, -1, &statement, nil), sql)
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW, let text = sqlite3_column_text(statement, 0) else {
            throw BenchError("\(sql): no row: \(errorMessage)")
        }
        return String(cString: text)
    }

    private func prepared(_ slot: inout OpaquePointer?, _ sql: String) throws -> OpaquePointer {
        if let statement = slot { return statement }
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v2(handle, sql, -1, &statement, nil), sql)
        slot = statement
        return statement!
    }

    /// Steps a statement that returns no rows to its end and resets it.
    private func run(_ statement: OpaquePointer, _ sql: String) throws {
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else { throw BenchError("\(sql): \(errorMessage) (\(code))") }
    }

    /// Binds a key and a value and runs. The value is bound SQLITE_STATIC: the array is alive and
    /// unchanged until the statement has run and been reset, so SQLite need not copy it (as
    /// Ringlite binds the array without copying).
    private func runKeyValue(_ statement: OpaquePointer, _ sql: String, key: Int64, keyIndex: Int32,
                             value: [UInt8], valueIndex: Int32) throws {
        try check(sqlite3_bind_int64(statement, keyIndex, key), sql)
        try value.withUnsafeBytes { bytes in
            try check(sqlite3_bind_blob(statement, valueIndex, bytes.baseAddress, Int32(bytes.count), nil), sql)
            defer { sqlite3_clear_bindings(statement) }
            try run(statement, sql)
        }
    }

    func createTable() throws {
        try execute(BenchSQL.createTable)
    }

    func begin() throws {
        try run(prepared(&beginStatement, BenchSQL.begin), BenchSQL.begin)
    }

    func commit() throws {
        try run(prepared(&commitStatement, BenchSQL.commit), BenchSQL.commit)
    }

    func insert(key: Int64, value: [UInt8]) throws {
        try runKeyValue(prepared(&insertStatement, BenchSQL.insert), BenchSQL.insert, key: key, keyIndex: 1, value: value, valueIndex: 2)
    }

    func replace(key: Int64, value: [UInt8]) throws {
        try runKeyValue(prepared(&replaceStatement, BenchSQL.replace), BenchSQL.replace, key: key, keyIndex: 1, value: value, valueIndex: 2)
    }

    func read(key: Int64) throws -> Int? {
        let statement = try prepared(&readStatement, BenchSQL.read)
        defer { sqlite3_reset(statement) }
        try check(sqlite3_bind_int64(statement, 1, key), BenchSQL.read)
        switch sqlite3_step(statement) {
        case SQLITE_ROW:
            _ = sqlite3_column_blob(statement, 0)
            return Int(sqlite3_column_bytes(statement, 0))
        case SQLITE_DONE:
            return nil
        case let code:
            throw BenchError("\(BenchSQL.read): \(errorMessage) (\(code))")
        }
    }

    func update(key: Int64, value: [UInt8]) throws -> Int64 {
        try runKeyValue(prepared(&updateStatement, BenchSQL.update), BenchSQL.update, key: key, keyIndex: 2, value: value, valueIndex: 1)
        return sqlite3_changes64(handle)
    }

    func delete(key: Int64) throws -> Int64 {
        let statement = try prepared(&deleteStatement, BenchSQL.delete)
        try check(sqlite3_bind_int64(statement, 1, key), BenchSQL.delete)
        try run(statement, BenchSQL.delete)
        return sqlite3_changes64(handle)
    }

    func startScan() throws {
        sqlite3_reset(try prepared(&scanStatement, BenchSQL.scan))
    }

    func nextScanRow() throws -> Int? {
        let statement = try prepared(&scanStatement, BenchSQL.scan)
        switch sqlite3_step(statement) {
        case SQLITE_ROW:
            _ = sqlite3_column_blob(statement, 1)
            return Int(sqlite3_column_bytes(statement, 1))
        case SQLITE_DONE:
            sqlite3_reset(statement)
            return nil
        case let code:
            sqlite3_reset(statement)
            throw BenchError("\(BenchSQL.scan): \(errorMessage) (\(code))")
        }
    }

    func aggregate() throws -> (count: Int64, bytes: Int64) {
        var statement: OpaquePointer?
        try check(sqlite3_prepare_v2(handle, BenchSQL.aggregate, -1, &statement, nil), BenchSQL.aggregate)
        defer { sqlite3_finalize(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { throw BenchError("\(BenchSQL.aggregate): \(errorMessage)") }
        return (sqlite3_column_int64(statement, 0), sqlite3_column_int64(statement, 1))
    }

    func checkpoint() throws {
        var logFrames: Int32 = 0, checkpointed: Int32 = 0
        let code = sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_TRUNCATE, &logFrames, &checkpointed)
        if code == SQLITE_BUSY { throw BenchError("checkpoint was blocked (busy)") }
        try check(code, "sqlite3_wal_checkpoint_v2")
    }

    func close() {
        for statement in [insertStatement, replaceStatement, readStatement, updateStatement, deleteStatement,
                          scanStatement, beginStatement, commitStatement] {
            sqlite3_finalize(statement)
        }
        insertStatement = nil; replaceStatement = nil; readStatement = nil; updateStatement = nil
        deleteStatement = nil; scanStatement = nil; beginStatement = nil; commitStatement = nil
        sqlite3_close_v2(handle)
        handle = nil
    }

    deinit { if handle != nil { close() } }
}
