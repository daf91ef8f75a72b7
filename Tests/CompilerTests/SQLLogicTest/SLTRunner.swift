import BTree
import Foundation

/// Runs sqllogictest records on Ringlite and, side by side, on sqlite3 3.40.1: each record must
/// give the same outcome on both (so a wrong expectation in a file cannot pass unnoticed) and the
/// outcome the file expects.
struct SLTRunner {
    /// The name `skipif` / `onlyif` lines are matched against: Ringlite answers as sqlite does.
    static let databaseName = "sqlite"

    struct Report {
        var file: String
        var records = 0
        var passed = 0
        var skipped = 0
        var failures: [String] = []
    }

    static func run(file path: String) throws -> Report {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let records = try SLTParser.parse(text)
        let name = (path as NSString).lastPathComponent
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-slt-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let ringlite = try RingliteRunner(path: directory.appendingPathComponent("ringlite.db").path)
        defer { ringlite.close() }
        let oracle = try SQLiteOracle(path: directory.appendingPathComponent("sqlite.db").path)
        defer { oracle.close() }
        return run(records, file: name, ringlite: ringlite, oracle: oracle)
    }

    static func run(_ records: [SLTRecord], file: String, ringlite: RingliteRunner, oracle: SQLiteOracle) -> Report {
        var report = Report(file: file)
        var hashThreshold = 0
        var labels: [String: String] = [:]
        for record in records {
            guard record.applies(to: databaseName) else { report.skipped += 1; continue }
            switch record.kind {
            case .halt:
                return report
            case .hashThreshold(let threshold):
                hashThreshold = threshold
                continue
            case .statement, .query:
                break
            }
            report.records += 1
            if let failure = check(record, hashThreshold: hashThreshold, labels: &labels, ringlite: ringlite, oracle: oracle) {
                report.failures.append("\(file):\(record.line): \(failure)")
            } else {
                report.passed += 1
            }
        }
        return report
    }

    /// nil when the record passes, else why not.
    private static func check(_ record: SLTRecord, hashThreshold: Int, labels: inout [String: String],
                              ringlite: RingliteRunner, oracle: SQLiteOracle) -> String? {
        switch record.kind {
        case .statement(let expectError, let sql):
            let expected = oracle.run(sql)
            let actual = ringlite.run(sql)
            if expected != actual {
                return "\(sql)\n  sqlite3:  \(expected)\n  ringlite: \(actual)"
            }
            if case .error = actual, !expectError { return "statement ok failed on both: \(actual)\n  \(sql)" }
            if case .rows = actual, expectError { return "statement error succeeded on both\n  \(sql)" }
            return nil
        case .query(let types, let sort, let label, let sql, let expected):
            let oracleOutcome = oracle.run(sql)
            let outcome = ringlite.run(sql)
            if oracleOutcome != outcome {
                return "\(sql)\n  sqlite3:  \(oracleOutcome)\n  ringlite: \(outcome)"
            }
            guard case .rows(let rows) = outcome else { return "query failed on both: \(outcome)\n  \(sql)" }
            if let bad = rows.first(where: { $0.count != types.count }) {
                return "query has \(bad.count) columns but type string \(String(types))\n  \(sql)"
            }
            let values = SLTFormat.values(of: rows, types: types, sort: sort)
            let hash = SLTFormat.hash(values)
            let actual: SLTRecord.Expected = hashThreshold > 0 && values.count > hashThreshold
                ? .hash(count: values.count, md5: hash) : .values(values)
            if actual != expected {
                return "\(sql)\n  expected: \(describe(expected))\n  got (both): \(describe(actual))"
            }
            if let label {
                if let previous = labels[label], previous != hash {
                    return "label \(label) hashes to \(hash), an earlier query with it to \(previous)\n  \(sql)"
                }
                labels[label] = hash
            }
            return nil
        case .hashThreshold, .halt:
            preconditionFailure("control records are handled by run")
        }
    }

    private static func describe(_ expected: SLTRecord.Expected) -> String {
        switch expected {
        case .values(let values): values.isEmpty ? "(nothing)" : values.joined(separator: " | ")
        case .hash(let count, let md5): "\(count) values hashing to \(md5)"
        }
    }
}
