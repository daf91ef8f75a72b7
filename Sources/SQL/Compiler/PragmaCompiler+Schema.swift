import BTree
import Pager
import VM

/// table_info, table_xinfo, index_list, index_info and index_xinfo: rows about the schema the
/// statement was compiled against, checked by the program's schema cookie (also when the name is
/// unknown: a rolled-back DROP brings a table back). An unknown name gives no rows, as in sqlite3.
extension PragmaCompiler {
    static func tableInfo(_ request: Request, extended: Bool) throws(DatabaseError) -> Program {
        var columns = ["cid", "name", "type", "notnull", "dflt_value", "pk"]
        if extended { columns.append("hidden") }
        guard let name = request.argumentText else { return try request.rows([], columns: [], access: .read) }
        if request.source.schema.view(name) != nil { throw SQLCompiler.notSupported("PRAGMA \(request.name) of a view") }
        guard let table = request.source.schema.table(name) else { return try request.rows([], columns: [], access: .read) }
        var rows: [[Value]] = []
        for (cid, column) in table.columns.enumerated() {
            let hidden: Int64 = column.generated.map { $0.stored ? 3 : 2 } ?? 0
            if hidden != 0 && !extended { continue }
            let pk = table.primaryKey.firstIndex(of: cid).map { Int64($0 + 1) } ?? 0
            var row: [Value] = [.integer(Int64(cid)), .text(column.name),
                                .text(table.rootPage == TreeStore.schemaRoot ? (column.declaredType ?? "").uppercased() : column.declaredType ?? ""), .integer(column.notNull == nil ? 0 : 1),
                                column.defaultText.map { .text($0) } ?? .null, .integer(pk)]
            if extended { row.append(.integer(hidden)) }
            rows.append(row)
        }
        if !extended {
            // table_info numbers the columns it shows consecutively.
            for index in rows.indices { rows[index][0] = .integer(Int64(index)) }
        }
        return try request.rows(rows, columns: columns, access: .read)
    }

    /// index_list(table): seq, name, unique, origin, partial, in sqlite3's order of the table's
    /// index list (each new index goes first, except that REPLACE indexes stay last).
    static func indexList(_ request: Request) throws(DatabaseError) -> Program {
        let columns = ["seq", "name", "unique", "origin", "partial"]
        guard let name = request.argumentText, let table = request.source.schema.table(name) else {
            return try request.rows([], columns: [], access: .read)
        }
        var list: [IndexSchema] = []
        for index in table.indexes {
            let replace = index.onConflict == .replace
            if !replace || list.isEmpty || list[0].onConflict == .replace {
                list.insert(index, at: 0)
            } else {
                var position = 0
                while position + 1 < list.count && list[position + 1].onConflict != .replace { position += 1 }
                list.insert(index, at: position + 1)
            }
        }
        let rows: [[Value]] = list.enumerated().map { seq, index in
            [.integer(Int64(seq)), .text(index.name), .integer(index.unique ? 1 : 0), .text(index.origin.rawValue),
             .integer(index.predicate == nil ? 0 : 1)]
        }
        return try request.rows(rows, columns: columns, access: .read)
    }

    /// index_info(index) and index_xinfo(index): one row per key column (xinfo: then the rowid),
    /// as seqno, cid, name [, desc, coll, key]. A WITHOUT ROWID table's name stands for its
    /// PRIMARY KEY index.
    static func indexInfo(_ request: Request, extended: Bool) throws(DatabaseError) -> Program {
        var columns = ["seqno", "cid", "name"]
        if extended { columns += ["desc", "coll", "key"] }
        guard let name = request.argumentText else { return try request.rows([], columns: [], access: .read) }
        let schema = request.source.schema
        var found = schema.index(name)
        if found == nil, let table = schema.table(name), table.withoutRowid,
           let primary = table.indexes.first(where: { $0.origin == .primaryKey }) {
            found = (primary, table)
        }
        guard let (index, table) = found else { return try request.rows([], columns: [], access: .read) }
        if extended && table.withoutRowid {
            throw SQLCompiler.notSupported("PRAGMA index_xinfo of a WITHOUT ROWID table's index")
        }
        var rows: [[Value]] = []
        for (seqno, column) in index.columns.enumerated() {
            var row: [Value]
            switch column.term {
            case .column(let cid): row = [.integer(Int64(seqno)), .integer(Int64(cid)), .text(table.columns[cid].name)]
            case .expression: row = [.integer(Int64(seqno)), .integer(-2), .null]
            }
            if extended {
                row += [.integer(column.descending ? 1 : 0), .text(column.collation.name), .integer(1)]
            }
            rows.append(row)
        }
        if extended {
            rows.append([.integer(Int64(index.columns.count)), .integer(-1), .null, .integer(0), .text("BINARY"), .integer(0)])
        }
        return try request.rows(rows, columns: columns, access: .read)
    }
}
