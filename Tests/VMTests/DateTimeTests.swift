// The date and time functions against sqlite3, with TZ fixed for both sides.

import Testing
@testable import VM
#if canImport(Glibc)
import Glibc
import BTree
#endif

@Suite struct DateTimeTests {
    /// A fixed statement time; 'now' is not compared with sqlite3, whose clock differs.
    static let ctx = DateTimeContext(now: DateTimeContext.julianMilliseconds(unixMilliseconds: 1_700_000_000_123))

    static func timeValue(_ rng: inout SeededRandom) -> Value {
        func two(_ r: ClosedRange<Int>) -> String {
            let v = rng.int(r)
            return v < 10 ? "0\(v)" : "\(v)"
        }
        switch rng.int(0...9) {
        case 0...4:
            var year = rng.pick([rng.int(0...9999), rng.int(1900...2100), rng.int(1960...2040), 0, 9999, 1970, 2000, 2024, 1582])
            if rng.chance(0.02) { year = rng.int(10000...10010) }
            var y = String(year)
            while y.count < 4 { y = "0" + y }
            if rng.chance(0.05) { y = "-" + y }
            var s = "\(y)-\(two(rng.chance(0.05) ? 0...13 : 1...12))-\(two(rng.chance(0.1) ? 28...32 : 1...28))"
            if rng.chance(0.7) {
                s += rng.pick([" ", "T", "  ", " T"])
                s += "\(two(rng.chance(0.03) ? 0...25 : 0...23)):\(two(0...59))"
                if rng.chance(0.7) {
                    s += ":\(two(rng.chance(0.03) ? 0...60 : 0...59))"
                    if rng.chance(0.5) {
                        s += "." + String(rng.int(0...999_999_999)).prefix(rng.int(1...9))
                    }
                }
                if rng.chance(0.3) {
                    s += rng.pick(["Z", "z", " Z", "+05:30", "-08:00", "+14:00", "-00:00", "+15:00", " +01:00 ", "+1:00", "x"])
                }
            }
            if rng.chance(0.03) { s += rng.pick(["x", " ", "  junk"]) }
            return .t(s)
        case 5:
            var s = "\(two(0...24)):\(two(0...59))"
            if rng.chance(0.5) { s += ":\(two(0...59))" }
            if rng.chance(0.3) { s += ".\(rng.int(0...999))" }
            return .t(s)
        case 6:
            return .real(rng.pick([Double(rng.int(0...5_373_484)) + rng.pick([0, 0.5, 0.25, 0.999, 0.1]),
                                   2451545.0, 2440587.5, -1.0, 5373484.5, 5373484.49999, 0.0, 1721059.5]))
        case 7:
            return .integer(Int64(rng.pick([0, 1, 86400, 1_000_000_000, 1_700_000_000, -1, -86400 * 365 * 100,
                                             253402300799, 253402300800, 2_000_000_000, rng.int(-62_167_219_200...253_402_300_799)])))
        case 8:
            return .t(rng.pick(["2451545", "2451545.5", " 2440587.5 ", "1e6", "abc", "", "now?", "24:00", "12:60",
                                "2000-02-30", "2001-02-29", "2000-01-01T", "2000-1-1", "99-01-01", "12:30:45.1234567",
                                String(rng.int(0...2_000_000_000))]))
        default:
            return .real(Double(rng.int(-1_000_000_000...2_000_000_000)) + rng.pick([0, 0.5, 0.001, 0.999]))
        }
    }

    static func modifier(_ rng: inout SeededRandom) -> Value {
        let n = rng.pick([0, 1, 2, -1, -2, 7, 12, 13, -13, 31, 100, 400, -400, 1000, 5373484, 176545, 14712])
        let frac = rng.pick(["", ".5", ".25", ".75", ".999", ".0001"])
        let sign = rng.pick(["", "+", "-"])
        let unit = rng.pick(["day", "days", "hour", "hours", "minute", "minutes", "second", "seconds", "month",
                             "months", "year", "years", "DAYS", "Months", "fortnight", "sec", "s"])
        switch rng.int(0...9) {
        case 0...3: return .t("\(sign)\(n)\(frac) \(rng.chance(0.1) ? " " : "")\(unit)")
        case 4: return .t(rng.pick(["start of month", "start of year", "start of day", "START OF MONTH", "start of week",
                                    "start of  day"]))
        case 5: return .t("weekday \(rng.pick(["0", "1", "2", "3", "4", "5", "6", "7", "1.5", "-1", " 3", "3 "]))")
        case 6: return .t(rng.pick(["unixepoch", "julianday", "auto", "utc", "localtime", "UNIXEPOCH", "bogus", ""]))
        case 7:
            let hh = rng.pick(["01", "12", "23", "00", "24", "1"])
            let rest = rng.pick([":30", ":00", ":15:30", ":15:30.5", ":99", ""])
            return .t("\(rng.pick(["+", "-", ""]))\(hh)\(rest)")
        case 8: return .integer(Int64(rng.int(-5...5)))
        default: return rng.chance(0.2) ? .null : .t("\(sign)\(n) days")
        }
    }

