import BTree
import Pager
import VM

/// The last stage of a SELECT: each row's result columns go through DISTINCT, then either out
/// (after OFFSET, counting down LIMIT) or into the ORDER BY sorter, which is read back in
/// order at the end (select.c selectInnerLoop, pushOntoSorter, generateSortTail).
struct OutputStage {
    /// Where the rows go (sqlite3's SelectDest).
    enum Destination {
        /// Out of the statement (SRT_Output).
        case resultRow
        /// Appended to an ephemeral table (SRT_Table, SRT_EphemTab).
        case table(Int32)
        /// Into an ephemeral index, duplicates merging (SRT_Union; SRT_Set with an affinity).
        case index(Int32, affinity: String?)
        /// Out of an ephemeral index (SRT_Except).
        case except(Int32)
        /// Into index `target` when index `source` has the row (INTERSECT's step).
        case intersect(source: Int32, target: Int32)
        /// The first row's first column into a register, then stop (SRT_Mem).
        case scalar(Int32)
        /// Into an ephemeral table keyed by the first column, a rowid, the rest as the record; a
        /// later row of the same rowid replaces an earlier one (SRT_Upfrom: UPDATE ... FROM).
        case upfrom(Int32)
        /// Computed and dropped (SRT_Discard): a SELECT step of a trigger program, run for what
        /// its expressions do (RAISE).
        case discard
        /// 1 into a register at the first row, then stop (SRT_Exists).
        case exists(Int32)
        /// Each row into the registers from `results` on, then Yield to the caller (SRT_Coroutine:
        /// INSERT ... SELECT).
        case coroutine(yield: Int32, results: Int32)
        /// A recursive CTE's queue: rows not yet in `seen` (UNION) are queued, by the `order`
        /// columns then `sequence` when there is an ORDER BY (SRT_Queue, SRT_DistQueue).
        case queue(queue: Int32, seen: Int32?, order: [Int], sequence: Int32)
    }

    let columns: [SelectCompiler.OutputColumn]
    let destination: Destination
    let sortKeys: [SelectCompiler.SortKey]
    private var sorterCursor: Int32?
    /// For each result column, the sort key it equals when the sorter record holds it only as
    /// that key (sqlite3's iOrderByCol with SQLITE_ECEL_OMITREF); nil when it is stored after
    /// the keys.
    private var sortKeyOfColumn: [Int?] = []
    private var distinctCursor: Int32?
    private var limit: Int32?
    private var offset: Int32?
    /// Where LIMIT's end and the end of the output jump: just before Halt.
    let done: ProgramBuilder.Label

    init(_ gen: CodeGenerator, columns: [SelectCompiler.OutputColumn], sortKeys: [SelectCompiler.SortKey],
         distinct: Bool, limit limitClause: Limit?, scope: ExprScope, destination: Destination) throws(DatabaseError) {
        self.columns = columns
        self.destination = destination
        self.sortKeys = sortKeys
        done = gen.builder.makeLabel()
        var outputScope = scope
        outputScope.aggregates = .forbidden(clause: nil)
        if !sortKeys.isEmpty {
            let cursor = gen.builder.allocateCursor()
            let keys = sortKeys.map { key in
                KeyDescription.Column(collation: gen.exprCollation(key.expr, scope).flatMap { $0 == .binary ? nil : $0 },
                                      descending: key.descending)
            }
            gen.builder.emit(.sorterOpen, cursor, Int32(sortKeys.count + columns.count), 0, .keyInfo(KeyDescription(columns: keys)))
            sorterCursor = cursor
        }
        // Not with DISTINCT or into a table, as in sqlite3's selectInnerLoop.
        var omitsKeys = sorterCursor != nil && !distinct
        if case .table = destination { omitsKeys = false }
        sortKeyOfColumn = columns.map { column in
            omitsKeys ? sortKeys.firstIndex { $0.expr == column.expr } : nil
        }
        if distinct {
            let cursor = gen.builder.allocateCursor()
            let keys = columns.map { column in
                KeyDescription.Column(collation: gen.exprCollation(column.expr, scope).flatMap { $0 == .binary ? nil : $0 })
            }
            gen.builder.emit(.openEphemeral, cursor, 0, 0, .keyInfo(KeyDescription(columns: keys)))
            distinctCursor = cursor
        }
        if let limitClause {
            let noScope = ExprScope(table: nil)
            let limit = gen.builder.allocateRegisters()
            try gen.emitLimitCounter(limitClause.count, noScope, into: limit, done: done)
            self.limit = limit
            if let offsetExpr = limitClause.offset {
                let offset = gen.builder.allocateRegisters()
                try gen.compileExpr(offsetExpr, noScope, into: offset)
                gen.builder.emit(.mustBeInt, offset, 0)
                self.offset = offset
            }
        }
    }

