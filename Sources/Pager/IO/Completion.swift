/// One IO operation and, once it has finished, its result: the bytes transferred or an errno.
///
/// A completion maps to exactly one io_uring SQE (continuations of a short transfer reuse it). It
/// holds the file and the buffers until it finishes, so neither can be freed while the kernel may
/// still use them. When it finishes, its callback runs, then the group it belongs to is told.
/// Completions are confined to the thread that drives their backend.
package final class Completion {
    package enum Operation {
        /// Reads `buffer.count` bytes at `offset`. Succeeds with fewer only at the end of the file.
        case read(StorageFile, IOBuffer, offset: Int64)
        /// Writes all of `buffer` at `offset`.
        case write(StorageFile, IOBuffer, offset: Int64)
        /// Writes the buffers back to back starting at `offset`.
        case writev(StorageFile, [IOBuffer], offset: Int64)
        /// fdatasync (dataOnly) or fsync.
        case sync(StorageFile, dataOnly: Bool)
        /// Sets the file's size.
        case truncate(StorageFile, length: Int64)
        /// A `CompletionGroup`: finishes when each of its children has.
        case group
    }

    package enum State: Equatable {
        /// Created, not yet handed to a backend (or a group still taking children).
        case idle
        /// Handed to a backend; the kernel may be working on it.
        case submitted
        case finished
    }

    package let operation: Operation
    package private(set) var state: State = .idle
    /// Bytes moved so far. Backends advance it as partial transfers complete.
    package var bytesTransferred = 0
    package private(set) var error: Errno?

    private var callback: ((Completion) -> Void)?
    /// The group this completion belongs to, told when this one finishes.
    fileprivate var parent: Completion?
    // Group bookkeeping: children not yet finished, and whether the group takes more.
    fileprivate var outstanding = 0
    fileprivate var sealed = false

    package init(_ operation: Operation, callback: ((Completion) -> Void)? = nil) {
        self.operation = operation
        self.callback = callback
    }

    package var isFinished: Bool { state == .finished }
    package var succeeded: Bool { state == .finished && error == nil }

    /// The result: bytes transferred, or the error. Nil until finished.
    package var result: Result<Int, Errno>? {
        guard state == .finished else { return nil }
        if let error { return .failure(error) }
        return .success(bytesTransferred)
    }

    /// The total bytes the operation moves when it succeeds in full.
    package var expectedBytes: Int {
        switch operation {
        case .read(_, let buffer, _), .write(_, let buffer, _): buffer.count
        case .writev(_, let buffers, _): buffers.reduce(0) { $0 + $1.count }
        case .sync, .truncate, .group: 0
        }
    }

    /// Called by a backend when it takes the operation.
    package func markSubmitted() {
        precondition(state == .idle, "a completion is submitted once; this one is \(state)")
        if case .group = operation { preconditionFailure("a group is not submitted to a backend") }
        state = .submitted
    }

    /// Called by a backend (or by a group) when the operation has ended, successfully or not.
    package func finish(error: Errno?) {
        precondition(state != .finished, "a completion finishes once")
        self.error = error
        state = .finished
        let callback = self.callback
        self.callback = nil
        callback?(self)
        if let parent {
            self.parent = nil
            parent.childFinished(self)
        }
    }

    fileprivate func childFinished(_ child: Completion) {
        precondition(outstanding > 0, "a group heard from more children than it has")
        outstanding -= 1
        if error == nil, let childError = child.error { error = childError }
        bytesTransferred += child.bytesTransferred
        if sealed && outstanding == 0 { finish(error: error) }
    }

    fileprivate func adopt(_ child: Completion) {
        guard case .group = operation else { preconditionFailure("only a group takes children") }
        precondition(!sealed, "a group takes no children after build()")
        precondition(child !== self, "a group cannot contain itself")
        precondition(child.parent == nil, "a completion belongs to one group at most")
        if child.isFinished {
            if error == nil, let childError = child.error { error = childError }
            bytesTransferred += child.bytesTransferred
            return
        }
        child.parent = self
        outstanding += 1
    }

    fileprivate func seal() {
        precondition(!sealed, "build() is called once")
        sealed = true
        if outstanding == 0 { finish(error: error) }
    }
}

@available(*, unavailable)
extension Completion: Sendable {}

/// Collects completions into one that finishes when every child has; its error is the first error
/// a child finished with, and its byte count the children's total. Groups nest: a group's
/// completion can be a child of another group. A group with no children finishes at `build()`.
///
/// ```swift
/// let group = CompletionGroup()
/// for page in pages { group.add(write(page)) }
/// let all = group.build()   // wait on `all`, or add it to a larger group
/// ```
package struct CompletionGroup {
    package let completion: Completion

    package init(callback: ((Completion) -> Void)? = nil) {
        completion = Completion(.group, callback: callback)
    }

    /// Adds a child. A child that has already finished counts at once.
    package func add(_ child: Completion) { completion.adopt(child) }

    /// Seals the group and returns its completion.
    package func build() -> Completion {
        completion.seal()
        return completion
    }
}