    static func rows(_ seed: UInt64, _ count: Int, maxModifiers: Int = 3) -> [[Value]] {
        var rng = SeededRandom(seed: oracleSeed(seed))
        return (0..<count).map { _ in
            var row = [timeValue(&rng)]
            for _ in 0..<rng.int(0...maxModifiers) { row.append(modifier(&rng)) }
            return row
        }
    }

    /// sqlite3 gets the modifiers as separate arguments; the row length decides how many.
    static func compare(_ rows: [[Value]], _ name: String, timezone: String = "UTC",
                        _ f: @escaping (FunctionArguments) throws -> Value) throws -> [String] {
        var bad: [String] = []
        for arity in 1...4 {
            let subset = rows.filter { $0.count == arity }
            if subset.isEmpty { continue }
            let cols = ["a", "b", "c", "d"].prefix(arity).joined(separator: ", ")
            bad += try Oracle.mismatches(subset, "\(name)(\(cols))", timezone: timezone, f)
        }
        return bad
    }

    @Test func dateTimeFunctionsUTC() throws {
        let rows = Self.rows(21, scaled(6000)).filter { !$0.contains(.t("localtime")) && !$0.contains(.t("utc")) }
        let c = Self.ctx
        var bad: [String] = []
        bad += try Self.compare(rows, "date") { try DateTimeFunctions.date($0, c) }
        bad += try Self.compare(rows, "time") { try DateTimeFunctions.time($0, c) }
        bad += try Self.compare(rows, "datetime") { try DateTimeFunctions.datetime($0, c) }
        bad += try Self.compare(rows, "julianday") { try DateTimeFunctions.julianday($0, c) }
        bad += try Self.compare(rows, "unixepoch") { try DateTimeFunctions.unixepoch($0, c) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 5))) }
    }

    @Test func strftimeFormats() throws {
        var rng = SeededRandom(seed: oracleSeed(22))
        let formats = ["%d", "%f", "%H", "%j", "%J", "%m", "%M", "%s", "%S", "%w", "%W", "%Y", "%%", "%e", "%I",
                       "%k", "%l", "%p", "%u", "%F", "%T", "%", "x%Y-%m-%d %H:%M:%f y", "%Y%j%W%w", "plain", "",
                       "%J %s", "%W %j"]
        let rows = Self.rows(23, scaled(4000)).filter { !$0.contains(.t("localtime")) && !$0.contains(.t("utc")) }
            .map { [Value.t(rng.pick(formats))] + $0.prefix(3) }
        let c = Self.ctx
        let bad = try Self.compareStrftime(rows) { try DateTimeFunctions.strftime($0, c) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count))) }
    }

    static func compareStrftime(_ rows: [[Value]], timezone: String = "UTC",
                                _ f: @escaping (FunctionArguments) throws -> Value) throws -> [String] {
        var bad: [String] = []
        for arity in 2...4 {
            let subset = rows.filter { $0.count == arity }
            let cols = ["a", "b", "c", "d"].prefix(arity).joined(separator: ", ")
            bad += try Oracle.mismatches(subset, "strftime(\(cols))", timezone: timezone, f)
        }
        return bad
    }

    /// localtime and utc through the C library, in a zone with daylight saving time.
    @Test func localtimeAndUTC() throws {
        let zone = "America/New_York"
        // The Swift side's localtime_r follows TZ; no other test reads local time.
        setenv("TZ", zone, 1)
        tzset()
        defer {
            setenv("TZ", "UTC", 1)
            tzset()
        }
        var rng = SeededRandom(seed: oracleSeed(24))
        var rows: [[Value]] = []
        for _ in 0..<scaled(3000) {
            var row = [Self.timeValue(&rng)]
            row.append(.t(rng.pick(["localtime", "utc", "localtime", "utc"])))
            if rng.chance(0.5) { row.append(rng.chance(0.5) ? .t(rng.pick(["localtime", "utc"])) : Self.modifier(&rng)) }
            rows.append(row)
        }
        let c = Self.ctx
        var bad: [String] = []
        bad += try Self.compare(rows, "datetime", timezone: zone) { try DateTimeFunctions.datetime($0, c) }
        bad += try Self.compare(rows, "julianday", timezone: zone) { try DateTimeFunctions.julianday($0, c) }
        if !bad.isEmpty { Issue.record(Comment(rawValue: summary(bad, of: rows.count * 2))) }
    }

    @Test func handPicked() throws {
        let c = Self.ctx
        func dt(_ args: [Value], _ f: (FunctionArguments, DateTimeContext) throws(FunctionError) -> Value) throws -> Value {
            try withValueRefs(args) { (refs) throws(FunctionError) -> Value in try f(refs, c) }
        }
        #expect(try dt([.t("2023-01-31"), .t("+1 month")], DateTimeFunctions.date) == .t("2023-03-03"))
        #expect(try dt([.t("2024-02-29"), .t("+1 year")], DateTimeFunctions.date) == .t("2025-03-01"))
        #expect(try dt([.t("2023-02-31")], DateTimeFunctions.date) == .t("2023-02-31"))
        #expect(try dt([.t("2024-03-15"), .t("weekday 0")], DateTimeFunctions.date) == .t("2024-03-17"))
        #expect(try dt([.t("-0001-03-01"), .t("-1 day")], DateTimeFunctions.date) == .t("-0001-02-28"))
        #expect(try dt([.t("9999-12-31"), .t("+1 day")], DateTimeFunctions.date) == .null)
        #expect(try dt([.t("now")], DateTimeFunctions.unixepoch) == .integer(1_700_000_000))
        #expect(try dt([], DateTimeFunctions.datetime) == .t("2023-11-14 22:13:20"))
        #expect(try dt([.t("now"), .t("subsec")], DateTimeFunctions.datetime) == .t("2023-11-14 22:13:20.123"))
        #expect(try dt([.t("now"), .t("subsec")], DateTimeFunctions.unixepoch) == .real(1_700_000_000.123))
        #expect(try dt([.t("%s"), .t("now"), .t("subsecond")], DateTimeFunctions.strftime) == .t("1700000000.123"))
        #expect(try dt([.t("%e"), .t("now")], DateTimeFunctions.strftime) == .null)
        #expect(try dt([.t("2000-01-01 12:00:00"), .t("2000-01-01")], DateTimeFunctions.timediff) == .t("+0000-00-00 12:00:00.000"))
        #expect(try dt([.t("2023-03-01"), .t("2023-01-31")], DateTimeFunctions.timediff) == .t("+0000-00-29 00:00:00.000"))
        #expect(try dt([.t("2000-01-01"), .t("2001-02-03 04:05:06.5")], DateTimeFunctions.timediff) == .t("-0001-01-02 04:05:06.500"))
        #expect(try dt([.t("1700000000"), .t("unixepoch")], DateTimeFunctions.datetime) == .t("2023-11-14 22:13:20"))
        #expect(try dt([.integer(1_700_000_000), .t("auto")], DateTimeFunctions.datetime) == .t("2023-11-14 22:13:20"))
        let pure = DateTimeContext(now: c.now, deterministicSite: "a CHECK constraint")
        #expect(throws: FunctionError("non-deterministic use of date() in a CHECK constraint")) {
            try withValueRefs([.t("now")]) { (refs) throws(FunctionError) -> Value in try DateTimeFunctions.date(refs, pure) }
        }
        let broken = DateTimeContext(now: c.now, localTime: { _ in nil })
        #expect(throws: FunctionError("local time unavailable")) {
            try withValueRefs([.t("2000-01-01"), .t("localtime")]) { (refs) throws(FunctionError) -> Value in
                try DateTimeFunctions.date(refs, broken)
            }
        }
    }
}