    /// The current row's output: result columns computed in `scope`; `skip` goes on with the
    /// next row (DISTINCT duplicates, OFFSET).
    func emitRow(_ gen: CodeGenerator, scope: ExprScope, skip: ProgramBuilder.Label) throws(DatabaseError) {
        var resultScope = scope
        resultScope.aliases = []
        if let sorterCursor, distinctCursor == nil {
            try pushOntoSorter(gen, sorterCursor, scope: scope, resultScope: resultScope)
            return
        }
        let first = resultRegisters(gen)
        for (index, column) in columns.enumerated() {
            try gen.compileExpr(column.expr, resultScope, into: first + Int32(index))
        }
        let count = Int32(columns.count)
        if let distinctCursor {
            gen.builder.emit(.found, distinctCursor, jumpTo: skip, first, .int32(count))
            let record = gen.builder.allocateRegisters()
            gen.builder.emit(.makeRecord, first, count, record)
            gen.builder.emit(.idxInsert, distinctCursor, record, first, .int32(count))
        }
        if let sorterCursor {
            let keyCount = Int32(sortKeys.count)
            let keys = gen.builder.allocateRegisters(sortKeys.count + columns.count)
            for (index, key) in sortKeys.enumerated() {
                try gen.compileExpr(key.expr, scope, into: keys + Int32(index))
            }
            gen.builder.emit(.copy, first, keys + keyCount, count - 1)
            let record = gen.builder.allocateRegisters()
            gen.builder.emit(.makeRecord, keys, keyCount + count, record)
            gen.builder.emit(.sorterInsert, sorterCursor, record)
        } else {
            emitResult(gen, first, skip: skip)
        }
    }

    /// The sorter record of the current row (pushOntoSorter): the sort keys, then the result
    /// columns that are not keys, in consecutive registers computed results first.
    private func pushOntoSorter(_ gen: CodeGenerator, _ sorterCursor: Int32, scope: ExprScope,
                                resultScope: ExprScope) throws(DatabaseError) {
        let keyCount = Int32(sortKeys.count)
        let stored = columns.indices.filter { sortKeyOfColumn[$0] == nil }
        let keys = gen.builder.allocateRegisters(sortKeys.count + stored.count)
        for (offset, index) in stored.enumerated() {
            try gen.compileExpr(columns[index].expr, resultScope, into: keys + keyCount + Int32(offset))
        }
        for (index, key) in sortKeys.enumerated() {
            try gen.compileExpr(key.expr, scope, into: keys + Int32(index))
        }
        let record = gen.builder.allocateRegisters()
        gen.builder.emit(.makeRecord, keys, keyCount + Int32(stored.count), record)
        gen.builder.emit(.sorterInsert, sorterCursor, record)
    }

    /// Where a row's result columns are computed: a coroutine's fixed registers, else new ones.
    private func resultRegisters(_ gen: CodeGenerator) -> Int32 {
        if case .coroutine(_, let results) = destination { return results }
        return gen.builder.allocateRegisters(columns.count)
    }

