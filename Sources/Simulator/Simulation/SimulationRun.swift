import Foundation
import Pager
import Ringlite

/// A check that did not hold: the step it happened at and what went wrong.
struct SimulationFailure: Error, CustomStringConvertible {
    let step: Int
    let message: String
    var description: String { "step \(step): \(message)" }
}

/// What the runs did, summed over seeds for the report.
struct SimulationStatistics {
    var seeds = 0
    var steps = 0
    var statements = 0
    var ioErrors = 0
    var busy = 0
    var crashes = 0
    var reopens = 0
    var uncertainCommits = 0
    var uncertainCommitsPresent = 0
    var failedOpens = 0
    var checks = 0
    var knownDifferences = 0

    mutating func add(_ other: SimulationStatistics) {
        seeds += other.seeds
        steps += other.steps
        statements += other.statements
        ioErrors += other.ioErrors
        busy += other.busy
        crashes += other.crashes
        reopens += other.reopens
        uncertainCommits += other.uncertainCommits
        uncertainCommitsPresent += other.uncertainCommitsPresent
        failedOpens += other.failedOpens
        checks += other.checks
        knownDifferences += other.knownDifferences
    }

    var description: String {
        "\(seeds) seeds, \(steps) steps, \(statements) statements, \(ioErrors) IO errors surfaced, \(busy) busy, "
            + "\(crashes) crashes recovered, \(reopens) reopens, \(failedOpens) opens refused by faults, "
            + "\(uncertainCommits) commits of unknown outcome (\(uncertainCommitsPresent) found present), \(checks) full checks, "
            + "\(knownDifferences) known differences resolved"
    }
}

/// One seed's run: the workload on Ringlite (on the simulated machine) and on libsqlite3 (the
/// oracle, on a real file with one connection per Ringlite connection), step by step.
///
/// After every statement the two outcomes must agree (rows, or the error); every so often, and
/// after every crash and reopen, each connection's view of the whole database must agree with
/// its oracle connection's, Ringlite's integrity_check must say ok, and sqlite3's integrity_check
/// on the files as the crash left them must say ok. A crash loses the open transactions; the
/// oracle rolls them back, so its committed state is every acknowledged commit (synchronous=FULL),
/// and what a reopen finds must be exactly that. A commit that failed with an IO error (or was
/// cut off by the crash) may be present or absent, never partial: the oracle computes both
/// states and adopts the one Ringlite shows.
final class SimulationRun {
    let config: SeedConfig
    let steps: [Step]
    let log: (String) -> Void
    let machine: SimulatedMachine
    let directory: String
    let path = "sim.db"
    var database: Database?
    var connections: [Connection] = []
    var oracles: [SQLiteHandle] = []
    /// The statements each oracle connection's open transaction ran, to replay it when a
    /// commit of unknown outcome turns out to have happened.
    var transactionLogs: [[String]]
    var statistics = SimulationStatistics()
    var stepIndex = 0
    var crashNumber: UInt64 = 0

    /// A commit whose outcome Ringlite could not report: the two states it may have left.
    struct Uncertain {
        let connection: Int
        let replay: [String]
        let with: DatabaseDump
        let without: DatabaseDump
    }

    init(config: SeedConfig, steps: [Step], log: @escaping (String) -> Void = { _ in }) {
        self.config = config
        self.steps = steps
        self.log = log
        machine = SimulatedMachine(seed: config.seed, faults: config.faults)
        directory = "/dev/shm/ringlite-simulator-\(getpid())-\(config.seed)"
        transactionLogs = Array(repeating: [], count: config.connections)
    }

    var fileSystem: SimulatedFileSystem { machine.simulatedFileSystem }

    func fail(_ message: String) -> SimulationFailure { SimulationFailure(step: stepIndex, message: message) }

