import BTree
import Pager
import VM

/// ALTER TABLE ADD COLUMN and DROP COLUMN (alter.c sqlite3AlterFinishAddColumn,
/// sqlite3AlterDropColumn).
extension SchemaCompiler {
    /// ADD COLUMN: ", <definition as written>" goes into the stored CREATE TABLE where the column
    /// list ends. Existing rows are not rewritten: a record shorter than the table reads the
    /// column's DEFAULT, which is why a column that would need anything else is refused while the
    /// table has rows, with sqlite3's errors and at the point sqlite3 raises them.
    static func addColumn(_ table: TableSchema, _ definition: ColumnDefinition, _ source: Source) throws(DatabaseError) -> Program {
        if table.column(named: definition.name.value) != nil {
            throw DatabaseError(.SQLITE_ERROR, "duplicate column name: \(definition.name.value)")
        }
        var notNull = false
        var defaultExpr: Expr?
        var stored = false
        for constraint in definition.constraints {
            switch constraint.kind {
            case .primaryKey?: throw DatabaseError(.SQLITE_ERROR, "Cannot add a PRIMARY KEY column")
            case .unique?: throw DatabaseError(.SQLITE_ERROR, "Cannot add a UNIQUE column")
            case .notNull?: notNull = true
            case .default(let expr, _)?: defaultExpr = expr
            case .generated(_, let storage)?: stored = storage == .stored
            default: break
            }
        }
        let old = try storedTable(table)
        guard let last = old.columns.last else { throw DatabaseError(.SQLITE_CORRUPT, "malformed database schema (\(table.name))") }
        let offset = SchemaTextEdit.columnListEnd(old.sql, after: last)
        let bytes = Array(old.sql.utf8)
        let newSQL = String(decoding: bytes[..<offset], as: UTF8.self) + ", " + source.text(definition.range)
            + String(decoding: bytes[offset...], as: UTF8.self)
        // The new definition must make a valid table (collations, CHECK names...).
        guard case .createTable(let create) = try Schema.parse(newSQL),
              case .columns(let columns, let constraints, let options) = create.definition else {
            throw DatabaseError(.SQLITE_CORRUPT, "malformed database schema (\(table.name))")
        }
        var newTable = try TableDefinitionBuilder(name: table.name, sourceText: newSQL)
            .build(columns, constraints: constraints, options: options)
        do {
            try TableExpressionCheck.check(newTable, functions: source.context.functions)
        } catch {
            throw DatabaseError(error.resultCode, "error in table \(table.name) after add column: \(error.message)")
        }
        newTable.rootPage = table.rootPage
        newTable.indexes = table.indexes

        let gen = CodeGenerator(parsed: source.parsed, source: source.sql, context: source.context)
        let nullDefault = defaultExpr == nil || defaultExpr == .literal(.null)
        let failure: String?
        if notNull && nullDefault {
            failure = "Cannot add a NOT NULL column with default value NULL"
        } else if let defaultExpr, !nullDefault, CodeGenerator.constantValue(defaultExpr) == nil {
            failure = "Cannot add a column with non-constant default"
        } else if stored {
            failure = "cannot add a STORED column"
        } else {
            failure = nil
        }
        let needsScan = failure != nil || !newTable.checks.isEmpty
        if needsScan && table.withoutRowid {
            throw SQLCompiler.notSupported("ADD COLUMN with constraints on a WITHOUT ROWID table")
        }
        if let failure { emitFailIfRows(&gen.builder, table, message: failure) }
        emitSchemaRowEdits(&gen.builder, [SchemaRowEdit(name: table.name, type: "table", newName: table.name,
                                                        tableName: table.name, sql: newSQL)])
        if !newTable.checks.isEmpty { try emitCheckScan(gen, newTable) }
        return try finishAlter(gen, source)
    }