    private func emitResult(_ gen: CodeGenerator, _ first: Int32, skip: ProgramBuilder.Label) {
        if let offset { gen.builder.emit(.ifPos, offset, jumpTo: skip, 1) }
        switch destination {
        case .resultRow:
            gen.builder.emit(.resultRow, first, Int32(columns.count))
        case .table(let cursor):
            let record = gen.builder.allocateRegisters()
            let rowid = gen.builder.allocateRegisters()
            gen.builder.emit(.makeRecord, first, Int32(columns.count), record)
            gen.builder.emit(.newRowid, cursor, rowid)
            gen.builder.emit(.insert, cursor, record, rowid)
        case .index(let cursor, let affinity):
            let record = gen.builder.allocateRegisters()
            gen.builder.emit(.makeRecord, first, Int32(columns.count), record, affinity.map { .text($0) } ?? .none)
            gen.builder.emit(.idxInsert, cursor, record, first, .int32(Int32(columns.count)))
        case .except(let cursor):
            gen.builder.emit(.idxDelete, cursor, first, Int32(columns.count))
        case .intersect(let source, let target):
            // The row kept is the left operand's entry, as sqlite3 outputs it (its INTERSECT
            // reads the left side's rows and keeps those the right side has): equal rows may
            // differ in storage class (1.0 and 1) or in case under NOCASE ('Q' and 'q').
            let count = Int32(columns.count)
            let record = gen.builder.allocateRegisters()
            gen.builder.emit(.notFound, source, jumpTo: skip, first, .int32(count))
            let kept = gen.builder.allocateRegisters(Int(count))
            for column in 0..<count { gen.builder.emit(.column, source, column, kept + column) }
            gen.builder.emit(.makeRecord, kept, count, record)
            gen.builder.emit(.idxInsert, target, record, kept, .int32(count))
        case .discard:
            break
        case .coroutine(let yield, let results):
            precondition(first == results, "a coroutine's row outside its registers")
            gen.builder.emit(.yield, yield, 0)
        case .upfrom(let cursor):
            let record = gen.builder.allocateRegisters()
            gen.builder.emit(.makeRecord, first + 1, Int32(columns.count - 1), record)
            gen.builder.emit(.insert, cursor, record, first)
        case .scalar(let register):
            gen.builder.emit(.copy, first, register, 0)
            gen.builder.emit(.goto, 0, jumpTo: done)
        case .exists(let register):
            gen.builder.emit(.integer, 1, register)
            gen.builder.emit(.goto, 0, jumpTo: done)
        case .queue(let queue, let seen, let order, let sequence):
            let count = Int32(columns.count)
            let record = gen.builder.allocateRegisters()
            if let seen {
                gen.builder.emit(.found, seen, jumpTo: skip, first, .int32(count))
                gen.builder.emit(.makeRecord, first, count, record)
                gen.builder.emit(.idxInsert, seen, record, first, .int32(count))
            }
            if order.isEmpty {
                let rowid = gen.builder.allocateRegisters()
                gen.builder.emit(.makeRecord, first, count, record)
                gen.builder.emit(.newRowid, queue, rowid)
                gen.builder.emit(.insert, queue, record, rowid)
            } else {
                let width = Int32(order.count) + 1 + count
                let entry = gen.builder.allocateRegisters(Int(width))
                for (index, column) in order.enumerated() {
                    gen.builder.emit(.sCopy, first + Int32(column), entry + Int32(index))
                }
                gen.builder.emit(.addImm, sequence, 1)
                gen.builder.emit(.sCopy, sequence, entry + Int32(order.count))
                gen.builder.emit(.copy, first, entry + Int32(order.count) + 1, count - 1)
                gen.builder.emit(.makeRecord, entry, width, record)
                gen.builder.emit(.idxInsert, queue, record, entry, .int32(width))
            }
        }
        if let limit { gen.builder.emit(.decrJumpZero, limit, jumpTo: done) }
    }

    /// Reads the sorter back in order, then resolves `done`.
    func finish(_ gen: CodeGenerator) throws(DatabaseError) {
        if let sorterCursor {
            // Each sorted record goes to a pseudo cursor that reads its fields (generateSortTail);
            // the columns are read last to first.
            let pseudo = gen.builder.allocateCursor()
            let data = gen.builder.allocateRegisters()
            gen.builder.emit(.openPseudo, pseudo, data, Int32(sortKeys.count + 1 + columns.count))
            gen.builder.emit(.sorterSort, sorterCursor, jumpTo: done)
            let top = gen.builder.currentAddress
            gen.builder.emit(.sorterData, sorterCursor, data, pseudo)
            let next = gen.builder.makeLabel()
            let first = resultRegisters(gen)
            var field = Int32(sortKeys.count + columns.indices.filter { sortKeyOfColumn[$0] == nil }.count) - 1
            for index in columns.indices.reversed() {
                let read: Int32
                if let key = sortKeyOfColumn[index] {
                    read = Int32(key)
                } else {
                    read = field
                    field -= 1
                }
                gen.builder.emit(.column, pseudo, read, first + Int32(index))
            }
            emitResult(gen, first, skip: next)
            gen.builder.resolve(next)
            gen.builder.emit(.sorterNext, sorterCursor, top)
        }
        gen.builder.resolve(done)
    }
}
