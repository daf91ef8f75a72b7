import BTree
import Pager
import VM

/// ALTER TABLE RENAME TO and RENAME COLUMN: the stored SQL of the table, its indexes and the
/// tables whose FOREIGN KEYs name it, edited token by token as sqlite_rename_table and
/// sqlite_rename_column edit it.
extension SchemaCompiler {
    static func renameTable(_ table: TableSchema, to newName: String, _ source: Source) throws(DatabaseError) -> Program {
        try refuseDependentObjects(source, "ALTER TABLE RENAME", table: table.name)
        let old = table.name
        // sqlite_rename_table always writes the new name quoted.
        func quoted(_ token: Name) -> String { SchemaTextEdit.replacement(for: token, newName: newName, alwaysQuote: true) }
        var edits: [SchemaRowEdit] = []
        for other in source.schema.tables.values.sorted(by: { $0.rootPage < $1.rootPage })
        where other.rootPage != TreeStore.schemaRoot && other.sql != nil {
            let stored = try storedTable(other)
            let isSelf = other.name.sqlEquals(old)
            var textEdits: [(range: SourceRange, text: String)] = []
            if isSelf {
                textEdits.append((stored.statement.name.name.range, quoted(stored.statement.name.name)))
                for expr in SchemaTextEdit.expressions(of: stored.columns, stored.constraints) {
                    for reference in SchemaTextEdit.columnReferences(in: expr) {
                        if let qualifier = reference.table, qualifier.value.sqlEquals(old), qualifier.range.count > 0 {
                            textEdits.append((qualifier.range, quoted(qualifier)))
                        }
                    }
                }
            }
            for key in SchemaTextEdit.foreignKeys(of: stored.columns, stored.constraints)
            where key.clause.table.value.sqlEquals(old) {
                textEdits.append((key.clause.table.range, quoted(key.clause.table)))
            }
            guard !textEdits.isEmpty else { continue }
            let finalName = isSelf ? newName : other.name
            edits.append(SchemaRowEdit(name: other.name, type: "table", newName: finalName, tableName: finalName,
                                       sql: SchemaTextEdit.apply(textEdits, to: stored.sql)))
        }
        let autoPrefix = "sqlite_autoindex_"
        for index in table.indexes {
            var sql: String?
            var indexName = index.name
            if let create = try storedIndex(index), let text = index.sql {
                sql = SchemaTextEdit.apply([(create.table.range, quoted(create.table))], to: text)
            } else if index.name.utf8.count >= autoPrefix.utf8.count + old.utf8.count {
                let suffix = index.name.utf8.dropFirst(autoPrefix.utf8.count + old.utf8.count)
                indexName = autoPrefix + newName + String(decoding: suffix, as: UTF8.self)
            }
            edits.append(SchemaRowEdit(name: index.name, type: "index", newName: indexName, tableName: newName, sql: sql))
        }
        let gen = CodeGenerator(parsed: source.parsed, source: source.sql, context: source.context)
        emitSchemaRowEdits(&gen.builder, edits)
        if let sequence = source.schema.table(sequenceTableName) {
            emitSequenceRename(&gen.builder, sequence, from: old, to: newName)
        }
        return try finishAlter(gen, source)
    }

    /// UPDATE sqlite_sequence SET name = new WHERE name = old.
    private static func emitSequenceRename(_ builder: inout ProgramBuilder, _ sequence: TableSchema, from old: String, to new: String) {
        let cursor = builder.allocateCursor()
        let oldName = builder.allocateRegisters()
        let current = builder.allocateRegisters()
        let fields = builder.allocateRegisters(2)
        let record = builder.allocateRegisters()
        let rowid = builder.allocateRegisters()
        builder.emit(.string8, 0, oldName, 0, .text(old))
        builder.emit(.openWrite, cursor, Int32(bitPattern: sequence.rootPage), 0, .int32(2))
        let end = builder.makeLabel()
        builder.emit(.rewind, cursor, jumpTo: end)
        let top = builder.currentAddress
        let next = builder.makeLabel()
        builder.emit(.column, cursor, 0, current)
        builder.emit(.ne, oldName, jumpTo: next, current, .collation(.binary), UInt16(CompareFlag.jumpIfNull))
        builder.emit(.string8, 0, fields, 0, .text(new))
        builder.emit(.column, cursor, 1, fields + 1)
        builder.emit(.makeRecord, fields, 2, record)
        builder.emit(.rowid, cursor, rowid)
        builder.emit(.insert, cursor, record, rowid)
        builder.resolve(next)
        builder.emit(.next, cursor, top)
        builder.resolve(end)
        builder.emit(.close, cursor)
    }

