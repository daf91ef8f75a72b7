extension Pager {
    /// Shrinks the database to `size` pages inside the write transaction (VACUUM, which has just
    /// rewritten pages 1...size). Cached copies of the pages past the end are dropped; the commit
    /// records the new size (the WAL commit frame's database size, or the file truncated in place
    /// under journal_mode=OFF), and a rollback restores the old one.
    package func shrinkDatabase(to size: UInt32) {
        precondition(transaction == .write, "the database shrinks inside a write transaction")
        precondition(savepoints.isEmpty, "the database shrinks outside savepoints")
        precondition(size >= 1 && size <= databaseSize, "shrinking \(databaseSize) pages to \(size)")
        for pgno in (size + 1)...max(size + 1, databaseSize) where pgno <= databaseSize {
            guard let slot = cache.slot(of: pgno) else { continue }
            precondition(cache.pins(slot) == 0, "page \(pgno) past the new end of the database is pinned")
            if let loading = cache.loading(slot) { backend.wait(for: loading) }
            cache.remove(slot)
        }
        databaseSize = size
    }
}

extension Pager {
    /// VACUUM's copy back (sqlite3BtreeCopyFile): inside this write transaction the database
    /// becomes a page-for-page copy of `source`'s (same page size), growing or shrinking to its
    /// size. The lock-byte page, which neither database uses, is skipped. Atomic as any write
    /// transaction is: in WAL mode the pages are frames of one commit.
    package func replaceContents(with source: Pager) throws(DatabaseError) {
        precondition(transaction == .write, "the database is replaced inside a write transaction")
        precondition(source.pageSize == pageSize, "a copy of a database with another page size")
        let size = source.databaseSize
        precondition(size >= 1, "a copy of an empty database")
        for pgno in 1...size where pgno != shared.lockBytePage {
            let from = try source.page(pgno)
            let to: PageRef
            do throws(DatabaseError) {
                to = pgno <= databaseSize ? try overwrite(pgno) : try allocateAtEnd()
            } catch {
                source.release(from)
                throw error
            }
            precondition(to.pgno == pgno, "page \(pgno) of the copy landed on page \(to.pgno)")
            to.bytes.copyMemory(from: UnsafeRawBufferPointer(from.bytes))
            release(to)
            source.release(from)
        }
        if size < databaseSize { shrinkDatabase(to: size) }
    }
}