    /// Runs the workload, then a last crash (or close) and check. Throws the first failure.
    /// SIM_DEBUG_INTEGRITY=1: after every step, sqlite3's integrity_check on copies of the
    /// files, logged (with --verbose) when not ok, to find the step that damaged them.
    var debugIntegrityEveryStep: Bool { getenv("SIM_DEBUG_INTEGRITY") != nil }

    func run() throws(SimulationFailure) {
        try? FileManager.default.removeItem(atPath: directory)
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer {
            connections = []
            database = nil
            oracles = []
            try? FileManager.default.removeItem(atPath: directory)
        }
        statistics.seeds = 1
        for index in 0..<config.connections {
            let oracle = SQLiteHandle(path: directory + "/oracle.db")
            if index == 0 {
                oracle.execute(config.journal == .wal ? "PRAGMA journal_mode=WAL" : "PRAGMA journal_mode=DELETE")
            }
            oracle.execute("PRAGMA synchronous=OFF")
            oracles.append(oracle)
        }
        try openRinglite(expecting: [emptyDump()])
        for (index, step) in steps.enumerated() {
            stepIndex = index
            statistics.steps += 1
            if case .sql = step {} else { log("step \(index): \(step)") }
            try execute(step)
            if debugIntegrityEveryStep {
                // sqlite3 on copies of the files: no IO through the simulated backends, so the
                // seed's run is the same as without the check.
                do throws(SimulationFailure) {
                    _ = try imageDump(allowingTornFirstPage: true)
                } catch {
                    log("DEBUG after step \(index), sqlite3 on the files: \(error)")
                }
            }
            if index % 25 == 24 { try checkViews() }
        }
        stepIndex = steps.count
        try checkViews()
        if config.crashes {
            log("final crash")
            crash()
            try recoverAfterCrash(nil)
        } else {
            try reopen()
        }
    }

    func execute(_ step: Step) throws(SimulationFailure) {
        switch step {
        case .armCrash(let mutations):
            guard config.crashes else { return }
            crashNumber += 1
            fileSystem.armCrash(afterMutations: mutations, seed: SimulationRandom.derive(config.seed, stream: 0xC7A5 + crashNumber))
        case .crash:
            guard config.crashes else { return }
            crash()
            try recoverAfterCrash(nil)
        case .reopen:
            try reopen()
        case .sql(let connection, let sql):
            try runStatement(connection % config.connections, sql)
        }
    }

    // MARK: Statements

