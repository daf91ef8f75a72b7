import Pager

/// Generates a seed's workload: the schema first, then statements on connections picked by the
/// seed (a connection tends to keep going for a while, so transactions overlap), with
/// transactions, savepoints, checkpoints of every mode, schema changes, crashes and reopens.
///
/// It follows each connection's transaction state only roughly (it cannot know which statements
/// will fail or be busy): a statement that makes no sense then (COMMIT outside a transaction)
/// fails the same way on both engines, and that is compared too.
struct WorkloadGenerator {
    let config: SeedConfig
    var random: SimulationRandom
    var inTransaction: [Int]
    var savepoints: [[String]]
    var savepointCounter = 0
    var keyCounter = 0

    init(config: SeedConfig) {
        self.config = config
        random = SimulationRandom(seed: SimulationRandom.derive(config.seed, stream: 0x3011))
        inTransaction = Array(repeating: -1, count: config.connections)
        savepoints = Array(repeating: [], count: config.connections)
    }

    static let schema = [
        "CREATE TABLE t1(id INTEGER PRIMARY KEY, a INTEGER, b TEXT, c BLOB)",
        "CREATE TABLE t2(k TEXT PRIMARY KEY, v INTEGER UNIQUE, w REAL)",
        "CREATE TABLE t3(x, y TEXT COLLATE NOCASE, z)",
    ]

    mutating func generate(steps count: Int) -> [Step] {
        var steps = Self.schema.map { Step.sql(connection: 0, $0) }
        var connection = 0
        for _ in 0..<count {
            if random.chance(0.3) { connection = random.below(config.connections) }
            if config.crashes {
                let roll = random.below(1000)
                if roll < 12 {
                    steps.append(.armCrash(afterMutations: random.below(random.chance(0.5) ? 40 : 400)))
                    continue
                } else if roll < 16 {
                    steps.append(.crash)
                    resetTransactions()
                    continue
                }
            }
            if random.below(1000) < 10 {
                steps.append(.reopen)
                resetTransactions()
                continue
            }
            steps.append(.sql(connection: connection, statement(for: connection)))
        }
        return steps
    }

    private mutating func resetTransactions() {
        inTransaction = inTransaction.map { _ in -1 }
        savepoints = savepoints.map { _ in [] }
    }

    private mutating func statement(for connection: Int) -> String {
        let age = inTransaction[connection]
        if age >= 0 {
            inTransaction[connection] += 1
            // A transaction ends after a handful of statements, more often the older it is, so
            // one connection does not hold the writer lock for the whole run.
            if random.below(100) < min(40, 6 + age * 3) {
                inTransaction[connection] = -1
                savepoints[connection] = []
                let rollback = config.journal == .wal && random.chance(0.2)
                return rollback ? "ROLLBACK" : (random.chance(0.8) ? "COMMIT" : "END")
            }
            if let top = savepoints[connection].last, random.chance(0.15) {
                if random.chance(0.5) || config.journal == .off {
                    savepoints[connection].removeLast()
                    return "RELEASE \(top)"
                }
                return "ROLLBACK TO \(top)"
            }
        }
        let roll = random.below(100)
        switch roll {
        case 0..<44: return write()
        case 44..<66: return query()
        case 66..<73:
            guard age < 0 else { return write() }
            inTransaction[connection] = 0
            return ["BEGIN", "BEGIN", "BEGIN IMMEDIATE", "BEGIN DEFERRED", "BEGIN EXCLUSIVE"][random.below(5)]
        case 73..<78:
            savepointCounter += 1
            let name = "sp\(savepointCounter % 4)"
            savepoints[connection].append(name)
            if age < 0 { inTransaction[connection] = 0 }
            return "SAVEPOINT \(name)"
        case 78..<84:
            return "PRAGMA wal_checkpoint(\(["PASSIVE", "FULL", "RESTART", "TRUNCATE"][random.below(4)]))"
        case 84..<89: return schemaChange()
        case 89..<91: return "PRAGMA integrity_check"
        case 91..<92: return config.journal == .wal ? "PRAGMA journal_mode" : "PRAGMA quick_check"
        default: return bulkWrite()
        }
    }

