import BTree
// quote(), hex() and unhex() (func.c; unhex() is SQLite 3.41+, implemented as that release's code
// and documentation describe it).

package enum QuoteHexFunctions {
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    /// quote(X): X as an SQL literal. Reals use "%!.15g" unless that does not read back as the same
    /// double, then "%!.20e"; text is cut at its first NUL and single-quoted.
    package static func quote(_ x: ValueRef) -> Value {
        switch x {
        case .null:
            return .text(Array("NULL".utf8))
        case .integer(let i):
            return .text(NumberText.integerText(i))
        case .real(let r):
            let short = NumberText.realText(r)
            let back = short.withUnsafeBufferPointer { parseReal($0).value }
            if back == r { return .text(short) }
            var spec = FloatFormatSpec(conversion: .exponent(uppercase: false))
            spec.precision = 20
            spec.alternateForm2 = true
            return .text(FloatFormatting.withFormatted(r, spec) { Array($0) }!)
        case .blob(let p):
            var out: [UInt8] = [UInt8(ascii: "X"), UInt8(ascii: "'")]
            out.reserveCapacity(p.count * 2 + 3)
            for b in p {
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0xF)])
            }
            out.append(UInt8(ascii: "'"))
            return .text(out)
        case .text(let p):
            let z = UTF8Scan.cString(p)
            var out: [UInt8] = [UInt8(ascii: "'")]
            out.reserveCapacity(z.count + 2)
            for b in z {
                out.append(b)
                if b == UInt8(ascii: "'") { out.append(b) }
            }
            out.append(UInt8(ascii: "'"))
            return .text(out)
        }
    }

    /// hex(X): the bytes of X (of its text form for numbers) in upper-case hex; NULL gives ''.
    package static func hex(_ x: ValueRef) -> Value {
        let bytes = x.withText { p -> [UInt8] in
            var out: [UInt8] = []
            out.reserveCapacity(p.count * 2)
            for b in p {
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 0xF)])
            }
            return out
        } ?? []
        return .text(bytes)
    }

    /// unhex(X [, Y]) (SQLite 3.41+): decodes pairs of hex digits to a blob. Characters of Y may
    /// appear between pairs; anything else, or an odd digit, gives NULL.
    package static func unhex(_ x: ValueRef, _ ignored: ValueRef? = nil) -> Value {
        let decoded: [UInt8]?? = x.withText { raw -> [UInt8]? in
            let z = UTF8Scan.cString(raw)
            let pass: [UInt8]? = ignored.map { $0.withText { Array($0) } } ?? []
            guard let pass else { return nil }
            return pass.withUnsafeBufferPointer { passBuf -> [UInt8]? in
                var out: [UInt8] = []
                out.reserveCapacity(z.count / 2)
                var i = 0
                while i < z.count {
                    var c = z[i]
                    while !ASCII.isHexDigit(c) {
                        let ch = UTF8Scan.read(z, &i)
                        if !contains(passBuf, ch) { return nil }
                        c = UTF8Scan.byte(z, i)
                        if c == 0 { return out }
                    }
                    i += 1
                    let d = UTF8Scan.byte(z, i)
                    i += 1
                    if !ASCII.isHexDigit(d) { return nil }
                    out.append(ASCII.hexValue(c) << 4 | ASCII.hexValue(d))
                }
                return out
            }
        }
        guard let outer = decoded, let bytes = outer else { return .null }
        return .blob(bytes)
    }

    /// strContainsChar: the whole of `set` (not cut at NUL) read as characters.
    private static func contains(_ set: UnsafeBufferPointer<UInt8>, _ ch: UInt32) -> Bool {
        var i = 0
        while i < set.count {
            if UTF8Scan.read(set, &i) == ch { return true }
        }
        return false
    }
}
