import Testing

/// UPDATE and DELETE compared with sqlite3: WHERE through scans and lookups, constraints and OR
/// clauses, rowid changes, indexes kept in step, changes().
@Suite struct UpdateDeleteConformanceTests {
    static let schema = """
        CREATE TABLE t(id INTEGER PRIMARY KEY, a TEXT NOT NULL, b INT CHECK (b < 100), c UNIQUE, d REAL);
        CREATE INDEX t_b ON t(b);
        CREATE INDEX t_ad ON t(a, d);
        INSERT INTO t VALUES (1, 'one', 1, 'c1', 1.5), (2, 'two', 2, 'c2', NULL), (3, 'three', 3, NULL, 3.0);
        INSERT INTO t VALUES (4, 'four', NULL, 'c4', 4), (5, 'five', 5, 'c5', -5.5), (10, 'ten', 10, 10, 10);
        CREATE TABLE plain(p, q);
        INSERT INTO plain VALUES (1, 'a'), (2, 'b'), (3, NULL), (NULL, 'd'), ('5', 5.0);
        """

    static let updates = ConformanceCase("update", setup: schema, [
        "UPDATE t SET b = b + 1 WHERE id = 1",
        "SELECT changes()",
        "UPDATE t SET d = b * 2 WHERE b > 2",
        "SELECT changes()",
        "UPDATE t SET a = upper(a), b = '7' WHERE id IN (2, 3)",
        "SELECT id, a, b, typeof(b), c, d, typeof(d) FROM t ORDER BY id",
        "UPDATE t SET b = 5 WHERE b = 7",
        "UPDATE t SET a = NULL WHERE id = 1",
        "UPDATE t SET b = 1000 WHERE id = 1",
        "UPDATE t SET c = 'c2' WHERE id = 1",
        "UPDATE OR IGNORE t SET c = 'c2' WHERE id < 3",
        "UPDATE OR REPLACE t SET c = 'c5' WHERE id = 1",
        "SELECT id, a, b, c FROM t ORDER BY id",
        "UPDATE t SET id = id + 100 WHERE id > 3",
        "SELECT id, a FROM t ORDER BY id",
        "UPDATE t SET id = 1 WHERE id = 2",
        "UPDATE OR REPLACE t SET id = 1 WHERE id = 2",
        "UPDATE t SET id = 'x' WHERE id = 1",
        "UPDATE t SET id = NULL WHERE id = 1",
        "UPDATE t SET rowid = 50 WHERE a = 'three' COLLATE NOCASE",
        "SELECT id, a, b, c, d FROM t ORDER BY id",
        "UPDATE t SET nosuch = 1",
        "UPDATE nosuch SET a = 1",
        "UPDATE t SET a = count(*)",
        "UPDATE t SET b = b, b = 3 WHERE id = 1",
        "UPDATE t SET d = d + 0.5",
        "SELECT changes(), total_changes()",
        "UPDATE plain SET q = p * 2 WHERE p IS NOT NULL",
        "UPDATE plain SET p = 'x' WHERE p IS NULL",
        "SELECT rowid, p, q, typeof(q) FROM plain",
        "UPDATE plain SET p = p WHERE 0",
        "SELECT changes()",
        "UPDATE OR FAIL t SET b = b + 95",
        "SELECT id, b FROM t ORDER BY id",
        "UPDATE t SET a = 'by index' WHERE b = 4",
        "UPDATE t AS x SET a = 'aliased' WHERE x.id = 50",
        "SELECT id, a, b FROM t ORDER BY id",
    ])

    static let deletes = ConformanceCase("delete", setup: schema, [
        "DELETE FROM t WHERE id = 2",
        "DELETE FROM t WHERE id IN (3, 99, 3)",
        "SELECT changes()",
        "SELECT changes()",
        "DELETE FROM t WHERE b > 4",
        "SELECT changes()",
        "SELECT id FROM t ORDER BY id",
        "DELETE FROM t WHERE c IS NULL",
        "DELETE FROM t WHERE a = 'nothing'",
        "SELECT changes()",
        "DELETE FROM plain WHERE p = 2 OR q IS NULL",
        "SELECT rowid, * FROM plain",
        "DELETE FROM plain WHERE p = '5'",
        "SELECT rowid, * FROM plain",
        "DELETE FROM t",
        "SELECT changes(), count(*) FROM t",
        "DELETE FROM plain",
        "SELECT changes()",
        "DELETE FROM nosuch",
        "DELETE FROM t WHERE nosuch = 1",
        "INSERT INTO t VALUES (1, 'again', 1, 'c1', 1)",
        "DELETE FROM t WHERE rowid = 1",
        "SELECT count(*) FROM t",
        "DELETE FROM t WHERE count(*) > 0",
    ])

    @Test func updatesAndDeletesAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check([Self.updates, Self.deletes])
        print("update/delete conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}

/// More constraint and conflict cases for UPDATE and DELETE: STRICT tables, multi-column UNIQUE,
/// ON CONFLICT clauses of the schema, NOT NULL with OR REPLACE defaults.
@Suite struct UpdateConstraintConformanceTests {
    static let schema = """
        CREATE TABLE s(id INTEGER PRIMARY KEY, n INT NOT NULL DEFAULT 0, t TEXT, r REAL, UNIQUE (n, t)) STRICT;
        INSERT INTO s VALUES (1, 1, 'a', 1.0), (2, 2, 'b', 2.5), (3, 3, NULL, NULL);
        CREATE TABLE c(id INTEGER PRIMARY KEY, v INT UNIQUE ON CONFLICT IGNORE, w TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'dw',
                       CHECK (v < 50));
        INSERT INTO c VALUES (1, 10, 'x'), (2, 20, 'y'), (3, 30, 'z');
        """

    static let cases = ConformanceCase("update-constraints", setup: schema, [
        "UPDATE s SET n = 'x' WHERE id = 1",
        "UPDATE s SET n = '5' WHERE id = 1",
        "UPDATE s SET r = 3 WHERE id = 2",
        "SELECT id, n, typeof(n), t, r, typeof(r) FROM s ORDER BY id",
        "UPDATE s SET n = NULL WHERE id = 3",
        "UPDATE OR REPLACE s SET n = NULL WHERE id = 3",
        "SELECT id, n FROM s ORDER BY id",
        "UPDATE s SET n = 2, t = 'b' WHERE id = 1",
        "UPDATE OR REPLACE s SET n = 2, t = 'b' WHERE id = 1",
        "SELECT id, n, t FROM s ORDER BY id",
        "UPDATE s SET t = 'same' WHERE id = 1",
        "UPDATE s SET t = x'00' WHERE id = 1",
        "UPDATE c SET v = 20 WHERE id = 1",
        "SELECT id, v, w FROM c ORDER BY id",
        "UPDATE c SET w = NULL WHERE id = 2",
        "SELECT id, v, w FROM c ORDER BY id",
        "UPDATE c SET v = v + 25",
        "UPDATE OR IGNORE c SET v = v + 25",
        "SELECT id, v, w FROM c ORDER BY id",
        "UPDATE OR FAIL c SET v = 100 - v",
        "SELECT id, v, w FROM c ORDER BY id",
        "UPDATE OR ROLLBACK c SET v = 99",
        "SELECT changes()",
        "DELETE FROM c WHERE v > 10 AND w = 'z'",
        "DELETE FROM s WHERE n = 2 AND t = 'b'",
        "SELECT * FROM s ORDER BY id",
        "SELECT * FROM c ORDER BY id",
    ])

    @Test func constraintsAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check(Self.cases)
        print("update constraint conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }
}
