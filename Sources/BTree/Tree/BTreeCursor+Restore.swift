import Pager

/// Resolving a saved position on behalf of a reader (the VM's Column after another cursor changed
/// the tree), as SQLite's sqlite3VdbeCursorMoveto / handleMovedCursor do.
extension BTreeCursor {
    /// Seeks back to the key saved when another cursor changed the tree. Restartable. Returns true
    /// when the cursor is at an entry with that key (or was not saved and is at an entry), false
    /// when the entry is gone or the cursor is not at an entry at all: SQLite then reads the row as
    /// NULLs.
    package func restorePosition() throws(DatabaseError) -> IOResult<Bool> {
        if case .io(let completion) = try restoreIfSaved() { return .io(completion) }
        guard case .valid = position else { return .done(false) }
        return .done(skip == 0)
    }

    /// True when the cursor's pages were released because another cursor changed its tree.
    package var isSaved: Bool {
        if case .saved = position { return true }
        return false
    }

    /// True when the cursor was never positioned (or its tree was cleared or dropped under it).
    package var isUnpositioned: Bool {
        if case .invalid = position { return true }
        return false
    }
}

extension BTreeCursor {
    /// Records the position by key and lets go of the pages (SQLite's saveCursorPosition), so the
    /// pager can commit or roll back while this cursor's statement is still open; the cursor seeks
    /// back to its key when next used.
    package func releasePages() throws(DatabaseError) {
        try savePosition()
    }
}
