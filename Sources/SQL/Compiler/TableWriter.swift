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
    /// For an UPDATE, which indexes the new row's entries can differ in (by position in the
    /// table's indexes); nil: all. The others are neither checked nor rewritten (update.c's
    /// aRegIdx[i] == 0), so an UPDATE of unindexed columns leaves the index pages alone.
    var maintainedIndexes: [Bool]?

    /// Whether the row's entry in index `position` is checked and rewritten.
    func maintains(_ position: Int) -> Bool { maintainedIndexes?[position] ?? true }

    /// Opens the table and each of its indexes for writing.
    init(_ gen: CodeGenerator, _ table: TableSchema, override: ConflictResolution?) throws(DatabaseError) {
        if table.withoutRowid { throw SQLCompiler.notSupported("writing WITHOUT ROWID tables") }
        if table.columns.contains(where: { $0.generated != nil }) { throw SQLCompiler.notSupported("writing tables with generated columns") }
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
            // Trailing BLOB (no) affinities change nothing: left off, and no Affinity at all when
            // every column is so (sqlite3TableAffinityStr).
            var affinities = table.columns.map { $0.affinity.code }
            while let last = affinities.last, last <= AffinityCode.blob { affinities.removeLast() }
            guard !affinities.isEmpty else { return }
            gen.builder.emit(.affinity, first, Int32(affinities.count), 0, .text(String(decoding: affinities, as: UTF8.self)))
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

    /// The entry code of the index at `position` of the table's indexes.
    func entry(_ position: Int) -> IndexEntryCode {
        IndexEntryCode(gen: gen, table: table, index: table.indexes[position], cursor: cursor)
    }

    /// Writes the new row: its index entries, then the record (sqlite3CompleteInsertion). A
    /// partial index's record register stays NULL for a row it does not hold, and its IdxInsert
    /// is skipped.
    func insertRow(rowid: Int32, flags: UInt16) throws(DatabaseError) {
        try insertRecords(try buildRecords(rowid: rowid), rowid: rowid, flags: flags)
    }

    /// The records of a new row, built but not yet written.
    struct RowRecords {
        /// Each maintained index's position, record register (NULL for a row a partial index
        /// does not hold) and the first of its key registers.
        var indexes: [(position: Int, record: Int32, keys: Int32)]
        var table: Int32
    }

    /// Builds the new row's index records, then its table record (the end of
    /// sqlite3GenerateConstraintChecks). `ipkIsNull`: the INTEGER PRIMARY KEY column's register
    /// already holds NULL (an UPDATE loads it so); otherwise it is made NULL here.
    func buildRecords(rowid: Int32, ipkIsNull: Bool = false) throws(DatabaseError) -> RowRecords {
        let first = rowid + 1
        if let ipk = table.rowidAlias, !ipkIsNull { gen.builder.emit(.softNull, first + Int32(ipk)) }
        // checkConstraints applied the affinities (or STRICT's type check) when a CHECK or an index
        // needed them first.
        if table.strict && table.checks.isEmpty && table.indexes.isEmpty { applyAffinity(first) }
        var indexRecords: [(position: Int, record: Int32, keys: Int32)] = []
        for position in table.indexes.indices where maintains(position) {
            let entry = entry(position)
            let record = gen.builder.allocateRegisters()
            let skip = gen.builder.makeLabel()
            if entry.index.predicate != nil { gen.builder.emit(.null, 0, record) }
            try entry.emitSkipUnlessIndexed(.registers(rowid: rowid), skip: skip)
            // Index keys take the column affinities first (MakeRecord applies them below too).
            let keys = try entry.emitKey(.registers(rowid: rowid))
            gen.builder.emit(.makeRecord, keys, Int32(entry.index.columns.count + 1), record, .text(entry.affinities))
            gen.builder.resolve(skip)
            indexRecords.append((position, record, keys))
        }
        let record = gen.builder.allocateRegisters()
        gen.builder.emit(.makeRecord, first, columnCount, record, table.strict ? .none : .text(affinityString))
        return RowRecords(indexes: indexRecords, table: record)
    }

    /// Writes records `buildRecords` made: the index entries, then the row.
    func insertRecords(_ records: RowRecords, rowid: Int32, flags: UInt16) throws(DatabaseError) {
        for (position, record, keys) in records.indexes {
            let index = table.indexes[position]
            let skip = gen.builder.makeLabel()
            if index.predicate != nil { gen.builder.emit(.isNull, record, jumpTo: skip) }
            gen.builder.emit(.idxInsert, indexCursors[position], record, keys,
                             .int32(Int32(index.columns.count + 1)), OpFlag.useSeekResult)
            gen.builder.resolve(skip)
        }
        gen.builder.emit(.insert, cursor, records.table, rowid, .table(TableDescription(name: table.name)), flags)
    }

    /// Deletes the index entries of the row the table cursor is on (a partial index's only when
    /// the row is in it): all of them for a row that goes (`maintainedOnly` false), the
    /// maintained ones for a row an UPDATE rewrites; never index `skipped`, whose own cursor
    /// deletes its entry (a DELETE walking that index).
    func emitDeleteIndexEntries(maintainedOnly: Bool = false, except skipped: Int? = nil) throws(DatabaseError) {
        for position in table.indexes.indices where (!maintainedOnly || maintains(position)) && position != skipped {
            let entry = entry(position)
            let skip = gen.builder.makeLabel()
            try entry.emitSkipUnlessIndexed(.cursor, skip: skip)
            let keys = try entry.emitKey(.cursor)
            gen.builder.emit(.idxDelete, indexCursors[position], keys, Int32(entry.index.columns.count + 1), .none, 1)
            gen.builder.resolve(skip)
        }
    }
}
