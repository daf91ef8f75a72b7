import Pager

/// A random schema for the query fuzzer: two or three small tables of mixed-type, NULL-heavy
/// columns (some COLLATE NOCASE or RTRIM), some indexed, and their rows.
struct FuzzSchema {
    struct Column {
        let name: String
        let type: String
        /// NOCASE, RTRIM or nil (BINARY).
        let collation: String?
    }

    struct Table {
        let name: String
        let columns: [Column]
    }

    var tables: [Table] = []
    /// CREATE TABLE, CREATE INDEX and INSERT statements, in order.
    var statements: [String] = []

    init(random: inout SimulationRandom) {
        let tableCount = random.number(in: 2...3)
        var columnNumber = 0
        for t in 0..<tableCount {
            var columns: [Column] = []
            for _ in 0..<random.number(in: 2...4) {
                columnNumber += 1
                let type = ["INTEGER", "TEXT", "REAL", "BLOB", "", "NUMERIC", "INT"][random.below(7)]
                let collation: String? = random.chance(0.3) ? (random.chance(0.6) ? "NOCASE" : "RTRIM") : nil
                columns.append(Column(name: "c\(columnNumber)", type: type, collation: collation))
            }
            let table = Table(name: "t\(t + 1)", columns: columns)
            tables.append(table)
            let definitions = columns.map { column in
                [column.name, column.type, column.collation.map { "COLLATE \($0)" } ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
            }
            let primaryKey = random.chance(0.3) ? "id INTEGER PRIMARY KEY, " : ""
            statements.append("CREATE TABLE \(table.name)(\(primaryKey)\(definitions.joined(separator: ", ")))")
            for _ in 0..<random.number(in: 0...2) {
                let picked = Array(columns.shuffled(using: &random).prefix(random.number(in: 1...2)))
                // No DESC: sqlite3 3.40.1 answers `x NOT IN (SELECT c ...)` wrongly when c leads a
                // DESC index and holds NULL (it looks for the NULL at the wrong end): 1, not NULL.
                let terms = picked.map { $0.name + (random.chance(0.15) ? " COLLATE NOCASE" : "") }
                statements.append("CREATE INDEX IF NOT EXISTS \(table.name)_i\(statements.count) ON \(table.name)(\(terms.joined(separator: ", ")))")
            }
            let rows = random.number(in: 0...25)
            if rows > 0 {
                let values = (0..<rows).map { _ in "(" + columns.map { _ in Self.value(&random) }.joined(separator: ", ") + ")" }
                statements.append("INSERT INTO \(table.name)(\(columns.map(\.name).joined(separator: ", "))) VALUES \(values.joined(separator: ", "))")
            }
        }
    }

    /// A value of any storage class, NULL a quarter of the time; small numbers and short texts
    /// that collide often (equal under NOCASE or RTRIM, numeric-looking text).
    static func value(_ random: inout SimulationRandom) -> String {
        switch random.below(16) {
        case 0..<4: return "NULL"
        case 4..<8: return String(random.number(in: -3...6))
        case 8..<10: return ["0.5", "-1.0", "2.0", "1.5", "3.25", "-0.0", "100.0"][random.below(7)]
        case 10..<14: return ["'a'", "'A'", "'b'", "'B '", "'b'", "'abc'", "'ABC'", "'10'", "'2'", "' 3'", "''", "'a%'", "'x_y'"][random.below(13)]
        default: return ["x''", "x'00'", "x'61'", "x'4142'", "x'0a'"][random.below(5)]
        }
    }
}
