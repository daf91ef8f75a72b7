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
    /// The statement's OR clause, which overrides every constraint's own resolution.
    let override: ConflictResolution?

    /// Opens the table and each of its indexes for writing.
    init(_ gen: CodeGenerator, _ table: TableSchema, override: ConflictResolution?) throws(DatabaseError) {
        if table.withoutRowid { throw SQLCompiler.notSupported("writing WITHOUT ROWID tables") }
        if table.autoincrement { throw SQLCompiler.notSupported("writing AUTOINCREMENT tables") }
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

    private func action(_ own: ConflictResolution?) -> ConflictResolution { override ?? own ?? .abort }

    private func haltAction(_ resolution: ConflictResolution) -> Int32 {
        switch resolution {
        case .rollback: ConflictAction.rollback.rawValue
        case .fail: ConflictAction.fail.rawValue
        default: ConflictAction.abort.rawValue
        }
    }

    /// NOT NULL, CHECK, rowid and UNIQUE checks of the new row. `ignore` skips the row (OR
    /// IGNORE). For an UPDATE, `oldRowid` is the row's rowid before the change (its own index
    /// entries are not conflicts) and `rowidChanged` whether the rowid may differ from it.
    func checkConstraints(rowid: Int32, ignore: ProgramBuilder.Label, checkRowid: Bool,
                          oldRowid: Int32? = nil) throws(DatabaseError) {
        let first = rowid + 1
        for (index, column) in table.columns.enumerated() where index != table.rowidAlias {
            guard let own = column.notNull else { continue }
            var resolution = action(own)
            let register = first + Int32(index)
            if resolution == .replace {
                if let defaultValue = column.defaultValue {
                    let skip = gen.builder.emit(.notNull, register, 0)
                    try gen.compileExpr(defaultValue, ExprScope(table: nil), into: register)
                    gen.builder.jumpHere(skip)
                    continue
                }
                resolution = .abort
            }
            if resolution == .ignore {
                gen.builder.emit(.isNull, register, jumpTo: ignore)
            } else {
                gen.builder.emit(.haltIfNull, ResultCode.SQLITE_CONSTRAINT_NOTNULL.rawValue, haltAction(resolution), register,
                                 .text("\(table.name).\(column.name)"), ConstraintKind.notNull.rawValue)
            }
        }
        if !table.checks.isEmpty {
            applyAffinity(first)
            let scope = newRowScope(rowid: rowid)
            let texts = CheckConstraintText.texts(of: table.sql ?? "")
            for (position, check) in table.checks.enumerated() {
                let passed = gen.builder.makeLabel()
                try gen.jumpIfTrue(check.expr, scope, to: passed, jumpIfNull: true)
                let name = check.name ?? (position < texts.count ? texts[position] : "")
                let resolution = action(nil)
                if resolution == .ignore {
                    gen.builder.emit(.goto, 0, jumpTo: ignore)
                } else {
                    gen.builder.emit(.halt, ResultCode.SQLITE_CONSTRAINT_CHECK.rawValue,
                                     haltAction(resolution == .replace ? .abort : resolution), 0, .text(name),
                                     ConstraintKind.check.rawValue)
                }
                gen.builder.resolve(passed)
            }
        }
        if checkRowid {
            let unique = gen.builder.makeLabel()
            if let oldRowid { gen.builder.emit(.eq, rowid, jumpTo: unique, oldRowid) }
            gen.builder.emit(.notExists, cursor, jumpTo: unique, rowid)
            let name = table.rowidAlias.map { "\(table.name).\(table.columns[$0].name)" } ?? "\(table.name).rowid"
            switch action(nil) {
            case .ignore:
                gen.builder.emit(.goto, 0, jumpTo: ignore)
            case .replace:
                emitDeleteIndexEntries()
                gen.builder.emit(.delete, cursor, 0)
            case let resolution:
                let code = table.rowidAlias != nil ? ResultCode.SQLITE_CONSTRAINT_PRIMARYKEY : ResultCode.SQLITE_CONSTRAINT_ROWID
                gen.builder.emit(.halt, code.rawValue, haltAction(resolution), 0, .text(name), ConstraintKind.unique.rawValue)
            }
            gen.builder.resolve(unique)
        }
        for (position, index) in table.indexes.enumerated() where index.unique {
            let keys = emitIndexKey(index, rowid: rowid)
            let unique = gen.builder.makeLabel()
            let keyCount = Int32(index.columns.count)
            gen.builder.emit(.noConflict, indexCursors[position], jumpTo: unique, keys, .int32(keyCount))
            let conflicting = gen.builder.allocateRegisters()
            gen.builder.emit(.idxRowid, indexCursors[position], conflicting)
            if let oldRowid { gen.builder.emit(.eq, oldRowid, jumpTo: unique, conflicting) }
            let names = index.columns.map { column -> String in
                guard case .column(let c) = column.term else { return "?" }
                return "\(table.name).\(table.columns[c].name)"
            }
            switch action(index.onConflict) {
            case .ignore:
                gen.builder.emit(.goto, 0, jumpTo: ignore)
            case .replace:
                gen.builder.emit(.notExists, cursor, jumpTo: unique, conflicting)
                emitDeleteIndexEntries()
                gen.builder.emit(.delete, cursor, 0)
            case let resolution:
                let code = index.origin == .primaryKey ? ResultCode.SQLITE_CONSTRAINT_PRIMARYKEY : ResultCode.SQLITE_CONSTRAINT_UNIQUE
                gen.builder.emit(.halt, code.rawValue, haltAction(resolution), 0, .text(names.joined(separator: ", ")),
                                 ConstraintKind.unique.rawValue)
            }
            gen.builder.resolve(unique)
        }
    }

    /// The column affinities (or a STRICT table's type check) applied to the new row in place.
    private func applyAffinity(_ first: Int32) {
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
    private func emitIndexKey(_ index: IndexSchema, rowid: Int32) -> Int32 {
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
        if table.strict && table.checks.isEmpty { applyAffinity(first) }
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

/// The source text of a table's CHECK constraints, in order: sqlite3 names an unnamed CHECK by
/// its expression as written.
enum CheckConstraintText {
    static func texts(of sql: String) -> [String] {
        let bytes = Array(sql.utf8) + [0]
        var texts: [String] = []
        bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var offset = 0
            var tokens: [(TokenKind, Int, Int)] = []
            while offset < bytes.count - 1 {
                let (kind, length) = Lexer.scan(base + offset, 0)
                if kind == .eof || length <= 0 { break }
                if kind != .space { tokens.append((kind, offset, offset + length)) }
                offset += length
            }
            var index = 0
            while index < tokens.count {
                if tokens[index].0 == .kwCheck, index + 1 < tokens.count, tokens[index + 1].0 == .leftParen {
                    var depth = 0
                    var end = index + 1
                    while end < tokens.count {
                        if tokens[end].0 == .leftParen { depth += 1 }
                        if tokens[end].0 == .rightParen { depth -= 1; if depth == 0 { break } }
                        end += 1
                    }
                    if end < tokens.count, end > index + 2 {
                        let start = tokens[index + 2].1
                        let stop = tokens[end - 1].2
                        texts.append(String(decoding: bytes[start..<stop], as: UTF8.self))
                    }
                    index = end
                }
                index += 1
            }
        }
        return texts
    }
}
