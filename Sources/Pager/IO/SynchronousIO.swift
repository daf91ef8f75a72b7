#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// One transfer primitive per operation, for a backend whose operations complete at once.
package protocol SynchronousTransport {
    static var kind: IOBackendKind { get }
    func read(_ file: StorageFile, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: Int64) throws(Errno) -> Int
    func write(_ file: StorageFile, _ buffer: UnsafeRawPointer, _ count: Int, _ offset: Int64) throws(Errno) -> Int
    /// Writes the bytes of `buffers` from byte `skipping` on, at most `limit` of them, at `offset`.
    func writeVector(_ file: StorageFile, _ buffers: [IOBuffer], skipping: Int, limit: Int, at offset: Int64) throws(Errno) -> Int
    func sync(_ file: StorageFile, dataOnly: Bool) throws(Errno)
}

/// pread/pwrite/pwritev/fdatasync on real files, each operation completing inside `submit`.
package typealias SyscallIO = SynchronousIO<PosixTransport>
/// Memory files (`MemoryFileSystem`), each operation completing inside `submit`.
package typealias MemoryIO = SynchronousIO<MemoryTransport>

/// The backends whose operations complete inside `submit`. They share the loop that continues
/// short transfers and applies injected faults; `Transport` says how one transfer is made.
package final class SynchronousIO<Transport: SynchronousTransport>: IOBackend {
    private let transport: Transport
    private let injector: FaultInjector?
    /// Completions finished while a callback was running, delivered once it returns: a callback
    /// that submits again must not recurse without bound.
    private var deferred: [(Completion, Errno?)] = []
    private var delivering = false

    package init(transport: Transport, injector: FaultInjector? = nil) {
        self.transport = transport
        self.injector = injector
    }

    package var kind: IOBackendKind { Transport.kind }

    package var inFlightCount: Int { deferred.count }

    package func submit(_ completion: Completion) {
        completion.markSubmitted()
        let error = perform(completion)
        deferred.append((completion, error))
        poll()
    }

    package func flush() {}

    package func poll() {
        guard !delivering else { return }
        delivering = true
        var index = 0
        // A callback may submit more; those append here and are delivered by this same loop.
        while index < deferred.count {
            let (completion, error) = deferred[index]
            index += 1
            completion.finish(error: error)
        }
        deferred.removeAll(keepingCapacity: true)
        delivering = false
    }

    package func wait(for completion: Completion) {
        poll()
        precondition(completion.isFinished, "waiting for a completion that nothing will finish (never submitted, or a group never built)")
    }

    package func drain() { poll() }

    /// Runs the operation to its end and returns its error, if any.
    private func perform(_ completion: Completion) -> Errno? {
        switch completion.operation {
        case .read(let file, let buffer, let offset):
            return transfer(completion, file, .read, offset, total: buffer.count) { (done, length) throws(Errno) -> Int in
                try self.transport.read(file, buffer.base + done, length, offset + Int64(done))
            }
        case .write(let file, let buffer, let offset):
            return transfer(completion, file, .write, offset, total: buffer.count) { (done, length) throws(Errno) -> Int in
                try self.transport.write(file, buffer.base + done, length, offset + Int64(done))
            }
        case .writev(let file, let buffers, let offset):
            let total = buffers.reduce(0) { $0 + $1.count }
            return transfer(completion, file, .write, offset, total: total) { (done, length) throws(Errno) -> Int in
                try self.transport.writeVector(file, buffers, skipping: done, limit: length, at: offset + Int64(done))
            }
        case .sync(let file, let dataOnly):
            if let error = injectedFailure(file, .sync, 0, 0, attempt: 0) { return error }
            do { try transport.sync(file, dataOnly: dataOnly) } catch { return error }
            return nil
        case .truncate(let file, let length):
            if let error = injectedFailure(file, .truncate, length, 0, attempt: 0) { return error }
            do { try file.truncate(to: length) } catch { return error }
            return nil
        case .group:
            preconditionFailure("a group is not submitted to a backend")
        }
    }

    private func injectedFailure(_ file: StorageFile, _ kind: FaultPoint.Kind, _ offset: Int64, _ length: Int, attempt: Int) -> Errno? {
        guard let injector else { return nil }
        if case .fail(let error) = injector(FaultPoint(kind: kind, path: file.path, offset: offset, length: length, attempt: attempt)) {
            return error
        }
        return nil
    }

    /// Moves `total` bytes with `step(doneSoFar, maxLength)`, continuing after short transfers.
    /// A read that returns 0 has reached the end of the file and ends the operation short; a
    /// write that returns 0 is retried a few times, then reported as EIO.
    private func transfer(
        _ completion: Completion, _ file: StorageFile, _ kind: FaultPoint.Kind, _ offset: Int64,
        total: Int, _ step: (Int, Int) throws(Errno) -> Int
    ) -> Errno? {
        var attempt = 0
        var zeroWrites = 0
        while completion.bytesTransferred < total {
            let done = completion.bytesTransferred
            var length = total - done
            if let injector {
                let point = FaultPoint(kind: kind, path: file.path, offset: offset + Int64(done), length: length, attempt: attempt)
                switch injector(point) {
                case .fail(let error): return error
                case .shortTransfer(let maxBytes): length = max(1, min(length, maxBytes))
                case nil: break
                }
            }
            attempt += 1
            let moved: Int
            do { moved = try step(done, length) } catch { return error }
            if moved == 0 {
                if kind == .read { return nil }
                zeroWrites += 1
                if zeroWrites > 8 { return .io }
                continue
            }
            completion.bytesTransferred += moved
        }
        return nil
    }

}

