import BTree
import SQL

/// What the database-file and WAL-file fuzz targets do with a database made of fuzzed bytes:
/// PRAGMA integrity_check, every table and index named in sqlite_schema read (full scans, index
/// range lookups, ordered scans), a few writes, and a check again. Every offset, count and size
/// in the files is attacker-controlled, so each step must end in a result or an error
/// (SQLITE_CORRUPT, SQLITE_NOTADB...), never in a crash.
package enum DatabaseExercise {
    package static func run(_ runner: StatementRunner) {
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
