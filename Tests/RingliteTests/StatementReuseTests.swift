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

    /// Parameters that are operands of comparisons, arithmetic and rowid range seeks are loaded
    /// once per run in the Init section (constant factoring): each run reads its own bindings.
    @Test func factoredParametersTakeEachRunsBindings() throws {
        let (directory, path) = try DatabaseTests.temporaryPath()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try Database(path: path)
        let connection = try database.connection()
        try connection.execute("CREATE TABLE t(k INTEGER PRIMARY KEY, n INT)")
        try connection.execute("INSERT INTO t SELECT i, i * 10 FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 50) SELECT i FROM c)")
        let range = try connection.prepare("SELECT count(*), sum(n + ?) FROM t WHERE k > ? AND n < ?")
        let update = try connection.prepare("UPDATE t SET n = n + ? WHERE k >= ?")
        for low in Int64(0)...6 {
            let bound = low * 7
            try range.bind([low, bound, 400])
            #expect(try range.step())
            let expectedRows: [Int64] = (Int64(1)...50).filter { (k: Int64) -> Bool in k > bound && k * 10 < 400 }
            #expect(range.int64(at: 0) == Int64(expectedRows.count), "k > \(bound)")
            var expectedSum: Int64 = 0
            for k in expectedRows { expectedSum += Int64(k) * 10 + low }
            #expect(range.int64(at: 1) == expectedSum, "k > \(bound)")
            range.reset()
        }
        try update.bind([1, 49])
        _ = try update.run()
        update.reset()
        try update.bind([100, 50])
        _ = try update.run()
        update.reset()
        let check = try connection.prepare("SELECT k, n FROM t WHERE k >= 48 ORDER BY k")
        var rows: [[Int64]] = []
        while try check.step() { rows.append([check.int64(at: 0), check.int64(at: 1)]) }
        #expect(rows == [[48, 480], [49, 491], [50, 601]])
    }
}