    // MARK: Statements

    private mutating func write() -> String {
        switch random.below(16) {
        case 0, 1: return "INSERT INTO t1(a, b, c) VALUES " + rows(random.number(in: 1...4)) { g in "(\(g.integer()), \(g.text()), \(g.blob()))" }
        case 2: return "INSERT INTO t1(id, a, b, c) VALUES (\(random.number(in: 1...300)), \(integer()), \(text()), \(blob()))"
        case 3: return "INSERT OR REPLACE INTO t1(id, a, b, c) VALUES (\(random.number(in: 1...300)), \(integer()), \(text()), \(blob()))"
        // A row that breaks both of t2's unique constraints gets a different error from each
        // engine (sqlite3 checks the later index first; see the README's known differences), so
        // plain INSERTs break at most one: a new key, or an old key with no v.
        case 4:
            if random.chance(0.5) {
                keyCounter += 1
                return "INSERT INTO t2(k, v, w) VALUES ('n\(keyCounter)', \(random.number(in: 0...80)), \(real()))"
            }
            return "INSERT INTO t2(k, v, w) VALUES ('k\(random.below(60))', NULL, \(real()))"
        case 5: return "INSERT OR IGNORE INTO t2(k, v, w) VALUES " + rows(random.number(in: 1...3)) { g in "('k\(g.random.below(60))', \(g.random.number(in: 0...80)), \(g.real()))" }
        case 6: return "INSERT OR REPLACE INTO t2(k, v, w) VALUES ('k\(random.below(60))', \(random.number(in: 0...80)), \(real()))"
        case 7: return "INSERT INTO t3(x, y, z) VALUES " + rows(random.number(in: 1...3)) { g in "(\(g.anyValue()), \(g.text()), \(g.anyValue()))" }
        case 8: return "UPDATE t1 SET a = a + \(random.number(in: 1...3)) WHERE id % \(random.number(in: 2...9)) = \(random.below(2))"
        case 9: return "UPDATE t1 SET b = \(text()), c = \(blob()) WHERE a BETWEEN \(random.number(in: -50...150)) AND \(random.number(in: 0...200))"
        // Multi-row UPDATEs leave unique columns alone: sqlite3 updates rows in the order its
        // index scan meets them and Ringlite in rowid order, so a change whose intermediate
        // states collide fails on one engine only (see the README's known differences).
        case 10:
            if random.chance(0.5) { return "UPDATE t2 SET w = w + 1 WHERE k > 'k\(random.below(60))'" }
            return "UPDATE t2 SET v = \(random.number(in: 0...80)) WHERE k = 'k\(random.below(60))'"
        case 11:
            if random.chance(0.5) { return "UPDATE OR IGNORE t2 SET w = w * 2 WHERE v % 3 = \(random.below(3))" }
            return "UPDATE OR REPLACE t2 SET v = \(random.number(in: 0...80)) WHERE k = 'k\(random.below(60))'"
        case 12: return "UPDATE t3 SET z = \(anyValue()), y = upper(y) WHERE rowid % \(random.number(in: 2...6)) = 1"
        case 13: return "DELETE FROM t1 WHERE a < \(random.number(in: -40...60))"
        case 14: return "DELETE FROM t2 WHERE v % \(random.number(in: 2...7)) = 0"
        default: return "DELETE FROM t3 WHERE rowid IN (SELECT rowid FROM t3 ORDER BY rowid LIMIT \(random.number(in: 1...20)))"
        }
    }

    private mutating func bulkWrite() -> String {
        switch random.below(4) {
        case 0: return "INSERT INTO t3(x, y, z) SELECT a, b, c FROM t1 WHERE id % \(random.number(in: 2...5)) = 0 LIMIT 40"
        case 1: return "INSERT INTO t1(a, b, c) SELECT a + 1, b, c FROM t1 ORDER BY id DESC LIMIT \(random.number(in: 5...60))"
        case 2: return "INSERT OR REPLACE INTO t2(k, v, w) SELECT 'k' || (id % 70), id % 90, a FROM t1 LIMIT 30"
        default: return "DELETE FROM t1 WHERE id IN (SELECT id FROM t1 ORDER BY id LIMIT \(random.number(in: 10...80)))"
        }
    }

