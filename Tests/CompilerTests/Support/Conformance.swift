import BTree
import Foundation

/// One conformance case: a database made by sqlite3 from `setup`, then `statements` run on two
/// copies of it, one by Ringlite and one by sqlite3. Each statement's outcome (rows, or the
/// error message) must be the same; afterwards Ringlite's copy must pass sqlite3's
/// integrity_check and hold the same rows as sqlite3's in every table. Each statement counts as
/// one case.
struct ConformanceCase: Sendable, CustomStringConvertible {
    var name: String
    var setup: String
    var statements: [String]
    /// Compare rows as multisets: for statements whose order SQL leaves open and sqlite3's plan
    /// happens to fix.
    var unordered: Bool
    /// SQL sqlite3 runs on Ringlite's copy only, after the set-up: for the harness's own tests,
    /// which need the two copies to differ.
    var divergence: String?

    init(_ name: String, setup: String = "", _ statements: [String], unordered: Bool = false, divergence: String? = nil) {
        self.name = name
        self.setup = setup
        self.statements = statements
        self.unordered = unordered
        self.divergence = divergence
    }

    var description: String { name }
}

enum Conformance {
    /// Runs `cases` and returns one line per disagreement (empty when all agree) and the number
    /// of statements compared.
    static func check(_ cases: [ConformanceCase]) throws -> (failures: [String], compared: Int) {
        var failures: [String] = []
        var compared = 0
        for testCase in cases {
            let (caseFailures, count) = try check(testCase)
            failures += caseFailures
            compared += count
        }
        return (failures, compared)
    }

    static func check(_ testCase: ConformanceCase) throws -> (failures: [String], compared: Int) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-conformance-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ringlitePath = directory.appendingPathComponent("ringlite.db").path
        let sqlitePath = directory.appendingPathComponent("sqlite.db").path

        let setupOracle = try SQLiteOracle(path: sqlitePath)
        if !testCase.setup.isEmpty { try setupOracle.execute(testCase.setup) }
        setupOracle.close()
        if FileManager.default.fileExists(atPath: sqlitePath) {
            try FileManager.default.copyItem(atPath: sqlitePath, toPath: ringlitePath)
        }
        if let divergence = testCase.divergence {
            let tamper = try SQLiteOracle(path: ringlitePath)
            try tamper.execute(divergence)
            tamper.close()
        }

        var failures: [String] = []
        let ringlite = try RingliteRunner(path: ringlitePath)
        let oracle = try SQLiteOracle(path: sqlitePath)
        for statement in testCase.statements {
            var expected = oracle.run(statement)
            var actual = ringlite.run(statement)
            if testCase.unordered {
                expected = expected.sorted
                actual = actual.sorted
            }
            if expected != actual {
                failures.append("[\(testCase.name)] \(statement)\n  sqlite3:  \(expected)\n  ringlite: \(actual)")
            }
        }
        ringlite.close()
        failures += try compareFiles(ringlitePath: ringlitePath, oracle: oracle, name: testCase.name)
        oracle.close()
        return (failures, testCase.statements.count)
    }

    /// Ringlite's file must pass integrity_check and hold what sqlite3's holds.
    private static func compareFiles(ringlitePath: String, oracle: SQLiteOracle, name: String) throws -> [String] {
        guard FileManager.default.fileExists(atPath: ringlitePath) else { return [] }
        let check = try SQLiteOracle(path: ringlitePath)
        defer { check.close() }
        var failures: [String] = []
        let integrity = check.run("PRAGMA integrity_check")
        if integrity != .rows([[.text("ok")]]) {
            failures.append("[\(name)] integrity_check of Ringlite's file: \(integrity)")
        }
        let schemaQuery = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY name"
        let schema = check.run(schemaQuery)
        if schema != oracle.run(schemaQuery) {
            failures.append("[\(name)] sqlite_schema differs\n  sqlite3:  \(oracle.run(schemaQuery))\n  ringlite: \(schema)")
            return failures
        }
        let tables = try oracle.execute("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        for row in tables {
            guard case .text(let bytes) = row[0] else { continue }
            let table = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\"", with: "\"\"")
            let query = "SELECT * FROM \"\(table)\""
            let mine = check.run(query).sorted
            let theirs = oracle.run(query).sorted
            if mine != theirs {
                failures.append("[\(name)] table \(table) differs\n  sqlite3:  \(theirs)\n  ringlite: \(mine)")
            }
        }
        return failures
    }
}
