import Synchronization

/// A file system for simulation tests whose files know what is durable and what is only written.
///
/// Each file holds its durable bytes and the changes made since then (see `SimulatedFileData`);
/// `SimulatedIO` applies writes when they complete and makes them durable when an fsync
/// submitted after them completes. `crash` decides, with a seeded generator, the fate of every
/// change not yet durable (kept, dropped or torn at sector boundaries), discards everything else
/// the machine held (caches, open descriptors, locks, operations in flight) and leaves the files
/// as a reopen would find them.
///
/// Creating, removing and locking files take effect at once and durably: directory entries are
/// not simulated (an engine that forgets to fsync a directory is not caught here).
///
/// Operations through a descriptor opened before the last crash fail with ECANCELED and change
/// nothing: the process that held it is gone. Shared by the connections of a simulated machine,
/// so everything sits behind one Mutex.
package final class SimulatedFileSystem: FileSystem {
    /// Distinguishes this file system's files from every other's in `FileIdentity`.
    let device: UInt64
    /// Bytes all files together may hold; a write that would need more is cut short, or fails
    /// with ENOSPC when not one byte fits.
    package let capacity: Int?
    /// The unit the device writes atomically: torn writes break at its boundaries.
    package let sectorSize: Int
    let state: Mutex<State>

    struct Node {
        var data = SimulatedFileData()
        /// The path naming it, nil once removed (it lives on while descriptors are open).
        var path: String?
        var openDescriptors = 0
        /// The descriptor holding the exclusive lock over SQLite's lock bytes.
        var lockHolder: Int32?
    }

    struct State {
        let sectorSize: Int
        var paths: [String: UInt64] = [:]
        var nodes: [UInt64: Node] = [:]
        var nextNode: UInt64 = 1
        var nextDescriptor: Int32 = 3
        /// Incremented by each crash; descriptors of older generations are dead.
        var generation: UInt64 = 0
        /// Numbers every change (landed write, size change) across all files, in the order they
        /// land: an fsync covers the changes numbered up to the value when it was submitted.
        var sequence: UInt64 = 0
        /// Bytes held by all files (their current sizes).
        var usedBytes = 0
        var armedCrash: ArmedCrash?
        /// While set, changes neither count toward the armed crash nor fire it.
        var crashHeld = false
        var lastCrash: CrashReport?
    }

    private static let devices = Mutex<UInt64>(0)

    package init(sectorSize: Int = 512, capacity: Int? = nil) {
        precondition(sectorSize > 0 && sectorSize & (sectorSize - 1) == 0, "the sector size is a power of two")
        precondition(capacity.map { $0 >= 0 } ?? true, "a negative capacity")
        self.sectorSize = sectorSize
        self.capacity = capacity
        self.device = Self.devices.withLock { count in
            count += 1
            // Far above any real device number (major/minor pairs fit in 32 bits).
            return 0xFFFF_0000_0000_0000 | count
        }
        self.state = Mutex(State(sectorSize: sectorSize))
    }

    // MARK: FileSystem

    package func open(_ path: String, options: FileOpenOptions) throws(Errno) -> StorageFile {
        let opened: (node: UInt64, descriptor: Int32, generation: UInt64)? = state.withLock { state in
            var id = state.paths[path]
            if id == nil {
                guard options.create, !options.readOnly else { return nil }
                let created = state.nextNode
                state.nextNode += 1
                state.nodes[created] = Node(path: path)
                state.paths[path] = created
                id = created
            }
            let node = id!
            state.nodes[node]!.openDescriptors += 1
            let descriptor = state.nextDescriptor
            state.nextDescriptor = state.nextDescriptor == Int32.max ? 3 : state.nextDescriptor + 1
            return (node, descriptor, state.generation)
        }
        guard let opened else { throw Errno.noEntry }
        let file = SimulatedFile(fileSystem: self, node: opened.node, generation: opened.generation,
                                 descriptor: opened.descriptor, readOnly: options.readOnly)
        return StorageFile(path: path, descriptor: opened.descriptor, options: options, storage: .simulated(file))
    }

    package func exists(_ path: String) -> Bool { state.withLock { $0.paths[path] != nil } }

    package func remove(_ path: String) throws(Errno) {
        let removed = state.withLock { state -> Bool in
            guard let id = state.paths.removeValue(forKey: path) else { return false }
            state.nodes[id]!.path = nil
            state.collectIfUnused(id)
            return true
        }
        if !removed { throw Errno.noEntry }
    }

    // MARK: Inspection (tests and the simulator)

    /// What a read of the file sees now; nil when no file has that path.
    package func contents(_ path: String) -> [UInt8]? {
        state.withLock { state in state.paths[path].map { state.nodes[$0]!.data.current } }
    }

    /// What the file would hold after a crash that keeps nothing not yet fsynced.
    package func durableContents(_ path: String) -> [UInt8]? {
        state.withLock { state in state.paths[path].map { state.nodes[$0]!.data.durable } }
    }

    /// Changes to the file not yet made durable (nor settled by a failed fsync).
    package func pendingChangeCount(_ path: String) -> Int {
        state.withLock { state in state.paths[path].map { state.nodes[$0]!.data.pending.count } ?? 0 }
    }

    /// Creates or replaces the file with `bytes`, durably.
    package func setContents(_ path: String, _ bytes: [UInt8]) {
        state.withLock { state in
            let id: UInt64
            if let existing = state.paths[path] {
                id = existing
            } else {
                id = state.nextNode
                state.nextNode += 1
                state.nodes[id] = Node(path: path)
                state.paths[path] = id
            }
            state.usedBytes += bytes.count - state.nodes[id]!.data.size
            state.nodes[id]!.data.replace(with: bytes)
        }
    }

    /// The paths of all files, sorted.
    package var paths: [String] { state.withLock { $0.paths.keys.sorted() } }

    /// How many crashes this file system has been through.
    package var generation: UInt64 { state.withLock { $0.generation } }

    /// What the latest crash did.
    package var lastCrash: CrashReport? { state.withLock { $0.lastCrash } }

    /// Bytes all files hold now.
    package var usedBytes: Int { state.withLock { $0.usedBytes } }

    // MARK: Descriptors

    func close(_ file: SimulatedFile) {
        state.withLock { state in
            // A descriptor from before a crash died with its process; its node may be gone too.
            guard file.generation == state.generation else { return }
            state.nodes[file.node]!.openDescriptors -= 1
            if state.nodes[file.node]!.lockHolder == file.descriptor { state.nodes[file.node]!.lockHolder = nil }
            state.collectIfUnused(file.node)
        }
    }

    func tryLock(_ file: SimulatedFile) throws(Errno) -> Bool {
        try withLiveNode(file) { node, _ in
            if let holder = node.lockHolder, holder != file.descriptor { return false }
            node.lockHolder = file.descriptor
            return true
        }
    }

    func unlock(_ file: SimulatedFile) throws(Errno) {
        try withLiveNode(file) { node, _ in
            if node.lockHolder == file.descriptor { node.lockHolder = nil }
        }
    }

    func size(_ file: SimulatedFile) throws(Errno) -> Int64 {
        try withLiveNode(file) { node, _ in Int64(node.data.size) }
    }

    func identity(_ file: SimulatedFile) throws(Errno) -> FileIdentity {
        let generation = try withLiveNode(file) { _, state in state.generation }
        // The generation is part of the identity: a file reopened after a crash is a new file to
        // the process (whose registry of open databases may still hold the dead one's state).
        return FileIdentity(device: device, inode: generation << 40 | file.node)
    }

    /// Runs `body` on the descriptor's file, or fails with ECANCELED when a crash has killed the
    /// descriptor. An operation that changes the disk (`mutates`) first lets an armed crash fire.
    func withLiveNode<T>(_ file: SimulatedFile, mutates: Bool = false,
                         _ body: (inout Node, inout State) throws(Errno) -> T) throws(Errno) -> T {
        try state.withLock { (state) throws(Errno) -> T in
            if mutates { state.countMutation() }
            guard file.generation == state.generation else { throw Errno.canceled }
            var node = state.nodes.removeValue(forKey: file.node)!
            defer { state.nodes[file.node] = node }
            return try body(&node, &state)
        }
    }
}

extension SimulatedFileSystem.State {
    /// Forgets a file that has neither a path nor an open descriptor.
    mutating func collectIfUnused(_ id: UInt64) {
        guard let node = nodes[id], node.path == nil, node.openDescriptors == 0 else { return }
        usedBytes -= node.data.size
        nodes[id] = nil
    }
}
