// SQLite classifies characters with its own ASCII-only table (global.c sqlite3CtypeMap) rather than
// the C library's locale-dependent ctype, so "space" is exactly \t \n \v \f \r and ' ', and case
// folding never touches bytes >= 0x80.

package enum ASCII {
    @inline(__always)
    package static func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || (c >= 0x09 && c <= 0x0D)
    }

    @inline(__always)
    package static func isDigit(_ c: UInt8) -> Bool {
        c >= 0x30 && c <= 0x39
    }

    @inline(__always)
    package static func isHexDigit(_ c: UInt8) -> Bool {
        isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66)
    }

    /// sqlite3HexToInt: only meaningful for bytes that pass `isHexDigit`.
    @inline(__always)
    package static func hexValue(_ c: UInt8) -> UInt8 {
        var h = c
        h = h &+ 9 &* (1 & (h >> 6))
        return h & 0x0F
    }

    @inline(__always)
    package static func lower(_ c: UInt8) -> UInt8 {
        (c >= 0x41 && c <= 0x5A) ? c | 0x20 : c
    }

    @inline(__always)
    package static func upper(_ c: UInt8) -> UInt8 {
        (c >= 0x61 && c <= 0x7A) ? c & ~0x20 : c
    }

    /// sqlite3StrICmp over two byte strings, each ending at its first NUL or its end.
    package static func caseInsensitiveEqual(_ a: UnsafeBufferPointer<UInt8>, _ b: StaticString) -> Bool {
        b.withUTF8Buffer { bb in
            var i = 0
            while true {
                let ca: UInt8 = i < a.count ? a[i] : 0
                let cb: UInt8 = i < bb.count ? bb[i] : 0
                if lower(ca) != lower(cb) { return false }
                if ca == 0 { return true }
                i += 1
            }
        }
    }

    /// sqlite3_strnicmp(a, b, n) == 0 where b is ASCII without NULs.
    package static func hasCaseInsensitivePrefix(_ a: UnsafeBufferPointer<UInt8>, _ b: StaticString) -> Bool {
        b.withUTF8Buffer { bb in
            if a.count < bb.count { return false }
            for i in 0..<bb.count where lower(a[i]) != lower(bb[i]) { return false }
            return true
        }
    }
}
