// The DateTime record of date.c (3.40.1) and the routines that fill it in: parsing the time-value
// forms and moving between the julian-day and calendar views. Date strings are C strings there,
// so every reader here treats the end of the buffer as the terminator.

/// A point in time as date.c tracks it: any of the julian-day, calendar and clock views may be
/// the authoritative one, as the valid* flags say.
struct DateTime {
    /// Julian day number times 86400000 (milliseconds since -4713-11-24 12:00:00).
    var iJD: Int64 = 0
    var Y = 0, M = 0, D = 0
    var h = 0, m = 0
    /// Timezone offset in minutes.
    var tz = 0
    var s: Double = 0
    var validJD = false
    /// `s` holds a raw number (julian day or unix time) not yet interpreted.
    var rawS = false
    var validYMD = false
    var validHMS = false
    var validTZ = false
    /// A timezone was given explicitly, so 'utc' is a no-op.
    var tzSet = false
    var isError = false
    /// The 'subsec' modifier (SQLite 3.42+) was seen.
    var useSubsec = false

    /// datetimeError.
    mutating func setError() {
        self = DateTime()
        isError = true
    }

    /// computeJD (Meeus p. 61): Gregorian calendar throughout.
    mutating func computeJD() {
        if validJD { return }
        var y: Int, mo: Int, d: Int
        if validYMD {
            y = Y
            mo = M
            d = D
        } else {
            y = 2000
            mo = 1
            d = 1
        }
        if y < -4713 || y > 9999 || rawS {
            setError()
            return
        }
        if mo <= 2 {
            y -= 1
            mo += 12
        }
        let a = y / 100
        let b = 2 - a + (a / 4)
        let x1 = 36525 * (y + 4716) / 100
        let x2 = 306001 * (mo + 1) / 10000
        iJD = cTruncatingInt64((Double(x1 + x2 + d + b) - 1524.5) * 86_400_000)
        validJD = true
        if validHMS {
            iJD = iJD &+ Int64(h * 3_600_000 + m * 60000) &+ cTruncatingInt64(s * 1000 + 0.5)
            if validTZ {
                iJD = iJD &- Int64(tz) &* 60000
                validYMD = false
                validHMS = false
                validTZ = false
            }
        }
    }

    /// validJulianDay: 0000-01-01 ... 9999-12-31 23:59:59.999 in iJD terms.
    static func isValidJulianDay(_ iJD: Int64) -> Bool {
        iJD >= 0 && iJD <= 464_269_060_799_999
    }

    /// computeYMD.
    mutating func computeYMD() {
        if validYMD { return }
        if !validJD {
            Y = 2000
            M = 1
            D = 1
        } else if !DateTime.isValidJulianDay(iJD) {
            setError()
            return
        } else {
            let z = Int((iJD + 43_200_000) / 86_400_000)
            var a = Int(cTruncatingInt32((Double(z) - 1867216.25) / 36524.25))
            a = z + 1 + a - (a / 4)
            let b = a + 1524
            let c = Int(cTruncatingInt32((Double(b) - 122.1) / 365.25))
            let d = (36525 * (c & 32767)) / 100
            let e = Int(cTruncatingInt32(Double(b - d) / 30.6001))
            let x1 = Int(cTruncatingInt32(30.6001 * Double(e)))
            D = b - d - x1
            M = e < 14 ? e - 1 : e - 13
            Y = M > 2 ? c - 4716 : c - 4715
        }
        validYMD = true
    }

    /// computeHMS, in 3.40.1's arithmetic (later releases derive the seconds differently).
    mutating func computeHMS() {
        if validHMS { return }
        computeJD()
        var sec = Int(Int32(truncatingIfNeeded: (iJD &+ 43_200_000) % 86_400_000))
        s = Double(sec) / 1000.0
        sec = Int(cTruncatingInt32(s))
        s -= Double(sec)
        h = sec / 3600
        sec -= h * 3600
        m = sec / 60
        s += Double(sec - m * 60)
        rawS = false
        validHMS = true
    }

    mutating func computeYMDHMS() {
        computeYMD()
        computeHMS()
    }

    mutating func clearYMDHMSTZ() {
        validYMD = false
        validHMS = false
        validTZ = false
    }

    /// setRawDateNumber: a number is a julian day if it can be one; 'unixepoch' or 'auto' may
    /// reinterpret it later.
    mutating func setRawNumber(_ r: Double) {
        s = r
        rawS = true
        if r >= 0.0 && r < 5373484.5 {
            iJD = cTruncatingInt64(r * 86_400_000.0 + 0.5)
            validJD = true
        }
    }
}

