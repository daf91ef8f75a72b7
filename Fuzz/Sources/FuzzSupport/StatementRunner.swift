import BTree
import Pager
import SQL
import VM
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// FUZZ_VERBOSE=1 prints each statement and its outcome: for checking what a harness reaches.
private let verbose = getenv("FUZZ_VERBOSE") != nil

/// Runs SQL text the way sqlite3_exec does, but bounded: each statement is stepped at most
/// `maxSteps` times and every value it returns is read (so lazy decoding runs too). Errors are
/// expected outcomes of fuzzed input and are ignored; a crash or a sanitizer report is the bug.
package struct StatementRunner {
    package let connection: SQLConnection
    package var maxSteps = 200

    package init(connection: SQLConnection) {
        self.connection = connection
    }

    /// Runs every statement of `sql`; a statement that fails to compile or run is skipped, and
    /// the text ends at the first one that does not parse (its end is unknown).
    package func runAll(_ sql: String) {
        var offset = 0
        let length = sql.utf8.count
        while offset < length {
            let next: Int
            do {
                let parsed: ParsedStatement?
                (parsed, next) = try SQLParser.parseStatement(sql, at: offset)
                // No statement: only white space and comments remain, or a NUL ended the text
                // (sqlite3_prepare reads SQL as a C string).
                guard parsed != nil else { return }
            } catch {
                return
            }
            if next <= offset { fatalError("the parser did not advance past offset \(offset)") }
            run(sql, at: offset)
            offset = next
        }
    }

    /// Runs the statement starting at `offset`; returns the rows read (up to the step bound), or
    /// nil when it failed.
    @discardableResult
    package func run(_ sql: String, at offset: Int = 0) -> [[Value]]? {
        var rows: [[Value]] = []
        do {
            let (prepared, _) = try connection.prepare(sql, at: offset)
            guard let statement = prepared else { return [] }
            defer { statement.reset() }
            var steps = 0
            while steps < maxSteps, try statement.step() == .row {
                steps += 1
                rows.append((0..<statement.columnCount).map { statement.column($0) })
            }
            if verbose { print("ok \(rows.count) rows: \(statement.sql.prefix(120)) \(rows.prefix(3))"); fflush(nil) }
            return rows
        } catch {
            if verbose { print("error: \(error.message) in \(String(decoding: sql.utf8.dropFirst(offset).prefix(120), as: UTF8.self))"); fflush(nil) }
            return nil
        }
    }
}
