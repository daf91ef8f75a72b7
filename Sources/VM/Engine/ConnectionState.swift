import BTree
import Pager
import Synchronization

/// What one connection keeps across the statements it runs (the VM's half of SQLite's sqlite3
/// object): the main database's pager and trees, the transaction state (autocommit, SQL
/// savepoints), the change counters, the function registry, the interrupt flag and the hooks
/// through which the VM asks the layers above for things it cannot do itself. Confined to one
/// thread; only `interrupt` may be touched from others.
package final class ConnectionState {
    package let pager: Pager
    package let store: TreeStore
    package var functions: FunctionRegistry = .builtin

    /// False inside BEGIN ... COMMIT (or a SAVEPOINT that started a transaction).
    package internal(set) var autocommit = true
    /// SQL savepoints, outermost first.
    package internal(set) var savepoints: [SQLSavepoint] = []

    /// changes(): rows changed by the last finished INSERT, UPDATE or DELETE.
    package internal(set) var changes: Int64 = 0
    /// total_changes().
    package internal(set) var totalChanges: Int64 = 0
    /// last_insert_rowid().
    package var lastInsertRowid: Int64 = 0

    /// Set from any thread to make running statements stop with SQLITE_INTERRUPT.
    package let interrupt = InterruptFlag()
    /// Called when a write transaction cannot start because another connection writes (after the
    /// pager's own busy timeout) with the number of retries so far; true retries.
    package var busyHandler: ((Int) -> Bool)?

    /// Called for ParseSchema, DropTable/DropIndex/DropTrigger and Expire: the schema the code
    /// generator compiled against has changed.
    package var schemaHook: ((SchemaChange) throws(DatabaseError) -> Void)?
    /// The open write transaction changed the schema (sqlite3's DBFLAG_SchemaChange): when it
    /// rolls back, the schema read inside it is wrong and must be read again. Its cookie is one
    /// another connection's next schema change may reach, so the cookie check alone cannot tell.
    var transactionChangedSchema = false
    /// Runs PRAGMA integrity_check's analysis for IntegrityCk: the trees to check (root pages),
    /// the most errors to report and whether only quick_check's checks are wanted; returns the
    /// report's rows when something is wrong (at most that many errors), nothing otherwise.
    package var integrityCheckHook: ((TreeStore, [UInt32], Int, Bool) throws(DatabaseError) -> [String])?
    /// Runs VACUUM for the Vacuum opcode, inside the transaction the VM began for it (a write
    /// transaction; a read transaction for VACUUM INTO, whose file name it is given).
    package var vacuumHook: ((_ into: String?) throws(DatabaseError) -> Void)?

    /// SQLITE_LIMIT_LENGTH.
    package var lengthLimit = TextFunctions.defaultLengthLimit

    /// Statements that have started and not yet halted or been reset, in start order.
    var activeMachines: [Unmanaged<VirtualMachine>] = []
    /// The private in-memory database holding ephemeral tables and indexes, made on first use.
    var ephemeralDatabase: EphemeralDatabase?

    package init(pager: Pager, store: TreeStore) {
        self.pager = pager
        self.store = store
    }

    /// Opens the connection's view of a database.
    package convenience init(shared: PagerShared) throws(DatabaseError) {
        let pager = Pager(shared: shared)
        self.init(pager: pager, store: try TreeStore(pager: pager))
    }

    /// The number of statements running (started, not finished).
    package var activeStatementCount: Int { activeMachines.count }

    /// True inside an explicit transaction.
    package var inTransaction: Bool { !autocommit }

    func ephemeral() throws(DatabaseError) -> EphemeralDatabase {
        if let ephemeralDatabase { return ephemeralDatabase }
        let database = try EphemeralDatabase(pageSize: pager.pageSize)
        ephemeralDatabase = database
        return database
    }
}

@available(*, unavailable)
extension ConnectionState: Sendable {}

/// A SAVEPOINT: its name, and the pager savepoint that holds its changes once the transaction
/// writes (nil while it has not: there is nothing to undo yet).
package struct SQLSavepoint: Sendable {
    package var name: String
    /// The pager savepoint depth (0 is the outermost) or nil before the first write.
    package var pagerDepth: Int?
    /// This savepoint began the transaction (it was issued in autocommit mode): releasing it
    /// commits.
    package var startedTransaction: Bool
}

/// How the schema changed, for `ConnectionState.schemaHook`.
package enum SchemaChange: Sendable, Equatable {
    /// ParseSchema: reread the sqlite_schema rows matching the WHERE clause (all when nil).
    case parse(whereClause: String?)
    case dropTable(String)
    case dropIndex(String)
    case dropTrigger(String)
    /// Expire: prepared statements are out of date.
    case expire
}

/// sqlite3_interrupt's flag: set from any thread, read by the running statement.
package final class InterruptFlag: Sendable {
    private let flag = Atomic<Bool>(false)
    package init() {}
    package func set() { flag.store(true, ordering: .relaxed) }
    package func clear() { flag.store(false, ordering: .relaxed) }
    package var isSet: Bool { flag.load(ordering: .relaxed) }
}

extension ConnectionState {
    /// Tells the compiler side that the schema changed (see `schemaHook`), remembering it for
    /// the rollback of the write transaction it happened in.
    func schemaChanged(_ change: SchemaChange) throws(DatabaseError) {
        if pager.transaction == .write { transactionChangedSchema = true }
        try schemaHook?(change)
    }
}
