import BTree
import Pager
import VM

/// Writing rows of a rowid table with its constraints and indexes (insert.c
/// sqlite3GenerateConstraintChecks and sqlite3CompleteInsertion, delete.c
/// sqlite3GenerateRowIndexDelete). A new row is in registers: the rowid at `rowid`, column i at
/// `rowid + 1 + i` (the INTEGER PRIMARY KEY column's own register holds NULL).
struct TableWriter {
    let gen: CodeGenerator
    let table: TableSchema
    let cursor: Int32
    let indexCursors: [Int32]
    /// The statement's OR clause, which overrides every constraint's own resolution (an
    /// upsert's DO UPDATE checks its row with ABORT whatever the INSERT's OR clause says).
    var override: ConflictResolution?

    /// Opens the table and each of its indexes for writing.
    init(_ gen: CodeGenerator, _ table: TableSchema, override: ConflictResolution?) throws(DatabaseError) {
        if table.withoutRowid { throw SQLCompiler.notSupported("writing WITHOUT ROWID tables") }
        if table.columns.contains(where: { $0.generated != nil }) { throw SQLCompiler.notSupported("writing tables with generated columns") }
        for index in table.indexes {
            if index.predicate != nil { throw SQLCompiler.notSupported("writing tables with partial indexes") }
            if index.columns.contains(where: { if case .expression = $0.term { return true } else { return false } }) {
                throw SQLCompiler.notSupported("writing tables with indexes on expressions")
            }
        }
        if table.name.sqlEquals(Schema.schemaTableName) {
            throw DatabaseError(.SQLITE_ERROR, "table sqlite_master may not be modified")
        }
        self.gen = gen
        self.table = table
        self.override = override
        gen.builder.writes = true
        cursor = gen.builder.allocateCursor()
        gen.builder.emit(.openWrite, cursor, Int32(bitPattern: table.rootPage), 0, .int32(Int32(table.columns.count)))
        var indexCursors: [Int32] = []
        for index in table.indexes {
            let indexCursor = gen.builder.allocateCursor()
            gen.builder.emit(.openWrite, indexCursor, Int32(bitPattern: index.rootPage), 0,
                             .keyInfo(gen.keyDescription(index, table)))
            indexCursors.append(indexCursor)
        }
        self.indexCursors = indexCursors
    }

    var columnCount: Int32 { Int32(table.columns.count) }

    /// The scope in which CHECK constraints and SET expressions of the new row are compiled.
    func newRowScope(rowid: Int32) -> ExprScope {
        var scope = ExprScope(table: ScopeTable(table: table, exposedName: table.name, cursor: cursor))
        scope.row = .registers(rowid: rowid, firstColumn: rowid + 1)
        return scope
    }

    func action(_ own: ConflictResolution?) -> ConflictResolution { override ?? own ?? .abort }

    func haltAction(_ resolution: ConflictResolution) -> Int32 {
        switch resolution {
        case .rollback: ConflictAction.rollback.rawValue
        case .fail: ConflictAction.fail.rawValue
        default: ConflictAction.abort.rawValue
        }
    }

    /// The column affinities (or a STRICT table's type check) applied to the new row in place.
    func applyAffinity(_ first: Int32) {
        if table.strict {
            gen.builder.emit(.typeCheck, first, columnCount, 0, .table(strictDescription))
        } else {
            gen.builder.emit(.affinity, first, columnCount, 0, .text(affinityString))
        }
    }

    private var affinityString: String {
        String(decoding: table.columns.map { $0.affinity.code }, as: UTF8.self)
    }

    private var strictDescription: TableDescription {
        TableDescription(name: table.name, columns: table.columns.map { column in
            let type = TableDescription.StrictType(rawValue: column.declaredType?.uppercased() ?? "ANY") ?? .any
            return TableDescription.Column(name: column.name, affinity: column.affinity.code, strictType: type)
        })
    }

    /// The index entry of the new row in fresh registers: its key columns, then the rowid.
    func emitIndexKey(_ index: IndexSchema, rowid: Int32) -> Int32 {
        let keys = gen.builder.allocateRegisters(index.columns.count + 1)
        for (offset, column) in index.columns.enumerated() {
            guard case .column(let c) = column.term else { preconditionFailure("expression index in a write") }
            let source = c == table.rowidAlias ? rowid : rowid + 1 + Int32(c)
            gen.builder.emit(c == table.rowidAlias ? .intCopy : .sCopy, source, keys + Int32(offset))
        }
        gen.builder.emit(.intCopy, rowid, keys + Int32(index.columns.count))
        return keys
    }

    /// Writes the new row: its index entries, then the record (sqlite3CompleteInsertion).
    func insertRow(rowid: Int32, flags: UInt16) {
        let first = rowid + 1
        if let ipk = table.rowidAlias { gen.builder.emit(.softNull, first + Int32(ipk)) }
        // checkConstraints applied the affinities (or STRICT's type check) when a CHECK or an index
        // needed them first.
        if table.strict && table.checks.isEmpty && table.indexes.isEmpty { applyAffinity(first) }
        var indexRecords: [(Int32, Int32)] = []
        for index in table.indexes {
            // Index keys take the column affinities first (MakeRecord applies them below too).
            let keys = emitIndexKey(index, rowid: rowid)
            let affinities = index.columns.map { column -> UInt8 in
                guard case .column(let c) = column.term else { return AffinityCode.blob }
                return table.columns[c].affinity.code
            } + [AffinityCode.integer]
            let record = gen.builder.allocateRegisters()
            gen.builder.emit(.makeRecord, keys, Int32(index.columns.count + 1), record,
                             .text(String(decoding: affinities, as: UTF8.self)))
            indexRecords.append((record, keys))
        }
        for (position, (record, keys)) in indexRecords.enumerated() {
            gen.builder.emit(.idxInsert, indexCursors[position], record, keys,
                             .int32(Int32(table.indexes[position].columns.count + 1)), OpFlag.useSeekResult)
        }
        let record = gen.builder.allocateRegisters()
        gen.builder.emit(.makeRecord, first, columnCount, record, table.strict ? .none : .text(affinityString))
        gen.builder.emit(.insert, cursor, record, rowid, .table(TableDescription(name: table.name)), flags)
    }

    /// Deletes the index entries of the row the table cursor is on.
    func emitDeleteIndexEntries() {
        for (position, index) in table.indexes.enumerated() {
            let keys = gen.builder.allocateRegisters(index.columns.count + 1)
            for (offset, column) in index.columns.enumerated() {
                guard case .column(let c) = column.term else { preconditionFailure("expression index in a write") }
                gen.emitTableColumn(table, cursor: cursor, c == table.rowidAlias ? .rowid : .column(c), into: keys + Int32(offset))
            }
            gen.builder.emit(.rowid, cursor, keys + Int32(index.columns.count))
            gen.builder.emit(.idxDelete, indexCursors[position], keys, Int32(index.columns.count + 1), .none, 1)
        }
    }
}
