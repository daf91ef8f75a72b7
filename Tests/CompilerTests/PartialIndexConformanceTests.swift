import Testing

/// Tables with partial indexes (entries only for the rows their WHERE holds for) and indexes on
/// expressions, written by Ringlite and compared with sqlite3: CREATE INDEX over existing rows,
/// INSERT, UPDATE, DELETE, REPLACE, upserts and REINDEX keep every entry right (the harness's
/// integrity_check by sqlite3 checks each index against its table), and UNIQUE ones raise
/// sqlite3's errors.
@Suite struct PartialIndexConformanceTests {
    static let setup = """
        CREATE TABLE t(id INTEGER PRIMARY KEY, b TEXT, c INT, d REAL);
        INSERT INTO t VALUES (1, 'Apple', 5, 1.5), (2, 'banana', -3, NULL), (3, NULL, 7, 2.0), (4, 'Cherry', 0, -1);
        """

    static let partial: [ConformanceCase] = [
        ConformanceCase("partial-create", setup: setup, [
            "CREATE INDEX tp ON t(b) WHERE c > 0",
            "SELECT name, sql FROM sqlite_schema WHERE type = 'index'",
            "PRAGMA index_list(t)",
            "PRAGMA index_info(tp)",
            "SELECT b FROM t WHERE c > 0 ORDER BY b",
            "CREATE UNIQUE INDEX tu ON t(c) WHERE b IS NOT NULL",
            "CREATE INDEX tn ON t(d) WHERE d IS NOT NULL AND d > 0",
        ]),
        ConformanceCase("partial-writes", setup: setup + "CREATE INDEX tp ON t(b) WHERE c > 0;", [
            "INSERT INTO t VALUES (5, 'kiwi', 1, 0)",
            "INSERT INTO t VALUES (6, 'lime', -1, 0)",
            "INSERT INTO t(b, c) VALUES ('mango', NULL)",
            "UPDATE t SET c = -c",
            "SELECT id, b, c FROM t ORDER BY id",
            "UPDATE t SET b = upper(b) WHERE c < 0",
            "DELETE FROM t WHERE b LIKE 'k%'",
            "UPDATE t SET id = id + 100 WHERE c > 0",
            "DELETE FROM t WHERE c > 0",
            "SELECT * FROM t ORDER BY id",
        ]),
        ConformanceCase("partial-unique", setup: setup + "CREATE UNIQUE INDEX tu ON t(c) WHERE b IS NOT NULL;", [
            "INSERT INTO t VALUES (10, NULL, 5, 0)",
            "INSERT INTO t VALUES (11, 'x', 5, 0)",
            "INSERT INTO t VALUES (12, NULL, 7, 0)",
            "UPDATE t SET b = 'now named' WHERE id = 12",
            "UPDATE t SET b = NULL WHERE id = 1",
            "UPDATE t SET b = 'again' WHERE id = 12",
            "INSERT OR IGNORE INTO t VALUES (13, 'y', 0, 0), (14, 'z', 99, 0)",
            "INSERT OR REPLACE INTO t VALUES (15, 'w', -3, 0)",
            "SELECT * FROM t ORDER BY id",
        ]),
        ConformanceCase("partial-unique-create-fails", setup: setup + "INSERT INTO t VALUES (9, 'dup', 5, 0);", [
            "CREATE UNIQUE INDEX tu ON t(c) WHERE b IS NOT NULL",
            "CREATE UNIQUE INDEX tu2 ON t(c) WHERE b <> 'dup'",
            "INSERT INTO t VALUES (10, 'dup', 5, 0)",
        ]),
        ConformanceCase("partial-upsert", setup: setup + "CREATE UNIQUE INDEX tu ON t(c) WHERE b IS NOT NULL;", [
            "INSERT INTO t VALUES (20, 'new', 5, 9) ON CONFLICT(c) WHERE b IS NOT NULL DO UPDATE SET d = excluded.d",
            "INSERT INTO t VALUES (21, 'new', 5, 9) ON CONFLICT(c) DO NOTHING",
            "INSERT INTO t VALUES (22, 'new', 5, 9) ON CONFLICT(c) WHERE c > 0 DO NOTHING",
            "INSERT INTO t VALUES (23, 'new', 5, 9) ON CONFLICT DO UPDATE SET d = -1",
            "INSERT INTO t VALUES (24, NULL, 5, 9) ON CONFLICT DO NOTHING",
            "SELECT * FROM t ORDER BY id",
        ]),
        ConformanceCase("partial-reindex", setup: setup + """
            CREATE INDEX tp ON t(b) WHERE c > 0;
            CREATE INDEX tq ON t(c) WHERE d IS NULL;
            """, [
            "REINDEX tp",
            "REINDEX t",
            "REINDEX",
            "INSERT INTO t VALUES (30, 'after', 30, NULL)",
            "SELECT id FROM t WHERE d IS NULL ORDER BY id",
        ]),
        ConformanceCase("partial-errors", setup: setup, [
            "CREATE INDEX e1 ON t(b) WHERE random() > 0",
            "CREATE INDEX e2 ON t(b) WHERE c > ?",
            "CREATE INDEX e3 ON t(b) WHERE EXISTS (SELECT 1)",
            "CREATE INDEX e4 ON t(b) WHERE zz > 0",
            "CREATE INDEX e5 ON t(b) WHERE max(c) > 1",
            "CREATE INDEX e6 ON t(b) WHERE nosuch(c)",
            "CREATE INDEX e7 ON t(b) WHERE t.c > 1",
            "CREATE INDEX e8 ON t(b) WHERE u.c > 1",
            "CREATE INDEX e9 ON t(b) WHERE abs(c, d)",
            "CREATE INDEX e10 ON t(b) WHERE c IN (1, 2, 3)",
            "SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name",
        ]),
    ]

