import Pager
import SQL
import VM

/// Opens `fuzz.db` of an environment, runs `body` on one connection under the watchdog, and
/// checks that closing released the database.
package enum FuzzSession {
    /// SQLITE_LIMIT_LENGTH for fuzzed statements. A gigabyte string (`printf('%900000000d', 1)`)
    /// is within sqlite3's default limit and no bug, but two of them outgrow libFuzzer's RSS
    /// limit; SQLite's own OSS-Fuzz target lowers the limit the same way.
    static let lengthLimit = 1_000_000

    /// Returns the error that opening the database ended in, or nil when `body` ran.
    @discardableResult
    package static func run(_ environment: MemoryEnvironment, budget: Duration,
                            _ body: (StatementRunner) -> Void) -> DatabaseError? {
        weak var weakShared: PagerShared?
        let failure: DatabaseError?
        do {
            let shared = try PagerShared.open(path: "fuzz.db", options: environment.options)
            weakShared = shared
            let connection = SQLConnection(state: try ConnectionState(shared: shared))
            connection.state.lengthLimit = lengthLimit
            Watchdog.shared.watch(connection.state.interrupt, for: budget)
            defer { Watchdog.shared.stop() }
            body(StatementRunner(connection: connection))
            failure = nil
        } catch {
            failure = error
        }
        // A database still open after its last connection went away is a reference cycle: the
        // next open of the same file identity would be handed this one's state. (fatalError,
        // not precondition: an -O build drops a precondition's message.)
        if weakShared != nil { fatalError("the database outlived its connection (a reference cycle)") }
        return failure
    }
}
