// Runs the reference sqlite3 (3.40.1) on the same inputs the Swift code sees and compares results.
// Values travel to sqlite3 bit-exactly: reals through ieee754_from_blob (a CLI built-in), text as
// CAST(X'..' AS TEXT), so invalid UTF-8 and NULs survive. Results come back as a type letter plus
// an exact encoding: integers in decimal, reals as their IEEE-754 bits, text and blobs in hex.

import Foundation
import BTree
@testable import VM

enum Oracle {
    static let sqlite3Path = "/usr/bin/sqlite3"

    /// Runs `sql` through sqlite3 with the given timezone and returns its output lines.
    static func run(_ sql: String, timezone: String = "UTC") throws -> [String] {
        let dir = FileManager.default.temporaryDirectory
        let file = dir.appendingPathComponent("ringlite-vm-oracle-\(UUID().uuidString).sql")
        try sql.write(to: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: sqlite3Path)
        process.arguments = ["-batch", ":memory:"]
        var env = ProcessInfo.processInfo.environment
        env["TZ"] = timezone
        process.environment = env
        process.standardInput = try FileHandle(forReadingFrom: file)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errText = String(decoding: errData, as: UTF8.self)
        if !errText.isEmpty { throw OracleError(message: errText) }
        var lines = String(decoding: data, as: UTF8.self).components(separatedBy: "\n")
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    struct OracleError: Error, CustomStringConvertible {
        var message: String
        var description: String { "sqlite3: \(message)" }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789ABCDEF")
        var s = ""
        s.reserveCapacity(bytes.count * 2)
        for b in bytes {
            s.append(digits[Int(b >> 4)])
            s.append(digits[Int(b & 15)])
        }
        return s
    }

    /// An SQL expression that evaluates to exactly `v`.
    static func literal(_ v: Value) -> String {
        switch v {
        case .null: return "NULL"
        case .integer(let i): return i == Int64.min ? "(-9223372036854775807-1)" : "\(i)"
        case .real(let r):
            var bits = r.bitPattern.bigEndian
            let bytes = withUnsafeBytes(of: &bits) { Array($0) }
            return "ieee754_from_blob(X'\(hex(bytes))')"
        case .text(let t): return "CAST(X'\(hex(t))' AS TEXT)"
        case .blob(let b): return "X'\(hex(b))'"
        }
    }

    /// The encoding both sides' results are compared in.
    static func encode(_ v: Value) -> String {
        switch v {
        case .null: return "n"
        case .integer(let i): return "i\(i)"
        case .real(let r):
            var bits = r.bitPattern.bigEndian
            return "r" + hex(withUnsafeBytes(of: &bits) { Array($0) })
        case .text(let t): return "t" + hex(t)
        case .blob(let b): return "b" + hex(b)
        }
    }

    static func encodeSQL(_ expr: String) -> String {
        """
        CASE typeof(\(expr)) WHEN 'real' THEN 'r' || hex(ieee754_to_blob(\(expr))) \
        WHEN 'integer' THEN 'i' || (\(expr)) WHEN 'text' THEN 't' || hex(\(expr)) \
        WHEN 'blob' THEN 'b' || hex(\(expr)) ELSE 'n' END
        """
    }

    /// Evaluates `expression` (over columns a, b, c, d, e, f bound to each row's values) in sqlite3.
    static func evaluate(_ rows: [[Value]], _ expression: String, timezone: String = "UTC",
                         setup: String = "") throws -> [String] {
        var sql = "CREATE TABLE t(id INTEGER PRIMARY KEY, a, b, c, d, e, f);\n\(setup)\nBEGIN;\n"
        for (i, row) in rows.enumerated() {
            var cols = row.map(literal)
            while cols.count < 6 { cols.append("NULL") }
            sql += "INSERT INTO t VALUES(\(i),\(cols.joined(separator: ",")));\n"
        }
        sql += "COMMIT;\n"
        sql += "SELECT \(encodeSQL("x")) FROM (SELECT id, (\(expression)) AS x FROM t) ORDER BY id;\n"
        return try run(sql, timezone: timezone)
    }

    /// Compares `swift` against sqlite3 for every row; returns human-readable mismatches.
    static func mismatches(
        _ rows: [[Value]], _ expression: String, timezone: String = "UTC", setup: String = "",
        _ swift: (FunctionArguments) throws -> Value
    ) throws -> [String] {
        let expected = try evaluate(rows, expression, timezone: timezone, setup: setup)
        guard expected.count == rows.count else {
            return ["sqlite3 returned \(expected.count) rows for \(rows.count) inputs"]
        }
        var bad: [String] = []
        for (i, row) in rows.enumerated() {
            let got: String
            do {
                got = encode(try withValueRefs(row) { try swift($0) })
            } catch {
                got = "error \(error)"
            }
            if got != expected[i] {
                bad.append("\(expression) with \(row.map(describe)) -> swift \(got), sqlite3 \(expected[i])")
            }
        }
        return bad
    }

    static func describe(_ v: Value) -> String {
        switch v {
        case .null: return "NULL"
        case .integer(let i): return "\(i)"
        case .real(let r): return "real(\(r))"
        case .text(let t): return "'\(String(decoding: t, as: UTF8.self))'"
        case .blob(let b): return "X'\(hex(b))'"
        }
    }
}

/// SplitMix64: a small seeded generator so every run sees the same inputs.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func pick<T>(_ items: [T]) -> T { items[Int.random(in: 0..<items.count, using: &self)] }
    mutating func chance(_ p: Double) -> Bool { Double.random(in: 0..<1, using: &self) < p }
    mutating func int(_ r: ClosedRange<Int>) -> Int { Int.random(in: r, using: &self) }
}

extension Value {
    static func t(_ s: String) -> Value { .text(Array(s.utf8)) }
}

/// VM_ORACLE_SCALE multiplies the generated input counts and VM_ORACLE_SEED shifts the seeds, for
/// occasional deeper runs; by default every run sees the same inputs.
let oracleScale = Int(ProcessInfo.processInfo.environment["VM_ORACLE_SCALE"] ?? "") ?? 1
let oracleSeedOffset = UInt64(ProcessInfo.processInfo.environment["VM_ORACLE_SEED"] ?? "") ?? 0

func scaled(_ n: Int) -> Int { n * max(oracleScale, 1) }
func oracleSeed(_ s: UInt64) -> UInt64 { s &+ oracleSeedOffset &* 1_000_003 }

/// Reports at most a few mismatches so a failure stays readable.
func summary(_ bad: [String], of total: Int) -> String {
    "\(bad.count) of \(total) differ:\n" + bad.prefix(15).joined(separator: "\n")
}
