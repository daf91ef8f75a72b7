// The modifiers of the date and time functions (date.c parseModifier and toLocaltime, 3.40.1),
// plus 'subsec'/'subsecond', which 3.42 added (in 3.40.1 it is an unknown modifier and gives
// NULL; it is kept here as SQLite's documentation describes it).

/// aXformType: the units of "NNN units", with the float-typed limits and factors of the C table.
private let transformUnits: [(name: StaticString, limit: Float, factor: Float)] = [
    ("second", 4.6427e+14, 1.0),
    ("minute", 7.7379e+12, 60.0),
    ("hour", 1.2897e+11, 3600.0),
    ("day", 5373485.0, 86400.0),
    ("month", 176546.0, 2592000.0),
    ("year", 14713.0, 31536000.0),
]

extension DateTime {
    /// toLocaltime: treat the time as UTC and move it to local time. Years outside 1970...2037 are
    /// mapped into that window for the C library and mapped back.
    mutating func toLocalTime(_ ctx: DateTimeContext) throws(FunctionError) {
        computeJD()
        let t: Int64
        let yearShift: Int
        if iJD < 2_108_667_600 * 100_000 || iJD > 2_130_141_456 * 100_000 {
            var x = self
            x.computeYMDHMS()
            yearShift = (2000 + x.Y % 4) - x.Y
            x.Y += yearShift
            x.validJD = false
            x.computeJD()
            t = x.iJD / 1000 - 210_866_760_000
        } else {
            yearShift = 0
            t = iJD / 1000 - 210_866_760_000
        }
        guard let local = ctx.localTime(t) else { throw FunctionError("local time unavailable") }
        Y = local.year - yearShift
        M = local.month
        D = local.day
        h = local.hour
        m = local.minute
        s = Double(local.second) + Double(iJD % 1000) * 0.001
        validYMD = true
        validHMS = true
        validJD = false
        rawS = false
        validTZ = false
        isError = false
    }

    /// parseModifier. `index` is the argument position (1 for the first modifier); returns false
    /// for an unknown or malformed modifier.
    mutating func apply(modifier zIn: UnsafeBufferPointer<UInt8>, index: Int, _ ctx: DateTimeContext,
                        function: String) throws(FunctionError) -> Bool {
        let z = UTF8Scan.cString(zIn)
        let at = { (i: Int) -> UInt8 in UTF8Scan.byte(z, i) }
        switch ASCII.lower(at(0)) {
        case UInt8(ascii: "a"):
            guard ASCII.caseInsensitiveEqual(z, "auto") else { return false }
            if index > 1 { return false }
            if !rawS || validJD {
                rawS = false
                return true
            }
            if s >= -210_866_760_000 && s <= 253_402_300_799 {
                let r = s * 1000.0 + 210_866_760_000_000.0
                clearYMDHMSTZ()
                iJD = cTruncatingInt64(r + 0.5)
                validJD = true
                rawS = false
                return true
            }
            return false
        case UInt8(ascii: "j"):
            guard ASCII.caseInsensitiveEqual(z, "julianday") else { return false }
            if index > 1 { return false }
            if validJD && rawS {
                rawS = false
                return true
            }
            return false
        case UInt8(ascii: "l"):
            guard ASCII.caseInsensitiveEqual(z, "localtime") else { return false }
            try ctx.requireNonDeterministicAllowed(function)
            try toLocalTime(ctx)
            return true
        case UInt8(ascii: "u"):
            if ASCII.caseInsensitiveEqual(z, "unixepoch") && rawS {
                if index > 1 { return false }
                let r = s * 1000.0 + 210_866_760_000_000.0
                if r >= 0.0 && r < 464_269_060_800_000.0 {
                    clearYMDHMSTZ()
                    iJD = cTruncatingInt64(r + 0.5)
                    validJD = true
                    rawS = false
                    return true
                }
                return false
            }
            guard ASCII.caseInsensitiveEqual(z, "utc") else { return false }
            try ctx.requireNonDeterministicAllowed(function)
            if !tzSet {
                // Find the UTC time whose local time is this one, by fixed-point iteration.
                computeJD()
                let original = iJD
                var guess = original
                var error: Int64 = 0
                var count = 0
                repeat {
                    var probe = DateTime()
                    guess = guess &- error
                    probe.iJD = guess
                    probe.validJD = true
                    try probe.toLocalTime(ctx)
                    probe.computeJD()
                    // 3.40.1 keeps the error in a C int, so a huge miss wraps at 32 bits.
                    error = Int64(Int32(truncatingIfNeeded: probe.iJD &- original))
                    count += 1
                } while error != 0 && count <= 3
                self = DateTime()
                iJD = guess
                validJD = true
                tzSet = true
            }
            return true
        case UInt8(ascii: "w"):
            guard ASCII.hasCaseInsensitivePrefix(z, "weekday ") else { return false }
            let parsed = parseReal(UnsafeBufferPointer(rebasing: z[8...]))
            let r = parsed.value
            guard parsed.status > 0, r >= 0.0, r < 7.0, Double(Int(r)) == r else { return false }
            let n = Int64(r)
            computeYMDHMS()
            validTZ = false
            validJD = false
            computeJD()
            var weekday = ((iJD &+ 129_600_000) / 86_400_000) % 7
            if weekday > n { weekday -= 7 }
            iJD = iJD &+ (n - weekday) &* 86_400_000
            clearYMDHMSTZ()
            return true
        case UInt8(ascii: "s"):
            guard ASCII.hasCaseInsensitivePrefix(z, "start of ") else {
                if ASCII.caseInsensitiveEqual(z, "subsec") || ASCII.caseInsensitiveEqual(z, "subsecond") {
                    useSubsec = true
                    return true
                }
                return false
            }
            if !validJD && !validYMD && !validHMS { return false }
            let unit = UnsafeBufferPointer(rebasing: z[9...])
            computeYMD()
            validHMS = true
            h = 0
            m = 0
            s = 0.0
            rawS = false
            validTZ = false
            validJD = false
            if ASCII.caseInsensitiveEqual(unit, "month") {
                D = 1
                return true
            } else if ASCII.caseInsensitiveEqual(unit, "year") {
                M = 1
                D = 1
                return true
            }
            return ASCII.caseInsensitiveEqual(unit, "day")
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return applyOffset(z)
        default:
            return false
        }
    }

