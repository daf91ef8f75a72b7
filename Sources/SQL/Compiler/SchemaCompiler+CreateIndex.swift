import BTree
import Pager
import VM

/// CREATE [UNIQUE] INDEX (build.c sqlite3CreateIndex and sqlite3RefillIndex): the index's tree
/// and sqlite_schema row, then every row of the table sorted through the VM's sorter into it; a
/// UNIQUE index stops at the first two rows with equal keys (NULLs are never equal).
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
        if index.predicate != nil { throw SQLCompiler.notSupported("CREATE INDEX ... WHERE (a partial index)") }
        var columns: [Int] = []
        for column in index.columns {
            guard case .column(let position) = column.term else {
                throw SQLCompiler.notSupported("an index on an expression")
            }
            if let generated = table.columns[position].generated, !generated.stored {
                throw SQLCompiler.notSupported("an index on a VIRTUAL generated column")
            }
            columns.append(position)
        }
        if table.withoutRowid { throw SQLCompiler.notSupported("CREATE INDEX on a WITHOUT ROWID table") }
        index.sql = source.storedSQL(kind: statement.unique ? "UNIQUE INDEX" : "INDEX", from: statement.name.name, throughTrailer: true)
        return try createIndexProgram(index, columns: columns, on: table, source)
    }

    private static func createIndexProgram(_ index: IndexSchema, columns: [Int], on table: TableSchema,
                                           _ source: Source) throws(DatabaseError) -> Program {
        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: source.schema.cookie)
        let root = builder.allocateRegisters()
        builder.emit(.createBtree, 0, root, 2)
        let schemaCursor = builder.allocateCursor()
        builder.emit(.openWrite, schemaCursor, Int32(TreeStore.schemaRoot), 0, .int32(5))
        emitSchemaRow(&builder, cursor: schemaCursor, type: "index", name: index.name, tableName: table.name,
                      rootRegister: root, sql: index.sql)
        emitRefill(&builder, index, columns: columns, table: table, rootRegister: root)
        builder.emit(.close, schemaCursor)
        emitCookieChange(&builder, source)
        builder.emit(.parseSchema, 0, 0, 0, .text("name=\(quoted(index.name)) AND type='index'"))
        builder.emit(.expire, 0, 1)
        frame.finish(&builder, access: .write)
        return try builder.finish(sql: source.sql)
    }

    /// sqlite3RefillIndex: reads every row of the table into a sorter as an index record (the key
    /// columns, then the rowid), then appends the sorted records to the new tree.
    static func emitRefill(_ builder: inout ProgramBuilder, _ index: IndexSchema, columns: [Int],
                                   table: TableSchema, rootRegister: Int32) {
        let key = KeyDescription(columns: index.columns.map {
            KeyDescription.Column(collation: $0.collation == .binary ? nil : $0.collation, descending: $0.descending)
        } + [KeyDescription.Column()])
        let sorter = builder.allocateCursor()
        let tableCursor = builder.allocateCursor()
        let indexCursor = builder.allocateCursor()
        let record = builder.allocateRegisters()
        let fields = builder.allocateRegisters(columns.count + 1)
        builder.emit(.sorterOpen, sorter, 0, Int32(columns.count), .keyInfo(key))
        builder.emit(.openRead, tableCursor, Int32(bitPattern: table.rootPage), 0, .int32(Int32(table.recordFieldCount)))
        let rewind = builder.emit(.rewind, tableCursor, 0)
        let loop = builder.currentAddress
        for (offset, column) in columns.enumerated() {
            emitColumn(&builder, table: table, column: column, cursor: tableCursor, into: fields + Int32(offset))
        }
        builder.emit(.rowid, tableCursor, fields + Int32(columns.count))
        builder.emit(.makeRecord, fields, Int32(columns.count + 1), record)
        builder.emit(.sorterInsert, sorter, record)
        builder.emit(.next, tableCursor, loop)
        builder.jumpHere(rewind)

        builder.emit(.openWrite, indexCursor, rootRegister, 0, .keyInfo(key), OpFlag.p2IsRegister | 0x01)
        let sort = builder.emit(.sorterSort, sorter, 0)
        let copy = builder.makeLabel()
        var next = sort + 1
        if index.unique {
            builder.emit(.goto, 0, jumpTo: copy)
            next = builder.currentAddress
            builder.emit(.sorterCompare, sorter, jumpTo: copy, record, .int32(Int32(columns.count)))
            let names = columns.map { "\(table.name).\(table.columns[$0].name)" }.joined(separator: ", ")
            builder.emit(.halt, ResultCode.SQLITE_CONSTRAINT_UNIQUE.rawValue, ConflictAction.abort.rawValue, 0,
                         .text(names), ConstraintKind.unique.rawValue)
        }
        builder.resolve(copy)
        builder.emit(.sorterData, sorter, record, indexCursor)
        builder.emit(.seekEnd, indexCursor)
        builder.emit(.idxInsert, indexCursor, record, 0, .none, OpFlag.useSeekResult)
        builder.emit(.sorterNext, sorter, next)
        builder.jumpHere(sort)
        builder.emit(.close, tableCursor)
        builder.emit(.close, indexCursor)
        builder.emit(.close, sorter)
    }

    /// A table column's value as an index holds it (sqlite3ExprCodeGetColumnOfTable): the rowid
    /// for the INTEGER PRIMARY KEY, the column's default for rows written before ALTER TABLE
    /// added it, and REAL columns' integers as reals.
    static func emitColumn(_ builder: inout ProgramBuilder, table: TableSchema, column: Int, cursor: Int32, into target: Int32) {
        if column == table.rowidAlias {
            builder.emit(.rowid, cursor, target)
            return
        }
        let schema = table.columns[column]
        guard let field = schema.recordIndex else {
            preconditionFailure("column \(schema.name) of \(table.name) is not stored")
        }
        let defaultValue = schema.defaultValue.flatMap(constantValue)
        builder.emit(.column, cursor, Int32(field), target, defaultValue.map { .value($0) } ?? .none)
        if schema.affinity == .real { builder.emit(.realAffinity, target) }
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
