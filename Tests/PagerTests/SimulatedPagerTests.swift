import Testing
@testable import Pager

/// A database written through the real Pager (journal_mode OFF, synchronous FULL) on the
/// simulated machine: completions out of order, short transfers, crashes before, during and after
/// commits.
@Suite struct SimulatedPagerTests {
    static let path = "sim.db"
    static let pageSize = 4096

    func options(_ environment: SimulatedEnvironment) -> PagerOptions {
        var options = PagerOptions()
        options.environment = environment
        options.journalMode = .off
        options.synchronous = .full
        options.cachePages = 64
        return options
    }

    func write(_ pager: Pager, pages: UInt32, version: Int) throws {
        try Simulation.write(pager, pages: pages, version: version)
    }

    /// The file after transactions writing `versions` (pages, version) on a machine that does
    /// not crash.
    func image(seed: UInt64, _ versions: [(UInt32, Int)]) throws -> [UInt8] {
        let environment = SimulatedEnvironment(seed: seed)
        let pager = Pager(shared: try PagerShared.open(path: Self.path, options: options(environment)))
        for (pages, version) in versions { try write(pager, pages: pages, version: version) }
        return environment.simulatedFileSystem.contents(Self.path)!
    }

    /// Opens the database again and reads every page.
    func reopenAndReadAll(_ environment: SimulatedEnvironment) throws -> UInt32 {
        let pager = Pager(shared: try PagerShared.open(path: Self.path, options: options(environment)))
        pager.beginRead()
        defer { pager.endRead() }
        for pgno in UInt32(1)...max(1, pager.databaseSize) where pager.databaseSize > 0 {
            pager.release(try pager.page(pgno))
        }
        return pager.databaseSize
    }

    /// Found by the simulator (mix seed 2514): a write transaction whose first frame restarted
    /// the log (everything checkpointed) could still have reads of the old log's frames in
    /// flight (read-ahead); the restart wrote new frames over them, a read that completed after
    /// the write brought back another page's bytes, and the page read as garbage. Completions
    /// here are late and out of order, so over the seeds some reads finish after the writes.
    @Test(arguments: 0..<30)
    func aLogRestartWaitsForReadsOfTheOldLog(_ seed: UInt64) throws {
        let environment = SimulatedEnvironment(seed: seed, schedule: SchedulePlan(maxDelay: 4, stall: 0.9, maxStall: 200))
        var options = options(environment)
        options.journalMode = .wal
        options.autoCheckpointFrames = 0
        let pager = Pager(shared: try PagerShared.open(path: Self.path, options: options))
        try write(pager, pages: 40, version: 1)
        #expect(try pager.checkpoint(.passive).checkpointedFrames == 40)
        // Read-ahead of pages 2...17 from the log's frames 2...17, then a transaction rewriting
        // pages 21...40 (without reading them, so nothing waits), whose commit restarts the log:
        // frames 1...21 are written again.
        try pager.beginWrite()
        for pgno in UInt32(2)...17 {
            if let slot = pager.cache.slot(of: pgno) { pager.cache.remove(slot) }
        }
        pager.prefetch(UInt32(2)...17)
        #expect(pager.backend.inFlightCount == 16)
        for pgno in UInt32(21)...40 {
            let page = try pager.overwrite(pgno)
            Simulation.fill(page, version: 2, pageSize: pager.pageSize)
            pager.release(page)
        }
        let generation = pager.shared.wal!.index.generation
        try pager.commit()
        #expect(pager.shared.wal!.index.generation == generation + 1, "the commit restarted the log")
        pager.beginRead()
        defer { pager.endRead() }
        for pgno in UInt32(2)...40 {
            let page = try pager.page(pgno)
            #expect(Simulation.holds(page, version: pgno <= 20 ? 1 : 2), "page \(pgno)")
            pager.release(page)
        }
    }

    @Test(arguments: 0..<40)
    func aCommitSurvivesACrashByteForByte(_ seed: UInt64) throws {
        let environment = SimulatedEnvironment(seed: seed, faults: .shortTransfers(0.2))
        let fileSystem = environment.simulatedFileSystem
        do {
            let pager = Pager(shared: try PagerShared.open(path: Self.path, options: options(environment)))
            try write(pager, pages: 40, version: 1)
            try write(pager, pages: 60, version: 2)
        }
        let committed = fileSystem.contents(Self.path)!
        #expect(committed.count == 60 * Self.pageSize)
        let report = fileSystem.crash(seed: seed)
        #expect(report.settled.isEmpty, "the commit's fsync covered every write")
        #expect(fileSystem.contents(Self.path) == committed)

        let pager = Pager(shared: try PagerShared.open(path: Self.path, options: options(environment)))
        pager.beginRead()
        #expect(pager.databaseSize == 60)
        for pgno in UInt32(2)...60 {
            let page = try pager.page(pgno)
            #expect(Simulation.holds(page, version: 2), "page \(pgno)")
            pager.release(page)
        }
        pager.endRead()
    }

