import Testing

/// The new row of an INSERT laid out as sqlite3 lays it out: the INTEGER PRIMARY KEY column NULL
/// in the record and its value (the rowid) computed after the other columns, constant DEFAULTs
/// loaded once for every row of the statement, a NULL rowid asking for a new one; INSERT ...
/// SELECT through a coroutine.
@Suite struct InsertRowConformanceTests {
    static let setup = """
        CREATE TABLE r(id INTEGER PRIMARY KEY, a TEXT DEFAULT 'dflt', b INT DEFAULT -7, c REAL, d DEFAULT (1 + 2));
        CREATE TABLE nn(id INTEGER PRIMARY KEY, v NOT NULL ON CONFLICT REPLACE DEFAULT 'fallback', w INT DEFAULT '12');
        CREATE TABLE log(what, rid, a);
        CREATE TRIGGER r_before BEFORE INSERT ON r WHEN new.a = 'trig' BEGIN
            INSERT INTO log VALUES ('before', new.id, new.a);
        END;
        CREATE TRIGGER r_after AFTER INSERT ON r WHEN new.a = 'trig' BEGIN
            INSERT INTO log VALUES ('after', new.id, new.a);
        END;
        CREATE TABLE src(x, y);
        INSERT INTO src VALUES (1, 'one'), (2, NULL), (NULL, 'three'), ('4', 'four');
        """

    static let inserts = ConformanceCase("insert-rows", setup: setup, [
        "INSERT INTO r VALUES (1, 'a', 2, 3.5, 4)",
        "INSERT INTO r VALUES (NULL, 'b', 2, 3, 4)",
        "INSERT INTO r(a) VALUES ('c')",
        "INSERT INTO r(id) VALUES ('10')",
        "INSERT INTO r(id, c) VALUES (2.0, '1e2')",
        "INSERT INTO r(id) VALUES (2.5)",
        "INSERT INTO r(id) VALUES ('x')",
        "INSERT INTO r(id) VALUES (1)",
        "INSERT INTO r DEFAULT VALUES",
        "INSERT INTO r(a, id) VALUES ('trig', 50), ('trig', NULL), ('plain', 60)",
        "INSERT INTO r(c, a) SELECT x, y FROM src",
        "INSERT INTO r(id, a) SELECT x + 100, y FROM src WHERE x IS NOT NULL",
        "INSERT INTO r(id, a) SELECT x, 'trig' FROM src WHERE x = 1",
        "INSERT OR REPLACE INTO r(id, a) VALUES (1, 'replaced')",
        "INSERT OR IGNORE INTO r(id, a) VALUES (1, 'ignored')",
        "SELECT * FROM r ORDER BY id",
        "SELECT * FROM log ORDER BY rowid",
        "INSERT INTO nn(id) VALUES (1)",
        "INSERT INTO nn(v) VALUES (NULL)",
        "INSERT INTO nn(v, w) SELECT y, x FROM src",
        "INSERT INTO nn DEFAULT VALUES",
        "SELECT id, v, typeof(v), w, typeof(w) FROM nn ORDER BY id",
    ])

    /// INSERT ... SELECT through a coroutine: rows inserted as they are yielded, or first
    /// gathered when the query reads the table written (directly, through an index, a view or
    /// a subquery) or triggers run.
    static let selects = ConformanceCase("insert-select", setup: setup + """
        CREATE INDEX r_a ON r(a);
        CREATE VIEW rv AS SELECT a, b FROM r;
        INSERT INTO r(id, a, b) VALUES (1, 'x', 1), (2, 'y', 2), (3, 'x', 3);
        """, [
        "INSERT INTO r(a, b) SELECT a, b FROM r",
        "SELECT count(*) FROM r",
        "INSERT INTO r(a, b) SELECT a, b FROM r WHERE a = 'x'",
        "INSERT INTO r(a, b) SELECT a, b + 100 FROM rv WHERE b < 3",
        "INSERT INTO r(a, b) SELECT y, x FROM src WHERE x IN (SELECT b FROM r)",
        "INSERT INTO r(a, b) SELECT 'count', (SELECT count(*) FROM r)",
        "INSERT INTO r(a, b) SELECT y, x FROM src ORDER BY y DESC LIMIT 2",
        "INSERT INTO r(a, b) SELECT y, x FROM src UNION SELECT 'u', 1",
        "INSERT INTO r(a, b) SELECT y, count(*) FROM src GROUP BY y",
        "INSERT INTO r(a, id) SELECT 'trig', x + 1000 FROM src WHERE x IS NOT NULL",
        "INSERT INTO r(id, a) SELECT 1, 'dup'",
        "INSERT OR IGNORE INTO r(id, a) SELECT x, y FROM src",
        "INSERT INTO src SELECT x * 10, y FROM src",
        "INSERT INTO r(id, a) SELECT x + 200, y FROM src",
        "INSERT INTO r(id, a) SELECT NULL, y FROM src WHERE y > 'o'",
        "INSERT INTO r SELECT x + 300, y, x, x / 2.0, NULL FROM src WHERE x IS NOT NULL",
        "INSERT INTO r SELECT * FROM r WHERE 0",
        "INSERT INTO r(a) SELECT 1 FROM src WHERE 0",
        "SELECT * FROM r ORDER BY id",
        "SELECT * FROM log ORDER BY rowid",
        "SELECT * FROM src ORDER BY rowid",
    ])

    @Test func insertedRowsAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check([Self.inserts, Self.selects])
        print("insert row conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
