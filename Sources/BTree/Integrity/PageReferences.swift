/// Which pages the integrity check has seen referenced (SQLite's aPgRef bitmap).
///
/// A bitmap for databases of ordinary size. A damaged header can claim up to 2^32 - 1 pages (the
/// pages past the end of the file read as zeros), and a bitmap that size would be 512 MiB, so past
/// `denseLimit` pages the referenced ones go in a set instead: the check only ever references
/// pages it reached by following pointers.
struct PageReferences {
    static let denseLimit: UInt32 = 1 << 27

    private var bits: [UInt64]
    private var sparse: Set<UInt32> = []
    let pageCount: UInt32

    init(pageCount: UInt32) {
        self.pageCount = pageCount
        let dense = min(pageCount, Self.denseLimit)
        bits = [UInt64](repeating: 0, count: Int(dense / 64) + 1)
    }

    /// - Precondition: `1 <= pgno <= pageCount`.
    func contains(_ pgno: UInt32) -> Bool {
        precondition(pgno >= 1 && pgno <= pageCount, "page reference out of range")
        if pgno < Self.denseLimit { return bits[Int(pgno / 64)] & (1 << UInt64(pgno % 64)) != 0 }
        return sparse.contains(pgno)
    }

    mutating func insert(_ pgno: UInt32) {
        precondition(pgno >= 1 && pgno <= pageCount, "page reference out of range")
        if pgno < Self.denseLimit {
            bits[Int(pgno / 64)] |= 1 << UInt64(pgno % 64)
        } else {
            sparse.insert(pgno)
        }
    }
}
