import Testing

/// SELECT from one table compared with sqlite3: result columns, WHERE through scans, rowid and
/// index lookups, DISTINCT, aggregates with and without GROUP BY, HAVING, ORDER BY, LIMIT.
@Suite struct SelectConformanceTests {
    static let people = """
        CREATE TABLE p(id INTEGER PRIMARY KEY, name TEXT COLLATE NOCASE, age INT, city TEXT, score REAL, tag);
        CREATE INDEX p_city ON p(city, age);
        CREATE INDEX p_name ON p(name);
        CREATE UNIQUE INDEX p_tag ON p(tag);
        INSERT INTO p VALUES (1, 'alice', 30, 'paris', 1.5, 'a');
        INSERT INTO p VALUES (2, 'Bob', 25, 'london', NULL, 'b');
        INSERT INTO p VALUES (3, 'carol', NULL, 'paris', 3.0, NULL);
        INSERT INTO p VALUES (4, 'dave', 40, NULL, 2.5, 4);
        INSERT INTO p VALUES (5, 'ALICE', 30, 'london', 1.5, '5');
        INSERT INTO p VALUES (6, 'eve', 22, 'paris', -1.0, x'06');
        INSERT INTO p VALUES (7, NULL, 35, 'rome', 0.0, 7.5);
        INSERT INTO p VALUES (10, 'frank', '33', 'Paris', 9, 'z');
        """

    static let basics = ConformanceCase("select-basics", setup: people, [
        "SELECT * FROM p",
        "SELECT id, name FROM p WHERE age > 26",
        "SELECT name, age * 2 AS double_age, age + score FROM p WHERE city = 'paris'",
        "SELECT id FROM p WHERE name = 'alice'",
        "SELECT id FROM p WHERE name = 'ALICE' COLLATE BINARY",
        "SELECT id FROM p WHERE age = '30' ORDER BY id",
        "SELECT id FROM p WHERE age = 33",
        "SELECT id FROM p WHERE tag = 4",
        "SELECT id FROM p WHERE tag = '4'",
        "SELECT id FROM p WHERE tag = 7.5",
        "SELECT id FROM p WHERE city IS NULL",
        "SELECT 1 WHERE 0",
        "SELECT 1 WHERE 1",
        "SELECT 1 + 1 AS two, 'x' WHERE NULL",
    ])

    static let rowidLookups = ConformanceCase("rowid-lookups", setup: people, [
        "SELECT name FROM p WHERE id = 3",
        "SELECT name FROM p WHERE id = '3'",
        "SELECT name FROM p WHERE id = 3.0",
        "SELECT name FROM p WHERE id = 3.5",
        "SELECT name FROM p WHERE id = 'abc'",
        "SELECT name FROM p WHERE id = NULL",
        "SELECT name FROM p WHERE rowid = 10",
        "SELECT name FROM p WHERE 4 = id",
        "SELECT id FROM p WHERE id > 4",
        "SELECT id FROM p WHERE id >= 4 AND id < 7",
        "SELECT id FROM p WHERE id <= 2",
        "SELECT id FROM p WHERE id > 2.5 AND id <= '6'",
        "SELECT id FROM p WHERE id > 'abc'",
        "SELECT id FROM p WHERE id < 'abc'",
        "SELECT id FROM p WHERE id > NULL",
        "SELECT id FROM p WHERE id > 100",
        "SELECT id FROM p WHERE id < -100",
        "SELECT id FROM p WHERE id > 9223372036854775807",
        "SELECT id FROM p WHERE id < 1e300 AND id > -1e300",
        "SELECT id FROM p WHERE id = ?",
        "SELECT id, name FROM p WHERE id IN (5, 1, 3, 1, 99)",
        "SELECT id FROM p WHERE id IN ('2', 4.0, 4.5, NULL, 'abc', x'01')",
        "SELECT id FROM p WHERE rowid IN (10) AND name = 'frank'",
        "SELECT id FROM p WHERE id NOT IN (1, 2, 3) ORDER BY id",
        "SELECT count(*) FROM p WHERE id IN (1, 2, 2, 3)",
    ])

