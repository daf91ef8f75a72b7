import Pager

extension TreeStore {
    /// Checks the database as `PRAGMA integrity_check` (or, with `options.quick`, `PRAGMA
    /// quick_check`) does and returns the rows it would return, worded as sqlite3 3.40.1 words
    /// them.
    ///
    /// First the structure: the freelist, then every tree of `schema` in order, then every page
    /// not reached; its problems make one row under a `*** in database main ***` line. Then each
    /// described table's rows against its indexes. At most `options.maxErrors` problems are
    /// reported. Damage is reported in the rows; an error is thrown only when the check itself
    /// cannot proceed (page 1 unreadable).
    ///
    /// Runs inside the caller's read (or write) transaction; pages go through the page cache.
    package func checkIntegrity(_ schema: IntegritySchema, options: IntegrityOptions = IntegrityOptions()) throws(DatabaseError) -> IntegrityReport {
        precondition(pager.transaction != .none, "the integrity check runs inside a transaction")
        let structure = try StructureCheck(store: self, limit: options.maxErrors)
        try structure.run(roots: schema.roots)
        var rows = IntegrityRows(limit: options.maxErrors)
        rows.addStructural(structure.messages.lines, count: structure.messages.count, databaseName: options.databaseName)
        var aborted: DatabaseError?
        let content = ContentCheck(store: self, quick: options.quick)
        for tree in schema.trees where !rows.halted {
            guard case .table(let table) = tree else { continue }
            do {
                try content.check(table, rows: &rows)
            } catch {
                aborted = error
                rows.haltMalformed()
            }
        }
        return IntegrityReport(rows: rows.finished(), errorCount: rows.errorCount, abortedBy: aborted)
    }
}