/// The date.c text readers.
enum DateTimeParser {
    @inline(__always)
    static func at(_ z: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt8 { UTF8Scan.byte(z, i) }

    /// One getDigits field: `count` digits at `i` within min...max, followed by `separator`
    /// unless that is 0.
    static func field(_ z: UnsafeBufferPointer<UInt8>, _ i: Int, _ count: Int, _ min: Int, _ max: Int,
                      _ separator: UInt8) -> Int? {
        var val = 0
        for k in 0..<count {
            let c = at(z, i + k)
            if !ASCII.isDigit(c) { return nil }
            val = val * 10 + Int(c - 0x30)
        }
        if val < min || val > max || (separator != 0 && separator != at(z, i + count)) { return nil }
        return val
    }

    /// parseTimezone: "[+-]HH:MM" or "Z" with optional spaces around; nothing at all is fine.
    /// Returns false on a syntax error.
    static func timezone(_ z: UnsafeBufferPointer<UInt8>, _ start: Int, _ p: inout DateTime) -> Bool {
        var i = start
        while ASCII.isSpace(at(z, i)) { i += 1 }
        p.tz = 0
        let c = at(z, i)
        if c == UInt8(ascii: "Z") || c == UInt8(ascii: "z") {
            i += 1
        } else {
            let sign: Int
            if c == UInt8(ascii: "-") {
                sign = -1
            } else if c == UInt8(ascii: "+") {
                sign = 1
            } else {
                return c == 0
            }
            i += 1
            guard let hours = field(z, i, 2, 0, 14, UInt8(ascii: ":")),
                  let minutes = field(z, i + 3, 2, 0, 59, 0) else { return false }
            i += 5
            p.tz = sign * (minutes + hours * 60)
        }
        while ASCII.isSpace(at(z, i)) { i += 1 }
        p.tzSet = true
        return at(z, i) == 0
    }

    /// parseHhMmSs: "HH:MM", "HH:MM:SS" or "HH:MM:SS.FFF..." then an optional timezone.
    static func time(_ z: UnsafeBufferPointer<UInt8>, _ start: Int, _ p: inout DateTime) -> Bool {
        var i = start
        guard let hour = field(z, i, 2, 0, 24, UInt8(ascii: ":")),
              let minute = field(z, i + 3, 2, 0, 59, 0) else { return false }
        i += 5
        var second = 0
        var fraction = 0.0
        if at(z, i) == UInt8(ascii: ":") {
            i += 1
            guard let sec = field(z, i, 2, 0, 59, 0) else { return false }
            second = sec
            i += 2
            if at(z, i) == UInt8(ascii: "."), ASCII.isDigit(at(z, i + 1)) {
                var scale = 1.0
                i += 1
                while ASCII.isDigit(at(z, i)) {
                    fraction = fraction * 10.0 + Double(at(z, i) - 0x30)
                    scale *= 10.0
                    i += 1
                }
                fraction /= scale
            }
        }
        p.validJD = false
        p.rawS = false
        p.validHMS = true
        p.h = hour
        p.m = minute
        p.s = Double(second) + fraction
        if !timezone(z, i, &p) { return false }
        p.validTZ = p.tz != 0
        return true
    }

    /// parseYyyyMmDd: "[-]YYYY-MM-DD" then optional spaces/'T' and a time.
    static func date(_ z: UnsafeBufferPointer<UInt8>, _ p: inout DateTime) -> Bool {
        var i = 0
        var negative = false
        if at(z, 0) == UInt8(ascii: "-") {
            negative = true
            i = 1
        }
        guard let year = field(z, i, 4, 0, 9999, UInt8(ascii: "-")),
              let month = field(z, i + 5, 2, 1, 12, UInt8(ascii: "-")),
              let day = field(z, i + 8, 2, 1, 31, 0) else { return false }
        i += 10
        while ASCII.isSpace(at(z, i)) || at(z, i) == UInt8(ascii: "T") { i += 1 }
        if time(z, i, &p) {
            // got the time too
        } else if at(z, i) == 0 {
            p.validHMS = false
        } else {
            return false
        }
        p.validJD = false
        p.validYMD = true
        p.Y = negative ? -year : year
        p.M = month
        p.D = day
        if p.validTZ { p.computeJD() }
        return true
    }
}
