import Testing

/// CREATE/DROP TRIGGER and firing triggers against sqlite3: BEFORE and AFTER on INSERT, UPDATE
/// (OF columns) and DELETE, WHEN, NEW and OLD with their affinities, RAISE in every form, the
/// order several triggers fire in, cascades and the recursion rule (a trigger does not fire
/// itself), OR clauses passed down, subqueries of NEW in trigger programs, and changes(),
/// total_changes() and last_insert_rowid() around them.
@Suite struct TriggerConformanceTests {
    static let logged = """
        CREATE TABLE t(id INTEGER PRIMARY KEY, a INTEGER, b REAL, c TEXT);
        CREATE TABLE log(n INTEGER PRIMARY KEY, what TEXT, x, y, z);
        """
    static let accounts = """
        CREATE TABLE acct(id INTEGER PRIMARY KEY, owner TEXT NOT NULL, balance INTEGER CHECK(balance >= 0));
        CREATE TABLE audit(id INTEGER PRIMARY KEY, acct INTEGER, delta INTEGER, note TEXT);
        CREATE TABLE totals(k TEXT PRIMARY KEY, v INTEGER);
        INSERT INTO acct VALUES(1, 'ann', 100), (2, 'bob', 50), (3, 'cy', 0);
        INSERT INTO totals VALUES('sum', 150), ('count', 3);
        """

    static let definitionCases: [ConformanceCase] = [
        ConformanceCase("create and list", setup: logged, [
            "CREATE TRIGGER t_ai AFTER INSERT ON t BEGIN INSERT INTO log(what) VALUES('ai'); END",
            "CREATE TRIGGER IF NOT EXISTS   t_bu  BEFORE UPDATE OF a, b ON t FOR EACH ROW WHEN new.a > 0 BEGIN SELECT 1; END",
            "CREATE TRIGGER main.t_ad AFTER DELETE ON main.t BEGIN DELETE FROM log; END",
            "CREATE TRIGGER \"Quoted Name\" INSERT ON t BEGIN SELECT new.a; SELECT 2; END",
            "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_schema ORDER BY rowid",
            "CREATE TRIGGER IF NOT EXISTS t_ai BEFORE DELETE ON t BEGIN SELECT 1; END",
            "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'",
            "PRAGMA integrity_check",
        ]),
        ConformanceCase("create errors", setup: logged + "CREATE VIEW v AS SELECT a, b FROM t; CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END;", [
            "CREATE TRIGGER y AFTER INSERT ON nosuch BEGIN SELECT 1; END",
            "CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT 1; END",
            "CREATE TRIGGER X BEFORE DELETE ON log BEGIN SELECT 1; END",
            "CREATE TRIGGER y BEFORE INSERT ON v BEGIN SELECT 1; END",
            "CREATE TRIGGER y AFTER UPDATE ON v BEGIN SELECT 1; END",
            "CREATE TRIGGER y INSTEAD OF INSERT ON t BEGIN SELECT 1; END",
            "CREATE TRIGGER sqlite_y AFTER INSERT ON t BEGIN SELECT 1; END",
            "CREATE TRIGGER y AFTER INSERT ON sqlite_schema BEGIN SELECT 1; END",
            "CREATE TRIGGER y AFTER INSERT ON t BEGIN INSERT INTO log(x) VALUES(?); END",
            "CREATE TRIGGER y AFTER INSERT ON other.t BEGIN SELECT 1; END",
            "CREATE TRIGGER t AFTER INSERT ON t BEGIN SELECT 1; END",
            "SELECT name FROM sqlite_schema ORDER BY rowid",
            "PRAGMA recursive_triggers", "PRAGMA recursive_triggers = OFF", "PRAGMA recursive_triggers",
        ]),
        ConformanceCase("drop", setup: logged + "CREATE TRIGGER x AFTER INSERT ON t BEGIN INSERT INTO log(what) VALUES('x'); END; CREATE TRIGGER y AFTER INSERT ON log BEGIN SELECT 1; END;", [
            "DROP TRIGGER x", "DROP TRIGGER x", "DROP TRIGGER IF EXISTS x", "DROP TRIGGER main.y",
            "SELECT name FROM sqlite_schema ORDER BY rowid",
            "CREATE TRIGGER z AFTER INSERT ON t BEGIN INSERT INTO log(what) VALUES('z'); END",
            "INSERT INTO t(a) VALUES(1)", "SELECT what FROM log",
            "DROP TABLE t", "SELECT name FROM sqlite_schema ORDER BY rowid", "DROP TRIGGER z",
        ]),
        ConformanceCase("raise outside a trigger", setup: logged, [
            "SELECT RAISE(ABORT, 'no')", "SELECT RAISE(IGNORE)", "INSERT INTO t(a) VALUES(RAISE(FAIL, 'x'))",
        ]),
        ConformanceCase("errors in a trigger program appear when it fires", setup: logged, [
            "CREATE TRIGGER x AFTER INSERT ON t BEGIN INSERT INTO nosuch VALUES(1); END",
            "INSERT INTO t(a) VALUES(1)", "DROP TRIGGER x",
            "CREATE TRIGGER x AFTER INSERT ON t BEGIN UPDATE log SET x = new.zz; END",
            "INSERT INTO t(a) VALUES(1)", "DROP TRIGGER x",
            "CREATE TRIGGER x AFTER INSERT ON t BEGIN SELECT old.a; END",
            "INSERT INTO t(a) VALUES(1)", "DELETE FROM t", "DROP TRIGGER x",
            "CREATE TRIGGER x AFTER DELETE ON t BEGIN INSERT INTO log(what) VALUES(new.a); END",
            "INSERT INTO t(a) VALUES(1)", "DELETE FROM t", "DROP TRIGGER x",
            "CREATE TRIGGER x AFTER INSERT ON t BEGIN INSERT INTO log(nope) VALUES(1); END",
            "INSERT INTO t(a) VALUES(1)", "SELECT count(*) FROM t",
        ]),
    ]

