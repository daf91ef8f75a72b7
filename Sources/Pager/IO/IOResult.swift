/// The result of an operation that may have to wait for IO.
///
/// A function that may need a page or a write it does not have returns `.io(completion)`; its
/// caller propagates that upward unchanged, and the top of the call chain (a statement's step)
/// waits on the IO backend until the completion has finished and then calls again. Functions that
/// return `IOResult` must therefore not change any state before a point where they may return
/// `.io`: the second call would repeat the change.
@frozen
package enum IOResult<Value> {
    case done(Value)
    case io(Completion)
}

extension IOResult {
    /// The finished value, or nil when IO is pending.
    @inlinable
    package var value: Value? {
        if case .done(let value) = self { return value }
        return nil
    }

    @inlinable
    package func map<T>(_ transform: (Value) throws -> T) rethrows -> IOResult<T> {
        switch self {
        case .done(let value): .done(try transform(value))
        case .io(let completion): .io(completion)
        }
    }
}

extension IOResult where Value == Void {
    @inlinable
    package static var done: IOResult<Void> { .done(()) }
}
