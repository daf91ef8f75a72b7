/// One open descriptor of a file on a `SimulatedFileSystem`: what a `StorageFile` of that file
/// system holds. Closing it (its last reference going away) releases its lock, as closing an
/// open file description releases its OFD lock.
package final class SimulatedFile: Sendable {
    package let fileSystem: SimulatedFileSystem
    /// The file's number in its file system.
    let node: UInt64
    /// The file system's generation when it was opened; a crash since then killed it.
    let generation: UInt64
    let descriptor: Int32
    let readOnly: Bool

    init(fileSystem: SimulatedFileSystem, node: UInt64, generation: UInt64, descriptor: Int32, readOnly: Bool) {
        self.fileSystem = fileSystem
        self.node = node
        self.generation = generation
        self.descriptor = descriptor
        self.readOnly = readOnly
    }

    deinit { fileSystem.close(self) }
}

extension StorageFile {
    /// The descriptor of a simulated file. Another kind of file reaching the simulated backend
    /// is a bug.
    var simulatedFile: SimulatedFile {
        guard case .simulated(let file) = storage else {
            preconditionFailure("file \(path) handed to the simulated backend is not on a SimulatedFileSystem")
        }
        return file
    }
}
