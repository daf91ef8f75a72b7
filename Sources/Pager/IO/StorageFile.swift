#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CUring
import Synchronization

/// How to open a file.
package struct FileOpenOptions: Sendable, Equatable {
    /// Create the file when it does not exist.
    package var create: Bool = true
    /// Open read-only.
    package var readOnly: Bool = false
    /// Bypass the OS page cache (O_DIRECT). Reads and writes must then be aligned to the device's
    /// logical block size, in offset, length and memory address.
    package var direct: Bool = false

    package init(create: Bool = true, readOnly: Bool = false, direct: Bool = false) {
        self.create = create
        self.readOnly = readOnly
        self.direct = direct
    }
}

/// An open file: a database, its WAL, or a scratch file. Shared by every connection of a database,
/// so it is immutable once open; the descriptor is closed when the last reference goes away
/// (in-flight completions hold a reference, so a file cannot close under a pending read).
package final class StorageFile: Sendable {
    package enum Storage: Sendable {
        /// A real file; `descriptor` is a kernel file descriptor.
        case posix
        /// A file of a `MemoryFileSystem`; `descriptor` is that file system's handle.
        case memory(MemoryFile)
        /// A file of a `SimulatedFileSystem`; `descriptor` is that file system's descriptor.
        case simulated(SimulatedFile)
    }

    package let path: String
    package let descriptor: Int32
    package let options: FileOpenOptions
    package let storage: Storage

    package init(path: String, descriptor: Int32, options: FileOpenOptions, storage: Storage) {
        self.path = path
        self.descriptor = descriptor
        self.options = options
        self.storage = storage
    }

    deinit {
        if case .posix = storage {
            // An error from close (EIO on some file systems) cannot be reported from deinit, and
            // the data it may concern was made durable (or not) by the fsyncs before it.
            try? Syscall.close(descriptor)
        }
    }

    /// The file's size in bytes.
    package func size() throws(Errno) -> Int64 {
        switch storage {
        case .posix: try Syscall.fileSize(descriptor)
        case .memory(let file): file.size
        case .simulated(let file): try file.fileSystem.size(file)
        }
    }

    /// Sets the file's size, synchronously. Used at checkpoint (TRUNCATE) and by tests; the
    /// completion-based `truncate` operation is the asynchronous form.
    package func truncate(to length: Int64) throws(Errno) {
        switch storage {
        case .posix: try Syscall.ftruncate(descriptor, length)
        case .memory(let file): file.truncate(to: length)
        case .simulated(let file): try file.fileSystem.truncate(file, to: length)
        }
    }

    /// Asks the OS to drop its cached pages of this file (posix_fadvise DONTNEED), so the next
    /// reads come from the device. Used by cold-read benchmarks. Memory files ignore it.
    package func evictFromOSCache() throws(Errno) {
        if case .posix = storage {
            try Syscall.fdatasync(descriptor)
            try Syscall.fadvise(descriptor, 0, 0, POSIX_FADV_DONTNEED)
        }
    }

    /// The byte range SQLite's locking protocol uses (PENDING, RESERVED and SHARED bytes at 1 GiB).
    /// Holding a write lock over all of it makes any sqlite3 process (and any other Ringlite
    /// process) fail to get even a shared lock: they report "database is locked".
    package static let sqliteLockRange: (start: Int64, length: Int64) = (0x4000_0000, 512)

    /// Takes the exclusive lock over SQLite's lock bytes without waiting; returns false when
    /// another process, or another open of this file, holds a conflicting lock.
    package func tryLockExclusive() throws(Errno) -> Bool {
        switch storage {
        case .posix:
            try Syscall.tryLock(
                descriptor, exclusive: true,
                start: Self.sqliteLockRange.start, length: Self.sqliteLockRange.length)
        case .memory(let file): file.tryLock()
        case .simulated(let file): try file.fileSystem.tryLock(file)
        }
    }

    /// Takes a shared lock over SQLite's lock bytes without waiting (a read-only open: a write
    /// lock needs a descriptor open for writing). Other readers, sqlite3's included, may read
    /// alongside; no one can take the locks a write needs. Returns false when a writer holds them.
    package func tryLockShared() throws(Errno) -> Bool {
        switch storage {
        case .posix:
            try Syscall.tryLock(
                descriptor, exclusive: false,
                start: Self.sqliteLockRange.start, length: Self.sqliteLockRange.length)
        case .memory(let file): file.tryLock()
        // The simulated file system has one kind of lock; a read-only open takes it too.
        case .simulated(let file): try file.fileSystem.tryLock(file)
        }
    }

    package func unlock() throws(Errno) {
        switch storage {
        case .posix:
            try Syscall.unlock(descriptor, start: Self.sqliteLockRange.start, length: Self.sqliteLockRange.length)
        case .memory(let file): file.unlock()
        case .simulated(let file): try file.fileSystem.unlock(file)
        }
    }

    /// The file's identity (device and inode for real files), so two paths naming one file are
    /// recognised as one database.
    package func identity() throws(Errno) -> FileIdentity {
        switch storage {
        case .posix:
            let (device, inode) = try Syscall.fileIdentity(descriptor)
            return FileIdentity(device: device, inode: inode)
        case .memory(let file):
            return FileIdentity(device: UInt64.max, inode: file.id)
        case .simulated(let file):
            return try file.fileSystem.identity(file)
        }
    }
}

package struct FileIdentity: Hashable, Sendable {
    package let device: UInt64
    package let inode: UInt64
}

/// Opens, tests and removes files. Real files go through `PosixFileSystem`; `:memory:` databases
/// and tests use `MemoryFileSystem`; simulation tests use `SimulatedFileSystem`.
package protocol FileSystem: Sendable {
    func open(_ path: String, options: FileOpenOptions) throws(Errno) -> StorageFile
    func exists(_ path: String) -> Bool
    func remove(_ path: String) throws(Errno)
}

package struct PosixFileSystem: FileSystem {
    package init() {}

    package func open(_ path: String, options: FileOpenOptions) throws(Errno) -> StorageFile {
        var flags: Int32 = options.readOnly ? O_RDONLY : O_RDWR
        if options.create && !options.readOnly { flags |= O_CREAT }
        if options.direct { flags |= RL_O_DIRECT }
        let fd = try Syscall.open(path, flags, 0o644)
        return StorageFile(path: path, descriptor: fd, options: options, storage: .posix)
    }

    package func exists(_ path: String) -> Bool { Syscall.fileExists(path) }

    package func remove(_ path: String) throws(Errno) { try Syscall.unlink(path) }
}
