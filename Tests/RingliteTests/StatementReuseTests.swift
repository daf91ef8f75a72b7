import Foundation
import Ringlite
import Testing

/// A prepared statement run many times takes up the cursors of its previous run (closed when
/// that run ended): each run must still see the table as it is now, after other statements
/// changed it, split its pages or emptied it.
@Suite struct StatementReuseTests {
    @Test(arguments: [1, 3])
    func reusedStatementsSeeOtherStatementsChanges(_ valueRepeat: Int) throws {
        let (directory, path) = try DatabaseTests.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(path: path)
        let connection = try database.connection()
        try connection.execute("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v)")
        let read = try connection.prepare("SELECT v FROM t WHERE k = ?")
        let byValue = try connection.prepare("SELECT count(*) FROM t WHERE v = ?")
        let insert = try connection.prepare("INSERT INTO t VALUES (?, ?)")
        let delete = try connection.prepare("DELETE FROM t WHERE k = ?")
        var expected: [Int64: String] = [:]
        func value(_ key: Int64) -> String { String(repeating: "v\(key % 97)-", count: 20 * valueRepeat) }
        func check(_ key: Int64) throws {
            try read.bind([key])
            let found = try read.step() ? read.string(at: 0) : nil
            read.reset()
            #expect(found == expected[key], "key \(key)")
            if let text = expected[key] {
                try byValue.bind([text])
                #expect(try byValue.step())
                #expect(byValue.int64(at: 0) == Int64(expected.values.filter { $0 == text }.count), "value of \(key)")
                byValue.reset()
            }
        }
        // Enough rows to split leaves and grow the tree while the read statements are reused.
        for key in Int64(1)...2000 {
            try insert.bind([key, value(key)])
            _ = try insert.run()
            insert.reset()
            expected[key] = value(key)
            if key % 7 == 0 { try check(key); try check(key / 2) }
        }
        for key in stride(from: Int64(2), through: 2000, by: 3) {
            try delete.bind([key])
            _ = try delete.run()
            delete.reset()
            expected[key] = nil
            if key % 11 == 2 { try check(key); try check(key + 1) }
        }
        try connection.execute("DELETE FROM t")
        expected.removeAll()
        for key in Int64(1)...20 { try check(key) }
        // The table dropped and made again (perhaps on the same root page): the statements
        // compile again and read the new table.
        try connection.execute("DROP TABLE t; CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v); INSERT INTO t VALUES (5, 'five')")
        expected = [5: "five"]
        for key in Int64(1)...10 { try check(key) }
    }
}
