import BTree
// trim(), ltrim(), rtrim() and replace() (func.c, 3.40.1). Both work on whole UTF-8 characters of
// the character set but compare bytes, so they never split a character of the set.

package enum TrimSide: Sendable {
    case left
    case right
    case both
}

extension TextFunctions {
    /// trim(X [, Y]) and its one-sided forms: removes characters of Y (default ' ') from the ends.
    package static func trim(_ x: ValueRef, _ characters: ValueRef? = nil, side: TrimSide = .both) -> Value {
        if x.isNull { return .null }
        if characters?.isNull == true { return .null }
        let result: [UInt8]? = x.withText { input in
            var setChars: [UnsafeBufferPointer<UInt8>] = []
            let body = { (set: UnsafeBufferPointer<UInt8>) -> [UInt8] in
                var i = 0
                while i < set.count {
                    let start = i
                    UTF8Scan.skip(set, &i)
                    setChars.append(UnsafeBufferPointer(rebasing: set[start..<min(i, set.count)]))
                }
                return trimmed(input, setChars, side)
            }
            if let characters {
                return characters.withText { body(UTF8Scan.cString($0)) }!
            }
            let space: StaticString = " "
            return space.withUTF8Buffer(body)
        }
        guard let result else { return .null }
        return .text(result)
    }

    private static func trimmed(_ z: UnsafeBufferPointer<UInt8>, _ set: [UnsafeBufferPointer<UInt8>],
                                _ side: TrimSide) -> [UInt8] {
        var from = 0
        var to = z.count
        if set.isEmpty { return Array(z) }
        if side != .right {
            while from < to {
                guard let c = set.first(where: { $0.count <= to - from && equal(z, from, $0) }) else { break }
                from += c.count
            }
        }
        if side != .left {
            while from < to {
                guard let c = set.first(where: { $0.count <= to - from && equal(z, to - $0.count, $0) }) else { break }
                to -= c.count
            }
        }
        return Array(z[from..<to])
    }

    @inline(__always)
    private static func equal(_ z: UnsafeBufferPointer<UInt8>, _ at: Int, _ c: UnsafeBufferPointer<UInt8>) -> Bool {
        for k in 0..<c.count where z[at + k] != c[k] { return false }
        return true
    }

    /// replace(X, Y, Z): every occurrence of Y in X replaced by Z, scanning bytes left to right.
    /// An empty Y returns X unchanged, even when X is not text.
    package static func replace(_ x: ValueRef, _ pattern: ValueRef, _ replacement: ValueRef,
                                lengthLimit: Int = defaultLengthLimit) throws(FunctionError) -> Value {
        if x.isNull || pattern.isNull { return .null }
        let patternIsEmpty = pattern.withText { UTF8Scan.byte($0, 0) == 0 }!
        if patternIsEmpty {
            // X is returned as it is, except that reading it as text has already turned a blob
            // into text.
            if case .blob(let b) = x { return .text(Array(b)) }
            return Value(x)
        }
        if replacement.isNull { return .null }
        let r: Result<[UInt8], FunctionError> = x.withText { str in
            pattern.withText { pat in
                replacement.withText { rep in replaced(str, pat, rep, lengthLimit) }!
            }!
        }!
        return .text(try r.get())
    }

    private static func replaced(_ str: UnsafeBufferPointer<UInt8>, _ pat: UnsafeBufferPointer<UInt8>,
                                 _ rep: UnsafeBufferPointer<UInt8>, _ limit: Int) -> Result<[UInt8], FunctionError> {
        var out: [UInt8] = []
        out.reserveCapacity(str.count)
        var outLimit = str.count + 1
        var i = 0
        while i <= str.count - pat.count {
            if str[i] != pat[0] || !equal(str, i, pat) {
                out.append(str[i])
                i += 1
                continue
            }
            if rep.count > pat.count {
                outLimit += rep.count - pat.count
                if outLimit - 1 > limit { return .failure(.tooBig) }
            }
            out.append(contentsOf: rep)
            i += pat.count
        }
        if i < str.count { out.append(contentsOf: str[i...]) }
        return .success(out)
    }
}
