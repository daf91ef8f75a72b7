extension PagerOptions {
    /// The file system the database's files are opened on.
    var fileSystem: any FileSystem { environment?.fileSystem ?? PosixFileSystem() }

    /// A backend for the reads `open` makes itself, before any connection exists.
    func makeOpenBackend() -> any IOBackend {
        environment?.makeBackend(pool: nil, injector: nil) ?? SyscallIO()
    }

    /// A connection's backend: the environment's when there is one, else the selection's.
    func makeConnectionBackend(selection: IOSelection, pool: BufferPool) -> any IOBackend {
        let injector: FaultInjector? = faultInjector.map { injector in { injector($0) } }
        return environment?.makeBackend(pool: pool, injector: injector)
            ?? selection.makeBackend(pool: pool, injector: injector)
    }
}
