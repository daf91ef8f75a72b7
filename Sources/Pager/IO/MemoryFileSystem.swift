#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// A file held in memory, for `:memory:` databases and tests. Shared by the connections of one
/// database, so its contents sit behind a Mutex.
package final class MemoryFile: Sendable {
    package let id: UInt64
    private let state: Mutex<State>

    private struct State {
        var bytes: [UInt8] = []
        var locked = false
    }

    init(id: UInt64) {
        self.id = id
        self.state = Mutex(State())
    }

    package var size: Int64 { state.withLock { Int64($0.bytes.count) } }

    /// Copies up to `count` bytes at `offset` into `buffer`; returns how many there were (fewer at
    /// the end of the file, 0 past it).
    package func read(into buffer: UnsafeMutableRawPointer, count: Int, offset: Int64) -> Int {
        state.withLock { state in
            let start = Int(offset)
            guard start < state.bytes.count else { return 0 }
            let available = min(count, state.bytes.count - start)
            state.bytes.withUnsafeBytes { source in
                buffer.copyMemory(from: source.baseAddress! + start, byteCount: available)
            }
            return available
        }
    }

    /// Writes `count` bytes at `offset`, growing the file with zeros as a real file would.
    package func write(from buffer: UnsafeRawPointer, count: Int, offset: Int64) {
        state.withLock { state in
            let start = Int(offset)
            if start + count > state.bytes.count {
                state.bytes.append(contentsOf: repeatElement(0, count: start + count - state.bytes.count))
            }
            state.bytes.withUnsafeMutableBytes { target in
                (target.baseAddress! + start).copyMemory(from: buffer, byteCount: count)
            }
        }
    }

    package func truncate(to length: Int64) {
        state.withLock { state in
            let length = Int(length)
            if length < state.bytes.count {
                state.bytes.removeSubrange(length...)
            } else if length > state.bytes.count {
                state.bytes.append(contentsOf: repeatElement(0, count: length - state.bytes.count))
            }
        }
    }

    /// A copy of the whole file, for tests that inspect or corrupt it.
    package func contents() -> [UInt8] { state.withLock { $0.bytes } }

    /// Replaces the whole file, for tests.
    package func setContents(_ bytes: [UInt8]) { state.withLock { $0.bytes = bytes } }

    func tryLock() -> Bool {
        state.withLock { state in
            if state.locked { return false }
            state.locked = true
            return true
        }
    }

    func unlock() { state.withLock { $0.locked = false } }
}

/// Files in memory, named by path. One instance is one namespace: a `:memory:` database owns a
/// file system of its own, and tests create one per case.
package final class MemoryFileSystem: FileSystem {
    private struct State {
        var files: [String: MemoryFile] = [:]
        var nextID: UInt64 = 1
    }

    private let state = Mutex(State())

    package init() {}

    package func open(_ path: String, options: FileOpenOptions) throws(Errno) -> StorageFile {
        let file: MemoryFile? = state.withLock { state in
            if let existing = state.files[path] { return existing }
            guard options.create, !options.readOnly else { return nil }
            let file = MemoryFile(id: state.nextID)
            state.nextID += 1
            state.files[path] = file
            return file
        }
        guard let file else { throw Errno.noEntry }
        return StorageFile(path: path, descriptor: Int32(truncatingIfNeeded: file.id), options: options, storage: .memory(file))
    }

    package func exists(_ path: String) -> Bool { state.withLock { $0.files[path] != nil } }

    package func remove(_ path: String) throws(Errno) {
        let removed = state.withLock { $0.files.removeValue(forKey: path) }
        if removed == nil { throw Errno.noEntry }
    }

    /// The file at `path`, for tests.
    package func file(_ path: String) -> MemoryFile? { state.withLock { $0.files[path] } }
}
