#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// An error number from the kernel: what a syscall or an io_uring completion reported.
///
/// A small `RawRepresentable` wrapper, as swift-system's `Errno`, so an errno travels as a typed
/// value and prints with its name and meaning.
package struct Errno: RawRepresentable, Error, Hashable, Sendable, CustomStringConvertible {
    package let rawValue: Int32

    package init(rawValue: Int32) { self.rawValue = rawValue }

    /// Reads the thread's `errno`. Call it first thing after the failing call: anything else
    /// (a print, an allocation) may overwrite it.
    @inline(__always)
    package static var current: Errno { Errno(rawValue: errno) }

    package static let interrupted = Errno(rawValue: EINTR)
    package static let tryAgain = Errno(rawValue: EAGAIN)
    package static let busy = Errno(rawValue: EBUSY)
    package static let io = Errno(rawValue: EIO)
    package static let noSpace = Errno(rawValue: ENOSPC)
    package static let invalid = Errno(rawValue: EINVAL)
    package static let badFileDescriptor = Errno(rawValue: EBADF)
    package static let badAddress = Errno(rawValue: EFAULT)
    package static let noEntry = Errno(rawValue: ENOENT)
    package static let notPermitted = Errno(rawValue: EPERM)
    package static let accessDenied = Errno(rawValue: EACCES)
    package static let notImplemented = Errno(rawValue: ENOSYS)
    package static let noMemory = Errno(rawValue: ENOMEM)
    package static let exists = Errno(rawValue: EEXIST)
    package static let wouldBlock = Errno(rawValue: EWOULDBLOCK)
    package static let fileTooLarge = Errno(rawValue: EFBIG)
    package static let readOnlyFileSystem = Errno(rawValue: EROFS)
    package static let quotaExceeded = Errno(rawValue: EDQUOT)
    /// An operation cut off before it ran (io_uring's canceled requests; SimulatedIO's operations
    /// in flight at a simulated crash).
    package static let canceled = Errno(rawValue: ECANCELED)

    /// The C name, such as `EIO`, for the errors a storage engine meets; the number otherwise.
    package var name: String {
        switch rawValue {
        case EPERM: "EPERM"
        case ENOENT: "ENOENT"
        case EINTR: "EINTR"
        case EIO: "EIO"
        case EBADF: "EBADF"
        case EAGAIN: "EAGAIN"
        case ENOMEM: "ENOMEM"
        case EACCES: "EACCES"
        case EFAULT: "EFAULT"
        case EBUSY: "EBUSY"
        case EEXIST: "EEXIST"
        case EINVAL: "EINVAL"
        case EFBIG: "EFBIG"
        case ENOSPC: "ENOSPC"
        case EROFS: "EROFS"
        case ENOSYS: "ENOSYS"
        case EDQUOT: "EDQUOT"
        case EOPNOTSUPP: "EOPNOTSUPP"
        case ECANCELED: "ECANCELED"
        default: "errno \(rawValue)"
        }
    }

    /// The C library's message for this error.
    package var message: String {
        var buffer = [CChar](repeating: 0, count: 256)
        // Swift sees the XSI strerror_r, which fills `buffer` and returns 0.
        guard strerror_r(rawValue, &buffer, buffer.count) == 0 else { return "unknown error \(rawValue)" }
        let length = buffer.firstIndex(of: 0) ?? buffer.count
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    package var description: String { "\(name) (\(message))" }
}
