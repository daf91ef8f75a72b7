/// Where a database's files live and which backend does their IO, when that is not the real
/// file system and the backend `IOSelection` picks: simulation tests open databases on a
/// `SimulatedFileSystem` with `SimulatedIO` backends through `SimulatedEnvironment`.
package protocol IOEnvironment: Sendable {
    var fileSystem: any FileSystem { get }

    /// A new backend: one per connection, and one for the reads `open` makes before there is a
    /// connection (the header, WAL recovery). `pool` and `injector` are those a backend from
    /// `IOSelection.makeBackend` would get.
    func makeBackend(pool: BufferPool?, injector: FaultInjector?) -> any IOBackend
}