    static let firingCases: [ConformanceCase] = [
        ConformanceCase("NEW and OLD with affinities", setup: logged + """
            CREATE TRIGGER bi BEFORE INSERT ON t BEGIN INSERT INTO log(what, x, y, z) VALUES('bi', typeof(new.a), typeof(new.b), typeof(new.c)); INSERT INTO log(what, x, y, z) VALUES('bi', new.id, new.a, new.b); END;
            CREATE TRIGGER ai AFTER INSERT ON t BEGIN INSERT INTO log(what, x, y, z) VALUES('ai', typeof(new.a), typeof(new.b), typeof(new.c)); INSERT INTO log(what, x, y, z) VALUES('ai', new.id, new.rowid, new.b); END;
            CREATE TRIGGER bu BEFORE UPDATE ON t BEGIN INSERT INTO log(what, x, y, z) VALUES('bu', new.a, old.a, typeof(new.b)); END;
            CREATE TRIGGER au AFTER UPDATE ON t BEGIN INSERT INTO log(what, x, y, z) VALUES('au', new.a || '/' || old.a, new.id, old.id); END;
            CREATE TRIGGER bd BEFORE DELETE ON t BEGIN INSERT INTO log(what, x, y, z) VALUES('bd', old.id, old.a, typeof(old.b)); END;
            CREATE TRIGGER ad AFTER DELETE ON t BEGIN INSERT INTO log(what, x, y, z) VALUES('ad', old.oid, old.c, (SELECT count(*) FROM t)); END;
            """, [
            "INSERT INTO t(a, b, c) VALUES('5', 3, 4)", "INSERT INTO t VALUES(10, '6.0', '2', x'00')",
            "INSERT INTO t VALUES(NULL, 7, 8, 9)",
            "SELECT changes(), total_changes(), last_insert_rowid()",
            "UPDATE t SET a = '70', b = a WHERE id >= 10", "SELECT changes()",
            "UPDATE t SET id = id + 100 WHERE a = 5", "SELECT * FROM t ORDER BY id",
            "DELETE FROM t WHERE id > 100", "DELETE FROM t", "SELECT changes(), total_changes()",
            "SELECT * FROM log ORDER BY n",
        ]),
        ConformanceCase("firing order", setup: logged + """
            CREATE TRIGGER b AFTER INSERT ON t BEGIN INSERT INTO log(what) VALUES('b'); END;
            CREATE TRIGGER a AFTER INSERT ON t BEGIN INSERT INTO log(what) VALUES('a'); END;
            CREATE TRIGGER c BEFORE INSERT ON t BEGIN INSERT INTO log(what) VALUES('c'); END;
            CREATE TRIGGER d BEFORE INSERT ON t BEGIN INSERT INTO log(what) VALUES('d'); END;
            """, [
            "INSERT INTO t(a) VALUES(1), (2)", "SELECT what FROM log ORDER BY n",
            "CREATE TRIGGER aa AFTER INSERT ON t BEGIN INSERT INTO log(what) VALUES('aa'); END",
            "DELETE FROM log", "INSERT INTO t(a) VALUES(3)", "SELECT what FROM log ORDER BY n",
        ]),
        ConformanceCase("WHEN", setup: logged + """
            CREATE TRIGGER w AFTER INSERT ON t WHEN new.a > 10 AND new.c IS NOT NULL BEGIN INSERT INTO log(what, x) VALUES('big', new.a); END;
            CREATE TRIGGER w2 AFTER UPDATE ON t FOR EACH ROW WHEN old.a <> new.a BEGIN INSERT INTO log(what, x, y) VALUES('changed', old.a, new.a); END;
            CREATE TRIGGER w3 BEFORE DELETE ON t WHEN (SELECT count(*) FROM t) > 2 BEGIN INSERT INTO log(what, x) VALUES('many', old.id); END;
            """, [
            "INSERT INTO t(a, c) VALUES(5, 'x'), (50, 'y'), (60, NULL), (NULL, 'z'), (11, '')",
            "UPDATE t SET a = a", "UPDATE t SET a = a + 1 WHERE a < 60", "UPDATE t SET a = 0 WHERE a IS NULL",
            "DELETE FROM t WHERE a > 10", "SELECT what, x, y FROM log ORDER BY n",
        ]),
        ConformanceCase("UPDATE OF", setup: logged + """
            CREATE TRIGGER ua AFTER UPDATE OF a ON t BEGIN INSERT INTO log(what, x) VALUES('a', new.a); END;
            CREATE TRIGGER ubc AFTER UPDATE OF b, C ON t BEGIN INSERT INTO log(what, x) VALUES('bc', new.b); END;
            CREATE TRIGGER uid AFTER UPDATE OF id ON t BEGIN INSERT INTO log(what, x) VALUES('id', new.id); END;
            INSERT INTO t VALUES(1, 1, 1, 'one');
            """, [
            "UPDATE t SET a = 2", "UPDATE t SET c = 'x'", "UPDATE t SET a = 3, b = 4", "UPDATE t SET id = 5",
            "UPDATE t SET rowid = 6", "UPDATE t SET A = 9", "SELECT what, x FROM log ORDER BY n",
        ]),
        ConformanceCase("BEFORE triggers change the row", setup: logged + """
            CREATE TRIGGER bu BEFORE UPDATE OF a ON t BEGIN UPDATE t SET c = 'touched', b = b + 1 WHERE id = new.id; END;
            CREATE TRIGGER bd BEFORE UPDATE OF c ON t WHEN new.c = 'gone' BEGIN DELETE FROM t WHERE id = old.id; END;
            CREATE TRIGGER bi BEFORE INSERT ON t WHEN new.a = 99 BEGIN INSERT INTO t(id, a, c) VALUES(500, 1, 'made'); END;
            INSERT INTO t VALUES(1, 1, 1.5, 'one'), (2, 2, 2.5, 'two');
            """, [
            "UPDATE t SET a = a * 10", "SELECT * FROM t ORDER BY id",
            "UPDATE t SET c = 'gone' WHERE id = 1", "SELECT changes()", "SELECT * FROM t ORDER BY id",
            "INSERT INTO t(a) VALUES(99)", "SELECT * FROM t ORDER BY id", "PRAGMA integrity_check",
        ]),
        ConformanceCase("RAISE", setup: accounts + """
            CREATE TRIGGER no_neg BEFORE UPDATE OF balance ON acct WHEN new.balance < 0 BEGIN SELECT RAISE(ABORT, 'insufficient funds'); END;
            CREATE TRIGGER no_bob BEFORE DELETE ON acct WHEN old.owner = 'bob' BEGIN SELECT RAISE(FAIL, 'bob stays'); END;
            CREATE TRIGGER quiet BEFORE INSERT ON acct WHEN new.owner LIKE 'x%' BEGIN SELECT RAISE(IGNORE); END;
            CREATE TRIGGER roll AFTER INSERT ON acct WHEN new.owner = 'zed' BEGIN SELECT RAISE(ROLLBACK, 'zed is banned'); END;
            CREATE TRIGGER later AFTER UPDATE ON acct WHEN new.balance > 1000 BEGIN SELECT RAISE(IGNORE); INSERT INTO audit(note) VALUES('unreachable'); END;
            """, [
            "UPDATE acct SET balance = balance - 60", "SELECT * FROM acct ORDER BY id", "SELECT changes()",
            "UPDATE acct SET balance = balance - 10 WHERE id = 1", "SELECT * FROM acct ORDER BY id",
            "DELETE FROM acct", "SELECT * FROM acct ORDER BY id",
            "INSERT INTO acct(owner, balance) VALUES('xavier', 1), ('dee', 5), ('xena', 2)", "SELECT changes()",
            "SELECT * FROM acct ORDER BY id",
            "BEGIN", "INSERT INTO acct(owner, balance) VALUES('eve', 1)", "INSERT INTO acct(owner, balance) VALUES('zed', 1)",
            "SELECT * FROM acct ORDER BY id", "COMMIT",
            "BEGIN", "INSERT INTO acct(owner, balance) VALUES('fay', 1)", "DELETE FROM acct WHERE owner IN ('cy', 'bob', 'fay')",
            "SELECT * FROM acct ORDER BY id", "COMMIT",
            "UPDATE acct SET balance = 2000 WHERE id = 1", "SELECT * FROM acct ORDER BY id", "SELECT * FROM audit",
        ]),
        ConformanceCase("audit and running totals", setup: accounts + """
            CREATE TRIGGER a_ins AFTER INSERT ON acct BEGIN
              INSERT INTO audit(acct, delta, note) VALUES(new.id, new.balance, 'open ' || new.owner);
              UPDATE totals SET v = (SELECT sum(balance) FROM acct) WHERE k = 'sum';
              UPDATE totals SET v = v + 1 WHERE k = 'count';
            END;
            CREATE TRIGGER a_upd AFTER UPDATE OF balance ON acct WHEN new.balance <> old.balance BEGIN
              INSERT INTO audit(acct, delta, note) VALUES(new.id, new.balance - old.balance, 'move');
              UPDATE totals SET v = (SELECT sum(balance) FROM acct) WHERE k = 'sum';
            END;
            CREATE TRIGGER a_del AFTER DELETE ON acct BEGIN
              INSERT INTO audit(acct, delta, note) VALUES(old.id, -old.balance, 'close');
              UPDATE totals SET v = v - old.balance WHERE k = 'sum';
              UPDATE totals SET v = v - 1 WHERE k = 'count';
            END;
            """, [
            "INSERT INTO acct(owner, balance) VALUES('dee', 10), ('eve', 20)", "SELECT * FROM totals ORDER BY k",
            "UPDATE acct SET balance = balance + id", "SELECT * FROM totals ORDER BY k",
            "DELETE FROM acct WHERE balance < 20", "SELECT * FROM totals ORDER BY k",
            "SELECT * FROM audit ORDER BY id", "SELECT changes(), total_changes()",
            "INSERT INTO acct(owner, balance) VALUES(NULL, 1)", "INSERT INTO acct(owner, balance) VALUES('neg', -1)",
            "SELECT * FROM totals ORDER BY k", "SELECT count(*) FROM audit",
        ]),
        ConformanceCase("cascades and no recursion", setup: """
            CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT);
            CREATE TABLE c(id INTEGER PRIMARY KEY, pid INTEGER, v);
            CREATE TABLE g(id INTEGER PRIMARY KEY, cid INTEGER);
            CREATE TABLE log(n INTEGER PRIMARY KEY, what TEXT);
            CREATE TRIGGER p_del AFTER DELETE ON p BEGIN DELETE FROM c WHERE pid = old.id; END;
            CREATE TRIGGER c_del AFTER DELETE ON c BEGIN DELETE FROM g WHERE cid = old.id; INSERT INTO log(what) VALUES('c' || old.id); END;
            CREATE TRIGGER self AFTER INSERT ON log BEGIN INSERT INTO log(what) VALUES('echo ' || new.what); END;
            CREATE TRIGGER ping AFTER UPDATE ON c BEGIN UPDATE p SET name = name || '+' WHERE id = new.pid; END;
            CREATE TRIGGER pong AFTER UPDATE ON p BEGIN UPDATE c SET v = coalesce(v, 0) + 1 WHERE pid = new.id; END;
            INSERT INTO p VALUES(1, 'one'), (2, 'two');
            INSERT INTO c VALUES(10, 1, NULL), (11, 1, NULL), (20, 2, NULL);
            INSERT INTO g VALUES(100, 10), (101, 11), (200, 20);
            """, [
            "DELETE FROM p WHERE id = 1", "SELECT * FROM c ORDER BY id", "SELECT * FROM g ORDER BY id",
            "SELECT * FROM log ORDER BY n", "SELECT changes(), total_changes()",
            "UPDATE c SET v = 5 WHERE id = 20", "SELECT * FROM p ORDER BY id", "SELECT * FROM c ORDER BY id",
            "UPDATE p SET name = 'TWO'", "SELECT * FROM p ORDER BY id", "SELECT * FROM c ORDER BY id",
        ]),
        ConformanceCase("OR clauses pass into trigger programs", setup: """
            CREATE TABLE t(id INTEGER PRIMARY KEY, v);
            CREATE TABLE u(k TEXT UNIQUE, v);
            INSERT INTO u VALUES('a', 1);
            CREATE TRIGGER ti AFTER INSERT ON t BEGIN INSERT INTO u VALUES(new.v, new.id); END;
            CREATE TRIGGER tu AFTER UPDATE ON t BEGIN INSERT OR IGNORE INTO u VALUES(new.v, -1); END;
            """, [
            "INSERT INTO t VALUES(1, 'a')", "SELECT * FROM t", "SELECT * FROM u ORDER BY k",
            "INSERT OR REPLACE INTO t VALUES(2, 'a')", "SELECT * FROM t", "SELECT * FROM u ORDER BY k",
            "INSERT OR IGNORE INTO t VALUES(3, 'a')", "SELECT * FROM t", "SELECT * FROM u ORDER BY k",
            "REPLACE INTO t VALUES(4, 'b')", "SELECT * FROM u ORDER BY k",
            "UPDATE t SET v = 'a' WHERE id = 4", "SELECT * FROM u ORDER BY k",
            "UPDATE OR REPLACE t SET v = 'c' WHERE id = 4", "SELECT * FROM u ORDER BY k",
            "INSERT OR FAIL INTO t VALUES(5, 'c'), (6, 'd')", "SELECT * FROM t ORDER BY id",
        ]),
        ConformanceCase("subqueries of NEW run at every firing", setup: """
            CREATE TABLE t(id INTEGER PRIMARY KEY, g TEXT, v INTEGER);
            CREATE TABLE s(g TEXT PRIMARY KEY, total INTEGER, n INTEGER, top INTEGER);
            CREATE TRIGGER ai AFTER INSERT ON t BEGIN
              INSERT OR IGNORE INTO s VALUES(new.g, 0, 0, NULL);
              UPDATE s SET total = (SELECT sum(v) FROM t WHERE g = new.g), n = n + 1,
                           top = (SELECT max(v) FROM t WHERE g IN (SELECT g FROM t WHERE id = new.id)) WHERE g = new.g;
              INSERT INTO s SELECT 'seen ' || new.id, count(*), EXISTS (SELECT 1 FROM t WHERE v > new.v), NULL FROM t WHERE g = new.g;
            END;
            """, [
            "INSERT INTO t(g, v) VALUES('x', 1), ('y', 10), ('x', 5), ('y', 2), ('x', 3)",
            "SELECT * FROM s ORDER BY g", "INSERT INTO t(g, v) SELECT g, v * 2 FROM t WHERE g = 'y'",
            "SELECT * FROM s ORDER BY g",
        ]),
        ConformanceCase("upserts fire update triggers", setup: """
            CREATE TABLE kv(k TEXT PRIMARY KEY, v INTEGER);
            CREATE TABLE log(n INTEGER PRIMARY KEY, what TEXT, k, v);
            CREATE TRIGGER i AFTER INSERT ON kv BEGIN INSERT INTO log(what, k, v) VALUES('ins', new.k, new.v); END;
            CREATE TRIGGER u AFTER UPDATE ON kv BEGIN INSERT INTO log(what, k, v) VALUES('upd', new.k, old.v || '->' || new.v); END;
            CREATE TRIGGER uv BEFORE UPDATE OF k ON kv BEGIN INSERT INTO log(what, k) VALUES('rekey', old.k); END;
            CREATE TABLE src(k, v);
            CREATE TRIGGER feed AFTER INSERT ON src BEGIN INSERT INTO kv VALUES(new.k, new.v) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v; END;
            """, [
            "INSERT INTO kv VALUES('a', 1) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v",
            "INSERT INTO kv VALUES('a', 5) ON CONFLICT(k) DO UPDATE SET v = v + excluded.v",
            "INSERT INTO kv VALUES('a', 5) ON CONFLICT(k) DO NOTHING",
            "INSERT INTO src VALUES('a', 100), ('b', 7), ('b', 8)", "SELECT * FROM kv ORDER BY k",
            "SELECT what, k, v FROM log ORDER BY n",
        ]),
        ConformanceCase("constraint errors inside trigger programs", setup: accounts + """
            CREATE TRIGGER bad AFTER INSERT ON audit WHEN new.note = 'boom' BEGIN INSERT INTO acct(owner, balance) VALUES(NULL, 0); END;
            CREATE TRIGGER dup AFTER INSERT ON audit WHEN new.note = 'dup' BEGIN INSERT INTO acct(id, owner, balance) VALUES(1, 'again', 0); END;
            CREATE TRIGGER chk AFTER INSERT ON audit WHEN new.note = 'chk' BEGIN UPDATE acct SET balance = -5 WHERE id = 2; END;
            """, [
            "INSERT INTO audit(note) VALUES('fine'), ('boom')", "SELECT count(*) FROM audit",
            "INSERT INTO audit(note) VALUES('dup')", "INSERT INTO audit(note) VALUES('chk')",
            "BEGIN", "INSERT INTO audit(note) VALUES('ok')", "INSERT INTO audit(note) VALUES('dup')",
            "SELECT note FROM audit", "COMMIT", "SELECT * FROM acct ORDER BY id",
        ]),
        ConformanceCase("collations and NEW in expressions", setup: """
            CREATE TABLE t(id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE, tag TEXT);
            CREATE TABLE log(n INTEGER PRIMARY KEY, x, y);
            CREATE TRIGGER c AFTER INSERT ON t BEGIN
              INSERT INTO log(x, y) VALUES(new.name = 'ALICE', new.tag = 'X');
              INSERT INTO log(x, y) SELECT count(*), group_concat(id) FROM t WHERE name = new.name;
              INSERT INTO log(x, y) VALUES(CASE WHEN new.name BETWEEN 'a' AND 'b' THEN 'ab' ELSE 'other' END, length(new.tag));
            END;
            """, [
            "INSERT INTO t(name, tag) VALUES('alice', 'x'), ('ALICE', 'X'), ('bob', NULL)", "SELECT x, y FROM log ORDER BY n",
        ]),
        ConformanceCase("triggers in a database sqlite3 reads afterwards", setup: logged, [
            "CREATE TRIGGER x AFTER INSERT ON t BEGIN INSERT INTO log(what, x) VALUES('x', new.a); END",
            "CREATE TRIGGER y BEFORE DELETE ON t BEGIN DELETE FROM log WHERE x = old.a; END",
            "INSERT INTO t(a) VALUES(1), (2), (3)", "DELETE FROM t WHERE a = 2",
            "SELECT * FROM log ORDER BY n", "SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' ORDER BY name",
            "PRAGMA integrity_check",
        ]),
    ]

