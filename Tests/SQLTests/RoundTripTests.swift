import Foundation
import Testing
@testable import SQL

@Suite struct RoundTripTests {
    @Test(arguments: ValidStatements.all)
    func parsesAndRoundTrips(_ sql: String) throws {
        let statements = try SQLParser.parseAll(sql)
        #expect(statements.count == 1)
        for statement in statements {
            let rendered = statement.sql
            let reparsed = try SQLParser.parseAll(rendered)
            #expect(reparsed.count == 1, "\(rendered)")
            #expect(reparsed.first == statement, "round trip changed the tree:\n\(sql)\n\(rendered)")
            // Rendering is stable: the rendered text renders to itself.
            #expect(reparsed.first?.sql == rendered)
        }
    }

    @Test func validStatementsCount() {
        #expect(ValidStatements.all.count >= 300)
    }

    @Test(.enabled(if: Oracle.isAvailable))
    func sqliteAcceptsTheValidStatements() {
        let statements = ValidStatements.all
        let failures = ConcurrentList<String>()
        DispatchQueue.concurrentPerform(iterations: statements.count) { index in
            let sql = statements[index]
            let trimmed = sql.trimmingCharacters(in: .whitespaces)
            let prepared = trimmed.lowercased().hasPrefix("explain") ? sql : "EXPLAIN " + sql
            if let message = Oracle.prepareError(prepared), parserRaises(message) {
                failures.append("\(sql) -> \(message)")
            }
        }
        #expect(failures.items.isEmpty, "sqlite3 rejects: \(failures.items.joined(separator: "\n"))")
    }

    @Test func renderedStatementsReadAsTheOriginal() throws {
        let expectations: [(String, String)] = [
            ("select a from t", "SELECT a FROM t"),
            ("SELECT a x FROM t y", "SELECT a AS x FROM t AS y"),
            ("SELECT * FROM a LEFT OUTER JOIN b USING (c)", "SELECT * FROM a LEFT JOIN b USING (c)"),
            ("SELECT 1 IS NULL, 2 IS NOT NULL", "SELECT 1 ISNULL, 2 NOTNULL"),
            ("SELECT a FROM t LIMIT 5, 10", "SELECT a FROM t LIMIT 5, 10"),
            ("SELECT - -1, NOT NOT 1, -(NOT 1)", "SELECT - -1, NOT NOT 1, -(NOT 1)"),
            ("SELECT -9223372036854775808", "SELECT (-9223372036854775808)"),
            ("SELECT 1e999, .5, 1e5, 9223372036854775808", "SELECT 1e999, 0.5, 100000.0, 9.223372036854776e+18"),
            ("CREATE TABLE t(a DEFAULT -5, b DEFAULT (1+2), c DEFAULT x)", "CREATE TABLE t(a DEFAULT -5, b DEFAULT (1 + 2), c DEFAULT 'x')"),
            ("SELECT sum(a) OVER (ROWS 1 PRECEDING) FROM t", "SELECT sum(a) OVER (ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) FROM t"),
            ("SELECT \"a\"\"b\", [c], `d`", "SELECT \"a\"\"b\", [c], `d`"),
        ]
        for (input, expected) in expectations {
            let statement = try SQLParser.parseOne(input)
            #expect(statement.sql == expected)
        }
    }
}

/// A list that concurrent test workers append to.
final class ConcurrentList<T>: @unchecked Sendable {
    private var storage: [T] = []
    private let lock = NSLock()
    func append(_ item: T) {
        lock.lock()
        storage.append(item)
        lock.unlock()
    }
    var items: [T] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