    /// pragma_quick_check's CHECK verification of every row against the altered table, which
    /// sqlite3 runs after adding a column to a table with CHECK constraints.
    private static func emitCheckScan(_ gen: CodeGenerator, _ table: TableSchema) throws(DatabaseError) {
        let cursor = gen.builder.allocateCursor()
        gen.builder.emit(.openRead, cursor, Int32(bitPattern: table.rootPage), 0, .int32(Int32(table.columns.count)))
        let scope = ExprScope(table: ScopeTable(table: table, exposedName: table.name, cursor: cursor))
        let end = gen.builder.makeLabel()
        gen.builder.emit(.rewind, cursor, jumpTo: end)
        let top = gen.builder.currentAddress
        for check in table.checks {
            let passed = gen.builder.makeLabel()
            try gen.jumpIfTrue(check.expr, scope, to: passed, jumpIfNull: true)
            gen.builder.emit(.halt, ResultCode.SQLITE_CONSTRAINT.rawValue, ConflictAction.abort.rawValue, 0,
                             .text("CHECK constraint failed"))
            gen.builder.resolve(passed)
        }
        gen.builder.emit(.next, cursor, top)
        gen.builder.resolve(end)
        gen.builder.emit(.close, cursor)
    }

    /// DROP COLUMN: the column's definition cut out of the stored SQL, then every row written
    /// again without its field.
    static func dropColumn(_ table: TableSchema, _ name: Name, _ source: Source) throws(DatabaseError) -> Program {
        guard let position = table.column(named: name.value) else {
            throw DatabaseError(.SQLITE_ERROR, "no such column: \"\(source.written(name))\"")
        }
        let column = table.columns[position]
        if column.isPrimaryKey {
            throw DatabaseError(.SQLITE_ERROR, "cannot drop PRIMARY KEY column: \"\(column.name)\"")
        }
        let uniqueAlone = table.indexes.contains { index in
            index.origin == .unique && index.columns.count == 1 && index.columns[0].term == .column(position)
        }
        if uniqueAlone { throw DatabaseError(.SQLITE_ERROR, "cannot drop UNIQUE column: \"\(column.name)\"") }
        if table.columns.count <= 1 {
            throw DatabaseError(.SQLITE_ERROR, "cannot drop column \"\(column.name)\": no other columns exist")
        }
        try refuseDependentObjects(source, "ALTER TABLE DROP COLUMN", table: table.name)
        if table.withoutRowid { throw SQLCompiler.notSupported("ALTER TABLE DROP COLUMN on a WITHOUT ROWID table") }
        let old = try storedTable(table)
        try checkNothingUses(column.name, of: table, old)

        // Cut from the column's name to the next column's name; the last column goes from the
        // comma before it to the end of the column list.
        // (SourceRange's == ignores positions, as AST equality does: compare indices instead.)
        guard let index = old.columns.firstIndex(where: { $0.name.value.sqlEquals(column.name) }) else {
            throw DatabaseError(.SQLITE_CORRUPT, "malformed database schema (\(table.name))")
        }
        let bytes = Array(old.sql.utf8)
        var start = old.columns[index].name.range.start
        let end: Int
        if index + 1 < old.columns.count {
            end = old.columns[index + 1].name.range.start
        } else {
            end = SchemaTextEdit.columnListEnd(old.sql, after: old.columns[old.columns.count - 1])
            while start > 0 && bytes[start] != UInt8(ascii: ",") { start -= 1 }
        }
        let newSQL = String(decoding: bytes[..<start], as: UTF8.self) + String(decoding: bytes[end...], as: UTF8.self)

        let gen = CodeGenerator(parsed: source.parsed, source: source.sql, context: source.context)
        emitSchemaRowEdits(&gen.builder, [SchemaRowEdit(name: table.name, type: "table", newName: table.name,
                                                        tableName: table.name, sql: newSQL)])
        if column.recordIndex != nil { emitRowRewrite(gen, table, dropping: position) }
        return try finishAlter(gen, source)
    }

