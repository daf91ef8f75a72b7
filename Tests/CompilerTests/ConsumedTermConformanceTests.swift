import Testing

/// WHERE terms a rowid or index seek makes exactly are not tested again in the loop (sqlite3's
/// disableTerm). Each case here is one where dropping a term wrongly would change the rows:
/// affinity and collation mismatches between the term and the index, NULL keys, IN lists,
/// BETWEEN used in part, OR terms, LEFT JOIN terms, and the writes that plan the same way.
@Suite struct ConsumedTermConformanceTests {
    static let setup = """
        CREATE TABLE k(id INTEGER PRIMARY KEY, t TEXT, n NUMERIC, i INTEGER, r REAL, b, c TEXT COLLATE NOCASE, nn INT NOT NULL);
        CREATE INDEX k_t ON k(t);
        CREATE INDEX k_n ON k(n);
        CREATE INDEX k_i_r ON k(i, r);
        CREATE INDEX k_b ON k(b);
        CREATE INDEX k_c ON k(c);
        CREATE INDEX k_t_nocase ON k(t COLLATE NOCASE, id);
        CREATE INDEX k_nn ON k(nn);
        INSERT INTO k VALUES (1, '5', 5, 5, 5.0, 5, 'abc', 1);
        INSERT INTO k VALUES (2, '05', '05', 7, 2.5, '5', 'ABC', 2);
        INSERT INTO k VALUES (3, 'abc', 'abc', NULL, NULL, x'35', 'Abd', 3);
        INSERT INTO k VALUES (4, 'ABC', 4.0, 7, 7.5, 5.0, NULL, 4);
        INSERT INTO k VALUES (5, NULL, NULL, 9, 1e10, NULL, 'b', 5);
        INSERT INTO k VALUES (6, '10', 10, -3, -3.5, 'abc', 'B', 6);
        INSERT INTO k VALUES (7, 'x', x'00', 7, 8, 10, 'c', 7);
        CREATE TABLE j(a INTEGER PRIMARY KEY, ref, s TEXT);
        INSERT INTO j VALUES (1, 1, 'one'), (2, 5, 'five'), (3, NULL, 'none'), (4, '6', 'six'), (5, 99, 'missing');
        """