    static func renameColumn(_ table: TableSchema, _ old: Name, to new: Name, _ source: Source) throws(DatabaseError) -> Program {
        guard let position = table.column(named: old.value) else {
            throw DatabaseError(.SQLITE_ERROR, "no such column: \"\(source.written(old))\"")
        }
        let oldName = table.columns[position].name
        // The re-parse after the edit finds the later of two equal names.
        if let other = table.column(named: new.value), other != position {
            let later = other > position ? table.columns[other].name : new.value
            throw DatabaseError(.SQLITE_ERROR, "error in table \(table.name) after rename: duplicate column name: \(later)")
        }
        try refuseDependentObjects(source, "ALTER TABLE RENAME COLUMN", table: table.name)
        let quote = new.quoting != .bare
        func replaced(_ token: Name) -> (range: SourceRange, text: String) {
            (token.range, SchemaTextEdit.replacement(for: token, newName: new.value, alwaysQuote: quote))
        }
        func references(_ exprs: [Expr], table qualifierName: String) -> [(range: SourceRange, text: String)] {
            exprs.flatMap { SchemaTextEdit.columnReferences(in: $0) }
                .filter { $0.column.value.sqlEquals(oldName) && ($0.table.map { $0.value.sqlEquals(qualifierName) } ?? true) }
                .map { replaced($0.column) }
        }
        var edits: [SchemaRowEdit] = []
        for other in source.schema.tables.values.sorted(by: { $0.rootPage < $1.rootPage })
        where other.rootPage != TreeStore.schemaRoot && other.sql != nil {
            let stored = try storedTable(other)
            let isSelf = other.name.sqlEquals(table.name)
            var textEdits: [(range: SourceRange, text: String)] = []
            if isSelf {
                textEdits += stored.columns.filter { $0.name.value.sqlEquals(oldName) }.map { replaced($0.name) }
                textEdits += references(SchemaTextEdit.expressions(of: stored.columns, stored.constraints), table: table.name)
            }
            for key in SchemaTextEdit.foreignKeys(of: stored.columns, stored.constraints) {
                if isSelf {
                    for child in key.childColumns where child.value.sqlEquals(oldName) {
                        textEdits.append(replaced(child))
                    }
                }
                if key.clause.table.value.sqlEquals(table.name) {
                    textEdits += key.clause.columns.filter { $0.value.sqlEquals(oldName) }.map(replaced)
                }
            }
            guard !textEdits.isEmpty else { continue }
            edits.append(SchemaRowEdit(name: other.name, type: "table", newName: other.name, tableName: other.name,
                                       sql: SchemaTextEdit.apply(textEdits, to: stored.sql)))
        }
        for index in table.indexes {
            guard let create = try storedIndex(index), let text = index.sql else { continue }
            let exprs = create.columns.map(\.expr) + (create.where.map { [$0] } ?? [])
            let textEdits = references(exprs, table: table.name)
            guard !textEdits.isEmpty else { continue }
            edits.append(SchemaRowEdit(name: index.name, type: "index", newName: index.name, tableName: table.name,
                                       sql: SchemaTextEdit.apply(textEdits, to: text)))
        }
        let gen = CodeGenerator(parsed: source.parsed, source: source.sql, context: source.context)
        emitSchemaRowEdits(&gen.builder, edits)
        return try finishAlter(gen, source)
    }
}