    private mutating func query() -> String {
        switch random.below(11) {
        case 0: return "SELECT count(*), sum(a), total(length(b)), max(id), sum(length(c)) FROM t1"
        case 1: return "SELECT id, a, b, c FROM t1 WHERE a BETWEEN \(random.number(in: -50...100)) AND \(random.number(in: 0...200)) ORDER BY id"
        case 2: return "SELECT k, v, w FROM t2 WHERE v >= \(random.number(in: 0...80)) ORDER BY k"
        case 3: return "SELECT b, count(*), min(a) FROM t1 GROUP BY b"
        case 4: return "SELECT t1.id, t2.k, t2.w FROM t1 JOIN t2 ON t1.a = t2.v"
        case 5: return "SELECT y, count(*) FROM t3 GROUP BY y"
        case 6: return "SELECT x, y, z FROM t3 WHERE y = 'abc' OR x IS NULL"
        case 7: return "SELECT length(c), hex(substr(c, 1, 8)), b FROM t1 WHERE id = \(random.number(in: 1...300))"
        case 8: return "SELECT a FROM t1 WHERE a > \(random.number(in: -50...150)) ORDER BY a, id LIMIT 10"
        case 9: return "SELECT count(*), sum(v), group_concat(k) FROM (SELECT k, v FROM t2 ORDER BY k)"
        default: return "SELECT name FROM sqlite_schema ORDER BY name"
        }
    }

    private mutating func schemaChange() -> String {
        [
            "CREATE INDEX IF NOT EXISTS t1a ON t1(a)",
            "CREATE INDEX IF NOT EXISTS t1ba ON t1(b, a)",
            "CREATE INDEX IF NOT EXISTS t3y ON t3(y)",
            "CREATE UNIQUE INDEX IF NOT EXISTS t3x ON t3(x)",
            "DROP INDEX IF EXISTS t1a",
            "DROP INDEX IF EXISTS t3y",
            "CREATE TABLE IF NOT EXISTS t4(p INTEGER PRIMARY KEY, q TEXT COLLATE RTRIM)",
            "INSERT INTO t4(q) SELECT b FROM t1 LIMIT 20",
            "DROP TABLE IF EXISTS t4",
        ][random.below(9)]
    }

    // MARK: Values

    private mutating func rows(_ count: Int, _ row: (inout WorkloadGenerator) -> String) -> String {
        (0..<count).map { _ in row(&self) }.joined(separator: ", ")
    }

    mutating func integer() -> String {
        switch random.below(10) {
        case 0, 1: "NULL"
        case 2: String(Int64.random(in: -1 << 40 ... 1 << 40, using: &random))
        default: String(random.number(in: -50...200))
        }
    }

    mutating func real() -> String {
        random.chance(0.15) ? "NULL" : String(Double(random.number(in: -4000...4000)) / 8)
    }

    mutating func text() -> String {
        if random.chance(0.15) { return "NULL" }
        let length: Int
        switch random.below(20) {
        case 0: length = random.number(in: 800...4000)  // overflow pages
        case 1..<6: length = random.number(in: 20...300)
        default: length = random.number(in: 0...8)
        }
        let alphabet = Array("abcABC xyz019")
        var text = String((0..<length).map { _ in alphabet[random.below(alphabet.count)] })
        if random.chance(0.05) { text += "''q" }
        return "'\(text)'"
    }

    mutating func blob() -> String {
        if random.chance(0.2) { return "NULL" }
        let length = random.chance(0.05) ? random.number(in: 500...3000) : random.number(in: 0...16)
        let digits = Array("0123456789abcdef")
        return "x'" + String((0..<(2 * length)).map { _ in digits[random.below(16)] }) + "'"
    }

    mutating func anyValue() -> String {
        switch random.below(4) {
        case 0: integer()
        case 1: real()
        case 2: text()
        default: blob()
        }
    }
}
