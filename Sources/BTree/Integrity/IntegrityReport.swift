import Pager

/// How far the integrity check goes.
package struct IntegrityOptions: Sendable {
    /// Stop after this many problems (PRAGMA integrity_check(N)); SQLite's default is 100.
    package var maxErrors: Int
    /// PRAGMA quick_check: skip checking index entries against table rows. Tables are still
    /// scanned and their records' headers checked.
    package var quick: Bool
    /// The schema name in the report's header line.
    package var databaseName: String

    package init(maxErrors: Int = 100, quick: Bool = false, databaseName: String = "main") {
        self.maxErrors = maxErrors <= 0 ? 100 : maxErrors
        self.quick = quick
        self.databaseName = databaseName
    }
}

/// The result of an integrity check: the rows `PRAGMA integrity_check` would return.
package struct IntegrityReport: Sendable, Equatable {
    /// The rows in order. `["ok"]` when nothing is wrong. Structural problems come first, as one
    /// row that starts with `*** in database main ***` and lists them one per line; then a row
    /// per table or index content problem.
    package var rows: [String]
    /// Problems found (each line of the structural row counts once).
    package var errorCount: Int
    /// The check stopped early because a page or record it needed to read could not be read; its
    /// last row says so ("database disk image is malformed", as SQLite reports it).
    package var abortedBy: DatabaseError?

    package var isOK: Bool { errorCount == 0 && abortedBy == nil }

    /// The rows joined by newlines: what the sqlite3 shell prints.
    package var text: String { rows.joined(separator: "\n") }
}

/// The rows of the report as SQLite's integrity_check program emits them: a budget of errors
/// (its register 1) that each row spends, stopping the program when it runs out, and "ok" at the
/// end only when nothing was spent.
struct IntegrityRows {
    private(set) var rows: [String] = []
    private(set) var errorCount = 0
    private(set) var halted = false
    private var budget: Int
    private let limit: Int

    init(limit: Int) {
        precondition(limit > 0, "the error limit is positive")
        self.limit = limit
        budget = limit - 1
    }

    /// The structural check's messages, one row under the database header line.
    mutating func addStructural(_ lines: [String], count: Int, databaseName: String) {
        guard count > 0 else { return }
        budget -= count - 1
        errorCount += count - 1
        emit("*** in database \(databaseName) ***\n" + lines.joined(separator: "\n"))
    }

    /// One content problem.
    mutating func emit(_ row: String) {
        precondition(!halted, "no rows after the check has stopped")
        rows.append(row)
        errorCount += 1
        if budget > 0 { budget -= 1 } else { halted = true }
    }

    /// The check could not read on (SQLite's op_column_corrupt row).
    mutating func haltMalformed() {
        rows.append(ResultCode.SQLITE_CORRUPT.errorString)
        halted = true
    }

    func finished() -> [String] {
        !halted && budget + 1 - limit == 0 ? rows + ["ok"] : rows
    }
}
