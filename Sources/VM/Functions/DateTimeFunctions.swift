import BTree
// date(), time(), datetime(), julianday(), unixepoch(), strftime() (date.c, 3.40.1); timediff() is
// in DateTimeDifference.swift.
// Every function returns NULL for a time value or modifier it cannot use.

package enum DateTimeFunctions {
    /// isDate: the time value in args[0] (or 'now' when there are no arguments) with every
    /// modifier applied; nil when any of them is unusable.
    static func evaluate(_ args: Slice<FunctionArguments>, _ ctx: DateTimeContext, function: String)
        throws(FunctionError) -> DateTime? {
        var p = DateTime()
        guard let first = args.first else {
            try ctx.requireNonDeterministicAllowed(function)
            return setToNow(&p, ctx) ? p : nil
        }
        switch first {
        case .null:
            return nil
        case .integer, .real:
            p.setRawNumber(first.doubleValue)
        case .text(let raw), .blob(let raw):
            let z = UTF8Scan.cString(raw)
            if DateTimeParser.date(z, &p) {
            } else if DateTimeParser.time(z, 0, &p) {
            } else if ASCII.caseInsensitiveEqual(z, "now") {
                try ctx.requireNonDeterministicAllowed(function)
                if !setToNow(&p, ctx) { return nil }
            } else {
                let parsed = parseReal(z)
                if parsed.status <= 0 { return nil }
                p.setRawNumber(parsed.value)
            }
        }
        var index = 1
        for arg in args.dropFirst() {
            let ok: Bool? = try arg.withText { (z) throws(FunctionError) -> Bool in
                try p.apply(modifier: z, index: index, ctx, function: function)
            }
            if ok != true { return nil }
            index += 1
        }
        p.computeJD()
        if p.isError || !DateTime.isValidJulianDay(p.iJD) { return nil }
        return p
    }

    private static func setToNow(_ p: inout DateTime, _ ctx: DateTimeContext) -> Bool {
        p.iJD = ctx.now
        if p.iJD > 0 {
            p.validJD = true
            return true
        }
        return false
    }

    package static func julianday(_ args: FunctionArguments, _ ctx: DateTimeContext) throws(FunctionError) -> Value {
        guard let x = try evaluate(args[...], ctx, function: "julianday") else { return .null }
        return .real(Double(x.iJD) / 86_400_000.0)
    }

    package static func unixepoch(_ args: FunctionArguments, _ ctx: DateTimeContext) throws(FunctionError) -> Value {
        guard let x = try evaluate(args[...], ctx, function: "unixepoch") else { return .null }
        if x.useSubsec { return .real(Double(x.iJD - 210_866_760_000_000) / 1000.0) }
        return .integer(x.iJD / 1000 - 210_866_760_000)
    }

    package static func datetime(_ args: FunctionArguments, _ ctx: DateTimeContext) throws(FunctionError) -> Value {
        guard var x = try evaluate(args[...], ctx, function: "datetime") else { return .null }
        x.computeYMDHMS()
        var out: [UInt8] = []
        out.reserveCapacity(24)
        appendDate(x, &out)
        out.append(UInt8(ascii: " "))
        appendTime(x, &out)
        return .text(out)
    }

    package static func time(_ args: FunctionArguments, _ ctx: DateTimeContext) throws(FunctionError) -> Value {
        guard var x = try evaluate(args[...], ctx, function: "time") else { return .null }
        x.computeHMS()
        var out: [UInt8] = []
        appendTime(x, &out)
        return .text(out)
    }

    package static func date(_ args: FunctionArguments, _ ctx: DateTimeContext) throws(FunctionError) -> Value {
        guard var x = try evaluate(args[...], ctx, function: "date") else { return .null }
        x.computeYMD()
        var out: [UInt8] = []
        appendDate(x, &out)
        return .text(out)
    }

    /// [-]YYYY-MM-DD, each field taken modulo its width as the C code's digit arithmetic does.
    private static func appendDate(_ x: DateTime, _ out: inout [UInt8]) {
        if x.Y < 0 { out.append(UInt8(ascii: "-")) }
        let y = abs(x.Y)
        appendDigits(y / 1000, &out, 1)
        appendDigits(y / 100, &out, 1)
        appendDigits(y / 10, &out, 1)
        appendDigits(y, &out, 1)
        out.append(UInt8(ascii: "-"))
        appendDigits(x.M, &out, 2)
        out.append(UInt8(ascii: "-"))
        appendDigits(x.D, &out, 2)
    }

    /// HH:MM:SS, or HH:MM:SS.SSS after 'subsec'.
    private static func appendTime(_ x: DateTime, _ out: inout [UInt8]) {
        appendDigits(x.h, &out, 2)
        out.append(UInt8(ascii: ":"))
        appendDigits(x.m, &out, 2)
        out.append(UInt8(ascii: ":"))
        if x.useSubsec {
            let ms = Int(cTruncatingInt32(1000.0 * x.s + 0.5))
            appendDigits(ms / 1000, &out, 2)
            out.append(UInt8(ascii: "."))
            appendDigits(ms, &out, 3)
        } else {
            appendDigits(Int(cTruncatingInt32(x.s)), &out, 2)
        }
    }

    /// The last `count` decimal digits of v, as `'0' + (v/10^k)%10` computes them (C remainder).
    private static func appendDigits(_ v: Int, _ out: inout [UInt8], _ count: Int) {
        var divisor = 1
        for _ in 1..<max(count, 1) { divisor *= 10 }
        while divisor >= 1 {
            out.append(UInt8(truncatingIfNeeded: 0x30 + (v / divisor) % 10))
            divisor /= 10
        }
    }

    /// strftime(FORMAT, TIMEVALUE, MODIFIERS...). The conversions are 3.40.1's: %d %f %H %j %J %m
    /// %M %s %S %w %W %Y %%; any other makes the result NULL (later releases added %e %F %I %k %l
    /// %p %P %R %T %u and more). With 'subsec', %s has milliseconds, as in 3.42+.
    package static func strftime(_ args: FunctionArguments, _ ctx: DateTimeContext) throws(FunctionError) -> Value {
        guard let formatArg = args.first else { return .null }
        let fmtBytes: [UInt8]? = formatArg.withText { Array(UTF8Scan.cString($0)) }
        guard let fmt = fmtBytes,
              var x = try evaluate(args.dropFirst(), ctx, function: "strftime") else { return .null }
        x.computeJD()
        x.computeYMDHMS()
        var out: [UInt8] = []
        var i = 0
        var j = 0
        while i < fmt.count {
            if fmt[i] != UInt8(ascii: "%") {
                i += 1
                continue
            }
            if j < i { out.append(contentsOf: fmt[j..<i]) }
            i += 1
            j = i + 1
            let cf: UInt8 = i < fmt.count ? fmt[i] : 0
            switch cf {
            case UInt8(ascii: "d"): appendPadded(x.D, 2, &out)
            case UInt8(ascii: "f"):
                appendFixed(min(x.s, 59.999), precision: 3, width: 6, &out)
            case UInt8(ascii: "H"): appendPadded(x.h, 2, &out)
            case UInt8(ascii: "W"), UInt8(ascii: "j"):
                var y = x
                y.validJD = false
                y.M = 1
                y.D = 1
                y.computeJD()
                let nDay = Int(Int32(truncatingIfNeeded: (x.iJD &- y.iJD &+ 43_200_000) / 86_400_000))
                if cf == UInt8(ascii: "W") {
                    let wd = Int(Int32(truncatingIfNeeded: ((x.iJD &+ 43_200_000) / 86_400_000) % 7))
                    appendPadded((nDay + 7 - wd) / 7, 2, &out)
                } else {
                    appendPadded(nDay + 1, 3, &out)
                }
            case UInt8(ascii: "J"):
                var spec = FloatFormatSpec(conversion: .generic(uppercase: false))
                spec.precision = 16
                _ = FloatFormatting.withFormatted(Double(x.iJD) / 86_400_000.0, spec) { out.append(contentsOf: $0) }
            case UInt8(ascii: "m"): appendPadded(x.M, 2, &out)
            case UInt8(ascii: "M"): appendPadded(x.m, 2, &out)
            case UInt8(ascii: "s"):
                if x.useSubsec {
                    appendFixed(Double(x.iJD - 210_866_760_000_000) / 1000.0, precision: 3, width: 0, &out)
                } else {
                    out.append(contentsOf: NumberText.integerText(x.iJD / 1000 - 210_866_760_000))
                }
            case UInt8(ascii: "S"): appendPadded(Int(cTruncatingInt32(x.s)), 2, &out)
            case UInt8(ascii: "w"):
                out.append(UInt8(truncatingIfNeeded: ((x.iJD &+ 129_600_000) / 86_400_000) % 7 + 0x30))
            case UInt8(ascii: "Y"): appendPadded(x.Y, 4, &out)
            case UInt8(ascii: "%"): out.append(UInt8(ascii: "%"))
            default: return .null
            }
            i += 1
        }
        if j < i { out.append(contentsOf: fmt[j..<min(i, fmt.count)]) }
        return .text(out)
    }

    /// SQLite's "%0Nd": the sign counts toward the width.
    static func appendPadded(_ v: Int, _ width: Int, _ out: inout [UInt8]) {
        let digits = NumberText.integerText(Int64(v.magnitude))
        var w = width
        if v < 0 {
            out.append(UInt8(ascii: "-"))
            w -= 1
        }
        if digits.count < w { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: w - digits.count)) }
        out.append(contentsOf: digits)
    }

    /// "%0W.Pf" through SQLite's own float formatting.
    static func appendFixed(_ v: Double, precision: Int, width: Int, _ out: inout [UInt8]) {
        var spec = FloatFormatSpec(conversion: .fixed)
        spec.precision = precision
        spec.width = width
        spec.zeroPad = width > 0
        _ = FloatFormatting.withFormatted(v, spec) { p in
            if p.count < width { out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: width - p.count)) }
            out.append(contentsOf: p)
        }
    }
}