    static let lookups = ConformanceCase("consumed-lookups", setup: setup, [
        // A TEXT column compared with integers and numbers with text: the key takes the
        // comparison's affinity before the seek.
        "SELECT id FROM k WHERE t = 5",
        "SELECT id FROM k WHERE t = 05",
        "SELECT id FROM k WHERE t > 4 ORDER BY id",
        "SELECT id FROM k WHERE n = '05'",
        "SELECT id FROM k WHERE n = '5'",
        "SELECT id FROM k WHERE n > '4' ORDER BY id",
        "SELECT id FROM k WHERE n < 'abd' ORDER BY id",
        "SELECT id FROM k WHERE i = '7' ORDER BY id",
        "SELECT id FROM k WHERE i = 7.0 AND r > '3' ORDER BY id",
        "SELECT id FROM k WHERE i = 7 AND r BETWEEN 2 AND '8' ORDER BY id",
        "SELECT id FROM k WHERE r = 5",
        "SELECT id FROM k WHERE r = '5.0'",
        // No affinity: no conversion, and types order integers < text < blobs.
        "SELECT id FROM k WHERE b = 5 ORDER BY id",
        "SELECT id FROM k WHERE b = '5'",
        "SELECT id FROM k WHERE b > 5 ORDER BY id",
        "SELECT id FROM k WHERE b < '5' ORDER BY id",
        "SELECT id FROM k WHERE b >= 5 AND b < 'z' ORDER BY id",
        "SELECT id FROM k WHERE b <= 5 ORDER BY id",
        "SELECT id FROM k WHERE b = t ORDER BY id",
        // NULL keys: no row matches.
        "SELECT id FROM k WHERE t = NULL",
        "SELECT id FROM k WHERE t > NULL",
        "SELECT id FROM k WHERE t < NULL",
        "SELECT id FROM k WHERE i = 7 AND r < NULL",
        "SELECT id FROM k WHERE t = ?",
        "SELECT id FROM k WHERE i = ? AND r > 1",
        "SELECT id FROM k WHERE id = ?",
        "SELECT id FROM k WHERE id > ?",
        "SELECT id FROM k WHERE id < ?",
        "SELECT id FROM k WHERE id BETWEEN 2 AND NULL",
        "SELECT id FROM k WHERE id BETWEEN NULL AND 5",
        "SELECT id FROM k WHERE t < 'b' ORDER BY id",
        "SELECT id FROM k WHERE nn < 4 ORDER BY id",
        "SELECT id FROM k WHERE nn <= 4 AND nn > 1 ORDER BY id",
        // Collations: a term whose collation differs from the index's is tested on each row.
        "SELECT id FROM k WHERE c = 'abc' ORDER BY id",
        "SELECT id FROM k WHERE c = 'abc' COLLATE BINARY",
        "SELECT id FROM k WHERE c > 'abc' ORDER BY id",
        "SELECT id FROM k WHERE c < 'B' COLLATE BINARY ORDER BY id",
        "SELECT id FROM k WHERE t = 'abc' ORDER BY id",
        "SELECT id FROM k WHERE t = 'abc' COLLATE NOCASE ORDER BY id",
        "SELECT id FROM k WHERE t COLLATE NOCASE > 'abc' ORDER BY id",
        // IN lists: NULL values, duplicates, affinity, collation.
        "SELECT id FROM k WHERE t IN (5, '10', NULL, 'abc') ORDER BY id",
        "SELECT id FROM k WHERE c IN ('ABC', 'abc', 'b') ORDER BY id",
        "SELECT id FROM k WHERE i IN ('7', 9, 7.0) ORDER BY id",
        "SELECT id FROM k WHERE i IN (7, 9) AND r > 5 ORDER BY id",
        "SELECT id FROM k WHERE i IN (7, 9) AND r < ? ORDER BY id",
        "SELECT id FROM k WHERE id IN (1, '2', 3.0, NULL) ORDER BY id",
        // Terms the index uses only in part; a BETWEEN whose bounds use two columns.
        "SELECT id FROM k WHERE i = 7 AND r > 2 AND r > 7 ORDER BY id",
        "SELECT id FROM k WHERE i = 7 AND i = '7' ORDER BY id",
        "SELECT id FROM k WHERE i = 7 AND t = 'x'",
        "SELECT id FROM k WHERE 7 BETWEEN i AND r ORDER BY id",
        "SELECT id FROM k WHERE i BETWEEN 5 AND 7 ORDER BY id",
        "SELECT id FROM k WHERE id BETWEEN 2 AND 5 AND id > 3",
        "SELECT id FROM k WHERE id > 2 AND id > 4 AND id < 7 AND id <= 6",
        "SELECT id FROM k WHERE id >= 2.5 AND id < '6'",
        "SELECT id FROM k WHERE id > 'abc'",
        "SELECT id FROM k WHERE id < 'abc'",
        "SELECT id FROM k WHERE id = '3'",
        "SELECT id FROM k WHERE id = 3.5",
        "SELECT id FROM k WHERE rowid = 4 AND t = 'ABC'",
        "SELECT id FROM k WHERE oid >= 6 ORDER BY id DESC",
        "SELECT id FROM k WHERE id < 4 ORDER BY id DESC",
        "SELECT id FROM k WHERE id > 2 AND id <= 5 ORDER BY id DESC",
        // OR terms are never consumed.
        "SELECT id FROM k WHERE t = '5' OR t = 'x' ORDER BY id",
        "SELECT id FROM k WHERE id = 1 OR id = 3 ORDER BY id",
        "SELECT id FROM k WHERE (i = 7 OR i = 9) AND r > 2 ORDER BY id",
        // Joins: ON terms of a LEFT JOIN and WHERE terms on its right table.
        "SELECT a, id FROM j LEFT JOIN k ON k.id = j.ref ORDER BY a",
        "SELECT a, id FROM j LEFT JOIN k ON k.id = j.ref WHERE k.id = 5 ORDER BY a",
        "SELECT a, id FROM j LEFT JOIN k ON k.id = j.ref WHERE k.id IS NULL ORDER BY a",
        "SELECT a, id FROM j LEFT JOIN k ON k.t = j.ref ORDER BY a, id",
        "SELECT a, id FROM j LEFT JOIN k ON k.t = j.ref WHERE k.t > '5' ORDER BY a, id",
        "SELECT a, id FROM j JOIN k ON k.n = j.ref ORDER BY a, id",
        "SELECT a, id FROM j JOIN k ON k.b = j.ref ORDER BY a, id",
        "SELECT a, id FROM j, k WHERE k.id = j.ref AND k.t = '5'",
        "SELECT a, id FROM j, k WHERE k.i = j.ref AND k.r > 2 ORDER BY a, id",
        "SELECT a, (SELECT count(*) FROM k WHERE k.i = j.a + 6) FROM j ORDER BY a",
        // LIMIT and OFFSET (parameters are unbound: NULL).
        "SELECT id FROM k WHERE id > 1 LIMIT 2",
        "SELECT id FROM k WHERE t > '0' ORDER BY t LIMIT 2 OFFSET 1",
        "SELECT id FROM k WHERE id > 1 LIMIT ?",
        "SELECT id FROM k WHERE id > 1 LIMIT 3 OFFSET ?",
    ])

