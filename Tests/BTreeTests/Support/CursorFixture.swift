import Foundation
@testable import BTree

/// A database built by the sqlite3 shell for the cursor tests: every value type, an INTEGER
/// PRIMARY KEY table with the extreme rowids, a 100,000-row table, index keys wide enough for a
/// three-level index even on 64 KiB pages, multi-column, DESC, NOCASE, RTRIM and UNIQUE indexes,
/// and a table after many deletes (freelist in use). Rollback journal or WAL (checkpointed).
enum CursorFixture {
    static let vals = TableSpec(name: "vals", columns: ["a", "b", "c", "d"])
    static let keyed = TableSpec(name: "keyed", columns: ["id", "name", "score", "data"], integerPrimaryKey: 0, realColumns: [2])
    static let big = TableSpec(name: "big", columns: ["x", "y"])
    static let wide = TableSpec(name: "wide", columns: ["k", "n"])
    static let churn = TableSpec(name: "churn", columns: ["x", "y"])
    static let tables = [vals, keyed, big, wide, churn]

    static let indexes = [
        IndexSpec(name: "vals_multi", table: vals, columns: [1, 0, 2],
                  keyColumns: [KeyColumn(), KeyColumn(descending: true), KeyColumn(collation: .nocase)]),
        IndexSpec(name: "keyed_name", table: keyed, columns: [1, 2], keyColumns: [KeyColumn(), KeyColumn()]),
        IndexSpec(name: "keyed_score", table: keyed, columns: [2], keyColumns: [KeyColumn(descending: true)]),
        IndexSpec(name: "big_x", table: big, columns: [0], keyColumns: [KeyColumn()]),
        IndexSpec(name: "wide_k", table: wide, columns: [0], keyColumns: [KeyColumn()]),
        IndexSpec(name: "churn_y", table: churn, columns: [1], keyColumns: [KeyColumn(collation: .rtrim)]),
    ]

    /// UNIQUE indexes (for the integrity check's description).
    static let uniqueIndexes: Set<String> = ["keyed_name"]

    static let bigRows = 100_000
    static let wideRows = 300

    static func sql(pageSize: Int, wal: Bool) -> String {
        var generator = ValueGenerator(seed: UInt64(pageSize) &* 31 &+ (wal ? 1 : 0))
        var sql = """
            PRAGMA page_size=\(pageSize);
            PRAGMA journal_mode=\(wal ? "WAL" : "DELETE");
            CREATE TABLE vals(a, b, c, d);
            CREATE TABLE keyed(id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB);
            CREATE TABLE big(x INTEGER, y TEXT);
            CREATE TABLE wide(k TEXT, n INTEGER);
            CREATE TABLE churn(x, y);
            BEGIN;

            """
        for _ in 0..<500 {
            let values = (0..<4).map { _ in generator.value(maxLength: Int.random(in: 0...300, using: &generator.random)).sqlLiteral }
            sql += "INSERT INTO vals VALUES (\(values.joined(separator: ", ")));\n"
        }
        for integer in ValueGenerator.boundaryIntegers {
            sql += "INSERT INTO vals VALUES (\(Value.integer(integer).sqlLiteral), NULL, '', x'');\n"
        }
        for real in ValueGenerator.boundaryReals {
            sql += "INSERT INTO vals VALUES (\(Value.real(real).sqlLiteral), \(Value.integer(Int64(real.sign == .minus ? -1 : 1)).sqlLiteral), 'é', NULL);\n"
        }
        for text in ValueGenerator.sampleTexts {
            sql += "INSERT INTO vals VALUES (\(Value.text(Array(text.utf8)).sqlLiteral), \(Value.text(Array(text.utf8)).sqlLiteral), \(Value.text(Array(text.utf8)).sqlLiteral), 1);\n"
        }
        for size in [0, 1, 100, 4000, 70_000, 1_048_576] {
            sql += "INSERT INTO vals VALUES (randomblob(\(size)), zeroblob(\(size % 5000)), \(size), 'blob');\n"
        }
        for index in 0..<1500 {
            let name: Value = index % 17 == 0 ? .null : .text(generator.text(maxLength: 40) + Array(" #\(index)".utf8))
            let score: Value = index % 13 == 0 ? .null : (index % 2 == 0 ? .integer(Int64(index % 100)) : .real(Double(index) / 7))
            let data: Value = index % 11 == 0 ? .null : .blob(generator.blob(maxLength: index % 50 == 0 ? 5000 : 60))
            sql += "INSERT INTO keyed(name, score, data) VALUES (\(name.sqlLiteral), \(score.sqlLiteral), \(data.sqlLiteral));\n"
        }
        sql += """
            INSERT INTO keyed(id, name, score) VALUES (9223372036854775807, 'max', 1.5), (-9223372036854775808, 'min', -1.5),
                (0, 'zero', 0), (-1, '', -0.0), (-4294967296, 'négatif', 1e300);
            INSERT INTO big SELECT (value * 7919) % 1000003 - 500000,
                substr('abcdefghijklmnopqrstuvwxyzÀÉÎÕÜ日本語テキスト', 1 + value % 13, value % 41) FROM generate_series(1, \(bigRows));
            INSERT INTO wide SELECT printf('%06d-', (value * 37) % 1000) || substr(hex(randomblob(\(pageSize / 4))), 1, \(pageSize / 5)), value
                FROM generate_series(1, \(wideRows));
            INSERT INTO churn SELECT value, printf('%s%.*c', hex(value % 97), value % 4, ' ') FROM generate_series(1, 20000);
            COMMIT;
            CREATE INDEX vals_multi ON vals(b, a DESC, c COLLATE NOCASE);
            CREATE UNIQUE INDEX keyed_name ON keyed(name, score);
            CREATE INDEX keyed_score ON keyed(score DESC);
            CREATE INDEX big_x ON big(x);
            CREATE INDEX wide_k ON wide(k);
            CREATE INDEX churn_y ON churn(y COLLATE RTRIM);
            DELETE FROM churn WHERE x % 3 != 0;
            DELETE FROM big WHERE x % 10 = 7;

            """
        if wal { sql += "PRAGMA wal_checkpoint(TRUNCATE);\n" }
        return sql
    }

    /// How the integrity check is told about this schema.
    static var descriptions: [TableDescription] {
        tables.map { table in
            TableDescription(
                name: table.name, columnCount: table.columns.count, integerPrimaryKey: table.integerPrimaryKey,
                indexes: indexes.filter { $0.table.name == table.name }.map {
                    IndexDescription(name: $0.name, columns: $0.columns, keyColumns: $0.keyColumns,
                                     unique: uniqueIndexes.contains($0.name))
                })
        }
    }
}

extension Value {
    /// Parses `exactRendering` back (sqlite3's rows in the tests' rendering).
    init(exactRendering text: Substring) {
        let colon = text.firstIndex(of: ":")!
        let body = text[text.index(after: colon)...]
        func bytes() -> [UInt8] {
            var result: [UInt8] = []
            result.reserveCapacity(body.count / 2)
            var index = body.startIndex
            while index < body.endIndex {
                let next = body.index(index, offsetBy: 2)
                result.append(UInt8(body[index..<next], radix: 16)!)
                index = next
            }
            return result
        }
        switch text[..<colon] {
        case "null": self = .null
        case "integer": self = .integer(Int64(body)!)
        case "real": self = .real(Double(bitPattern: UInt64(body, radix: 16)!))
        case "text": self = .text(bytes())
        default: self = .blob(bytes())
        }
    }
}
