// sqlite3_value_int64 / _int / _double / _text / _bytes: how a function sees an argument of any
// storage class when it wants another.

extension ValueRef {
    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// sqlite3_value_int64: reals truncate (saturating), text and blobs take their integer prefix.
    package var int64Value: Int64 {
        switch self {
        case .null: return 0
        case .integer(let i): return i
        case .real(let r): return realToInt64(r)
        case .text(let p), .blob(let p): return parseInt64(p).value
        }
    }

    /// sqlite3_value_int: the int64 value cut to its low 32 bits, as the C cast does.
    package var int32Value: Int32 {
        Int32(truncatingIfNeeded: int64Value)
    }

    /// sqlite3_value_double: text and blobs take their numeric prefix.
    package var doubleValue: Double {
        switch self {
        case .null: return 0
        case .integer(let i): return Double(i)
        case .real(let r): return r
        case .text(let p), .blob(let p): return parseReal(p).value
        }
    }

    /// sqlite3_value_text: nil for NULL; numbers are rendered without using the heap.
    package func withText<R, E: Error>(_ body: (UnsafeBufferPointer<UInt8>) throws(E) -> R) throws(E) -> R? {
        switch self {
        case .null:
            return nil
        case .text(let p), .blob(let p):
            return try body(p)
        case .integer(let i):
            return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: NumberText.maxIntegerLength) {
                (buf) throws(E) -> R in
                let n = NumberText.renderInteger(i, into: buf)
                return try body(UnsafeBufferPointer(rebasing: buf[0..<n]))
            }
        case .real(let r):
            var result: Result<R, E>!
            NumberText.withRealText(r) { p in
                do throws(E) { result = .success(try body(p)) } catch { result = .failure(error) }
            }
            return try result.get()
        }
    }

    /// sqlite3_value_bytes for UTF-8: the byte length of the text form (0 for NULL).
    package var byteCount: Int {
        switch self {
        case .null: return 0
        case .text(let p), .blob(let p): return p.count
        case .integer, .real: return withText { $0.count } ?? 0
        }
    }

    /// sqlite3_value_numeric_type: text that looks entirely like a number counts as that number
    /// (without turning '3.0' into an integer); anything else keeps its class.
    package var numericView: ValueRef {
        if case .text(let p) = self, let n = numericAffinity(ofText: p, tryForInteger: false) {
            switch n {
            case .integer(let i): return .integer(i)
            case .real(let r): return .real(r)
            }
        }
        return self
    }
}
