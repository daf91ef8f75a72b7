/// Chooses the backend a database's connections use: the option in code, else `RINGLITE_IO`, else
/// io_uring; io_uring only where this process can use it, with syscalls in its place otherwise.
package struct IOSelection: Sendable, Equatable {
    /// The backend connections will use.
    package let kind: IOBackendKind
    /// Why io_uring was asked for and not given, when that happened.
    package let fallbackReason: String?

    /// - Parameters:
    ///   - requested: the backend named in code, if any; it wins over the environment.
    ///   - environment: the backend named by `RINGLITE_IO`, if any.
    ///   - availability: whether io_uring works in this process.
    package static func resolve(
        requested: IOBackendKind?,
        environment: IOBackendKind? = IOBackendKind.fromEnvironment(),
        availability: URingAvailability = URingAvailability.current
    ) -> IOSelection {
        let wanted = requested ?? environment ?? .uring
        guard wanted == .uring else { return IOSelection(kind: wanted, fallbackReason: nil) }
        switch availability {
        case .available:
            return IOSelection(kind: .uring, fallbackReason: nil)
        case .unavailable(_, let reason):
            Log.once("uring.unavailable", .warning, "io_uring unavailable: \(reason); using syscalls")
            return IOSelection(kind: .syscall, fallbackReason: reason)
        }
    }

    /// A new backend of this selection's kind for one connection. A ring that cannot be created
    /// now (too many rings, locked memory exhausted) gives that connection syscalls instead, and
    /// says so once.
    package func makeBackend(pool: BufferPool?, injector: FaultInjector? = nil, ringEntries: UInt32 = 256) -> any IOBackend {
        switch kind {
        case .syscall:
            return SyscallIO(injector: injector)
        case .memory:
            return MemoryIO(injector: injector)
        case .simulated:
            preconditionFailure("a simulated backend comes from its IOEnvironment (PagerOptions.environment), not from a selection")
        case .uring:
            do {
                return try URingIO(entries: ringEntries, pool: pool, injector: injector)
            } catch {
                Log.once("uring.connection", .warning, "io_uring ring setup failed (\(error)); this connection uses syscalls")
                return SyscallIO(injector: injector)
            }
        }
    }
}