    static let writes = ConformanceCase("consumed-writes", setup: setup, [
        "UPDATE k SET b = 'u1' WHERE id = '2'",
        "UPDATE k SET b = 'u2' WHERE t = 5",
        "UPDATE k SET b = 'u3' WHERE c = 'ABC'",
        "UPDATE k SET b = 'u4' WHERE i = 7 AND r > 3",
        "UPDATE k SET b = 'u5' WHERE id = NULL",
        "UPDATE k SET t = 'moved' WHERE t > 'a'",
        "DELETE FROM k WHERE n = '05'",
        "DELETE FROM k WHERE id BETWEEN 6 AND 6",
        "DELETE FROM k WHERE i IN (9, NULL)",
        "SELECT * FROM k ORDER BY id",
        "DELETE FROM k WHERE c = 'B' COLLATE BINARY",
        "DELETE FROM k WHERE id > 3.5",
        "SELECT * FROM k ORDER BY id",
    ])

    /// Loops over an index that holds every column the query reads never open the table.
    static let covering = ConformanceCase("covering-loops", setup: setup, [
        "SELECT i, r FROM k WHERE i = 7 ORDER BY r",
        "SELECT i, r, id FROM k WHERE i > 0 ORDER BY i, r",
        "SELECT i, r FROM k ORDER BY i, r",
        "SELECT count(r), sum(i) FROM k WHERE i = 7",
        "SELECT i, count(*) FROM k GROUP BY i ORDER BY i",
        "SELECT a, k.i, k.r FROM j LEFT JOIN k ON k.i = j.a + 6 ORDER BY a, k.r",
        "SELECT a, k.i FROM j LEFT JOIN k ON k.i = j.ref WHERE k.r IS NULL ORDER BY a",
        "SELECT i, sum(r) OVER w FROM k WINDOW w AS (ORDER BY r) ORDER BY i, r",
        "SELECT i, sum(r) OVER w FROM k WHERE i = 7 WINDOW w AS (ORDER BY id)",
        "SELECT i, (SELECT count(*) FROM j WHERE j.ref = k.i) FROM k WHERE i = 7",
        "SELECT DISTINCT i FROM k WHERE i > 5 ORDER BY i",
        "SELECT c FROM k WHERE c > 'a' ORDER BY c",
        "SELECT t, id FROM k WHERE t COLLATE NOCASE = 'abc' ORDER BY id",
    ])

    @Test func seeksAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check([Self.lookups, Self.writes, Self.covering])
        print("consumed-term conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
