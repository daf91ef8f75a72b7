import BTree
import Pager
import SQL
import VM

/// A connection to a ``Database``: runs SQL, one statement at a time, in its own transactions.
///
/// **Threads.** A connection, and the statements and cursors made from it, are used by one
/// thread at a time: they are not `Sendable`, so the compiler keeps them where they were made
/// (or lets them be handed over, `sending`, never shared). For work on several threads, share
/// the `Database` (which is `Sendable`) and make one connection per thread or task. The one
/// member meant for other threads is ``interruptHandle``. Readers see a snapshot fixed at
/// their transaction's first read; one connection writes at a time, and the others wait up to
/// the database's busy timeout (``Database/Options/busyTimeout``), then fail with `.busy`.
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
    /// The database this connection belongs to (kept alive by it).
    ///
    /// ```swift
    /// print(connection.database.path)
    /// ```
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
    ///
    /// ```swift
    /// try connection.execute("CREATE TABLE t(a); INSERT INTO t VALUES (1), (2);")
    /// ```
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
    ///
    /// ```swift
    /// try connection.execute("INSERT INTO t(a, b) VALUES (?, ?)", arguments: [1, "one"])
    /// ```
    public func execute(_ sql: String, arguments: [(any DatabaseValueConvertible)?]) throws(DatabaseError) {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        while try statement.step() {}
    }

    /// Prepares the one statement in `sql` (a trailing semicolon and comments are allowed).
    ///
    /// ```swift
    /// let statement = try connection.prepare("SELECT b FROM t WHERE a = ?")
    /// ```
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

    /// Runs a query and returns its rows, in order, as an array (a `Sequence` of ``Row``).
    /// For results too large to hold at once, ``cursor(_:arguments:)`` reads them one at a time.
    ///
    /// ```swift
    /// for row in try connection.query("SELECT a, b FROM t WHERE a > ?", arguments: [1]) {
    ///     print(row["a"]!, row["b"]!)
    /// }
    /// ```
    public func query(_ sql: String, arguments: [(any DatabaseValueConvertible)?] = []) throws(DatabaseError) -> [Row] {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        var rows: [Row] = []
        while try statement.step() { rows.append(statement.row) }
        return rows
    }

    /// Prepares a query and returns a cursor over its rows, stepped as they are asked for.
    ///
    /// ```swift
    /// let cursor = try connection.cursor("SELECT a FROM t ORDER BY a")
    /// while let row = try cursor.next() { print(row[0]) }
    /// ```
    public func cursor(_ sql: String, arguments: [(any DatabaseValueConvertible)?] = []) throws(DatabaseError) -> RowCursor {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        return statement.rows()
    }

    /// Runs a query and returns the first column of its first row (nil without rows).
    ///
    /// ```swift
    /// let count = try connection.scalar("SELECT count(*) FROM t")   // .integer(2)
    /// ```
    public func scalar(_ sql: String, arguments: [(any DatabaseValueConvertible)?] = []) throws(DatabaseError) -> DatabaseValue? {
        let statement = try prepare(sql)
        try statement.bind(arguments)
        guard try statement.step() else { return nil }
        return statement.value(at: 0)
    }

    // MARK: State

    /// Rows changed by the most recent INSERT, UPDATE or DELETE (sqlite3_changes64).
    ///
    /// ```swift
    /// try connection.execute("UPDATE t SET b = 'x'")
    /// print(connection.changes)
    /// ```
    public var changes: Int64 { session.state.changes }
    /// Rows changed by every INSERT, UPDATE and DELETE of this connection (sqlite3_total_changes64).
    ///
    /// ```swift
    /// print(connection.totalChanges)
    /// ```
    public var totalChanges: Int64 { session.state.totalChanges }
    /// The rowid of the most recent successful INSERT into a rowid table.
    ///
    /// ```swift
    /// try connection.execute("INSERT INTO t(b) VALUES ('x')")
    /// let id = connection.lastInsertRowid
    /// ```
    public var lastInsertRowid: Int64 { session.state.lastInsertRowid }
    /// True inside BEGIN ... COMMIT.
    ///
    /// ```swift
    /// try connection.execute("BEGIN")
    /// connection.isInTransaction   // true
    /// ```
    public var isInTransaction: Bool { session.state.inTransaction }

    /// A handle that makes this connection's running statement stop with SQLITE_INTERRUPT
    /// (sqlite3_interrupt). The handle is `Sendable`: take it here, call it from any thread.
    ///
    /// ```swift
    /// let handle = connection.interruptHandle
    /// Thread.detachNewThread { sleep(1); handle.interrupt() }
    /// ```
    public var interruptHandle: InterruptHandle { InterruptHandle(flag: session.state.interrupt) }

    // MARK: Transactions

    /// How a transaction starts (BEGIN DEFERRED, IMMEDIATE or EXCLUSIVE).
    ///
    /// ```swift
    /// try connection.transaction(.immediate) { _ in ... }
    /// ```
    public enum TransactionKind: String, Sendable {
        /// Takes locks when first needed: a read lock at the first read, the writer lock at the
        /// first write.
        case deferred = "DEFERRED"
        /// Takes the writer lock at once (waiting up to the busy timeout).
        case immediate = "IMMEDIATE"
        /// As immediate (in WAL mode SQLite treats them alike).
        case exclusive = "EXCLUSIVE"
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

    /// What a checkpoint waits for (SQLite's checkpoint modes).
    ///
    /// ```swift
    /// try connection.checkpoint(.truncate)
    /// ```
    public enum CheckpointMode: String, Sendable, CaseIterable {
        /// Copies what it can without waiting for readers or writers.
        case passive
        /// Waits for the writer, then copies every frame.
        case full
        /// As full, then waits for readers so the next writer starts the log from its beginning.
        case restart
        /// As restart, then truncates the log file to zero bytes.
        case truncate
    }

    /// What a checkpoint did (the row of PRAGMA wal_checkpoint).
    ///
    /// ```swift
    /// let result = try connection.checkpoint()
    /// print(result.logFrames, result.checkpointedFrames)
    /// ```
    public struct CheckpointResult: Sendable, Equatable {
        /// It could not do everything its mode asks: a reader or writer stayed in the way.
        public var busy: Bool
        /// Frames in the log (-1 outside WAL mode).
        public var logFrames: Int
        /// Frames of the log now in the database file (-1 outside WAL mode).
        public var checkpointedFrames: Int
    }

    /// Copies committed pages from the write-ahead log into the database file.
    ///
    /// ```swift
    /// let result = try connection.checkpoint(.full)
    /// ```
    public func checkpoint(_ mode: CheckpointMode = .passive) throws(DatabaseError) -> CheckpointResult {
        do {
            let result = try session.state.pager.checkpoint(EngineCheckpointMode(rawValue: mode.rawValue)!)
            return CheckpointResult(busy: result.busy, logFrames: result.logFrames, checkpointedFrames: result.checkpointedFrames)
        } catch {
            throw DatabaseError(error)
        }
    }
}

@available(*, unavailable, message: "a Connection is used by one thread at a time; share the Database and make a connection per thread")
extension Connection: Sendable {}

/// Interrupts a connection's running statement from another thread (sqlite3_interrupt).
///
/// ```swift
/// let handle = connection.interruptHandle
/// DispatchQueue.global().asyncAfter(deadline: .now() + 1) { handle.interrupt() }
/// ```
public struct InterruptHandle: Sendable {
    let flag: InterruptFlag

    /// Makes the statement running on the connection, if any, stop with `.interrupt`.
    ///
    /// ```swift
    /// handle.interrupt()
    /// ```
    public func interrupt() { flag.set() }
}
