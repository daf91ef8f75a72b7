import BTree
import Pager

/// The private in-memory database that holds a connection's ephemeral tables and indexes
/// (OpenEphemeral, OpenAutoindex): a MemoryIO pager with journal mode OFF, in one write
/// transaction that is never committed. Trees are created when a cursor opens one and dropped
/// when the last cursor on it closes; freed pages are reused through the freelist.
final class EphemeralDatabase {
    let shared: PagerShared
    let pager: Pager
    let store: TreeStore

    init(pageSize: Int) throws(DatabaseError) {
        var options = PagerOptions()
        options.journalMode = .off
        options.synchronous = .off
        options.newDatabasePageSize = pageSize
        shared = try PagerShared.open(path: ":memory:", options: options)
        pager = Pager(shared: shared)
        store = try TreeStore(pager: pager)
        try pager.beginWrite()
        try store.initializeIfEmpty()
    }

    /// A new empty tree.
    func createTree(table: Bool) throws(DatabaseError) -> UInt32 {
        try store.createTree(table: table)
    }

    func dropTree(_ root: UInt32) throws(DatabaseError) {
        try store.dropTree(root: root)
    }
}

@available(*, unavailable)
extension EphemeralDatabase: Sendable {}

/// An ephemeral tree shared by the cursors opened on it (OpenEphemeral and OpenDup): dropped when
/// the last of them lets go.
final class EphemeralTree {
    let database: EphemeralDatabase
    let root: UInt32

    init(database: EphemeralDatabase, root: UInt32) {
        self.database = database
        self.root = root
    }

    deinit {
        // Every cursor on the tree has been closed (they hold this object), so dropping it can
        // only fail on a corrupt in-memory database; the pages are then simply leaked.
        try? database.dropTree(root)
    }
}

@available(*, unavailable)
extension EphemeralTree: Sendable {}
