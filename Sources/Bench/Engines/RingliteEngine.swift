import Ringlite

/// Ringlite through its public API: `Database.Options` carries the settings (no PRAGMAs), and
/// each statement is a reused `Statement` (bind, step, typed column reads without copies).
final class RingliteConnection: BenchConnection {
    private var database: Database?
    private var connection: Connection?
    private var insertStatement: Statement?
    private var replaceStatement: Statement?
    private var readStatement: Statement?
    private var updateStatement: Statement?
    private var deleteStatement: Statement?
    private var scanStatement: Statement?
    private var beginStatement: Statement?
    private var commitStatement: Statement?

    init(path: String, config: EngineConfig, backend: Database.Options.IOBackend) throws {
        var options = Database.Options()
        options.ioBackend = backend
        options.synchronous = switch config.sync {
        case .full: .full
        case .normal: .normal
        case .off: .off
        }
        options.journalMode = .wal
        options.directIO = config.direct
        options.cacheSize = config.cachePages
        options.pageSize = config.pageSize
        options.autoCheckpointFrames = config.autoCheckpoint ? 1000 : 0
        let database = try Database(path: path, options: options)
        // ringlite-uring must measure io_uring: a silent fallback to syscalls would report the
        // syscall path under the io_uring name.
        if backend == .uring, let reason = database.ioFallbackReason {
            throw BenchError("io_uring is unavailable, Ringlite would use syscalls: \(reason)")
        }
        self.database = database
        connection = try database.connection()
    }

    private func prepared(_ slot: inout Statement?, _ sql: String) throws -> Statement {
        if let statement = slot { return statement }
        guard let connection else { throw BenchError("connection used after close") }
        let statement = try connection.prepare(sql)
        slot = statement
        return statement
    }

    func createTable() throws {
        guard let connection else { throw BenchError("connection used after close") }
        try connection.execute(BenchSQL.createTable)
    }

    func begin() throws {
        try prepared(&beginStatement, BenchSQL.begin).run()
    }

    func commit() throws {
        try prepared(&commitStatement, BenchSQL.commit).run()
    }

    func insert(key: Int64, value: [UInt8]) throws {
        let statement = try prepared(&insertStatement, BenchSQL.insert)
        try statement.bind(key, at: 1)
        try statement.bind(value, at: 2)
        try statement.run()
    }

    func replace(key: Int64, value: [UInt8]) throws {
        let statement = try prepared(&replaceStatement, BenchSQL.replace)
        try statement.bind(key, at: 1)
        try statement.bind(value, at: 2)
        try statement.run()
    }

    func read(key: Int64) throws -> Int? {
        let statement = try prepared(&readStatement, BenchSQL.read)
        defer { statement.reset() }
        try statement.bind(key, at: 1)
        guard try statement.step() else { return nil }
        return statement.withText(at: 0) { $0?.count ?? 0 }
    }

    func update(key: Int64, value: [UInt8]) throws -> Int64 {
        let statement = try prepared(&updateStatement, BenchSQL.update)
        try statement.bind(value, at: 1)
        try statement.bind(key, at: 2)
        return try statement.run()
    }

    func delete(key: Int64) throws -> Int64 {
        let statement = try prepared(&deleteStatement, BenchSQL.delete)
        try statement.bind(key, at: 1)
        return try statement.run()
    }

    func startScan() throws {
        try prepared(&scanStatement, BenchSQL.scan).reset()
    }

    func nextScanRow() throws -> Int? {
        let statement = try prepared(&scanStatement, BenchSQL.scan)
        guard try statement.step() else { return nil }
        return statement.withText(at: 1) { $0?.count ?? 0 }
    }

    func aggregate() throws -> (count: Int64, bytes: Int64) {
        guard let connection else { throw BenchError("connection used after close") }
        let statement = try connection.prepare(BenchSQL.aggregate)
        guard try statement.step() else { throw BenchError("\(BenchSQL.aggregate) returned no row") }
        return (statement.int64(at: 0), statement.int64(at: 1))
    }

    func checkpoint() throws {
        guard let connection else { throw BenchError("connection used after close") }
        let result = try connection.checkpoint(.truncate)
        if result.busy { throw BenchError("checkpoint was blocked (busy)") }
    }

    func close() {
        // Statements hold the connection, the connection holds the database: release in that
        // order so the last `Database` checkpoints and removes the log as sqlite3_close does.
        insertStatement = nil; replaceStatement = nil; readStatement = nil; updateStatement = nil
        deleteStatement = nil; scanStatement = nil; beginStatement = nil; commitStatement = nil
        connection = nil
        database = nil
    }
}
