import BTree
// timediff() (added in SQLite 3.43; 3.40.1 lacks it, so this follows 3.43's date.c and the
// documentation): the calendar difference between two time values.

extension DateTimeFunctions {
    /// timediff(A, B) (SQLite 3.43+): the "+YYYY-MM-DD HH:MM:SS.SSS" to add to B to reach A.
    package static func timediff(_ args: FunctionArguments, _ ctx: DateTimeContext) throws(FunctionError) -> Value {
        guard args.count == 2,
              var d1 = try evaluate(args[0..<1], ctx, function: "timediff"),
              var d2 = try evaluate(args[1..<2], ctx, function: "timediff") else { return .null }
        // 3.43's isDate normalises a lone YYYY-MM-DD with an out-of-month day (2023-02-31).
        if d1.validYMD && d1.D > 28 { d1.validYMD = false }
        if d2.validYMD && d2.D > 28 { d2.validYMD = false }
        d1.computeYMDHMS()
        d2.computeYMDHMS()
        let sign: UInt8
        var y: Int
        var mo: Int
        if d1.iJD >= d2.iJD {
            sign = UInt8(ascii: "+")
            y = d1.Y - d2.Y
            if y != 0 {
                d2.Y = d1.Y
                d2.validJD = false
                d2.computeJD()
            }
            mo = d1.M - d2.M
            if mo < 0 {
                y -= 1
                mo += 12
            }
            if mo != 0 {
                d2.M = d1.M
                d2.validJD = false
                d2.computeJD()
            }
            while d1.iJD < d2.iJD {
                mo -= 1
                if mo < 0 {
                    mo = 11
                    y -= 1
                }
                d2.M -= 1
                if d2.M < 1 {
                    d2.M = 12
                    d2.Y -= 1
                }
                d2.validJD = false
                d2.computeJD()
            }
            d1.iJD = d1.iJD &- d2.iJD
        } else {
            sign = UInt8(ascii: "-")
            y = d2.Y - d1.Y
            if y != 0 {
                d2.Y = d1.Y
                d2.validJD = false
                d2.computeJD()
            }
            mo = d2.M - d1.M
            if mo < 0 {
                y -= 1
                mo += 12
            }
            if mo != 0 {
                d2.M = d1.M
                d2.validJD = false
                d2.computeJD()
            }
            while d1.iJD > d2.iJD {
                mo -= 1
                if mo < 0 {
                    mo = 11
                    y -= 1
                }
                d2.M += 1
                if d2.M > 12 {
                    d2.M = 1
                    d2.Y += 1
                }
                d2.validJD = false
                d2.computeJD()
            }
            d1.iJD = d2.iJD &- d1.iJD
        }
        d1.iJD = d1.iJD &+ 148_699_540_800_000
        d1.validYMD = false
        d1.validHMS = false
        d1.validTZ = false
        d1.computeYMDHMS()
        var out: [UInt8] = [sign]
        appendPadded(y, 4, &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(mo, 2, &out)
        out.append(UInt8(ascii: "-"))
        appendPadded(d1.D - 1, 2, &out)
        out.append(UInt8(ascii: " "))
        appendPadded(d1.h, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendPadded(d1.m, 2, &out)
        out.append(UInt8(ascii: ":"))
        appendFixed(d1.s, precision: 3, width: 6, &out)
        return .text(out)
    }
}
