import BTree
import Pager
import VM

/// CREATE [UNIQUE] INDEX (build.c sqlite3CreateIndex and sqlite3RefillIndex): the index's tree
/// and sqlite_schema row, then every row of the table (of a partial index, those its WHERE
/// holds for) sorted through the VM's sorter into it; a UNIQUE index stops at the first two rows
/// with equal keys (NULLs are never equal).
extension SchemaCompiler {
    static func createIndex(_ statement: CreateIndexStatement, _ source: Source) throws(DatabaseError) -> Program {
        try checkCreateDatabase(statement.name.schema, temporary: false, what: "INDEX")
        if source.schema.view(statement.table.value) != nil {
            throw DatabaseError(.SQLITE_ERROR, "views may not be indexed")
        }
        guard let table = source.schema.table(statement.table.value) else {
            throw DatabaseError(.SQLITE_ERROR, "no such table: main.\(statement.table.value)")
        }
        if isReserved(table.name) || table.rootPage == TreeStore.schemaRoot {
            let shown = table.rootPage == TreeStore.schemaRoot ? "sqlite_master" : table.name
            throw DatabaseError(.SQLITE_ERROR, "table \(shown) may not be indexed")
        }
        let name = statement.name.name.value
        try checkObjectName(name)
        if source.schema.table(name) != nil || source.schema.view(name) != nil {
            throw DatabaseError(.SQLITE_ERROR, "there is already a table named \(name)")
        }
        if source.schema.index(name) != nil {
            if statement.ifNotExists { return try noOpProgram(source) }
            throw DatabaseError(.SQLITE_ERROR, "index \(name) already exists")
        }
        var index = try Schema.index(from: CreateIndexStatement(
            unique: statement.unique, ifNotExists: statement.ifNotExists, name: statement.name,
            table: statement.table, columns: statement.columns, where: statement.where), on: table)
        for column in index.columns {
            switch column.term {
            case .column(let position):
                if let generated = table.columns[position].generated, !generated.stored {
                    throw SQLCompiler.notSupported("an index on a VIRTUAL generated column")
                }
            case .expression(let expr):
                try IndexExpressionCheck.check(expr, table, source, context: .expression)
            }
        }
        if let predicate = index.predicate {
            try IndexExpressionCheck.check(predicate, table, source, context: .predicate)
        }
        if table.withoutRowid { throw SQLCompiler.notSupported("CREATE INDEX on a WITHOUT ROWID table") }
        index.sql = source.storedSQL(kind: statement.unique ? "UNIQUE INDEX" : "INDEX", from: statement.name.name, throughTrailer: true)
        return try createIndexProgram(index, on: table, source)
    }

    private static func createIndexProgram(_ index: IndexSchema, on table: TableSchema,
                                           _ source: Source) throws(DatabaseError) -> Program {
        let gen = CodeGenerator(parsed: source.parsed, source: source.sql, context: source.context)
        gen.builder.writes = true
        let root = gen.builder.allocateRegisters()
        gen.builder.emit(.createBtree, 0, root, 2)
        let schemaCursor = gen.builder.allocateCursor()
        gen.builder.emit(.openWrite, schemaCursor, Int32(TreeStore.schemaRoot), 0, .int32(5))
        emitSchemaRow(&gen.builder, cursor: schemaCursor, type: "index", name: index.name, tableName: table.name,
                      rootRegister: root, sql: index.sql)
        try emitRefill(gen, index, table: table, rootRegister: root)
        gen.builder.emit(.close, schemaCursor)
        emitCookieChange(&gen.builder, source)
        gen.builder.emit(.parseSchema, 0, 0, 0, .text("name=\(quoted(index.name)) AND type='index'"))
        gen.builder.emit(.expire, 0, 1)
        return try gen.finish()
    }

