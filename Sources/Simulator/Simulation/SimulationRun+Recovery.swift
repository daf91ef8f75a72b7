import Foundation
import Pager
import Ringlite

/// Crashes, reopens and the checks that follow them.
extension SimulationRun {
    var ringliteOptions: Database.Options {
        var options = Database.Options()
        options.synchronous = .full
        options.journalMode = config.journal == .wal ? .wal : .off
        options.cacheSize = config.cachePages
        options.busyTimeout = .zero
        options.autoCheckpointFrames = config.autoCheckpointFrames
        options.checkpointOnClose = config.checkpointOnClose
        options.pageSize = config.pageSize
        return options
    }

    /// Crashes the machine now (unless an armed crash already did): every write not covered by
    /// a completed fsync is kept, dropped or torn, as the seed decides.
    func crash() {
        let generation = fileSystem.generation
        fileSystem.disarmCrash()
        crashNumber += 1
        if fileSystem.generation == generation {
            fileSystem.crash(seed: SimulationRandom.derive(config.seed, stream: 0xC7A5 + crashNumber))
        }
    }

    /// After a crash: the process's handles are gone and so are the open transactions. sqlite3
    /// must find the crash image intact and holding every acknowledged commit (and, for a commit
    /// of unknown outcome, all of it or none of it); Ringlite must reopen it to the same state.
    func recoverAfterCrash(_ uncertain: Uncertain?) throws(SimulationFailure) {
        statistics.crashes += 1
        fileSystem.disarmCrash()
        if let report = fileSystem.lastCrash {
            log("crash \(report.generation): \(report.settled.count) unsynced changes settled: "
                + report.settled.prefix(6).map(\.description).joined(separator: "; "))
        }
        connections = []
        database = nil
        for (index, oracle) in oracles.enumerated() where !oracle.isAutocommit && index != uncertain?.connection {
            oracle.execute("ROLLBACK")
            transactionLogs[index] = []
        }
        let candidates: [DatabaseDump]
        if let uncertain { candidates = [uncertain.without, uncertain.with] } else { candidates = [try oracleDump(0)] }
        let image = try imageDump(allowingTornFirstPage: candidates.contains(emptyDump()))
        guard candidates.contains(image) else {
            throw fail("after crash \(fileSystem.generation), sqlite3 finds a state that is not the acknowledged commits: "
                       + image.difference(from: candidates[0]))
        }
        try openRinglite(expecting: [image])
        if let uncertain { try adopt(uncertain, found: image) }
    }

    /// Closes every connection and the database (the last close checkpoints and removes the log,
    /// when the options say so), checks what it left, and opens it again.
    func reopen() throws(SimulationFailure) {
        statistics.reopens += 1
        let generation = fileSystem.generation
        for (index, oracle) in oracles.enumerated() where !oracle.isAutocommit {
            oracle.execute("ROLLBACK")
            transactionLogs[index] = []
        }
        connections = []
        database = nil
        if fileSystem.generation != generation {
            // An armed crash fired in the close's checkpoint.
            try recoverAfterCrash(nil)
            return
        }
        fileSystem.disarmCrash()
        let committed = try oracleDump(0)
        let image = try imageDump(allowingTornFirstPage: false)
        guard image == committed else {
            throw fail("after a close, sqlite3 finds: \(image.difference(from: committed))")
        }
        try openRinglite(expecting: [committed])
    }

    /// Opens the database (a few tries with the workload's faults, which may refuse it cleanly,
    /// then without), checks it holds one of `expecting` and passes integrity_check, and makes
    /// the workload's connections.
    func openRinglite(expecting: [DatabaseDump]) throws(SimulationFailure) {
        precondition(database == nil && connections.isEmpty, "open while the database is open")
        var lastError: Ringlite.DatabaseError?
        for attempt in 0..<4 {
            machine.setFaults(attempt < 3)
            do {
                database = try Database(path: path, options: ringliteOptions, environment: machine, saltSeed: config.seed &+ crashNumber)
                break
            } catch {
                lastError = error
                guard error.resultCode.primary == .ioError || error.resultCode.primary == .full else {
                    throw fail("open failed: \(error)")
                }
                statistics.failedOpens += 1
                log("open refused: \(error)")
            }
        }
        guard let database else { throw fail("open failed with faults off: \(lastError.map { "\($0)" } ?? "?")") }
        machine.setFaults(false)
        let checker: Connection
        do { checker = try database.connection() } catch { throw fail("a connection failed: \(error)") }
        let integrity = Outcome.of("PRAGMA integrity_check", on: checker)
        guard integrity == .rows([[.text("ok")]]) else { throw fail("Ringlite's integrity_check after open: \(integrity)") }
        let found: DatabaseDump
        switch DatabaseDump.read({ Outcome.of($0, on: checker) }) {
        case .success(let dump): found = dump
        case .failure(let error): throw fail("reading the reopened database: \(error)")
        }
        guard expecting.contains(found) else {
            throw fail("after open, Ringlite holds: \(found.difference(from: expecting[0]))")
        }
        statistics.checks += 1
        machine.setFaults(true)
        for _ in 0..<config.connections {
            do { connections.append(try database.connection()) } catch { throw fail("a connection failed: \(error)") }
        }
    }

