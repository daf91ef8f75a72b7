// LIKE and GLOB against sqlite3.

import Testing
import BTree
@testable import VM

@Suite struct PatternMatchTests {
    static func text(_ rng: inout SeededRandom, _ alphabet: [String], _ maxLength: Int) -> Value {
        var bytes: [UInt8] = []
        for _ in 0..<rng.int(0...maxLength) {
            if rng.chance(0.03) {
                bytes.append(rng.pick([0x80, 0xC3, 0xE6, 0xFF]))
            } else {
                bytes += Array(rng.pick(alphabet).utf8)
            }
        }
        return .text(bytes)
    }

    static let stringAlphabet = ["a", "b", "A", "B", "z", "é", "É", "日", "😀", "%", "_", "*", "?", "[", "]", "-", "^", "\\", "x", " "]

    @Test func like() throws {
        var rng = SeededRandom(seed: oracleSeed(31))
        let patternAlphabet = Self.stringAlphabet + ["%", "_", "%", "_", "\\", "\\"]
        var rows: [[Value]] = []
        for _ in 0..<scaled(6000) {
            let s = Self.text(&rng, Self.stringAlphabet, 8)
            var p: Value
            if rng.chance(0.3), case .text(let sb) = s {
                // Derive the pattern from the string so matches are common.
                var pb: [UInt8] = []
                var k = 0
                while k < sb.count {
                    if rng.chance(0.2) { pb.append(UInt8(ascii: rng.pick(["%", "_"]))) } else { pb.append(sb[k]) }
                    k += 1
                }
                p = .text(pb)
            } else {
                p = Self.text(&rng, patternAlphabet, 6)
            }
            if rng.chance(0.05) { p = rng.pick([.null, .integer(12), .real(1.5)]) }
            rows.append([p, rng.chance(0.03) ? .integer(123) : s, .t(rng.pick(["\\", "%", "_", "x", "é", "a"]))])
        }
        var bad = try Oracle.mismatches(rows, "like(a, b)") { try PatternMatch.like(pattern: $0[0], string: $0[1]) }
        bad += try Oracle.mismatches(rows, "like(a, b, c)") { try PatternMatch.like(pattern: $0[0], string: $0[1], escape: $0[2]) }
        bad += try Oracle.mismatches(rows, "b LIKE a ESCAPE c") { try PatternMatch.like(pattern: $0[0], string: $0[1], escape: $0[2]) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 3))) }
    }

    @Test func caseSensitiveLike() throws {
        var rng = SeededRandom(seed: oracleSeed(32))
        let rows = (0..<scaled(2000)).map { _ in [Self.text(&rng, Self.stringAlphabet, 5), Self.text(&rng, Self.stringAlphabet, 6)] }
        let bad = try Oracle.mismatches(rows, "like(a, b)", setup: "PRAGMA case_sensitive_like=1;") {
            try PatternMatch.like(pattern: $0[0], string: $0[1], caseSensitive: true)
        }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count))) }
    }

    @Test func glob() throws {
        var rng = SeededRandom(seed: oracleSeed(33))
        let patternAlphabet = Self.stringAlphabet + ["*", "?", "[", "]", "[a-z]", "[^a]", "[]a]", "[é-日]", "[-a]", "[a-]", "*[", "[^]]"]
        var rows: [[Value]] = []
        for _ in 0..<scaled(6000) {
            rows.append([Self.text(&rng, patternAlphabet, 5), Self.text(&rng, Self.stringAlphabet, 7)])
        }
        let bad = try Oracle.mismatches(rows, "glob(a, b)") { try PatternMatch.glob(pattern: $0[0], string: $0[1]) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count))) }
    }

    @Test func blobsAndErrors() throws {
        // Debian's sqlite3 is built with SQLITE_LIKE_DOESNT_MATCH_BLOBS.
        let rows: [[Value]] = [[.blob([0x61]), .t("a")], [.t("a"), .blob([0x61])], [.blob([0x61]), .null],
                                  [.t("%"), .blob([])], [.null, .t("a")], [.t("a"), .null]]
        let bad = try Oracle.mismatches(rows, "like(a, b)") {
            try PatternMatch.like(pattern: $0[0], string: $0[1], blobsNeverMatch: true)
        } + Oracle.mismatches(rows, "glob(a, b)") { try PatternMatch.glob(pattern: $0[0], string: $0[1], blobsNeverMatch: true) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 2))) }

        func like(_ p: String, _ s: String, _ e: String?) throws(FunctionError) -> Value {
            let args: [Value] = [.t(p), .t(s)] + (e.map { [Value.t($0)] } ?? [])
            return try withValueRefs(args) { (r) throws(FunctionError) -> Value in
                try PatternMatch.like(pattern: r[0], string: r[1], escape: r.count > 2 ? r[2] : nil)
            }
        }
        #expect(throws: FunctionError("ESCAPE expression must be a single character")) { try like("a", "a", "ab") }
        #expect(throws: FunctionError("ESCAPE expression must be a single character")) { try like("a", "a", "") }
        #expect(try like("日%", "日本", nil) == .integer(1))
        #expect(try like("_本", "日本", nil) == .integer(1))
        #expect(try like("É", "é", nil) == .integer(0))
        #expect(try like("A%", "abc", nil) == .integer(1))
        #expect(try like("a\\%", "a%", "\\") == .integer(1))
        #expect(try like("a\\%", "ab", "\\") == .integer(0))
        #expect(try like("100x%", "100%", "x") == .integer(1))
        #expect(try like("é_", "éx", "é") == .integer(0))
        let long = String(repeating: "a", count: 50_001)
        #expect(throws: FunctionError("LIKE or GLOB pattern too complex")) { try like(long, "a", nil) }
    }
}