    static let expressions: [ConformanceCase] = [
        ConformanceCase("expression-create", setup: setup, [
            "CREATE INDEX tl ON t(lower(b))",
            "CREATE INDEX ts ON t(c + d, b COLLATE NOCASE DESC)",
            "CREATE INDEX tc ON t(CAST(d AS TEXT))",
            "PRAGMA index_info(ts)",
            "PRAGMA index_xinfo(tl)",
            "SELECT lower(b) FROM t ORDER BY 1",
        ]),
        ConformanceCase("expression-writes", setup: setup + """
            CREATE INDEX tl ON t(lower(b));
            CREATE INDEX ts ON t(c + d, length(b));
            CREATE INDEX tx ON t(id * 2, substr(b, 2, 2));
            """, [
            "INSERT INTO t VALUES (5, 'DATE', 2, 0.5)",
            "INSERT INTO t(b, c, d) VALUES ('Elder', '10', '2.5')",
            "UPDATE t SET b = b || '!' WHERE c > 0",
            "UPDATE t SET d = d * 2",
            "UPDATE t SET id = id + 10 WHERE id < 3",
            "DELETE FROM t WHERE lower(b) LIKE 'c%'",
            "REPLACE INTO t VALUES (5, 'replaced', 1, 1)",
            "SELECT * FROM t ORDER BY id",
            "DELETE FROM t",
        ]),
        ConformanceCase("expression-unique", setup: setup + "CREATE UNIQUE INDEX tl ON t(lower(b));", [
            "INSERT INTO t VALUES (5, 'APPLE', 1, 1)",
            "INSERT INTO t VALUES (6, 'apple pie', 1, 1)",
            "UPDATE t SET b = 'BANANA' WHERE id = 1",
            "UPDATE t SET b = 'Banana' WHERE id = 2",
            "INSERT OR IGNORE INTO t VALUES (7, 'cherry', 0, 0), (8, 'date', 0, 0)",
            "INSERT OR REPLACE INTO t VALUES (9, 'CHERRY', 9, 9)",
            "INSERT INTO t VALUES (10, NULL, 0, 0), (11, NULL, 0, 0)",
            "SELECT * FROM t ORDER BY id",
        ]),
        ConformanceCase("expression-unique-multi", setup: setup + "CREATE UNIQUE INDEX tm ON t(c, abs(d));", [
            "INSERT INTO t VALUES (5, 'x', 5, -1.5)",
            "INSERT INTO t VALUES (6, 'x', 5, 2.5)",
            "CREATE UNIQUE INDEX tz ON t(c % 2)",
            "CREATE UNIQUE INDEX ty ON t(b, c) ",
        ]),
        ConformanceCase("expression-upsert", setup: setup + "CREATE UNIQUE INDEX tl ON t(lower(b));", [
            "INSERT INTO t VALUES (5, 'APPLE', 1, 1) ON CONFLICT(lower(b)) DO UPDATE SET c = c + 100",
            "INSERT INTO t VALUES (6, 'BANANA', 1, 1) ON CONFLICT(lower(b)) DO NOTHING",
            "INSERT INTO t VALUES (7, 'CHERRY', 1, 1) ON CONFLICT(b) DO NOTHING",
            "INSERT INTO t VALUES (8, 'cherry', 1, 1) ON CONFLICT DO UPDATE SET d = 0",
            "SELECT * FROM t ORDER BY id",
        ]),
        ConformanceCase("expression-and-partial", setup: setup + """
            CREATE UNIQUE INDEX tb ON t(upper(b)) WHERE c >= 0;
            CREATE INDEX tn ON t(d * 10) WHERE b IS NULL OR d < 0;
            """, [
            "INSERT INTO t VALUES (5, 'apple', -1, 0)",
            "INSERT INTO t VALUES (6, 'apple', 1, 0)",
            "INSERT INTO t VALUES (7, NULL, 1, 3)",
            "UPDATE t SET c = 1 WHERE id = 5",
            "UPDATE t SET d = -d",
            "REINDEX",
            "DELETE FROM t WHERE id > 4",
            "SELECT * FROM t ORDER BY id",
        ]),
        ConformanceCase("expression-reindex", setup: setup + "CREATE INDEX tl ON t(lower(b), c * 2);", [
            "REINDEX tl",
            "INSERT INTO t VALUES (9, 'Zed', 1, 1)",
            "REINDEX t",
            "SELECT count(*) FROM t",
        ]),
        ConformanceCase("expression-errors", setup: setup, [
            "CREATE INDEX e1 ON t(random())",
            "CREATE INDEX e2 ON t((SELECT 1))",
            "CREATE INDEX e3 ON t(lower(zz))",
            "CREATE INDEX e4 ON t(count(b))",
            "CREATE INDEX e5 ON t(nosuch(b))",
            "CREATE INDEX e6 ON t(abs(?))",
            "CREATE INDEX e7 ON t(lower(b, c))",
            "CREATE INDEX e8 ON t(changes())",
            "SELECT name FROM sqlite_schema WHERE type = 'index' ORDER BY name",
        ]),
        ConformanceCase("expression-affinities-and-collations", setup: setup + """
            CREATE INDEX ta ON t(CAST(b AS INT), CAST(c AS TEXT), d + 0);
            CREATE UNIQUE INDEX tn ON t(b COLLATE NOCASE || '') WHERE c IS NOT NULL;
            CREATE INDEX tr ON t((d), +c DESC);
            """, [
            "INSERT INTO t VALUES (5, '12abc', '7', '2')",
            "INSERT INTO t VALUES (6, 'APPLE', 1, 1)",
            "INSERT INTO t VALUES (7, 'apple', NULL, 1)",
            "UPDATE t SET d = 3 WHERE d IS NULL",
            "UPDATE t SET b = '  42 ', c = 'x' WHERE id = 3",
            "INSERT INTO t VALUES (8, 'Cherry', 9, 9) ON CONFLICT DO UPDATE SET c = 10",
            "DELETE FROM t WHERE c > 6",
            "REINDEX",
            "SELECT * FROM t ORDER BY id",
        ]),
        ConformanceCase("expression-qualified-and-dates", setup: setup, [
            "CREATE INDEX q1 ON t(t.b || 'x')",
            "CREATE INDEX q2 ON t(date(c, 'unixepoch'))",
            "INSERT INTO t VALUES (50, 'fifty', 86400, 0)",
            "SELECT date(c, 'unixepoch') FROM t WHERE id = 50",
        ]),
    ]

    @Test func partialIndexesAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check(Self.partial)
        print("partial index conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }

    @Test func expressionIndexesAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check(Self.expressions)
        print("expression index conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
