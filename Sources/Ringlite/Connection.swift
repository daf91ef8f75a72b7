import BTree
import Pager
import SQL
import VM

/// A connection to a ``Database``: runs SQL, one statement at a time, in its own transactions.
///
/// A connection belongs to the thread (or task) that made it; make one per thread from the
/// shared `Database`. Readers see a snapshot fixed at their transaction's first read; one
/// connection writes at a time, and the others wait up to the busy timeout.
///
/// ```swift
/// let connection = try database.connection()
/// try connection.execute("CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT)")
/// try connection.execute("INSERT INTO t(b) VALUES (?)", arguments: ["hello"])
/// for row in try connection.query("SELECT a, b FROM t") {
///     print(row[0], row["b"])
/// }
/// ```
public final class Connection {
    public let database: Database
    let session: SQLConnection

    init(database: Database) throws(DatabaseError) {
        self.database = database
        do {
            session = try SQLConnection(shared: database.shared)
        } catch {
            throw DatabaseError(error)
        }
    }

    // MARK: Running SQL

    /// Runs every statement of `sql` in order, discarding any rows; stops at the first error
    /// (what earlier statements did stays, as with sqlite3_exec).
    public func execute(_ sql: String) throws(DatabaseError) {
        var offset = 0
        let length = sql.utf8.count
        while offset < length {
            let prepared: PreparedStatement?
            do {
                let result = try session.prepare(sql, at: offset)
                prepared = result.statement
                offset = result.next
            } catch {
                throw DatabaseError(error)
            }
            guard let prepared else { return }
            let statement = Statement(prepared, connection: self)
            while try statement.step() {}
        }
    }

    /// Runs one statement with its parameters bound in order, discarding any rows.
    public func execute(_ sql: String, arguments: [(any DatabaseValueConvertible)?]) throws(DatabaseError) {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// Prepares the one statement in `sql` (a trailing semicolon and comments are allowed).
    ///
    /// - Throws: ``DatabaseError`` for a syntax error, a statement that names what does not
    ///   exist, or text holding more than one statement.
    public func prepare(_ sql: String) throws(DatabaseError) -> Statement {
        do {
            let (prepared, next) = try session.prepare(sql)
            guard let prepared else {
                throw DatabaseError(resultCode: .misuse, message: "no statement in the SQL text", sql: sql)
            }
            if let (extra, _) = try? session.prepare(sql, at: next), extra != nil {
                throw DatabaseError(resultCode: .misuse, message: "more than one statement in the SQL text (use execute(_:) to run several)", sql: sql)
            }
            return Statement(prepared, connection: self)
        } catch let error as EngineError {
            throw DatabaseError(error)
        } catch let error as DatabaseError {
            throw error
        } catch {
            preconditionFailure("prepare threw \(error)")
        }
    }

    /// Prepares the first statement at or after UTF-8 byte `offset` of `sql`, as
    /// sqlite3_prepare_v2 does with its tail: returns nil when only white space, comments and
    /// semicolons remain, and the offset where the next statement starts.
    ///
    /// ```swift
    /// var offset = 0
    /// while case let (statement?, next) = try connection.prepareFirst(script, at: offset) {
    ///     while try statement.step() { print(statement.row) }
    ///     offset = next
    /// }
    /// ```
    public func prepareFirst(_ sql: String, at offset: Int) throws(DatabaseError) -> (statement: Statement?, next: Int) {
        do {
            let (prepared, next) = try session.prepare(sql, at: offset)
            return (prepared.map { Statement($0, connection: self) }, next)
        } catch {
            throw DatabaseError(error)
        }
    }

    /// Runs a query and returns all its rows.
    public func query(_ sql: String, arguments: [(any DatabaseValueConvertible)?] = []) throws(DatabaseError) -> [Row] {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var rows: [Row] = []
        while try statement.step() { rows.append(statement.row) }
        return rows
    }

    /// Runs a query and returns the first column of its first row (nil without rows).
    public func scalar(_ sql: String, arguments: [(any DatabaseValueConvertible)?] = []) throws(DatabaseError) -> DatabaseValue? {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        return statement.value(at: 0)
    }

    // MARK: State

    /// Rows changed by the most recent INSERT, UPDATE or DELETE (sqlite3_changes64).
    public var changes: Int64 { session.state.changes }
    /// Rows changed by every INSERT, UPDATE and DELETE of this connection (sqlite3_total_changes64).
    public var totalChanges: Int64 { session.state.totalChanges }
    /// The rowid of the most recent successful INSERT into a rowid table.
    public var lastInsertRowid: Int64 { session.state.lastInsertRowid }
    /// True inside BEGIN ... COMMIT.
    public var isInTransaction: Bool { session.state.inTransaction }

    /// Makes the running statement (on this connection's thread) stop with SQLITE_INTERRUPT.
    /// Safe to call from any thread through ``interruptHandle``.
    public var interruptHandle: InterruptHandle { InterruptHandle(flag: session.state.interrupt) }

    // MARK: Transactions

    public enum TransactionKind: String, Sendable {
        case deferred = "DEFERRED", immediate = "IMMEDIATE", exclusive = "EXCLUSIVE"
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws.
    ///
    /// ```swift
    /// try connection.transaction { connection in
    ///     try connection.execute("INSERT INTO t(b) VALUES ('x')")
    /// }
    /// ```
    public func transaction<R>(_ kind: TransactionKind = .deferred, _ body: (Connection) throws -> R) throws -> R {
        try execute("BEGIN \(kind.rawValue)")
        let result: R
        do {
            result = try body(self)
        } catch {
            if isInTransaction { try? execute("ROLLBACK") }
            throw error
        }
        try execute("COMMIT")
        return result
    }

    // MARK: Checkpoints

    public enum CheckpointMode: String, Sendable, CaseIterable {
        case passive, full, restart, truncate
    }

    /// What a checkpoint did (the row of PRAGMA wal_checkpoint).
    public struct CheckpointResult: Sendable, Equatable {
        /// It could not do everything its mode asks: a reader or writer stayed in the way.
        public var busy: Bool
        /// Frames in the log (-1 outside WAL mode).
        public var logFrames: Int
        /// Frames of the log now in the database file (-1 outside WAL mode).
        public var checkpointedFrames: Int
    }

    /// Copies committed pages from the write-ahead log into the database file.
    public func checkpoint(_ mode: CheckpointMode = .passive) throws(DatabaseError) -> CheckpointResult {
        do {
            let result = try session.state.pager.checkpoint(EngineCheckpointMode(rawValue: mode.rawValue)!)
            return CheckpointResult(busy: result.busy, logFrames: result.logFrames, checkpointedFrames: result.checkpointedFrames)
        } catch {
            throw DatabaseError(error)
        }
    }
}

@available(*, unavailable)
extension Connection: Sendable {}

/// Interrupts a connection's running statement from another thread (sqlite3_interrupt).
public struct InterruptHandle: Sendable {
    let flag: InterruptFlag

    public func interrupt() { flag.set() }
}