@available(*, unavailable)
extension SynchronousIO: Sendable {}

extension SynchronousIO where Transport == PosixTransport {
    package convenience init(injector: FaultInjector? = nil) {
        self.init(transport: PosixTransport(), injector: injector)
    }
}

extension SynchronousIO where Transport == MemoryTransport {
    package convenience init(injector: FaultInjector? = nil) {
        self.init(transport: MemoryTransport(), injector: injector)
    }
}

package struct PosixTransport: SynchronousTransport {
    package static var kind: IOBackendKind { .syscall }

    package func read(_ file: StorageFile, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: Int64) throws(Errno) -> Int {
        try Syscall.pread(file.posixDescriptor, buffer, count, offset)
    }

    package func write(_ file: StorageFile, _ buffer: UnsafeRawPointer, _ count: Int, _ offset: Int64) throws(Errno) -> Int {
        try Syscall.pwrite(file.posixDescriptor, buffer, count, offset)
    }

    package func writeVector(_ file: StorageFile, _ buffers: [IOBuffer], skipping: Int, limit: Int, at offset: Int64) throws(Errno) -> Int {
        let maxVectors = min(buffers.count, 1024)  // IOV_MAX on Linux
        return try withUnsafeTemporaryAllocation(of: iovec.self, capacity: maxVectors) { vectors throws(Errno) -> Int in
            var skip = skipping
            var remaining = limit
            var count = 0
            for buffer in buffers where remaining > 0 && count < maxVectors {
                if skip >= buffer.count { skip -= buffer.count; continue }
                let length = min(buffer.count - skip, remaining)
                vectors[count] = iovec(iov_base: buffer.base + skip, iov_len: length)
                skip = 0
                remaining -= length
                count += 1
            }
            return try Syscall.pwritev(file.posixDescriptor, vectors.baseAddress!, Int32(count), offset)
        }
    }

    package func sync(_ file: StorageFile, dataOnly: Bool) throws(Errno) {
        if dataOnly { try Syscall.fdatasync(file.posixDescriptor) } else { try Syscall.fsync(file.posixDescriptor) }
    }
}

package struct MemoryTransport: SynchronousTransport {
    package static var kind: IOBackendKind { .memory }

    package func read(_ file: StorageFile, _ buffer: UnsafeMutableRawPointer, _ count: Int, _ offset: Int64) throws(Errno) -> Int {
        file.memoryFile.read(into: buffer, count: count, offset: offset)
    }

    package func write(_ file: StorageFile, _ buffer: UnsafeRawPointer, _ count: Int, _ offset: Int64) throws(Errno) -> Int {
        file.memoryFile.write(from: buffer, count: count, offset: offset)
        return count
    }

    package func writeVector(_ file: StorageFile, _ buffers: [IOBuffer], skipping: Int, limit: Int, at offset: Int64) throws(Errno) -> Int {
        var skip = skipping
        var written = 0
        for buffer in buffers where written < limit {
            if skip >= buffer.count { skip -= buffer.count; continue }
            let length = min(buffer.count - skip, limit - written)
            file.memoryFile.write(from: buffer.base + skip, count: length, offset: offset + Int64(written))
            skip = 0
            written += length
        }
        return written
    }

    package func sync(_ file: StorageFile, dataOnly: Bool) throws(Errno) {}
}

extension StorageFile {
    /// The kernel descriptor of a real file. A memory file reaching a real-file backend is a bug.
    var posixDescriptor: Int32 {
        guard case .posix = storage else {
            preconditionFailure("memory file \(path) handed to a backend for real files")
        }
        return descriptor
    }

    var memoryFile: MemoryFile {
        guard case .memory(let file) = storage else {
            preconditionFailure("real file \(path) handed to the memory backend")
        }
        return file
    }
}
