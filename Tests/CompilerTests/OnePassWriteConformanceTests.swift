import Testing

/// UPDATE and DELETE that change each row as the WHERE loop reaches it (sqlite3's ONEPASS):
/// rows that grow and shrink while the table is scanned (pages split and merge under the
/// cursor), indexes kept up to date, constraint failures part-way through a scan, REPLACE on a
/// single-row lookup, and the statements that keep two passes (subqueries, index searches).
@Suite struct OnePassWriteConformanceTests {
    static let setup = """
        CREATE TABLE big(id INTEGER PRIMARY KEY, pad TEXT, k INT);
        CREATE INDEX big_k ON big(k);
        WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 400)
            INSERT INTO big SELECT i, printf('%.*c', 200 + i % 50, 'x'), i % 7 FROM c;
        CREATE TABLE u2(id INTEGER PRIMARY KEY, uniq UNIQUE, nn NOT NULL, c CHECK (c < 100));
        INSERT INTO u2 VALUES (1, 1, 'a', 1), (2, 2, 'b', 2), (3, 3, 'c', 3), (4, 4, 'd', 4);
        CREATE TABLE plain(a, b);
        INSERT INTO plain VALUES (1, 'one'), (2, 'two'), (3, 'three'), (NULL, 'null');
        """

    static let writes = ConformanceCase("one-pass-writes", setup: setup, [
        "UPDATE big SET pad = pad || pad || pad WHERE k = 3 OR id % 5 = 0",
        "SELECT changes()",
        "SELECT count(*), sum(length(pad)), sum(k) FROM big",
        "UPDATE big SET k = k + 10 WHERE id >= 50 AND id < 120",
        "SELECT k, count(*) FROM big GROUP BY k ORDER BY k",
        "SELECT id FROM big WHERE k = 13 ORDER BY id",
        "DELETE FROM big WHERE id % 2 = 0",
        "SELECT changes()",
        "SELECT count(*), min(id), max(id) FROM big",
        "DELETE FROM big WHERE id > 100 AND id < 300",
        "UPDATE big SET pad = 'short' WHERE id BETWEEN 10 AND 390",
        "SELECT count(*), sum(length(pad)) FROM big",
        "DELETE FROM big WHERE id = (SELECT max(id) FROM big)",
        "DELETE FROM big WHERE pad = (SELECT pad FROM big WHERE id = 5)",
        "DELETE FROM big WHERE id IN (SELECT id FROM big WHERE k = 2)",
        "UPDATE big SET pad = NULL WHERE id = 999",
        "UPDATE big SET pad = 'seven' WHERE id = 7 AND k = 12345",
        "UPDATE big SET pad = 'seven' WHERE id = '7'",
        "DELETE FROM big WHERE id = 'abc'",
        "DELETE FROM big WHERE k = 5",
        "SELECT id, pad, k FROM big ORDER BY id",
        "DELETE FROM big",
        "SELECT changes(), count(*) FROM big",
        "UPDATE u2 SET uniq = 5 WHERE id > 0",
        "SELECT * FROM u2 ORDER BY id",
        "UPDATE OR IGNORE u2 SET uniq = 5 WHERE id > 0",
        "SELECT changes()",
        "SELECT * FROM u2 ORDER BY id",
        "UPDATE OR REPLACE u2 SET uniq = 1 WHERE id = 3",
        "SELECT * FROM u2 ORDER BY id",
        "UPDATE OR REPLACE u2 SET uniq = 4 WHERE id > 1",
        "SELECT * FROM u2 ORDER BY id",
        "UPDATE u2 SET nn = NULL WHERE id = 2",
        "UPDATE u2 SET c = c * 50 WHERE id >= 2",
        "UPDATE OR IGNORE u2 SET c = c * 40 WHERE id >= 2",
        "SELECT * FROM u2 ORDER BY id",
        "UPDATE plain SET a = a + 1 WHERE b > 'o'",
        "UPDATE plain SET b = upper(b) WHERE a IS NULL OR a > 2",
        "DELETE FROM plain WHERE rowid = 2",
        "UPDATE plain SET a = (SELECT count(*) FROM plain) WHERE rowid >= 3",
        "SELECT rowid, * FROM plain ORDER BY rowid",
    ])

    /// DELETE walking an index in one pass: each entry is deleted through the cursor that walks
    /// the index, the other indexes' entries by key; enough rows that the index tree rebalances
    /// under the cursor.
    static let indexDeletes = ConformanceCase("one-pass-index-deletes", setup: """
        CREATE TABLE m(id INTEGER PRIMARY KEY, g INT, name TEXT, tag);
        CREATE INDEX m_g ON m(g, name);
        CREATE INDEX m_name ON m(name);
        CREATE UNIQUE INDEX m_tag ON m(tag);
        CREATE INDEX m_part ON m(g) WHERE tag > 500;
        WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 600)
            INSERT INTO m SELECT i, i % 10, printf('name-%04d-%.*c', i, 40, 'y'), i FROM c;
        """, [
        "DELETE FROM m WHERE g = 3",
        "SELECT changes(), count(*) FROM m",
        "DELETE FROM m WHERE g = 4 AND name > 'name-0300'",
        "DELETE FROM m WHERE g > 7",
        "DELETE FROM m WHERE g < 2 AND id % 3 = 0",
        "DELETE FROM m WHERE tag = 250",
        "DELETE FROM m WHERE tag BETWEEN 100 AND 140",
        "DELETE FROM m WHERE name = 'no such name'",
        "DELETE FROM m WHERE g = NULL",
        "DELETE FROM m WHERE g IN (5, 6)",
        "DELETE FROM m WHERE g = 2 AND tag IN (SELECT tag FROM m WHERE tag % 7 = 0)",
        "SELECT g, count(*), min(tag), max(tag) FROM m GROUP BY g ORDER BY g",
        "SELECT count(*) FROM m WHERE tag > 500",
        "SELECT id FROM m INDEXED BY m_part WHERE tag > 500 AND g = 0 ORDER BY id",
        "DELETE FROM m WHERE name > 'name-0'",
        "SELECT count(*) FROM m",
    ])

    @Test func onePassWritesAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check([Self.writes, Self.indexDeletes])
        print("one-pass write conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
