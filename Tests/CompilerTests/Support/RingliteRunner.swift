import BTree
import Pager
import SQL
import VM

/// Ringlite's SQL front end on a database file, run the way the oracle runs sqlite3.
final class RingliteRunner {
    private var shared: PagerShared?
    private var connection: SQLConnection?

    init(path: String, options: PagerOptions = RingliteRunner.defaultOptions) throws {
        let shared = try PagerShared.open(path: path, options: options)
        self.shared = shared
        connection = SQLConnection(state: try ConnectionState(shared: shared))
    }

    static var defaultOptions: PagerOptions {
        var options = PagerOptions()
        options.synchronous = .off
        options.io = IOBackendKind.fromEnvironment() ?? .uring
        return options
    }

    /// Releases the file (and its lock) so sqlite3 can open it.
    func close() {
        connection = nil
        shared = nil
    }

    /// Runs every statement of `sql`, collecting their rows; stops at the first error.
    func run(_ sql: String) -> Outcome {
        guard let connection else { preconditionFailure("the runner is closed") }
        var rows: [[Value]] = []
        var offset = 0
        let length = sql.utf8.count
        while offset < length {
            do {
                let (prepared, next) = try connection.prepare(sql, at: offset)
                offset = next
                guard let statement = prepared else { break }
                while try statement.step() == .row {
                    rows.append((0..<statement.columnCount).map { statement.column($0) })
                }
                statement.reset()
            } catch {
                return .error(error.message)
            }
        }
        return .rows(rows)
    }
}
