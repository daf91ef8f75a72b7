#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CUring

/// Every syscall Ringlite makes outside io_uring, wrapped in one place (after swift-nio's
/// `System.swift`): EINTR is retried here, `errno` is read immediately after the failing call,
/// and the errors that can only mean a bug in Ringlite (EBADF, EFAULT) stop the process instead of
/// travelling on as if the disk had failed.
package enum Syscall {
    @inline(__always)
    private static func retryingEINTR<R: BinaryInteger>(
        _ function: StaticString, _ body: () -> R
    ) throws(Errno) -> R {
        while true {
            let result = body()
            if result != -1 { return result }
            let error = Errno.current
            if error == .interrupted { continue }
            crashOnProgrammerError(error, function)
            throw error
        }
    }

    /// EBADF and EFAULT mean a closed descriptor or a bad pointer: Ringlite's own bug. Continuing
    /// could write somebody else's file, so stop with the call's name.
    @inline(__always)
    private static func crashOnProgrammerError(_ error: Errno, _ function: StaticString) {
        if error == .badFileDescriptor || error == .badAddress {
            preconditionFailure("\(function) failed with \(error): a bug in Ringlite, not an IO error")
        }
    }

    package static func pread(
        _ fd: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: Int64
    ) throws(Errno) -> Int {
        try retryingEINTR("pread") { Glibc.pread(fd, buffer, count, off_t(offset)) }
    }

    package static func pwrite(
        _ fd: Int32, _ buffer: UnsafeRawPointer, _ count: Int, _ offset: Int64
    ) throws(Errno) -> Int {
        try retryingEINTR("pwrite") { Glibc.pwrite(fd, buffer, count, off_t(offset)) }
    }

    package static func preadv(
        _ fd: Int32, _ iov: UnsafePointer<iovec>, _ count: Int32, _ offset: Int64
    ) throws(Errno) -> Int {
        try retryingEINTR("preadv") { Glibc.preadv(fd, iov, count, off_t(offset)) }
    }

    package static func pwritev(
        _ fd: Int32, _ iov: UnsafePointer<iovec>, _ count: Int32, _ offset: Int64
    ) throws(Errno) -> Int {
        try retryingEINTR("pwritev") { Glibc.pwritev(fd, iov, count, off_t(offset)) }
    }

    package static func fdatasync(_ fd: Int32) throws(Errno) {
        _ = try retryingEINTR("fdatasync") { Glibc.fdatasync(fd) }
    }

    package static func fsync(_ fd: Int32) throws(Errno) {
        _ = try retryingEINTR("fsync") { Glibc.fsync(fd) }
    }

    package static func ftruncate(_ fd: Int32, _ length: Int64) throws(Errno) {
        _ = try retryingEINTR("ftruncate") { Glibc.ftruncate(fd, off_t(length)) }
    }

    package static func open(_ path: String, _ flags: Int32, _ mode: mode_t) throws(Errno) -> Int32 {
        try retryingEINTR("open") { Glibc.open(path, flags | O_CLOEXEC, mode) }
    }

    /// close(2) is not retried on EINTR: on Linux the descriptor is released even then, and a retry
    /// could close a descriptor another thread has just been given.
    package static func close(_ fd: Int32) throws(Errno) {
        if Glibc.close(fd) == 0 { return }
        let error = Errno.current
        if error == .interrupted { return }
        crashOnProgrammerError(error, "close")
        throw error
    }

    package static func fileSize(_ fd: Int32) throws(Errno) -> Int64 {
        var info = stat()
        _ = try retryingEINTR("fstat") { Glibc.fstat(fd, &info) }
        return Int64(info.st_size)
    }

    /// The device and inode of an open file: the identity two paths to one file share.
    package static func fileIdentity(_ fd: Int32) throws(Errno) -> (device: UInt64, inode: UInt64) {
        var info = stat()
        _ = try retryingEINTR("fstat") { Glibc.fstat(fd, &info) }
        return (UInt64(info.st_dev), UInt64(info.st_ino))
    }

    /// Takes an open-file-description lock (F_OFD_SETLK) on `length` bytes at `start`, without
    /// waiting. OFD locks conflict with the POSIX record locks sqlite3 takes, and unlike those they
    /// are not dropped when some other descriptor of the same file in this process is closed.
    /// Returns false when another holder has a conflicting lock.
    package static func tryLock(
        _ fd: Int32, exclusive: Bool, start: Int64, length: Int64
    ) throws(Errno) -> Bool {
        var lock = flock()
        lock.l_type = Int16(exclusive ? F_WRLCK : F_RDLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(start)
        lock.l_len = off_t(length)
        lock.l_pid = 0
        while true {
            if Glibc.fcntl(fd, RL_F_OFD_SETLK, &lock) == 0 { return true }
            let error = Errno.current
            switch error {
            case .interrupted: continue
            case .tryAgain, .accessDenied: return false
            default:
                crashOnProgrammerError(error, "fcntl(F_OFD_SETLK)")
                throw error
            }
        }
    }

    /// Releases an OFD lock taken by `tryLock`.
    package static func unlock(_ fd: Int32, start: Int64, length: Int64) throws(Errno) {
        var lock = flock()
        lock.l_type = Int16(F_UNLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = off_t(start)
        lock.l_len = off_t(length)
        lock.l_pid = 0
        _ = try retryingEINTR("fcntl(F_OFD_SETLK)") { Glibc.fcntl(fd, RL_F_OFD_SETLK, &lock) }
    }

    /// posix_fadvise reports its error as the return value, not through errno.
    package static func fadvise(_ fd: Int32, _ offset: Int64, _ length: Int64, _ advice: Int32) throws(Errno) {
        let rc = Glibc.posix_fadvise(fd, off_t(offset), off_t(length), advice)
        if rc != 0 {
            let error = Errno(rawValue: rc)
            crashOnProgrammerError(error, "posix_fadvise")
            throw error
        }
    }

    package static func unlink(_ path: String) throws(Errno) {
        _ = try retryingEINTR("unlink") { Glibc.unlink(path) }
    }

    package static func fileExists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
