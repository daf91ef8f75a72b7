/// Which IO backend a database uses.
package enum IOBackendKind: String, Sendable, CaseIterable {
    /// io_uring: operations batched into SQEs, many in flight at once.
    case uring
    /// pread/pwrite/fdatasync: each operation completes before `submit` returns.
    case syscall
    /// In-memory files: for `:memory:` databases and tests.
    case memory
    /// `SimulatedIO` on a `SimulatedFileSystem`: seeded, faulty, crashable (simulation tests).
    /// Only code can choose it, through `PagerOptions.environment`: it needs a file system and a seed.
    case simulated

    /// The backend named by `RINGLITE_IO`, if set to a known name (other than `simulated`).
    package static func fromEnvironment() -> IOBackendKind? {
        guard let value = environmentVariable("RINGLITE_IO"),
              let kind = IOBackendKind(rawValue: value.lowercased()), kind != .simulated else { return nil }
        return kind
    }
}

/// Runs completions. One instance per connection, driven by the thread that currently owns the
/// connection: backends are not thread-safe, and say so by not being Sendable.
///
/// `submit` starts an operation; it finishes later (io_uring) or at once (syscalls, memory), and
/// either way its callback runs on the thread driving the backend, from `submit`, `poll` or `wait`.
package protocol IOBackend: AnyObject {
    var kind: IOBackendKind { get }

    /// Starts the operation. A group completion cannot be submitted; submit its children.
    func submit(_ completion: Completion)

    /// Hands queued operations to the kernel without waiting for any of them.
    func flush()

    /// Reaps what has finished, without blocking.
    func poll()

    /// Runs until `completion` has finished. Waiting for a completion that nothing in flight will
    /// finish (never submitted, or a group never built) is a bug and stops the process.
    func wait(for completion: Completion)

    /// Runs until nothing submitted through this backend is still in flight.
    func drain()

    /// Operations submitted and not yet finished.
    var inFlightCount: Int { get }
}

/// What a fault injector may do to one transfer, before the backend issues it.
package enum FaultAction: Sendable, Equatable {
    /// Issue the transfer with at most this many bytes (a real short read or write).
    case shortTransfer(maxBytes: Int)
    /// Do not issue it; the attempt fails with this error.
    case fail(Errno)
}

/// One transfer a backend is about to issue: a whole operation, or the continuation of a short one.
package struct FaultPoint: Sendable {
    package enum Kind: Sendable, Equatable { case read, write, sync, truncate }
    package let kind: Kind
    package let path: String
    package let offset: Int64
    package let length: Int
    /// 0 for the first attempt, then 1, 2, ... for continuations and retries.
    package let attempt: Int
}

/// Decides, for each transfer, whether to let it through, shorten it or fail it. Tests install
/// one to provoke the paths a healthy disk rarely takes.
package typealias FaultInjector = (FaultPoint) -> FaultAction?

func environmentVariable(_ name: String) -> String? {
    guard let value = getenv(name) else { return nil }
    return String(cString: value)
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
