import BTree
import Pager
import VM

/// The opening and closing every schema, transaction and PRAGMA program has, as
/// sqlite3FinishCoding lays them out: `Init` jumps to the end, where `Transaction` (when the
/// statement touches the database) opens it and checks the schema cookie the program was compiled
/// against, then `Goto` returns to the statement's first instruction at address 1.
struct StatementFrame {
    /// What the closing `Transaction` asks for.
    enum Access {
        /// No Transaction: BEGIN, COMMIT, SAVEPOINT and the PRAGMAs that run without the database.
        case none
        /// Transaction 0 0 cookie, with the cookie check (P5 = 1).
        case read
        /// Transaction 0 1 cookie, with the cookie check (P5 = 1).
        case write
    }

    private let initAddress: Int32
    private let cookie: UInt32

    /// Emits `Init`; the statement's code follows.
    init(_ builder: inout ProgramBuilder, cookie: UInt32) {
        self.cookie = cookie
        initAddress = builder.emit(.`init`, 0, 0)
    }

    /// Emits `Halt`, then the closing section `Init` jumps to.
    func finish(_ builder: inout ProgramBuilder, access: Access) {
        builder.emit(.halt)
        builder.jumpHere(initAddress)
        switch access {
        case .none:
            break
        case .read, .write:
            let write: Int32 = access == .write ? 1 : 0
            if write == 1 { builder.writes = true }
            builder.emit(.transaction, 0, write, Int32(bitPattern: cookie), .int32(0), 1)
        }
        builder.emit(.goto, 0, initAddress + 1)
    }
}