    static let indexLookups = ConformanceCase("index-lookups", setup: people, [
        "SELECT id FROM p WHERE city = 'paris' ORDER BY id",
        "SELECT id FROM p WHERE city = 'paris' AND age = 30",
        "SELECT id FROM p WHERE city = 'paris' AND age > 25 ORDER BY id",
        "SELECT id FROM p WHERE city = 'paris' AND age < 31 ORDER BY id",
        "SELECT id FROM p WHERE city = 'paris' AND age >= 22 AND age <= 30 ORDER BY id",
        "SELECT id FROM p WHERE city = 'london' AND age = '25'",
        "SELECT id FROM p WHERE city > 'm' ORDER BY id",
        "SELECT id FROM p WHERE city < 'p' ORDER BY id",
        "SELECT id FROM p WHERE name = 'ALICE' ORDER BY id",
        "SELECT id FROM p WHERE name > 'c' ORDER BY id",
        "SELECT id FROM p WHERE tag = 'b'",
        "SELECT id FROM p WHERE tag = x'06'",
        "SELECT id FROM p INDEXED BY p_city WHERE city = 'rome'",
        "SELECT id FROM p INDEXED BY nosuch WHERE city = 'rome'",
        "SELECT id FROM p NOT INDEXED WHERE city = 'rome'",
        "SELECT id FROM p WHERE city = NULL",
        "SELECT id FROM p WHERE city = 'paris' AND age > NULL",
    ])

    static let ordering = ConformanceCase("order-by", setup: people, [
        "SELECT id, name FROM p ORDER BY name",
        "SELECT id, name FROM p ORDER BY name DESC, id",
        "SELECT id, name FROM p ORDER BY name COLLATE BINARY, id",
        "SELECT id, age FROM p ORDER BY age, id",
        "SELECT id, age FROM p ORDER BY age DESC, id DESC",
        "SELECT id, age FROM p ORDER BY age NULLS LAST, id",
        "SELECT id, age FROM p ORDER BY age DESC NULLS FIRST, id",
        "SELECT id, score FROM p ORDER BY 2, 1",
        "SELECT id, score AS s FROM p ORDER BY s DESC, id",
        "SELECT id, tag FROM p ORDER BY tag",
        "SELECT id FROM p ORDER BY -id",
        "SELECT id FROM p ORDER BY 3",
        "SELECT id FROM p ORDER BY 0",
        "SELECT id, city FROM p ORDER BY city, age DESC",
        "SELECT id FROM p ORDER BY id LIMIT 3",
        "SELECT id FROM p ORDER BY id LIMIT 3 OFFSET 2",
        "SELECT id FROM p ORDER BY id LIMIT 2, 3",
        "SELECT id FROM p ORDER BY id DESC LIMIT -1 OFFSET 5",
        "SELECT id FROM p LIMIT 0",
        "SELECT id FROM p LIMIT 'x'",
        "SELECT id FROM p LIMIT 2.5",
        "SELECT id FROM p ORDER BY id LIMIT '2'",
        "SELECT id FROM p WHERE id > 3 LIMIT 2",
        "SELECT id FROM p ORDER BY id LIMIT 1 OFFSET -3",
        "SELECT id FROM p LIMIT NULL",
    ])

    static let distinct = ConformanceCase("distinct", setup: people, [
        "SELECT DISTINCT city FROM p ORDER BY city",
        "SELECT DISTINCT name FROM p ORDER BY 1",
        "SELECT DISTINCT age, score FROM p ORDER BY age, score",
        "SELECT DISTINCT name COLLATE BINARY FROM p ORDER BY 1",
        "SELECT DISTINCT age FROM p ORDER BY age LIMIT 2 OFFSET 1",
        "SELECT ALL city FROM p ORDER BY city",
        "SELECT DISTINCT 1 FROM p",
    ])