    /// sqlite3RefillIndex: reads every row of the table into a sorter as an index record (the key
    /// terms, then the rowid; a partial index only the rows its WHERE holds for), then appends
    /// the sorted records to the new tree.
    static func emitRefill(_ gen: CodeGenerator, _ index: IndexSchema, table: TableSchema,
                           rootRegister: Int32) throws(DatabaseError) {
        let key = KeyDescription(columns: index.columns.map {
            KeyDescription.Column(collation: $0.collation == .binary ? nil : $0.collation, descending: $0.descending)
        } + [KeyDescription.Column()])
        let keyCount = Int32(index.columns.count)
        let sorter = gen.builder.allocateCursor()
        let tableCursor = gen.builder.allocateCursor()
        let indexCursor = gen.builder.allocateCursor()
        let record = gen.builder.allocateRegisters()
        let entry = IndexEntryCode(gen: gen, table: table, index: index, cursor: tableCursor)
        gen.builder.emit(.sorterOpen, sorter, 0, keyCount, .keyInfo(key))
        gen.builder.emit(.openRead, tableCursor, Int32(bitPattern: table.rootPage), 0, .int32(Int32(table.recordFieldCount)))
        let rewind = gen.builder.emit(.rewind, tableCursor, 0)
        let loop = gen.builder.currentAddress
        let skip = gen.builder.makeLabel()
        try entry.emitSkipUnlessIndexed(.cursor, skip: skip)
        let fields = try entry.emitKey(.cursor)
        gen.builder.emit(.makeRecord, fields, keyCount + 1, record)
        gen.builder.emit(.sorterInsert, sorter, record)
        gen.builder.resolve(skip)
        gen.builder.emit(.next, tableCursor, loop)
        gen.builder.jumpHere(rewind)

        gen.builder.emit(.openWrite, indexCursor, rootRegister, 0, .keyInfo(key), OpFlag.p2IsRegister | 0x01)
        let sort = gen.builder.emit(.sorterSort, sorter, 0)
        let copy = gen.builder.makeLabel()
        var next = sort + 1
        if index.unique {
            gen.builder.emit(.goto, 0, jumpTo: copy)
            next = gen.builder.currentAddress
            gen.builder.emit(.sorterCompare, sorter, jumpTo: copy, record, .int32(keyCount))
            gen.builder.emit(.halt, ResultCode.SQLITE_CONSTRAINT_UNIQUE.rawValue, ConflictAction.abort.rawValue, 0,
                             .text(IndexEntryCode.constraintName(index, table)), ConstraintKind.unique.rawValue)
        }
        gen.builder.resolve(copy)
        gen.builder.emit(.sorterData, sorter, record, indexCursor)
        gen.builder.emit(.seekEnd, indexCursor)
        gen.builder.emit(.idxInsert, indexCursor, record, 0, .none, OpFlag.useSeekResult)
        gen.builder.emit(.sorterNext, sorter, next)
        gen.builder.jumpHere(sort)
        gen.builder.emit(.close, tableCursor)
        gen.builder.emit(.close, indexCursor)
        gen.builder.emit(.close, sorter)
    }

    /// The value of a DEFAULT that sqlite3ValueFromExpr can evaluate without running code
    /// (literals, signed numbers); nil for others, which sqlite3 does not apply to short
    /// records either.
    static func constantValue(_ expr: Expr) -> Value? {
        switch expr {
        case .literal(.null): return .null
        case .literal(.integer(let i)): return .integer(i)
        case .literal(.real(let r)): return .real(r)
        case .literal(.string(let s)): return .text(s)
        case .literal(.blob(let b)): return .blob(b)
        case .literal(.boolean(let b)): return .integer(b ? 1 : 0)
        case .unary(.plus, let inner): return constantValue(inner)
        case .unary(.negate, .literal(.integer(let i))): return i == .min ? .real(-Double(i)) : .integer(-i)
        case .unary(.negate, .literal(.real(let r))): return .real(-r)
        default: return nil
        }
    }
}
