import BTree

// The two shapes values take at this layer. Functions read arguments as borrowed `ValueRef`s so the
// engine can hand over its own storage without copying, and return owned `Value`s.

/// A borrowed SQL value: text and blob bytes belong to the caller for the duration of a call.
/// Text is UTF-8 and need not be NUL-terminated.
package enum ValueRef {
    case null
    case integer(Int64)
    case real(Double)
    case text(UnsafeBufferPointer<UInt8>)
    case blob(UnsafeBufferPointer<UInt8>)
}

extension Value {
    /// Lends this value as a borrowed `ValueRef` for the duration of `body`.
    package func withRef<R, E: Error>(_ body: (ValueRef) throws(E) -> R) throws(E) -> R {
        switch self {
        case .null: return try body(.null)
        case .integer(let i): return try body(.integer(i))
        case .real(let r): return try body(.real(r))
        case .text(let bytes):
            return try bytes.withUnsafeBufferPointer { (p) throws(E) -> R in try body(.text(p)) }
        case .blob(let bytes):
            return try bytes.withUnsafeBufferPointer { (p) throws(E) -> R in try body(.blob(p)) }
        }
    }
}

/// Lends a list of owned values as borrowed ones.
package func withValueRefs<R, E: Error>(
    _ values: [Value], _ body: (FunctionArguments) throws(E) -> R
) throws(E) -> R {
    var refs: [ValueRef] = []
    refs.reserveCapacity(values.count)
    return try lendValueRefs(values[...], &refs, body)
}

private func lendValueRefs<R, E: Error>(
    _ rest: ArraySlice<Value>, _ refs: inout [ValueRef], _ body: (FunctionArguments) throws(E) -> R
) throws(E) -> R {
    guard let first = rest.first else { return try refs.withUnsafeBufferPointer { (p) throws(E) -> R in try body(p) } }
    return try first.withRef { (ref) throws(E) -> R in
        refs.append(ref)
        return try lendValueRefs(rest.dropFirst(), &refs, body)
    }
}

/// An error a function raises, with sqlite3's message.
package struct FunctionError: Error, Equatable, Sendable {
    package var message: String
    package init(_ message: String) { self.message = message }

    /// SQLITE_TOOBIG.
    package static let tooBig = FunctionError("string or blob too big")
}