    func runStatement(_ index: Int, _ sql: String) throws(SimulationFailure) {
        let generation = fileSystem.generation
        let wasInTransaction = connections[index].isInTransaction
        log("c\(index): \(sql)")
        let upper = sql.uppercased()
        if (upper.hasPrefix("CREATE") || upper.hasPrefix("DROP")) && upper.contains(" EXISTS ") {
            // Each engine compiles against the schema its connection last read and learns of a
            // newer one only once it holds the transaction the statement needs: `CREATE INDEX IF
            // NOT EXISTS` of an index another connection has since created is, under the stale
            // schema, a write; it takes the writer's lock (or meets another's: SQLITE_BUSY)
            // before finding the index and doing nothing, and inside a transaction keeps the
            // lock. sqlite3 and Ringlite refresh their schemas at different moments, so whether
            // such a no-op locks depends on history. Both read the current schema first (in the
            // statement's own snapshot: a transaction without one yet gets it here on both sides).
            machine.setFaults(false)
            fileSystem.holdCrash(true)
            _ = Outcome.of("SELECT count(*) FROM sqlite_schema", on: connections[index])
            fileSystem.holdCrash(false)
            machine.setFaults(true)
            _ = oracles[index].run("SELECT count(*) FROM sqlite_schema")
        }
        let outcome = Outcome.of(sql, on: connections[index])
        statistics.statements += 1
        log("    -> \(outcome.description.split(separator: "\n").prefix(3).joined(separator: " / "))")
        if fileSystem.generation != generation {
            // The crash fired inside the statement.
            let uncertain = endsCommit(sql, wasInTransaction: wasInTransaction)
                ? settleOracle(index, sql, wasInTransaction: wasInTransaction) : nil
            try recoverAfterCrash(uncertain)
            return
        }
        if outcome.primaryCode == 11 || outcome.primaryCode == 26 {
            throw fail("Ringlite reports a damaged database for `\(sql)`: \(outcome)")
        }
        if outcome.isIOError {
            statistics.ioErrors += 1
            try afterIOError(index, sql, wasInTransaction: wasInTransaction)
            return
        }
        if outcome.isBusy { statistics.busy += 1 }
        let expected = oracles[index].run(sql)
        if outcome.rows != nil && expected.errorCode == 517, try snapshotIsCurrent(index) {
            // sqlite3 refuses to upgrade a read snapshot once a RESTART or TRUNCATE checkpoint
            // has reset the log, even though no commit happened since (its WAL-index header
            // changed); Ringlite looks at commits only. Same data either way: both roll back.
            statistics.knownDifferences += 1
            log("    known difference: sqlite3 says BUSY_SNAPSHOT after a log reset; both roll back")
            _ = Outcome.of("ROLLBACK", on: connections[index])
            oracles[index].execute("ROLLBACK")
            transactionLogs[index] = []
            return
        }
        if (sql.hasPrefix("PRAGMA integrity_check") || sql.hasPrefix("PRAGMA quick_check")) && outcome != expected {
            // Under faults the check reports the pages it could not read (as sqlite3 words it:
            // "unable to get the page"); without them it must say ok.
            machine.setFaults(false)
            fileSystem.holdCrash(true)
            let again = Outcome.of(sql, on: connections[index])
            fileSystem.holdCrash(false)
            machine.setFaults(true)
            guard again == expected else { throw fail("Ringlite's \(sql) without faults: \(again)") }
            statistics.checks += 1
        } else {
            try compare(sql, outcome, expected)
        }
        let ringliteInTransaction = connections[index].isInTransaction
        let oracleInTransaction = !oracles[index].isAutocommit
        guard ringliteInTransaction == oracleInTransaction else {
            throw fail("after `\(sql)` Ringlite is \(ringliteInTransaction ? "" : "not ")in a transaction, sqlite3 is \(oracleInTransaction ? "" : "not")")
        }
        if !oracleInTransaction {
            transactionLogs[index] = []
        } else if expected.rows != nil {
            transactionLogs[index].append(sql)
        }
    }

    /// Whether `sql` failing part way may or may not have committed: a COMMIT (or the RELEASE
    /// that ends a transaction) in a transaction, or any statement but a query in autocommit mode.
    func endsCommit(_ sql: String, wasInTransaction: Bool) -> Bool {
        let upper = sql.uppercased()
        if wasInTransaction { return upper.hasPrefix("COMMIT") || upper.hasPrefix("END") || upper.hasPrefix("RELEASE") }
        return !(upper.hasPrefix("SELECT") || upper.hasPrefix("PRAGMA"))
    }

    /// Whether the (read-only) transaction of connection `index` still sees the latest commit:
    /// its oracle connection's view equals a fresh sqlite3 connection's.
    func snapshotIsCurrent(_ index: Int) throws(SimulationFailure) -> Bool {
        let fresh = SQLiteHandle(path: directory + "/oracle.db")
        defer { fresh.close() }
        guard case .success(let latest) = DatabaseDump.read({ fresh.run($0) }) else { return false }
        return try oracleDump(index) == latest
    }

