import Foundation

/// The database files a measurement works on: made, copied, evicted from the OS cache, removed.
enum DatabaseFiles {
    static let sidecars = ["-wal", "-shm", "-journal"]

    /// Removes the database and any log, shared-memory or journal file beside it.
    static func remove(_ path: String) {
        for suffix in [""] + sidecars {
            unlink(path + suffix)
        }
    }

    /// Copies a closed database (and its log, if one was left) to `destination`.
    static func copy(_ source: String, to destination: String) throws {
        remove(destination)
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: source + suffix) {
            try FileManager.default.copyItem(atPath: source + suffix, toPath: destination + suffix)
        }
    }

    static func size(_ path: String) -> Int64 {
        var info = stat()
        return stat(path, &info) == 0 ? Int64(info.st_size) : 0
    }

    /// Drops the file's pages (and its log's) from the OS page cache: written back first
    /// (fdatasync), since DONTNEED leaves dirty pages where they are. Done through a descriptor
    /// of our own, the same way for every engine; the page cache belongs to the file, not to a
    /// descriptor.
    static func evictFromOSCache(_ path: String) throws {
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
            let descriptor = open(path + suffix, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else { throw BenchError("open \(path + suffix): \(String(cString: strerror(errno)))") }
            defer { close(descriptor) }
            guard fdatasync(descriptor) == 0 else { throw BenchError("fdatasync \(path + suffix): \(String(cString: strerror(errno)))") }
            let code = posix_fadvise(descriptor, 0, 0, Int32(POSIX_FADV_DONTNEED))
            guard code == 0 else { throw BenchError("posix_fadvise(DONTNEED) \(path + suffix): \(String(cString: strerror(code)))") }
        }
    }
}
