import BTree
import Pager
import VM

/// The entry one row has in one index (insert.c/delete.c sqlite3GenerateIndexKey,
/// sqlite3IndexAffinityStr): the key terms (table columns, or expressions evaluated on the row),
/// then the rowid; for a partial index, whether the row has an entry at all (its WHERE is true).
/// The row is either in registers (`rowid` at `rowid`, column i at `rowid + 1 + i`, as
/// TableWriter holds a new row) or under the table cursor.
struct IndexEntryCode {
    let gen: CodeGenerator
    let table: TableSchema
    let index: IndexSchema
    /// The table's cursor (the row's when it is not in registers).
    let cursor: Int32

    /// Where the row's values are read.
    enum Row {
        case registers(rowid: Int32)
        case cursor
    }

    /// The scope in which the index's expressions and WHERE see the row.
    func scope(_ row: Row) -> ExprScope {
        var scope = ExprScope(table: ScopeTable(table: table, exposedName: table.name, cursor: cursor))
        if case .registers(let rowid) = row { scope.row = .registers(rowid: rowid, firstColumn: rowid + 1) }
        return scope
    }

    /// For a partial index, jumps to `skip` when the row has no entry (its WHERE is false or
    /// NULL); emits nothing for other indexes.
    func emitSkipUnlessIndexed(_ row: Row, skip: ProgramBuilder.Label) throws(DatabaseError) {
        guard let predicate = index.predicate else { return }
        try gen.jumpIfFalse(predicate, scope(row), to: skip, jumpIfNull: true)
    }

    /// The entry's fields in fresh registers: the key terms, then the rowid.
    func emitKey(_ row: Row) throws(DatabaseError) -> Int32 {
        let keys = gen.builder.allocateRegisters(index.columns.count + 1)
        for (offset, column) in index.columns.enumerated() {
            let target = keys + Int32(offset)
            switch (column.term, row) {
            case (.column(let c), .registers(let rowid)):
                let source = c == table.rowidAlias ? rowid : rowid + 1 + Int32(c)
                gen.builder.emit(c == table.rowidAlias ? .intCopy : .sCopy, source, target)
            case (.column(let c), .cursor):
                gen.emitTableColumn(table, cursor: cursor, c == table.rowidAlias ? .rowid : .column(c), into: target)
            case (.expression(let expr), _):
                try gen.compileExpr(expr, scope(row), into: target)
            }
        }
        switch row {
        case .registers(let rowid): gen.builder.emit(.intCopy, rowid, keys + Int32(index.columns.count))
        case .cursor: gen.builder.emit(.rowid, cursor, keys + Int32(index.columns.count))
        }
        return keys
    }

    /// The affinities MakeRecord gives the entry's fields: each column's, an expression's own
    /// (BLOB when it has none), INTEGER for the rowid.
    var affinities: String {
        let codes = index.columns.map { column -> UInt8 in
            switch column.term {
            case .column(let c): return table.columns[c].affinity.code
            case .expression(let expr):
                let affinity = gen.exprAffinity(expr, scope(.cursor))
                return affinity == 0 ? AffinityCode.blob : affinity
            }
        } + [AffinityCode.integer]
        return String(decoding: codes, as: UTF8.self)
    }

    /// What a UNIQUE violation of the index names (sqlite3UniqueConstraint): its columns as
    /// "t.a, t.b", or "index 'i'" when it has an expression among its terms.
    static func constraintName(_ index: IndexSchema, _ table: TableSchema) -> String {
        var names: [String] = []
        for column in index.columns {
            guard case .column(let c) = column.term else { return "index '\(index.name)'" }
            names.append("\(table.name).\(table.columns[c].name)")
        }
        return names.joined(separator: ", ")
    }
}
