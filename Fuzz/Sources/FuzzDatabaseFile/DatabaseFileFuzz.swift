import BTree
import FuzzSupport
import Pager
import SQL
import VM
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Fuzz target for reading untrusted database files: the input is the whole database file. It
/// is opened, checked with PRAGMA integrity_check, every table and index named in sqlite_schema
/// is read (full scans, index range lookups, ordered scans), a few writes are made and checked
/// again. Every offset, count and size in the file is attacker-controlled, so each of these must
/// end in a result or an error (SQLITE_CORRUPT, SQLITE_NOTADB...), never in a crash.
enum DatabaseFileFuzz {
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let environment = MemoryEnvironment()
        environment.put("fuzz.db", Array(bytes))
        weak var weakShared: PagerShared?
        do {
            let shared = try PagerShared.open(path: "fuzz.db", options: environment.options)
            weakShared = shared
            let connection = SQLConnection(state: try ConnectionState(shared: shared))
            Watchdog.shared.watch(connection.state.interrupt, for: .seconds(2))
            defer { Watchdog.shared.stop() }
            exercise(StatementRunner(connection: connection))
        } catch {
            if getenv("FUZZ_VERBOSE") != nil { print("open failed: \(error.message)") }
            // Not a database, or one this engine refuses to open: a clean error is the right end.
        }
        // fatalError, not precondition: an -O build drops a precondition's message.
        if weakShared != nil { fatalError("the database outlived its connection (a reference cycle)") }
    }

    private static func exercise(_ runner: StatementRunner) {
        runner.run("PRAGMA integrity_check")
        runner.run("PRAGMA quick_check")
        guard let entries = runner.run("SELECT type, name, tbl_name FROM sqlite_schema") else { return }
        var tables: [String] = []
        var indexes: [(name: String, table: String)] = []
        for entry in entries.prefix(20) {
            guard entry.count == 3, let type = text(entry[0]), let name = text(entry[1]) else { continue }
            if type == "table" {
                tables.append(name)
            } else if type == "index", let table = text(entry[2]) {
                indexes.append((name, table))
            }
        }
        for table in tables {
            runner.run("SELECT * FROM \(quoted(table))")
            runner.run("SELECT count(*), max(rowid) FROM \(quoted(table))")
            runner.run("SELECT * FROM \(quoted(table)) ORDER BY rowid DESC")
            runner.run("SELECT * FROM \(quoted(table)) WHERE rowid BETWEEN 2 AND 50")
        }
        for index in indexes {
            guard let columns = runner.run("PRAGMA index_info(\(quoted(index.name)))"),
                  let first = columns.first, first.count == 3, let column = text(first[2]) else { continue }
            let from = "FROM \(quoted(index.table)) INDEXED BY \(quoted(index.name))"
            runner.run("SELECT * \(from) WHERE \(quoted(column)) > 0")
            runner.run("SELECT * \(from) WHERE \(quoted(column)) = 'a'")
            runner.run("SELECT \(quoted(column)) \(from) WHERE \(quoted(column)) IS NOT NULL ORDER BY \(quoted(column)) DESC")
        }
        // Writes balance pages the file describes, free pages onto its freelist and update its
        // header: the paths where a bad offset would turn into a bad write.
        for table in tables.prefix(3) {
            runner.run("DELETE FROM \(quoted(table)) WHERE rowid % 3 = 0")
            runner.run("INSERT INTO \(quoted(table)) SELECT * FROM \(quoted(table)) LIMIT 5")
            runner.run("UPDATE \(quoted(table)) SET rowid = rowid + 1000 WHERE rowid % 5 = 1")
        }
        runner.run("CREATE TABLE fuzz_new(a INTEGER PRIMARY KEY, b)")
        runner.run("INSERT INTO fuzz_new(b) VALUES (randomblob(300)), (randomblob(300)), (randomblob(300)), (randomblob(300)), (randomblob(300))")
        runner.run("INSERT INTO fuzz_new(b) SELECT b FROM fuzz_new")
        runner.run("INSERT INTO fuzz_new(b) SELECT b FROM fuzz_new")
        runner.run("INSERT INTO fuzz_new(b) SELECT b FROM fuzz_new")
        runner.run("DROP TABLE fuzz_new")
        runner.run("PRAGMA integrity_check")
        runner.run("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    private static func text(_ value: Value) -> String? {
        if case .text(let bytes) = value { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }

    private static func quoted(_ name: String) -> String {
        "\"" + name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}
