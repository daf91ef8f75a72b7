import BTree
// length(), octet_length(), substr(), instr(), upper(), lower(), unicode(), char() (func.c,
// 3.40.1; octet_length from 3.43). Text is UTF-8 counted by lead bytes as sqlite3 does, so
// invalid sequences never fail; where the C code walks a C string, text ends at its first NUL.

package enum TextFunctions {
    /// SQLITE_LIMIT_LENGTH's default.
    package static let defaultLengthLimit = 1_000_000_000

    /// length(X): characters for text (up to a NUL), bytes for blobs, the text form's length for
    /// numbers.
    package static func length(_ x: ValueRef) -> Value {
        switch x {
        case .null: return .null
        case .text(let p): return .integer(Int64(UTF8Scan.characterCount(p)))
        case .blob, .integer, .real: return .integer(Int64(x.byteCount))
        }
    }

    /// octet_length(X) (SQLite 3.43+): bytes of the UTF-8 form.
    package static func octetLength(_ x: ValueRef) -> Value {
        x.isNull ? .null : .integer(Int64(x.byteCount))
    }

    /// substr(X, P [, N]): characters of text, bytes of blobs. P is 1-based, negative counts
    /// from the end, 0 is before the first character; a negative N takes the characters before P.
    /// P and N go through sqlite3_value_int, so they wrap at 32 bits.
    package static func substr(_ x: ValueRef, _ start: ValueRef, _ count: ValueRef? = nil,
                               lengthLimit: Int = defaultLengthLimit) -> Value {
        if start.isNull || count?.isNull == true { return .null }
        var p1 = Int64(start.int32Value)
        var p2: Int64
        var negativeCount = false
        if let count {
            p2 = Int64(count.int32Value)
            if p2 < 0 {
                p2 = -p2
                negativeCount = true
            }
        } else {
            p2 = Int64(lengthLimit)
        }
        if case .blob(let z) = x {
            // sqlite3_value_blob gives a null pointer for an empty blob, and substr returns NULL.
            if z.isEmpty { return .null }
            let len = Int64(z.count)
            normalise(&p1, &p2, len, negativeCount)
            if p1 + p2 > len {
                p2 = max(len - p1, 0)
            }
            let from = Int(min(p1, len))
            return .blob(Array(z[from..<(from + Int(p2))]))
        }
        let result: [UInt8]? = x.withText { raw in
            let z = UTF8Scan.cString(raw)
            var len: Int64 = 0
            if p1 < 0 { len = Int64(UTF8Scan.characterCount(z)) }
            normalise(&p1, &p2, len, negativeCount)
            var i = 0
            while i < z.count && p1 > 0 {
                UTF8Scan.skip(z, &i)
                p1 -= 1
            }
            var j = i
            while j < z.count && p2 > 0 {
                UTF8Scan.skip(z, &j)
                p2 -= 1
            }
            return Array(z[i..<min(j, z.count)])
        }
        guard let result else { return .null }
        return .text(result)
    }

    /// The start/length arithmetic substrFunc shares between text and blobs.
    private static func normalise(_ p1: inout Int64, _ p2: inout Int64, _ len: Int64, _ negativeCount: Bool) {
        if p1 < 0 {
            p1 += len
            if p1 < 0 {
                p2 += p1
                if p2 < 0 { p2 = 0 }
                p1 = 0
            }
        } else if p1 > 0 {
            p1 -= 1
        } else if p2 > 0 {
            p2 -= 1
        }
        if negativeCount {
            p1 -= p2
            if p1 < 0 {
                p2 += p1
                p1 = 0
            }
        }
    }

    /// instr(HAYSTACK, NEEDLE): 1-based position of the first occurrence, in characters unless
    /// both are blobs (then bytes); 0 when absent; NULL when either is NULL.
    package static func instr(_ haystack: ValueRef, _ needle: ValueRef) -> Value {
        if haystack.isNull || needle.isNull { return .null }
        var isText = true
        if case .blob = haystack, case .blob = needle { isText = false }
        let r: Int?? = haystack.withText { h in
            needle.withText { n in position(of: n, in: h, countingCharacters: isText) }
        }
        guard let outer = r, let n = outer else { return .null }
        return .integer(Int64(n))
    }

    private static func position(of n: UnsafeBufferPointer<UInt8>, in h: UnsafeBufferPointer<UInt8>,
                                 countingCharacters: Bool) -> Int {
        if n.count == 0 { return 1 }
        var index = 1
        var at = 0
        var remaining = h.count
        while n.count <= remaining && !matches(h, at, n) {
            index += 1
            repeat {
                remaining -= 1
                at += 1
            } while countingCharacters && (UTF8Scan.byte(h, at) & 0xC0) == 0x80
        }
        return n.count > remaining ? 0 : index
    }

    @inline(__always)
    private static func matches(_ h: UnsafeBufferPointer<UInt8>, _ at: Int, _ n: UnsafeBufferPointer<UInt8>) -> Bool {
        for k in 0..<n.count where h[at + k] != n[k] { return false }
        return true
    }

    /// upper(X) / lower(X): ASCII letters only (sqlite3 without ICU), over every byte.
    package static func upper(_ x: ValueRef) -> Value {
        mapBytes(x, ASCII.upper)
    }

    package static func lower(_ x: ValueRef) -> Value {
        mapBytes(x, ASCII.lower)
    }

    private static func mapBytes(_ x: ValueRef, _ f: (UInt8) -> UInt8) -> Value {
        guard let bytes = x.withText({ $0.map(f) }) else { return .null }
        return .text(bytes)
    }

    /// unicode(X): the code point of the first character; NULL for NULL or empty text.
    package static func unicode(_ x: ValueRef) -> Value {
        let r: UInt32?? = x.withText { raw in
            let z = UTF8Scan.cString(raw)
            if z.isEmpty { return nil }
            var i = 0
            return UTF8Scan.read(z, &i)
        }
        guard let outer = r, let c = outer else { return .null }
        // sqlite3_result_int: an over-long sequence can decode past 2^31 and comes out negative.
        return .integer(Int64(Int32(bitPattern: c)))
    }

    /// char(X1, X2, ...): code points outside 0...0x10FFFF become U+FFFD.
    package static func char(_ args: FunctionArguments) -> Value {
        var out: [UInt8] = []
        out.reserveCapacity(args.count * 4)
        for arg in args {
            var x = arg.int64Value
            if x < 0 || x > 0x10FFFF { x = 0xFFFD }
            UTF8Scan.append(UInt32(x & 0x1F_FFFF), to: &out)
        }
        return .text(out)
    }
}
