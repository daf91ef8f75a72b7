import Foundation
import Testing
@testable import BTree

/// Databases written by sqlite3, read back through the BTree module's page, cell, overflow and
/// record code and compared with what sqlite3 itself returns.
@Suite struct FixtureDatabaseTests {
    static let mixed = TableSpec(name: "t", columns: ["a", "b", "c", "d"])
    static let typed = TableSpec(
        name: "u", columns: ["id", "name", "score", "data"], integerPrimaryKey: 0, realColumns: [2])
    static let churned = TableSpec(name: "d", columns: ["x", "y"])
    static let altered = TableSpec(name: "e", columns: ["x", "y", "z"], defaults: [1: .integer(7)])

    static let indexes: [IndexSpec] = [
        IndexSpec(name: "t_multi", table: mixed, columns: [1, 0, 2],
                  keyColumns: [KeyColumn(), KeyColumn(descending: true), KeyColumn(collation: .rtrim)]),
        IndexSpec(name: "u_name", table: typed, columns: [1, 2],
                  keyColumns: [KeyColumn(collation: .nocase), KeyColumn(descending: true)]),
        IndexSpec(name: "u_score", table: typed, columns: [2, 1], keyColumns: [KeyColumn(), KeyColumn()]),
        IndexSpec(name: "u_data", table: typed, columns: [3], keyColumns: [KeyColumn(descending: true)]),
        IndexSpec(name: "d_y", table: churned, columns: [1], keyColumns: [KeyColumn(collation: .nocase)]),
    ]

    /// The SQL that builds the fixture for one page size.
    static func fixtureSQL(pageSize: Int, reservedBytes: Int) throws -> String {
        var generator = ValueGenerator(seed: UInt64(pageSize * 7919 + reservedBytes))
        let geometry = try BTreeGeometry(pageSize: pageSize, reservedBytes: reservedBytes)
        var sql = "PRAGMA page_size=\(pageSize);\n"
        if reservedBytes > 0 { sql += ".filectrl reserve_bytes \(reservedBytes)\n" }
        sql += """
            PRAGMA journal_mode=DELETE;
            CREATE TABLE t(a, b, c, d);
            CREATE TABLE u(id INTEGER PRIMARY KEY, name TEXT, score REAL, data BLOB);
            CREATE TABLE d(x, y);
            CREATE TABLE e(x);
            BEGIN;

            """
        let rows = pageSize >= 65536 ? 1200 : 400
        for _ in 0..<rows {
            let values = (0..<4).map { _ in generator.value(maxLength: Int.random(in: 0...400, using: &generator.random)) }
            sql += "INSERT INTO t VALUES (\(values.map(\.sqlLiteral).joined(separator: ", ")));\n"
        }
        // Payloads around every local-size threshold, and some very large ones.
        let thresholds = [geometry.maxLocalTable, geometry.minLocalTable, geometry.maxLocalIndex,
                          geometry.maxLocalTable + geometry.overflowPageCapacity]
        for threshold in thresholds {
            for size in max(0, threshold - 14)...threshold + 10 {
                sql += "INSERT INTO t VALUES (zeroblob(\(size)), \(size), randomblob(\(size % 3)), NULL);\n"
            }
        }
        for size in [0, 1, 4000, 70_000, 200_000, 1_048_576] {
            sql += "INSERT INTO t VALUES (randomblob(\(size)), 'big', NULL, \(size));\n"
        }
        for index in 0..<rows {
            let name: Value = index % 17 == 0 ? .null : .text(generator.text(maxLength: 60))
            let score: Value = index % 13 == 0 ? .null
                : (index % 2 == 0 ? .integer(Int64(index)) : .real(Double(index) + 0.25))
            let data: Value = index % 11 == 0 ? .null : .blob(generator.blob(maxLength: index % 50 == 0 ? 3000 : 100))
            sql += "INSERT INTO u(name, score, data) VALUES (\(name.sqlLiteral), \(score.sqlLiteral), \(data.sqlLiteral));\n"
        }
        sql += "INSERT INTO u(id, name) VALUES (9223372036854775807, 'max'), (-9223372036854775808, 'min'), (0, 'zero');\n"
        let churn = pageSize >= 65536 ? 4000 : 1500
        for _ in 0..<churn {
            sql += "INSERT INTO d VALUES (\(generator.integer()), \(Value.text(generator.text(maxLength: 120)).sqlLiteral));\n"
        }
        for _ in 0..<10 {
            sql += "INSERT INTO e VALUES (\(generator.value().sqlLiteral));\n"
        }
        sql += """
            COMMIT;
            CREATE INDEX t_multi ON t(b, a DESC, c COLLATE RTRIM);
            CREATE INDEX u_name ON u(name COLLATE NOCASE, score DESC);
            CREATE UNIQUE INDEX u_score ON u(score, name);
            CREATE INDEX u_data ON u(data DESC);
            CREATE INDEX d_y ON d(y COLLATE NOCASE);
            DELETE FROM d WHERE rowid % 3 = 0 OR x % 5 = 1;
            ALTER TABLE e ADD COLUMN y DEFAULT 7;
            ALTER TABLE e ADD COLUMN z;
            INSERT INTO e VALUES (1, 2, 3), ('x', NULL, x'00');
            BEGIN;

            """
        for _ in 0..<(churn / 5) {
            sql += "INSERT INTO d VALUES (\(generator.integer()), \(Value.text(generator.text(maxLength: 40)).sqlLiteral));\n"
        }
        sql += "COMMIT;\nDELETE FROM d WHERE rowid % 11 = 4;\n"
        return sql
    }

    @Test(arguments: [(512, 0), (1024, 0), (1024, 40), (4096, 0), (65536, 0), (65536, 17)])
    func databaseReadsBackExactly(pageSize: Int, reservedBytes: Int) throws {
        let (directory, path) = try SQLiteShell.temporaryDatabase("fixture.db")
        defer { try? FileManager.default.removeItem(at: directory) }
        try SQLiteShell.run(path, try Self.fixtureSQL(pageSize: pageSize, reservedBytes: reservedBytes))
        let image = try DatabaseImage(path: path)
        #expect(image.geometry.pageSize == pageSize)
        #expect(image.geometry.reservedBytes == reservedBytes)

        let schema = try image.schema()
        let expectedRoots = try SQLiteShell.run(path, "SELECT name, rootpage FROM sqlite_schema ORDER BY name;")
        let roots = schema.sorted { $0.key < $1.key }.map { "\($0.key)|\($0.value.root)" }.joined(separator: "\n")
        #expect(roots + "\n" == expectedRoots)

        var statistics = DatabaseImage.WalkStatistics()
        for table in [Self.mixed, Self.typed, Self.churned, Self.altered] {
            try FixtureCheck.checkTable(table, image: image, path: path, statistics: &statistics)
        }
        for index in Self.indexes {
            try FixtureCheck.checkIndex(index, image: image, path: path, statistics: &statistics)
        }
        #expect(statistics.overflowPages > 0)
        #expect(statistics.freeblocks > 0)
        #expect(statistics.depth >= 2)
        for type in PageType.allCases {
            #expect(statistics.pages[type, default: 0] > 0, "no \(type) pages")
        }
        print("page size \(pageSize)/\(reservedBytes): \(statistics)")
    }
}