    /// Every connection's view of the database equals its oracle connection's, and Ringlite's
    /// integrity_check is ok (through connection 0, inside its transaction if it has one).
    func checkViews() throws(SimulationFailure) {
        log("check: every connection's view")
        machine.setFaults(false)
        fileSystem.holdCrash(true)
        defer {
            fileSystem.holdCrash(false)
            machine.setFaults(true)
        }
        let generation = fileSystem.generation
        for index in 0..<config.connections {
            let mine = try dump(ringlite: index)
            let theirs = try oracleDump(index)
            guard mine == theirs else {
                throw fail("connection \(index) sees a different database: \(mine.difference(from: theirs))")
            }
        }
        let integrity = Outcome.of("PRAGMA integrity_check", on: connections[0])
        guard integrity == .rows([[.text("ok")]]) else { throw fail("Ringlite's integrity_check: \(integrity)") }
        precondition(fileSystem.generation == generation, "a check changed the disk")
        statistics.checks += 1
    }

    // MARK: Dumps

    func dump(ringlite index: Int) throws(SimulationFailure) -> DatabaseDump {
        switch DatabaseDump.read({ Outcome.of($0, on: connections[index]) }) {
        case .success(let dump): return dump
        case .failure(let error): throw fail("Ringlite connection \(index) cannot read the database: \(error)")
        }
    }

    func oracleDump(_ index: Int) throws(SimulationFailure) -> DatabaseDump {
        switch DatabaseDump.read({ oracles[index].run($0) }) {
        case .success(let dump): return dump
        case .failure(let error): throw fail("sqlite3 connection \(index) cannot read the oracle: \(error)")
        }
    }

    func emptyDump() -> DatabaseDump { DatabaseDump(schema: [], tables: [:]) }

    /// What sqlite3 finds in the simulated files as they are now (copied to real files), after
    /// checking its integrity_check says ok.
    ///
    /// A crash during a new WAL database's first commit can leave page 1 as zeros with nothing
    /// committed anywhere; sqlite3 (which never writes such a file) calls that not a database,
    /// while Ringlite's open restores the empty database. Allowed only while nothing was
    /// acknowledged (`allowingTornFirstPage`).
    func imageDump(allowingTornFirstPage: Bool) throws(SimulationFailure) -> DatabaseDump {
        let image = directory + "/image.db"
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: image + suffix) }
        defer { for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: image + suffix) } }
        let databaseBytes = fileSystem.contents(path) ?? []
        FileManager.default.createFile(atPath: image, contents: Data(databaseBytes))
        if let log = fileSystem.contents(path + "-wal") {
            FileManager.default.createFile(atPath: image + "-wal", contents: Data(log))
        }
        if allowingTornFirstPage, databaseBytes.count <= 65536, !databaseBytes.isEmpty, databaseBytes.prefix(100).allSatisfy({ $0 == 0 }) {
            let handle = SQLiteHandle(path: image)
            defer { handle.close() }
            if case .error = handle.run("SELECT count(*) FROM sqlite_schema") { return emptyDump() }
        }
        let handle = SQLiteHandle(path: image)
        defer { handle.close() }
        let integrity = handle.run("PRAGMA integrity_check")
        guard integrity == .rows([[.text("ok")]]) else {
            throw fail("sqlite3's integrity_check on the files (\(databaseBytes.count) bytes, log \(fileSystem.contents(path + "-wal")?.count ?? -1) bytes): \(integrity)")
        }
        switch DatabaseDump.read({ handle.run($0) }) {
        case .success(let dump): return dump
        case .failure(let error): throw fail("sqlite3 cannot read the files: \(error)")
        }
    }
}