    static let aggregates = ConformanceCase("aggregates", setup: people, [
        "SELECT count(*), count(age), count(city), sum(age), total(age), avg(age), min(age), max(age) FROM p",
        "SELECT min(name), max(name), min(tag), max(tag), group_concat(name) FROM p",
        "SELECT count(DISTINCT city), count(DISTINCT name), sum(DISTINCT age), group_concat(DISTINCT city) FROM p",
        "SELECT sum(score), avg(score), sum(id) * 2, max(id) - min(id) FROM p WHERE id > 2",
        "SELECT count(*), sum(age), max(age) FROM p WHERE id > 100",
        "SELECT name, max(age) FROM p",
        "SELECT name, min(score) FROM p",
        "SELECT sum(9223372036854775807), sum(id) FROM p WHERE id < 3",
        "SELECT count(*) FROM p WHERE age > 25 AND city = 'paris'",
        "SELECT group_concat(name, ';') FROM p WHERE id > 0",
        "SELECT count(age) FILTER (WHERE age > 28), count(*) FILTER (WHERE city IS NULL) FROM p",
        "SELECT 1 FROM p HAVING count(*) > 2",
        "SELECT count(*) FROM p HAVING count(*) > 100",
        "SELECT city FROM p HAVING city",
        "SELECT count(*) AS n FROM p ORDER BY n",
        "SELECT count(*) + 1, abs(min(score)) FROM p",
        "SELECT sum(name) FROM p",
        "SELECT count(DISTINCT age, city) FROM p",
    ])

    static let grouping = ConformanceCase("group-by", setup: people, [
        "SELECT city, count(*) FROM p GROUP BY city",
        "SELECT city, count(*), sum(age), max(score) FROM p GROUP BY city ORDER BY city",
        "SELECT name, count(*) FROM p GROUP BY name",
        "SELECT age, count(*) FROM p GROUP BY age HAVING count(*) > 1",
        "SELECT city, min(age), name FROM p GROUP BY city",
        "SELECT city, max(age), name FROM p GROUP BY city",
        "SELECT city AS c, count(*) AS n FROM p GROUP BY c HAVING n >= 1 ORDER BY n DESC, c",
        "SELECT city, count(*) FROM p GROUP BY 1 ORDER BY 2 DESC, 1",
        "SELECT age > 26, count(*) FROM p GROUP BY age > 26",
        "SELECT city, age, count(*) FROM p GROUP BY city, age ORDER BY city, age",
        "SELECT city FROM p GROUP BY city",
        "SELECT city, count(DISTINCT age) FROM p GROUP BY city",
        "SELECT city, count(id) FROM p GROUP BY city HAVING sum(age) > 30",
        "SELECT city, count(*) FROM p WHERE age > 24 GROUP BY city ORDER BY city LIMIT 2",
        "SELECT city, count(*) FROM p GROUP BY city LIMIT 1 OFFSET 1",
        "SELECT name COLLATE BINARY, count(*) FROM p GROUP BY name COLLATE BINARY",
        "SELECT city FROM p GROUP BY sum(age)",
        "SELECT city FROM p GROUP BY 5",
        "SELECT city, count(*) FROM p WHERE id > 100 GROUP BY city",
        "SELECT DISTINCT count(*) FROM p GROUP BY city",
        "SELECT tag, count(*) FROM p GROUP BY tag",
        "SELECT score, count(*) FROM p GROUP BY score",
    ])

    static let misc = ConformanceCase("select-misc", setup: people, [
        "SELECT * FROM p RIGHT JOIN p AS q ON p.id = q.id",
        "SELECT * FROM p FULL JOIN p AS q ON p.id = q.id",
        "SELECT * FROM p JOIN (p AS q JOIN p AS r ON q.id = r.id) ON p.id = q.id",
    ])

    @Test func selectsAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check([
            Self.basics, Self.rowidLookups, Self.indexLookups, Self.ordering, Self.distinct, Self.aggregates,
            Self.grouping,
        ])
        print("select conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.joined(separator: "\n"))")
    }

    /// What Ringlite does not compile yet is refused with an error, never answered wrongly.
    @Test func unsupportedQueriesAreRefused() throws {
        let runner = ConformanceCase("unsupported", setup: Self.people, Self.misc.statements)
        let (failures, compared) = try Conformance.check(runner)
        #expect(compared == Self.misc.statements.count)
        #expect(failures.count == Self.misc.statements.count, "each of these is refused: \(failures)")
        for failure in failures where failure.contains("ringlite:") {
            #expect(failure.contains("not supported by Ringlite yet"), "\(failure)")
        }
    }
}
