import BTree
// LIKE and GLOB (func.c patternCompare and likeFunc, 3.40.1). Patterns and strings are C strings
// here as in sqlite3: each ends at its first NUL.

package struct PatternStyle: Sendable {
    /// "*" or "%"; 0 when the ESCAPE character took its place.
    var matchAll: UInt32
    /// "?" or "_"; 0 when the ESCAPE character took its place.
    var matchOne: UInt32
    /// "[" for GLOB, 0 for LIKE.
    var matchSet: UInt32
    /// ASCII case folding (LIKE without PRAGMA case_sensitive_like).
    var noCase: Bool

    package static let glob = PatternStyle(matchAll: 0x2A, matchOne: 0x3F, matchSet: 0x5B, noCase: false)
    package static let like = PatternStyle(matchAll: 0x25, matchOne: 0x5F, matchSet: 0, noCase: true)
    package static let caseSensitiveLike = PatternStyle(matchAll: 0x25, matchOne: 0x5F, matchSet: 0, noCase: false)
}

package enum PatternMatchResult: Sendable {
    case match
    case noMatch
    /// No match, and none is possible with a later start: lets the '*' loops stop early.
    case noWildcardMatch
}

package enum PatternMatch {
    /// SQLITE_LIMIT_LIKE_PATTERN_LENGTH's default.
    package static let defaultPatternLengthLimit = 50_000

    /// patternCompare. `matchOther` is the ESCAPE character for LIKE (0 for none) or '[' for GLOB.
    package static func compare(
        _ pattern: UnsafeBufferPointer<UInt8>, _ string: UnsafeBufferPointer<UInt8>,
        _ style: PatternStyle, matchOther: UInt32
    ) -> PatternMatchResult {
        compare(pattern, 0, string, 0, style, matchOther)
    }

    private static func compare(
        _ pat: UnsafeBufferPointer<UInt8>, _ pStart: Int,
        _ str: UnsafeBufferPointer<UInt8>, _ sStart: Int,
        _ style: PatternStyle, _ matchOther: UInt32
    ) -> PatternMatchResult {
        var p = pStart
        var s = sStart
        let matchOne = style.matchOne
        let matchAll = style.matchAll
        var escapedEnd = -1  // one past the last escaped pattern character

        while true {
            var c = UTF8Scan.read(pat, &p)
            if c == 0 { break }
            if c == matchAll {
                // Collapse runs of '*' and '?', consuming one string character per '?'.
                while true {
                    c = UTF8Scan.read(pat, &p)
                    if c == matchAll { continue }
                    if c == matchOne && matchOne != 0 {
                        if UTF8Scan.read(str, &s) == 0 { return .noWildcardMatch }
                        continue
                    }
                    break
                }
                if c == 0 { return .match }
                if c == matchOther {
                    if style.matchSet == 0 {
                        c = UTF8Scan.read(pat, &p)
                        if c == 0 { return .noWildcardMatch }
                    } else {
                        // "[...]" right after "*": try every start position.
                        while UTF8Scan.byte(str, s) != 0 {
                            let r = compare(pat, p - 1, str, s, style, matchOther)
                            if r != .noMatch { return r }
                            UTF8Scan.skip(str, &s)
                        }
                        return .noWildcardMatch
                    }
                }
                if c < 0x80 {
                    let c8 = UInt8(c)
                    let stop1 = style.noCase ? ASCII.upper(c8) : c8
                    let stop2 = style.noCase ? ASCII.lower(c8) : c8
                    while true {
                        while s < str.count && str[s] != stop1 && str[s] != stop2 && str[s] != 0 { s += 1 }
                        if UTF8Scan.byte(str, s) == 0 { break }
                        s += 1
                        let r = compare(pat, p, str, s, style, matchOther)
                        if r != .noMatch { return r }
                    }
                } else {
                    while true {
                        let c2 = UTF8Scan.read(str, &s)
                        if c2 == 0 { break }
                        if c2 != c { continue }
                        let r = compare(pat, p, str, s, style, matchOther)
                        if r != .noMatch { return r }
                    }
                }
                return .noWildcardMatch
            }
            if c == matchOther {
                if style.matchSet == 0 {
                    c = UTF8Scan.read(pat, &p)
                    if c == 0 { return .noMatch }
                    escapedEnd = p
                } else {
                    var prior: UInt32 = 0
                    var seen = false
                    var invert = false
                    let sc = UTF8Scan.read(str, &s)
                    if sc == 0 { return .noMatch }
                    var c2 = UTF8Scan.read(pat, &p)
                    if c2 == 0x5E {  // '^'
                        invert = true
                        c2 = UTF8Scan.read(pat, &p)
                    }
                    if c2 == 0x5D {  // ']' first is literal
                        if sc == 0x5D { seen = true }
                        c2 = UTF8Scan.read(pat, &p)
                    }
                    while c2 != 0 && c2 != 0x5D {
                        let next = UTF8Scan.byte(pat, p)
                        if c2 == 0x2D && next != 0x5D && next != 0 && prior > 0 {  // a-z range
                            c2 = UTF8Scan.read(pat, &p)
                            if sc >= prior && sc <= c2 { seen = true }
                            prior = 0
                        } else {
                            if sc == c2 { seen = true }
                            prior = c2
                        }
                        c2 = UTF8Scan.read(pat, &p)
                    }
                    if c2 == 0 || seen == invert { return .noMatch }
                    continue
                }
            }
            let c2 = s < str.count && str[s] < 0x80 ? UInt32(str[s]) : 0
            var sc = c2
            if s < str.count && str[s] < 0x80 {
                s += 1
            } else {
                sc = UTF8Scan.read(str, &s)
            }
            if c == sc { continue }
            if style.noCase && c < 0x80 && sc < 0x80 && ASCII.lower(UInt8(c)) == ASCII.lower(UInt8(sc)) {
                continue
            }
            if c == matchOne && p != escapedEnd && sc != 0 { continue }
            return .noMatch
        }
        return UTF8Scan.byte(str, s) == 0 ? .match : .noMatch
    }

    /// like(PATTERN, STRING [, ESCAPE]) -- note the SQL operator `X LIKE Y` is like(Y, X).
    /// Returns integer 1/0, or NULL when an argument is NULL.
    ///
    /// `blobsNeverMatch` reproduces builds with SQLITE_LIKE_DOESNT_MATCH_BLOBS (Debian's sqlite3
    /// has it): a BLOB on either side gives 0 before anything else is looked at.
    package static func like(
        pattern: ValueRef, string: ValueRef, escape: ValueRef? = nil,
        caseSensitive: Bool = false, blobsNeverMatch: Bool = false,
        patternLengthLimit: Int = defaultPatternLengthLimit
    ) throws(FunctionError) -> Value {
        try match(pattern: pattern, string: string, escape: escape,
                  style: caseSensitive ? .caseSensitiveLike : .like,
                  blobsNeverMatch: blobsNeverMatch, patternLengthLimit: patternLengthLimit)
    }

    /// glob(PATTERN, STRING) -- `X GLOB Y` is glob(Y, X).
    package static func glob(
        pattern: ValueRef, string: ValueRef, blobsNeverMatch: Bool = false,
        patternLengthLimit: Int = defaultPatternLengthLimit
    ) throws(FunctionError) -> Value {
        try match(pattern: pattern, string: string, escape: nil, style: .glob,
                  blobsNeverMatch: blobsNeverMatch, patternLengthLimit: patternLengthLimit)
    }

    private static func match(
        pattern: ValueRef, string: ValueRef, escape: ValueRef?, style: PatternStyle,
        blobsNeverMatch: Bool, patternLengthLimit: Int
    ) throws(FunctionError) -> Value {
        if blobsNeverMatch {
            if case .blob = pattern { return .integer(0) }
            if case .blob = string { return .integer(0) }
        }
        if pattern.byteCount > patternLengthLimit {
            throw FunctionError("LIKE or GLOB pattern too complex")
        }
        var style = style
        var escapeChar: UInt32
        if let escape {
            let e: UInt32?? = escape.withText { p -> UInt32? in
                if UTF8Scan.characterCount(p) != 1 { return nil }
                var k = 0
                return UTF8Scan.read(p, &k)
            }
            guard let e else { return .null }
            guard let e else { throw FunctionError("ESCAPE expression must be a single character") }
            escapeChar = e
            if e == style.matchAll { style.matchAll = 0 }
            if e == style.matchOne { style.matchOne = 0 }
        } else {
            escapeChar = style.matchSet
        }
        let r: Bool?? = pattern.withText { pat in
            string.withText { str in
                compare(UTF8Scan.cString(pat), UTF8Scan.cString(str), style, matchOther: escapeChar) == .match
            }
        }
        guard let outer = r, let matched = outer else { return .null }
        return .integer(matched ? 1 : 0)
    }
}
