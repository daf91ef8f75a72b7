// SQLite's lenient UTF-8 reader (utf.c). It never rejects input: stray continuation bytes count as
// characters of their own, over-long forms are accepted, and a lead byte swallows every continuation
// byte that follows it. Counting characters by lead bytes like this is what makes length(), substr()
// and LIKE agree with sqlite3 on invalid UTF-8.
//
// All readers treat the end of the buffer as the NUL terminator SQLite's C strings have.

package enum UTF8Scan {
    /// sqlite3Utf8Trans1: the payload bits of a lead byte 0xC0...0xFF.
    private static let leadPayload: [UInt32] = [
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
        0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
        0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17,
        0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
        0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x0f,
        0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07,
        0x00, 0x01, 0x02, 0x03, 0x00, 0x01, 0x00, 0x00,
    ]

    @inline(__always)
    package static func byte(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> UInt8 {
        i < p.count ? p[i] : 0
    }

    /// sqlite3Utf8Read: decodes one character at `i` and advances past it. At the end it returns 0
    /// (the terminator) and still advances, as the C code does.
    @inline(__always)
    package static func read(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) -> UInt32 {
        let lead = byte(p, i)
        i += 1
        if lead < 0xC0 { return UInt32(lead) }
        var c = leadPayload[Int(lead) - 0xC0]
        while i < p.count && (p[i] & 0xC0) == 0x80 {
            c = (c &<< 6) &+ UInt32(p[i] & 0x3F)
            i += 1
        }
        if c < 0x80 || (c & 0xFFFF_F800) == 0xD800 || (c & 0xFFFF_FFFE) == 0xFFFE {
            c = 0xFFFD
        }
        return c
    }

    /// SQLITE_SKIP_UTF8.
    @inline(__always)
    package static func skip(_ p: UnsafeBufferPointer<UInt8>, _ i: inout Int) {
        let lead = byte(p, i)
        i += 1
        if lead >= 0xC0 {
            while i < p.count && (p[i] & 0xC0) == 0x80 { i += 1 }
        }
    }

    /// The bytes before the first NUL: what SQLite sees through sqlite3_value_text() in code that
    /// walks the string as a C string.
    package static func cString(_ p: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard let base = p.baseAddress else { return p }
        for i in 0..<p.count where p[i] == 0 {
            return UnsafeBufferPointer(start: base, count: i)
        }
        return p
    }

    /// sqlite3Utf8CharLen(z, -1): characters before the first NUL.
    package static func characterCount(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var i = 0
        var n = 0
        while i < p.count && p[i] != 0 {
            skip(p, &i)
            n += 1
        }
        return n
    }

    /// The encoder used by char() and printf's %c: code points above 0x10FFFF are masked, not refused.
    package static func append(_ c: UInt32, to out: inout [UInt8]) {
        if c < 0x80 {
            out.append(UInt8(c & 0xFF))
        } else if c < 0x800 {
            out.append(0xC0 &+ UInt8((c >> 6) & 0x1F))
            out.append(0x80 &+ UInt8(c & 0x3F))
        } else if c < 0x10000 {
            out.append(0xE0 &+ UInt8((c >> 12) & 0x0F))
            out.append(0x80 &+ UInt8((c >> 6) & 0x3F))
            out.append(0x80 &+ UInt8(c & 0x3F))
        } else {
            out.append(0xF0 &+ UInt8((c >> 18) & 0x07))
            out.append(0x80 &+ UInt8((c >> 12) & 0x3F))
            out.append(0x80 &+ UInt8((c >> 6) & 0x3F))
            out.append(0x80 &+ UInt8(c & 0x3F))
        }
    }
}
