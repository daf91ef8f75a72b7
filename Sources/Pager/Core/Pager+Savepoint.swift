/// Savepoints inside a write transaction: a statement that fails undoes only its own changes,
/// and SQL's SAVEPOINT / RELEASE / ROLLBACK TO nest on the same mechanism.
///
/// Each open savepoint keeps the image a page had when the savepoint began, taken the first time
/// the page is made writable inside it (SQLite's statement journal, held in memory), and the
/// database size at its start. Rolling back restores those images innermost first, so the oldest
/// image of each page wins; releasing merges a savepoint's images into its parent, which keeps
/// its own older image where it has one.
extension Pager {
    struct Savepoint {
        /// Page images as they were when the savepoint began. Pages created inside it (past its
        /// starting size) have none: rolling back drops them.
        var images: [UInt32: [UInt8]] = [:]
        var databaseSize: UInt32
    }

    /// Open savepoints, outermost first.
    package var savepointDepth: Int { savepoints.count }

    /// Opens a savepoint at the current state of the write transaction.
    package func openSavepoint() {
        precondition(transaction == .write, "savepoints live inside a write transaction")
        savepoints.append(Savepoint(databaseSize: databaseSize))
    }

    /// Ends the innermost savepoint keeping its changes (they now belong to the enclosing one).
    package func releaseSavepoint() {
        precondition(!savepoints.isEmpty, "no savepoint to release")
        let released = savepoints.removeLast()
        guard !savepoints.isEmpty else { return }
        let parent = savepoints.count - 1
        for (pgno, image) in released.images where pgno <= savepoints[parent].databaseSize {
            if savepoints[parent].images[pgno] == nil { savepoints[parent].images[pgno] = image }
        }
    }

    /// Undoes every change made since the savepoint `depth` levels from the outermost (0-based)
    /// began, keeping it open (SQL's ROLLBACK TO); inner savepoints are discarded. Every page
    /// must be released first.
    package func rollbackToSavepoint(_ depth: Int) {
        precondition(depth >= 0 && depth < savepoints.count, "no savepoint at depth \(depth)")
        precondition(cache.totalPins == 0, "rollback to a savepoint while \(cache.totalPins) page pins are held")
        while savepoints.count > depth + 1 {
            restore(savepoints.removeLast())
        }
        restore(savepoints[depth])
        savepoints[depth].images.removeAll(keepingCapacity: true)
    }

    /// Called when a page is about to change: every open savepoint that has no image of it yet
    /// takes one now (only pages that existed when the savepoint began need one).
    func recordBeforeImage(_ slot: Int32) {
        let pgno = cache.pgno(slot)
        guard let innermost = savepoints.indices.last,
              pgno <= savepoints[innermost].databaseSize,
              savepoints[innermost].images[pgno] == nil else { return }
        let buffer = cache.buffer(slot)
        let image = [UInt8](UnsafeRawBufferPointer(start: buffer.base, count: pageSize))
        // Older savepoints that have no image either get the same one: the page has not changed
        // since any of them began (it would have an image in the innermost otherwise).
        for index in savepoints.indices.reversed() {
            guard pgno <= savepoints[index].databaseSize else { continue }
            if savepoints[index].images[pgno] != nil { break }
            savepoints[index].images[pgno] = image
        }
    }

    private func restore(_ savepoint: Savepoint) {
        for (pgno, image) in savepoint.images {
            let slot: Int32
            if let cached = cache.slot(of: pgno) {
                slot = cached
                if let loading = cache.loading(cached) {
                    backend.wait(for: loading)
                    cache.setLoading(cached, nil)
                }
            } else {
                slot = cache.insert(pgno)
            }
            image.withUnsafeBytes { cache.buffer(slot).base.copyMemory(from: $0.baseAddress!, byteCount: pageSize) }
            cache.markDirty(slot)
        }
        // Pages created inside the savepoint go away with it.
        for (pgno, slot) in cache.cachedPages() where pgno > savepoint.databaseSize {
            cache.remove(slot)
        }
        truncateDatabase(to: savepoint.databaseSize)
    }
}
