import FuzzSupport
import Pager
import SQL
import VM

/// Fuzz target for the SQL front end: the input is SQL text, run statement by statement against
/// a small fixed schema (tables with and without rowids, indexes, a view, a trigger, a few rows)
/// in a fresh in-memory database. Every statement is parsed, compiled and stepped a bounded
/// number of times; errors are fine, a crash, a failed precondition, a hang or a sanitizer report
/// is a bug.
enum SQLParserFuzz {
    static let schema = """
        CREATE TABLE t1(a INTEGER PRIMARY KEY, b TEXT, c REAL, d BLOB);
        CREATE INDEX t1b ON t1(b);
        CREATE INDEX t1cb ON t1(c DESC, b COLLATE NOCASE);
        CREATE TABLE t2(x INT, y TEXT, z, PRIMARY KEY(x, y)) WITHOUT ROWID; -- empty: Ringlite cannot write these yet
        CREATE TABLE t3(k TEXT UNIQUE, v INT DEFAULT 5 CHECK(v > 0), w NOT NULL DEFAULT 'w');
        CREATE VIEW v1 AS SELECT a, b FROM t1 WHERE c > 0;
        CREATE TRIGGER tr1 AFTER INSERT ON t1 BEGIN INSERT INTO t3(k, v) VALUES (new.b, 1) ON CONFLICT DO NOTHING; END;
        INSERT INTO t1 VALUES (1, 'one', 1.5, x'01'), (2, 'two', -2.0, NULL), (3, NULL, 3, 'three'), (10, 'ten', 0, x'');
        INSERT INTO t3(k, v) VALUES ('p', 1), ('q', 2), (NULL, 3);
        """

    /// The database file holding `schema`, made once and copied for every input.
    static let image: [UInt8] = {
        let environment = MemoryEnvironment()
        var options = environment.options
        options.journalMode = .off
        do {
            let shared = try PagerShared.open(path: "fuzz.db", options: options)
            let connection = SQLConnection(state: try ConnectionState(shared: shared))
            var offset = 0
            let length = schema.utf8.count
            while offset < length {
                let (prepared, next) = try connection.prepare(schema, at: offset)
                offset = next
                guard let statement = prepared else { break }
                while try statement.step() == .row {}
                statement.reset()
            }
        } catch {
            fatalError("the fuzz schema does not build: \(error)")
        }
        guard let file = environment.memoryFileSystem.file("fuzz.db") else { fatalError("no fuzz.db") }
        return file.contents()
    }()

    static func run(_ bytes: UnsafeRawBufferPointer) {
        let sql = String(decoding: bytes, as: UTF8.self)
        let environment = MemoryEnvironment()
        environment.put("fuzz.db", image)
        if let failure = FuzzSession.run(environment, budget: .seconds(1), { $0.runAll(sql) }) {
            fatalError("opening the fuzz database failed: \(failure)")
        }
    }
}