    /// sqlite3's re-parse after the cut fails where something still names the column: the
    /// table's own expressions and key lists, its FOREIGN KEY columns, then its indexes.
    private static func checkNothingUses(_ name: String, of table: TableSchema, _ old: StoredTable) throws(DatabaseError) {
        var remaining = old.columns
        if let index = remaining.firstIndex(where: { $0.name.value.sqlEquals(name) }) { remaining.remove(at: index) }
        for expr in SchemaTextEdit.expressions(of: remaining, old.constraints) {
            if let reference = SchemaTextEdit.columnReferences(in: expr).first(where: { $0.column.value.sqlEquals(name) }) {
                throw DatabaseError(.SQLITE_ERROR, "error in table \(table.name) after drop column: no such column: \(reference.column.value)")
            }
        }
        for key in SchemaTextEdit.foreignKeys(of: remaining, old.constraints) {
            if let child = key.childColumns.first(where: { $0.value.sqlEquals(name) }) {
                throw DatabaseError(.SQLITE_ERROR,
                                    "error in table \(table.name) after drop column: unknown column \"\(child.value)\" in foreign key definition")
            }
        }
        for index in table.indexes {
            guard let create = try storedIndex(index) else { continue }
            let exprs = create.columns.map(\.expr) + (create.where.map { [$0] } ?? [])
            for expr in exprs {
                if let reference = SchemaTextEdit.columnReferences(in: expr).first(where: { $0.column.value.sqlEquals(name) }) {
                    throw DatabaseError(.SQLITE_ERROR, "error in index \(index.name) after drop column: no such column: \(reference.column.value)")
                }
            }
        }
    }

    /// Every row written again without the dropped column's field (the INTEGER PRIMARY KEY's
    /// field stays NULL). The rowids are gathered first, so the rewrite never meets its own rows.
    private static func emitRowRewrite(_ gen: CodeGenerator, _ table: TableSchema, dropping dropped: Int) {
        let cursor = gen.builder.allocateCursor()
        gen.builder.emit(.openWrite, cursor, Int32(bitPattern: table.rootPage), 0, .int32(Int32(table.columns.count)))
        let rowids = gen.builder.allocateCursor()
        gen.builder.emit(.openEphemeral, rowids, 0)
        let rowid = gen.builder.allocateRegisters()
        let empty = gen.builder.allocateRegisters()
        let done = gen.builder.makeLabel()
        gen.builder.emit(.rewind, cursor, jumpTo: done)
        let collect = gen.builder.currentAddress
        gen.builder.emit(.rowid, cursor, rowid)
        gen.builder.emit(.null, 0, empty)
        gen.builder.emit(.insert, rowids, empty, rowid)
        gen.builder.emit(.next, cursor, collect)
        gen.builder.resolve(done)

        let kept = StorageLayout.storedColumns(of: table).filter { $0 != dropped }
        let first = gen.builder.allocateRegisters(max(kept.count, 1))
        let record = gen.builder.allocateRegisters()
        let end = gen.builder.makeLabel()
        let next = gen.builder.makeLabel()
        gen.builder.emit(.rewind, rowids, jumpTo: end)
        let top = gen.builder.currentAddress
        gen.builder.emit(.rowid, rowids, rowid)
        gen.builder.emit(.notExists, cursor, jumpTo: next, rowid)
        for (offset, column) in kept.enumerated() {
            if column == table.rowidAlias {
                gen.builder.emit(.null, 0, first + Int32(offset))
            } else {
                gen.emitTableColumn(table, cursor: cursor, .column(column), into: first + Int32(offset))
            }
        }
        gen.builder.emit(.makeRecord, first, Int32(kept.count), record)
        gen.builder.emit(.insert, cursor, record, rowid)
        gen.builder.resolve(next)
        gen.builder.emit(.next, rowids, top)
        gen.builder.resolve(end)
    }
}