    /// "NNN units" and "[+-]HH:MM[:SS[.FFF]]".
    private mutating func applyOffset(_ z: UnsafeBufferPointer<UInt8>) -> Bool {
        var n = 1
        while n < z.count && z[n] != UInt8(ascii: ":") && !ASCII.isSpace(z[n]) { n += 1 }
        let parsed = parseReal(UnsafeBufferPointer(rebasing: z[0..<n]))
        if parsed.status <= 0 { return false }
        var r = parsed.value
        if UTF8Scan.byte(z, n) == UInt8(ascii: ":") {
            var start = 0
            if !ASCII.isDigit(z[0]) { start = 1 }
            var tx = DateTime()
            if !DateTimeParser.time(z, start, &tx) { return false }
            tx.computeJD()
            tx.iJD -= 43_200_000
            let day = tx.iJD / 86_400_000
            tx.iJD -= day * 86_400_000
            if z[0] == UInt8(ascii: "-") { tx.iJD = -tx.iJD }
            computeJD()
            clearYMDHMSTZ()
            iJD = iJD &+ tx.iJD
            return true
        }
        var i = n
        while ASCII.isSpace(UTF8Scan.byte(z, i)) { i += 1 }
        var unit = UnsafeBufferPointer(rebasing: z[i...])
        var len = unit.count
        if len > 10 || len < 3 { return false }
        if ASCII.lower(unit[len - 1]) == UInt8(ascii: "s") { len -= 1 }
        unit = UnsafeBufferPointer(rebasing: unit[0..<len])
        computeJD()
        var ok = false
        let rounder = r < 0 ? -0.5 : 0.5
        for (k, u) in transformUnits.enumerated() {
            let limit = Double(u.limit)
            guard u.name.utf8CodeUnitCount == len, ASCII.hasCaseInsensitivePrefix(unit, u.name),
                  r > -limit, r < limit else { continue }
            if k == 4 {
                // Months move the calendar month and let computeJD normalise the day.
                computeYMDHMS()
                M += Int(cTruncatingInt32(r))
                let x = M > 0 ? (M - 1) / 12 : (M - 12) / 12
                Y += x
                M -= x * 12
                validJD = false
                r -= Double(cTruncatingInt32(r))
            } else if k == 5 {
                let y = Int(cTruncatingInt32(r))
                computeYMDHMS()
                Y += y
                validJD = false
                r -= Double(cTruncatingInt32(r))
            }
            computeJD()
            iJD = iJD &+ cTruncatingInt64(r * 1000.0 * Double(u.factor) + rounder)
            ok = true
            break
        }
        clearYMDHMSTZ()
        return ok
    }
}
