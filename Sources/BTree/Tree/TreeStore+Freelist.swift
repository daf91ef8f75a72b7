import Pager

/// The freelist: pages no tree uses, kept as a chain of trunk pages (next trunk, leaf count, leaf
/// page numbers) starting at header offset 32, counted at offset 36 (fileformat2.html, "The
/// Freelist"). Freed pages are reused before the file grows.
extension TreeStore {
    /// The most leaf entries Ringlite puts on one trunk. SQLite reads up to usable/4 - 2 but
    /// writes at most usable/4 - 8, for compatibility with old versions; so does Ringlite.
    var trunkCapacityForWriting: Int { geometry.usableSize / 4 - 8 }
    var trunkCapacityForReading: Int { geometry.usableSize / 4 - 2 }

    /// A page for a tree to use: from the freelist when it has any, else a new page at the end.
    /// The page comes back pinned, writable and zeroed; the caller formats it.
    package func allocatePage() throws(DatabaseError) -> PageRef {
        let count = try headerField(DatabaseHeader.Offset.freelistCount)
        guard count > 0 else { return try pager.allocateAtEnd() }
        let trunkNumber = try headerField(DatabaseHeader.Offset.firstFreelistTrunk)
        try checkFreelistPage(trunkNumber, "first freelist trunk")
        let trunk = try pager.page(trunkNumber)
        defer { pager.release(trunk) }
        let leaves = Int(trunk.bytes.loadBigEndianUInt32(at: 4))
        guard leaves <= trunkCapacityForReading else {
            throw DatabaseError.corrupt(page: trunkNumber, "freelist trunk claims \(leaves) leaves")
        }
        pager.makeWritable(trunk)
        try setHeaderField(DatabaseHeader.Offset.freelistCount, count - 1)
        if leaves == 0 {
            // No leaves left on this trunk: the trunk page itself is handed out.
            let next = trunk.bytes.loadBigEndianUInt32(at: 0)
            if next != 0 { try checkFreelistPage(next, "next freelist trunk") }
            try setHeaderField(DatabaseHeader.Offset.firstFreelistTrunk, next)
            return try pager.overwrite(trunkNumber)
        }
        let leaf = trunk.bytes.loadBigEndianUInt32(at: 8 + 4 * (leaves - 1))
        try checkFreelistPage(leaf, "freelist leaf")
        trunk.bytes.storeBigEndianUInt32(UInt32(leaves - 1), at: 4)
        return try pager.overwrite(leaf)
    }

    /// Returns a page to the freelist. Its contents are left as they are (SQLite does not zero
    /// freed leaf pages unless secure_delete is on).
    package func freePage(_ pgno: UInt32) throws(DatabaseError) {
        precondition(pgno > 1, "page 1 is never freed")
        try checkFreelistPage(pgno, "freed page")
        let count = try headerField(DatabaseHeader.Offset.freelistCount)
        let trunkNumber = try headerField(DatabaseHeader.Offset.firstFreelistTrunk)
        try setHeaderField(DatabaseHeader.Offset.freelistCount, count + 1)
        if trunkNumber != 0 {
            try checkFreelistPage(trunkNumber, "first freelist trunk")
            let trunk = try pager.page(trunkNumber)
            defer { pager.release(trunk) }
            let leaves = Int(trunk.bytes.loadBigEndianUInt32(at: 4))
            guard leaves <= trunkCapacityForReading else {
                throw DatabaseError.corrupt(page: trunkNumber, "freelist trunk claims \(leaves) leaves")
            }
            if leaves < trunkCapacityForWriting {
                pager.makeWritable(trunk)
                trunk.bytes.storeBigEndianUInt32(pgno, at: 8 + 4 * leaves)
                trunk.bytes.storeBigEndianUInt32(UInt32(leaves + 1), at: 4)
                return
            }
        }
        // The first trunk is full (or there is none): the freed page becomes the new first trunk.
        let page = try pager.overwrite(pgno)
        defer { pager.release(page) }
        page.bytes.storeBigEndianUInt32(trunkNumber, at: 0)
        page.bytes.storeBigEndianUInt32(0, at: 4)
        try setHeaderField(DatabaseHeader.Offset.firstFreelistTrunk, pgno)
    }

    private func checkFreelistPage(_ pgno: UInt32, _ role: String) throws(DatabaseError) {
        guard pgno >= 2 && pgno <= pager.databaseSize && pgno != pager.shared.lockBytePage else {
            throw DatabaseError.corrupt(page: pgno, "\(role) page number out of range")
        }
    }
}