    @Test func definitions() throws {
        let (failures, compared) = try Conformance.check(Self.definitionCases)
        #expect(compared == Self.definitionCases.reduce(0) { $0 + $1.statements.count })
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func firing() throws {
        let (failures, compared) = try Conformance.check(Self.firingCases)
        #expect(compared == Self.firingCases.reduce(0) { $0 + $1.statements.count })
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}

extension TriggerConformanceTests {
    static let views = """
        CREATE TABLE t(a INTEGER, b);
        INSERT INTO t VALUES(1, 2), (3, 4), (5, 6);
        CREATE VIEW v AS SELECT a, b, a + b AS s FROM t;
        CREATE TABLE log(n INTEGER PRIMARY KEY, w, x, y, z);
        """

    static let viewCases: [ConformanceCase] = [
        ConformanceCase("INSTEAD OF on a view", setup: views + """
            CREATE TRIGGER vi INSTEAD OF INSERT ON v BEGIN INSERT INTO log(w, x, y, z) VALUES('i', new.rowid, new.a, typeof(new.a)); INSERT INTO t VALUES(new.a, new.b); END;
            CREATE TRIGGER vu INSTEAD OF UPDATE ON v BEGIN INSERT INTO log(w, x, y, z) VALUES('u', old.rowid, new.rowid, old.a || '>' || new.a || ' ' || new.s); UPDATE t SET a = new.a WHERE a = old.a; END;
            CREATE TRIGGER vd INSTEAD OF DELETE ON v FOR EACH ROW WHEN old.a <> 3 BEGIN INSERT INTO log(w, x, y, z) VALUES('d', old.rowid, old.s, typeof(old.a)); DELETE FROM t WHERE a = old.a; END;
            """, [
            "INSERT INTO v VALUES('7', 8, 9)", "INSERT INTO v(b) VALUES(1)", "SELECT changes(), total_changes()",
            "INSERT INTO v SELECT a * 100, b, 0 FROM t WHERE a < 4",
            "UPDATE v SET a = a * 10 WHERE s > 3", "SELECT changes()", "SELECT * FROM t ORDER BY a",
            "DELETE FROM v WHERE a > 1", "SELECT * FROM t ORDER BY a",
            "SELECT w, x, y, z FROM log ORDER BY n", "SELECT changes(), total_changes()",
            "INSERT INTO v VALUES(1, 2)", "INSERT INTO v(c) VALUES(1)",
            "INSERT INTO v VALUES(1, 2, 3) ON CONFLICT DO NOTHING",
            "UPDATE v SET nope = 1", "DELETE FROM v WHERE nope = 1",
        ]),
        ConformanceCase("views without a trigger for the statement", setup: views + """
            CREATE TRIGGER vi INSTEAD OF INSERT ON v BEGIN SELECT 1; END;
            CREATE TRIGGER vu INSTEAD OF UPDATE OF b ON v BEGIN INSERT INTO log(w) VALUES(new.b); END;
            """, [
            "UPDATE v SET a = 1", "DELETE FROM v", "UPDATE v SET b = 7 WHERE a = 1", "SELECT w FROM log",
            "UPDATE v SET a = 2, b = 8 WHERE a = 3", "SELECT w FROM log ORDER BY n",
            "DROP TRIGGER vu", "UPDATE v SET b = 9",
        ]),
        ConformanceCase("RAISE(IGNORE) and errors through a view", setup: views + """
            CREATE TRIGGER vd INSTEAD OF DELETE ON v BEGIN SELECT RAISE(IGNORE) WHERE old.a = 3; DELETE FROM t WHERE a = old.a; END;
            CREATE TRIGGER vi INSTEAD OF INSERT ON v BEGIN SELECT RAISE(ABORT, 'read only') WHERE new.a IS NULL; INSERT INTO t VALUES(new.a, new.b); END;
            """, [
            "DELETE FROM v", "SELECT * FROM t", "INSERT INTO v(a, b) VALUES(8, 8), (NULL, 9)", "SELECT * FROM t ORDER BY a",
        ]),
    ]

    @Test func views() throws {
        let (failures, compared) = try Conformance.check(Self.viewCases)
        #expect(compared == Self.viewCases.reduce(0) { $0 + $1.statements.count })
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }
}
