import BTree
import Pager

extension VirtualMachine {
    /// Vacuum P1 P2 (vacuum.c sqlite3RunVacuum): rewrites the main database compactly, or, when
    /// P2 is a register, writes a compact copy into the file it names (VACUUM INTO). Outside a
    /// transaction only, and with no other statement running; the transaction it begins here is
    /// committed when the statement halts, so the rewrite is atomic as any commit is.
    func vacuum(_ instruction: Instruction) throws(DatabaseError) {
        guard connection.autocommit else {
            throw DatabaseError(.SQLITE_ERROR, "cannot VACUUM from within a transaction")
        }
        guard connection.activeStatementCount <= 1 else {
            throw DatabaseError(.SQLITE_ERROR, "cannot VACUUM - SQL statements in progress")
        }
        var into: String?
        if instruction.p2 > 0 {
            guard case .text(let bytes) = register(instruction.p2).pointee else {
                throw DatabaseError(.SQLITE_ERROR, "non-text filename")
            }
            into = String(decoding: bytes, as: UTF8.self)
        }
        guard let hook = connection.vacuumHook else {
            throw DatabaseError(.SQLITE_ERROR, "VACUUM needs a connection that knows the schema")
        }
        try connection.beginTransaction(write: into == nil, for: self)
        try hook(into)
        // The trees moved: the schema must be read again (its cookie changed too, so other
        // connections and prepared statements notice).
        if into == nil { try connection.schemaChanged(.parse(whereClause: nil)) }
    }
}
