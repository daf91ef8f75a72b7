import Pager

/// Databases whose files live in one `MemoryFileSystem`, with memory backends: a fuzz input's
/// database (or the bytes standing for one) is put into a fresh environment, so nothing of one
/// input reaches the next.
package final class MemoryEnvironment: IOEnvironment {
    package let memoryFileSystem = MemoryFileSystem()

    package init() {}

    package var fileSystem: any FileSystem { memoryFileSystem }

    package func makeBackend(pool: BufferPool?, injector: FaultInjector?) -> any IOBackend {
        MemoryIO(injector: injector)
    }

    /// Creates `path` holding exactly `bytes`.
    package func put(_ path: String, _ bytes: [UInt8]) {
        do {
            _ = try memoryFileSystem.open(path, options: FileOpenOptions())
        } catch {
            fatalError("a memory file system cannot fail to create \(path): \(error)")
        }
        guard let file = memoryFileSystem.file(path) else { fatalError("\(path) vanished after creation") }
        file.setContents(bytes)
    }

    /// Pager options for a database in this environment: no fsyncs to wait for, no busy waits
    /// (one connection), and no checkpoint on close (the files are thrown away).
    package var options: PagerOptions {
        var options = PagerOptions()
        options.environment = self
        options.synchronous = .off
        options.busyTimeoutMilliseconds = 0
        options.checkpointOnClose = false
        return options
    }
}
