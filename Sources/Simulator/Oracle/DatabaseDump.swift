import Ringlite

/// Everything a database holds, as one engine's queries see it: its schema rows and every row
/// of every table, in rowid order. Two engines hold the same database when their dumps are equal.
struct DatabaseDump: Equatable, CustomStringConvertible {
    var schema: [[DatabaseValue]]
    var tables: [String: [[DatabaseValue]]]

    /// Reads the dump through `run`; nil with the error when a query fails.
    static func read(_ run: (String) -> Outcome) -> Result<DatabaseDump, DumpError> {
        let schemaQuery = "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name"
        guard case .rows(let schema) = run(schemaQuery) else {
            return .failure(DumpError(query: schemaQuery, outcome: run(schemaQuery)))
        }
        var tables: [String: [[DatabaseValue]]] = [:]
        for row in schema {
            guard row[0] == .text("table"), case .text(let name) = row[1], !name.hasPrefix("sqlite_") else { continue }
            let query = "SELECT rowid, * FROM \"\(name)\" ORDER BY rowid"
            let outcome = run(query)
            guard case .rows(let rows) = outcome else { return .failure(DumpError(query: query, outcome: outcome)) }
            tables[name] = rows
        }
        return .success(DatabaseDump(schema: schema, tables: tables))
    }

    var rowCount: Int { tables.values.reduce(0) { $0 + $1.count } }

    var description: String {
        var lines = schema.map { "schema " + $0.map(Outcome.render).joined(separator: "|") }
        for name in tables.keys.sorted() {
            lines.append("table \(name): \(tables[name]!.count) rows")
            lines += tables[name]!.prefix(12).map { "  " + $0.map(Outcome.render).joined(separator: "|") }
        }
        return lines.joined(separator: "\n")
    }

    /// The first difference from `other`, in words.
    func difference(from other: DatabaseDump) -> String {
        if schema != other.schema { return "schemas differ:\n\(schema.map { $0.map(Outcome.render) })\nvs\n\(other.schema.map { $0.map(Outcome.render) })" }
        for name in Set(tables.keys).union(other.tables.keys).sorted() {
            let mine = tables[name] ?? [], theirs = other.tables[name] ?? []
            if mine == theirs { continue }
            let mineKeys = Set(mine.map { $0.first! }), theirKeys = Set(theirs.map { $0.first! })
            let missing = theirs.filter { !mineKeys.contains($0.first!) }.prefix(5)
            let extra = mine.filter { !theirKeys.contains($0.first!) }.prefix(5)
            let changed = zip(mine.filter { theirKeys.contains($0.first!) }, theirs.filter { mineKeys.contains($0.first!) })
                .filter { $0 != $1 }.prefix(5)
            return "table \(name): \(mine.count) rows vs \(theirs.count); only in the other: "
                + missing.map { $0.map(Outcome.render).joined(separator: "|") }.joined(separator: "; ")
                + "; only here: " + extra.map { $0.map(Outcome.render).joined(separator: "|") }.joined(separator: "; ")
                + "; changed: " + changed.map { "\($0.0.map(Outcome.render)) vs \($0.1.map(Outcome.render))" }.joined(separator: "; ")
        }
        return "no difference"
    }
}

struct DumpError: Error, CustomStringConvertible {
    let query: String
    let outcome: Outcome
    var description: String { "\(query): \(outcome)" }
}
