import BTree
import Pager

/// One VDBE cursor (SQLite's VdbeCursor): a B-tree cursor on a table or index of the main or
/// the ephemeral database, a pseudo cursor reading the record in a register, or a sorter. It
/// caches the parsed header of the current row until the cursor moves.
/// Its hot mutable state is `@exclusivity(unchecked)`: it is confined to its connection's
/// thread and no access to that state overlaps another (the suites ran with the checks on), while
/// the dynamic checks cost about a fifth of a lookup-heavy query's time.
final class CursorState {
    enum Source {
        case btree(BTreeCursor)
        /// OpenPseudo: the row is the record in this register.
        case pseudo(register: Int32)
        case sorter(Sorter)
    }

    let source: Source
    /// Table (rowid keys) rather than index (record keys).
    let isTable: Bool
    let key: KeyDescription?
    /// The ephemeral tree this cursor owns a share of (dropped when its last cursor closes).
    let ephemeral: EphemeralTree?

    /// The cursor is on a row of NULLs (NullRow, a failed Found, or a saved row that was deleted).
    @exclusivity(unchecked) var nullRow = false
    /// DeferredSeek: the table row to seek before the next read, and the index cursor it came from.
    @exclusivity(unchecked) var deferredRowid: Int64?
    /// OP_Sequence's counter.
    @exclusivity(unchecked) var sequence: Int64 = 0
    /// SeekHit / IfNoHope.
    @exclusivity(unchecked) var seekHit: Int32 = 0

    // The row cache: the header of the current row, parsed once per row.
    @exclusivity(unchecked) var cacheValid = false
    @exclusivity(unchecked) var header = RecordHeader()
    /// The current row, when it is not read in place (overflow pages, pseudo and sorter rows).
    @exclusivity(unchecked) var rowBuffer: [UInt8] = []
    @exclusivity(unchecked) var rowInBuffer = false

    /// The address of the OpenRead/OpenWrite that opened this cursor on the main database, so a
    /// later run of the same program can take it up again instead of building a new one.
    @exclusivity(unchecked) var openedAt = -1

    init(source: Source, isTable: Bool, key: KeyDescription?, ephemeral: EphemeralTree? = nil) {
        self.source = source
        self.isTable = isTable
        self.key = key
        self.ephemeral = ephemeral
    }

    var btree: BTreeCursor? {
        if case .btree(let cursor) = source { return cursor }
        return nil
    }

    /// A pseudo cursor over a register reads that register's record even on a null row (SQLite
    /// keeps the register in seekResult for exactly this).
    var readsRegister: Bool {
        if case .pseudo(let register) = source { return register > 0 }
        return false
    }

    /// Forgets the cached row; called whenever the cursor moves.
    @inline(__always)
    func invalidateRow() {
        cacheValid = false
        rowInBuffer = false
    }

    func close() {
        if case .btree(let cursor) = source { cursor.close() }
    }

    /// Readies a closed cursor for another run of the instruction that opened it, as if new.
    func reopen() {
        nullRow = false
        deferredRowid = nil
        sequence = 0
        seekHit = 0
        invalidateRow()
    }
}

@available(*, unavailable)
extension CursorState: Sendable {}
