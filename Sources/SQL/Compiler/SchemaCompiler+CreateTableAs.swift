import BTree
import Pager
import VM

/// CREATE TABLE ... AS SELECT (build.c sqlite3EndTable with a SELECT, createTableStmt; select.c
/// sqlite3ResultSetOfSelect): the table's columns are the query's result columns (of its
/// leftmost SELECT), named as sqlite3ColumnsFromExprList names them and typed by their affinity
/// alone; the stored SQL is the CREATE TABLE statement sqlite3 writes for them; the query's rows
/// are inserted with the columns' affinities.
extension SchemaCompiler {
    static func createTableAs(_ select: Select, name: String, _ source: Source) throws(DatabaseError) -> Program {
        let gen = CodeGenerator(parsed: source.parsed, source: source.sql, context: source.context)
        gen.builder.writes = true
        let described = try gen.describeQuery(select, outer: nil)
        var names: [String] = []
        for (position, column) in described.enumerated() {
            // sqlite3ColumnsFromExprList: the names "true" and "false" would read as the values.
            let isBoolean = column.name.sqlEquals("true") || column.name.sqlEquals("false")
            names.append(CodeGenerator.uniqueName(isBoolean ? "column\(position + 1)" : column.name, among: names))
        }
        // An expression without an affinity makes a column without a type (SQLITE_AFF_BLOB).
        let affinities = described.map { $0.affinity == AffinityCode.none ? AffinityCode.blob : $0.affinity }
        let sql = createTableStatement(name: name, columns: Array(zip(names, affinities)))

        let slot = emitTableTree(&gen.builder, withoutRowid: false, placeholderFor: name)
        let rows = gen.builder.allocateCursor()
        gen.builder.emit(.openEphemeral, rows, Int32(described.count))
        _ = try gen.compileQuery(select, outer: nil, destination: .table(rows))
        let table = gen.builder.allocateCursor()
        gen.builder.emit(.openWrite, table, slot.root, 0, .int32(Int32(described.count)), OpFlag.p2IsRegister)
        let fields = gen.builder.allocateRegisters(described.count)
        let record = gen.builder.allocateRegisters()
        let rowid = gen.builder.allocateRegisters()
        let end = gen.builder.makeLabel()
        gen.builder.emit(.rewind, rows, jumpTo: end)
        let top = gen.builder.currentAddress
        for position in described.indices {
            gen.builder.emit(.column, rows, Int32(position), fields + Int32(position))
        }
        // sqlite3TableAffinity: trailing BLOB affinities are left off, none at all means no P4.
        var affinityString = affinities
        while affinityString.last == AffinityCode.blob { affinityString.removeLast() }
        gen.builder.emit(.makeRecord, fields, Int32(described.count), record,
                         affinityString.isEmpty ? .none : .text(String(decoding: affinityString, as: UTF8.self)))
        gen.builder.emit(.newRowid, table, rowid)
        gen.builder.emit(.insert, table, record, rowid)
        gen.builder.emit(.next, rows, top)
        gen.builder.resolve(end)
        gen.builder.emit(.close, table)
        gen.builder.emit(.close, rows)

        emitTableRowUpdate(&gen.builder, slot, name: name, sql: sql)
        emitCookieChange(&gen.builder, source)
        gen.builder.emit(.parseSchema, 0, 0, 0, .text(parseClause(table: name)))
        return try gen.finish()
    }

    /// createTableStmt: "CREATE TABLE name(col TYPE,...)" on one line when short, one column per
    /// line otherwise; types from the affinities ("", TEXT, NUM, INT, REAL).
    static func createTableStatement(name: String, columns: [(name: String, affinity: UInt8)]) -> String {
        let length = columns.reduce(0) { $0 + identifierLength($1.name) + 5 } + identifierLength(name)
        let multiline = length >= 50
        var text = "CREATE TABLE " + identifier(name) + "("
        for (position, column) in columns.enumerated() {
            if multiline { text += position == 0 ? "\n  " : ",\n  " } else if position > 0 { text += "," }
            text += identifier(column.name)
            switch column.affinity {
            case AffinityCode.text: text += " TEXT"
            case AffinityCode.numeric: text += " NUM"
            case AffinityCode.integer: text += " INT"
            case AffinityCode.real: text += " REAL"
            default: break
            }
        }
        return text + (multiline ? "\n)" : ")")
    }

    /// identLength: the bytes of the name, its quotes doubled, and two quotes around it.
    private static func identifierLength(_ name: String) -> Int {
        name.utf8.count + name.utf8.filter { $0 == UInt8(ascii: "\"") }.count + 2
    }

    /// identPut: the name as is when it is an ASCII identifier that is not a keyword and does not
    /// start with a digit; double-quoted (quotes doubled) otherwise.
    private static func identifier(_ name: String) -> String {
        let bytes = Array(name.utf8)
        let plain = !bytes.isEmpty && !(bytes[0] >= 0x30 && bytes[0] <= 0x39)
            && bytes.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 | 0x20 >= 0x61 && $0 | 0x20 <= 0x7A) || $0 == 0x5F }
            && Keywords.lookup(name) == nil
        if plain { return name }
        var quoted = "\""
        for character in name {
            quoted.append(character)
            if character == "\"" { quoted.append("\"") }
        }
        return quoted + "\""
    }
}