    /// A crash in the middle of a commit leaves, in every sector, the old bytes or the new ones
    /// (all journal_mode OFF promises); with short writes, a sector may also hold the new bytes
    /// up to where one part of a write ended and the old after it. A crash after the commit
    /// leaves the new file exactly.
    @Test(arguments: Simulation.seeds(80))
    func aCrashDuringACommitLeavesOldOrNewSectors(_ seed: UInt64) throws {
        let shortWrites = seed % 2 == 1
        let old = try image(seed: seed, [(40, 1)])
        let new = try image(seed: seed, [(40, 1), (50, 2)])
        let environment = SimulatedEnvironment(seed: seed, faults: shortWrites ? .shortTransfers(0.3) : .none)
        let fileSystem = environment.simulatedFileSystem
        var committed = false
        do {
            let pager = Pager(shared: try PagerShared.open(path: Self.path, options: options(environment)))
            try write(pager, pages: 40, version: 1)
            #expect(fileSystem.contents(Self.path) == old)
            var random = SimulationRandom(seed: seed)
            fileSystem.armCrash(afterMutations: random.below(shortWrites ? 80 : 55), seed: seed)
            do {
                try write(pager, pages: 50, version: 2)
                committed = true
            } catch let error as DatabaseError {
                #expect([.SQLITE_IOERR_WRITE, .SQLITE_IOERR_FSYNC].contains(error.resultCode), "\(error)")
                #expect(pager.shared.committed.poisoned != nil)
            }
        }
        let result = fileSystem.contents(Self.path)!
        if fileSystem.crashArmed {
            #expect(committed)
            fileSystem.disarmCrash()
            fileSystem.crash(seed: seed)
            #expect(fileSystem.contents(Self.path) == new)
        } else if shortWrites {
            #expect(!committed, "the crash fired inside the commit")
            #expect(Simulation.sectorNotInHistory(result, old: old, new: new) == nil)
        } else {
            #expect(!committed, "the crash fired inside the commit")
            #expect(Simulation.sectorNeitherOldNorNew(result, old: old, new: new) == nil)
        }
        let pages = try reopenAndReadAll(environment)
        #expect(pages == 40 || pages == 50)
    }

    @Test func ioErrorsInACommitReachTheCallerAndPoisonTheHandle() throws {
        let cases: [(FaultPlan, ResultCode)] = [
            (FaultPlan(writeError: 1), .SQLITE_IOERR_WRITE),
            (FaultPlan(noSpace: 1), .SQLITE_FULL),
            (FaultPlan(tornWrite: 1), .SQLITE_IOERR_WRITE),
            (FaultPlan(syncError: 1), .SQLITE_IOERR_FSYNC),
        ]
        for (plan, code) in cases {
            let environment = SimulatedEnvironment(seed: 3)
            let shared = try PagerShared.open(path: Self.path, options: options(environment))
            try write(Pager(shared: shared), pages: 10, version: 1)
            environment.faults = plan
            let failing = Pager(shared: shared)
            do {
                try write(failing, pages: 10, version: 2)
                Issue.record("a commit succeeded under \(plan)")
            } catch let error as DatabaseError {
                #expect(error.resultCode == code, "\(error)")
            }
            environment.faults = .none
            let next = Pager(shared: shared)
            #expect(throws: DatabaseError.self, "the handle refuses writes after a failed commit") {
                try next.beginWrite()
            }
        }
    }

    /// A spill that fails while a page is being allocated (the cache is full of dirty pages and
    /// their frames cannot be written) leaves no pin behind: the transaction rolls back and the
    /// next one commits.
    @Test func aFailedSpillLeavesTheTransactionRollbackable() throws {
        let environment = SimulatedEnvironment(seed: 12)
        var options = options(environment)
        options.journalMode = .wal
        options.cachePages = 16
        let pager = Pager(shared: try PagerShared.open(path: Self.path, options: options))
        try write(pager, pages: 4, version: 1)
        let backend = pager.backend as! SimulatedIO
        backend.faults = FaultPlan(writeError: 1)
        try pager.beginWrite()
        var failure: DatabaseError?
        for _ in 0..<100 where failure == nil {
            do {
                let page = try pager.allocateAtEnd()
                pager.release(page)
            } catch {
                failure = error
            }
        }
        #expect(failure?.resultCode == .SQLITE_IOERR_WRITE)
        #expect(pager.cache.totalPins == 0)
        pager.rollback()
        backend.faults = .none
        try write(pager, pages: 30, version: 2)
        pager.beginRead()
        #expect(pager.databaseSize == 30)
        pager.endRead()
    }

    /// After a crash, an open finds the files afresh even while the dead handle's state is still
    /// alive in the process (its identity changed), and takes the lock the crash released.
    @Test func aReopenAfterACrashIsAFreshDatabase() throws {
        let environment = SimulatedEnvironment(seed: 8)
        let fileSystem = environment.simulatedFileSystem
        let dead = try PagerShared.open(path: Self.path, options: options(environment))
        try write(Pager(shared: dead), pages: 5, version: 1)
        fileSystem.crash(seed: 1)
        let fresh = try PagerShared.open(path: Self.path, options: options(environment))
        #expect(fresh !== dead)
        #expect(fresh.committed.databaseSize == 5)
        let probe = Simulation.open(fileSystem, Self.path)
        #expect(try !probe.tryLockExclusive(), "the new handle holds the lock")
        _ = dead
    }

    /// The same seed drives the real Pager through the same decisions: same traces, same bytes.
    @Test func aPagerWorkloadReplaysExactly() throws {
        func run() throws -> (UInt64, [UInt8], CrashReport) {
            let environment = SimulatedEnvironment(seed: 99, faults: .shortTransfers(0.3))
            let pager = Pager(shared: try PagerShared.open(path: Self.path, options: options(environment)))
            try write(pager, pages: 30, version: 1)
            environment.simulatedFileSystem.armCrash(afterMutations: 20, seed: 5)
            #expect(throws: DatabaseError.self) { try write(pager, pages: 45, version: 2) }
            let digest = (pager.backend as! SimulatedIO).trace.digest
            return (digest, environment.simulatedFileSystem.contents(Self.path)!, environment.simulatedFileSystem.lastCrash!)
        }
        let first = try run(), second = try run()
        #expect(first.0 == second.0)
        #expect(first.1 == second.1)
        #expect(first.2 == second.2)
    }
}
