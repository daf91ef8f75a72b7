import BTree
import Pager
import VM

/// BEGIN, COMMIT/END, ROLLBACK, SAVEPOINT, RELEASE and ROLLBACK TO, compiled as sqlite3's
/// sqlite3BeginTransaction, sqlite3EndTransaction and sqlite3Savepoint compile them. The errors
/// ("cannot start a transaction within a transaction", "no such savepoint: x", ...) come from
/// the VM's AutoCommit and Savepoint when the program runs, as in sqlite3.
enum TransactionCompiler {
    /// BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE]: IMMEDIATE and EXCLUSIVE start the write transaction
    /// at once (Transaction P2 = 1 or 2; sqlite3 also opens the temp database, P1 = 1, which
    /// Ringlite does not have), then AutoCommit 0 leaves autocommit mode.
    static func begin(_ statement: BeginStatement, sql: String) throws(DatabaseError) -> Program {
        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: 0)
        switch statement.mode {
        case nil, .deferred:
            break
        case .immediate:
            builder.emit(.transaction, 0, 1, 0)
        case .exclusive:
            builder.emit(.transaction, 0, 2, 0)
        }
        builder.emit(.autoCommit, 0, 0)
        frame.finish(&builder, access: .none)
        return try builder.finish(sql: sql)
    }

    /// COMMIT / END: AutoCommit 1 0.
    static func commit(sql: String) throws(DatabaseError) -> Program {
        try autoCommit(rollback: false, sql: sql)
    }

    /// ROLLBACK: AutoCommit 1 1; ROLLBACK TO x: Savepoint 2 _ _ x.
    static func rollback(_ statement: RollbackStatement, sql: String) throws(DatabaseError) -> Program {
        guard let savepoint = statement.savepoint else { return try autoCommit(rollback: true, sql: sql) }
        return try savepointProgram(operation: 2, name: savepoint.value, sql: sql)
    }

    /// SAVEPOINT x: Savepoint 0 _ _ x.
    static func savepoint(_ name: Name, sql: String) throws(DatabaseError) -> Program {
        try savepointProgram(operation: 0, name: name.value, sql: sql)
    }

    /// RELEASE x: Savepoint 1 _ _ x.
    static func release(_ name: Name, sql: String) throws(DatabaseError) -> Program {
        try savepointProgram(operation: 1, name: name.value, sql: sql)
    }

    private static func autoCommit(rollback: Bool, sql: String) throws(DatabaseError) -> Program {
        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: 0)
        builder.emit(.autoCommit, 1, rollback ? 1 : 0)
        frame.finish(&builder, access: .none)
        return try builder.finish(sql: sql)
    }

    private static func savepointProgram(operation: Int32, name: String, sql: String) throws(DatabaseError) -> Program {
        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: 0)
        builder.emit(.savepoint, operation, 0, 0, .text(name))
        frame.finish(&builder, access: .none)
        return try builder.finish(sql: sql)
    }
}