    func compare(_ sql: String, _ ringlite: Outcome, _ sqlite: Outcome) throws(SimulationFailure) {
        switch (ringlite, sqlite) {
        case (.rows(let mine), .rows(let theirs)):
            // The frame counts of a checkpoint depend on each engine's page layout; that it ran
            // is what is compared.
            if sql.hasPrefix("PRAGMA wal_checkpoint") { return }
            if !sameRows(mine, theirs, ordered: sql.contains("ORDER BY")) {
                throw fail("results differ for `\(sql)`:\nRinglite:\n\(ringlite)\nsqlite3:\n\(sqlite)")
            }
        case (.error(let mine, let message), .error(let theirs, let expected)):
            if mine & 0xff != theirs & 0xff || (message != expected && mine & 0xff != 5) {
                throw fail("errors differ for `\(sql)`: Ringlite \(ringlite), sqlite3 \(sqlite)")
            }
        default:
            throw fail("outcomes differ for `\(sql)`:\nRinglite: \(ringlite)\nsqlite3: \(sqlite)")
        }
    }

    // MARK: IO errors

    /// An IO error surfaced from a statement: mirror on the oracle what it left behind. If the
    /// transaction goes on, the failed statement must have changed nothing (the next check
    /// compares); if a commit may or may not have happened, learn which from Ringlite (after a
    /// reopen when the handle refuses writes); if the transaction ended, it was rolled back.
    func afterIOError(_ index: Int, _ sql: String, wasInTransaction: Bool) throws(SimulationFailure) {
        let poisoned = database!.poisonedBy != nil
        let inTransaction = connections[index].isInTransaction
        if inTransaction {
            guard wasInTransaction else {
                throw fail("`\(sql)` failed with an IO error but left a transaction open")
            }
        } else if endsCommit(sql, wasInTransaction: wasInTransaction) {
            let uncertain = settleOracle(index, sql, wasInTransaction: wasInTransaction)
            if poisoned {
                log("the handle refuses writes: crash and reopen")
                crash()
                try recoverAfterCrash(uncertain)
            } else {
                machine.setFaults(false)
                defer { machine.setFaults(true) }
                let found = try dump(ringlite: index)
                try adopt(uncertain, found: found)
            }
            return
        } else if wasInTransaction {
            oracles[index].execute("ROLLBACK")
            transactionLogs[index] = []
        }
        if poisoned {
            log("the handle refuses writes: crash and reopen")
            crash()
            try recoverAfterCrash(nil)
        }
    }

    /// Rolls back the oracle's side of a commit of unknown outcome, after taking the two states
    /// it may have left.
    func settleOracle(_ index: Int, _ sql: String, wasInTransaction: Bool) -> Uncertain {
        statistics.uncertainCommits += 1
        let oracle = oracles[index]
        var replay = [sql]
        if wasInTransaction {
            replay = transactionLogs[index] + [sql]
        } else if oracle.isAutocommit {
            oracle.execute("BEGIN")
            _ = oracle.run(sql)
        }
        let with = (try? oracleDump(index)) ?? emptyDump()
        if !oracle.isAutocommit { oracle.execute("ROLLBACK") }
        transactionLogs[index] = []
        let without = (try? oracleDump(index)) ?? emptyDump()
        return Uncertain(connection: index, replay: replay, with: with, without: without)
    }

    /// Makes the oracle hold what Ringlite was found holding after a commit of unknown outcome,
    /// which must be one of the two states it may have left.
    func adopt(_ uncertain: Uncertain, found: DatabaseDump) throws(SimulationFailure) {
        if found == uncertain.without { return }
        guard found == uncertain.with else {
            throw fail("after a commit of unknown outcome Ringlite holds neither state: vs without it, \(found.difference(from: uncertain.without)); vs with it, \(found.difference(from: uncertain.with))")
        }
        statistics.uncertainCommitsPresent += 1
        let oracle = oracles[uncertain.connection]
        for sql in uncertain.replay { _ = oracle.run(sql) }
        if !oracle.isAutocommit { oracle.execute("COMMIT") }
        let replayed = try oracleDump(uncertain.connection)
        guard replayed == uncertain.with else {
            throw fail("replaying the commit Ringlite kept on sqlite3 does not give the same state: \(replayed.difference(from: uncertain.with))")
        }
    }
}
