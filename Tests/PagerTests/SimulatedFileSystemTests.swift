import Testing
@testable import Pager

/// The simulated disk: what is durable, what a crash does to the rest, descriptors and locks
/// across crashes, a full disk, failed fsyncs.
@Suite struct SimulatedFileSystemTests {
    @Test func writesAreVisibleAtOnceAndDurableAfterAnFsync() {
        let fileSystem = SimulatedFileSystem()
        let io = SimulatedIO(fileSystem: fileSystem, seed: 1)
        let file = Simulation.open(fileSystem, "f")
        let data = Simulation.pattern(4096, seed: 1)
        #expect(io.run(.write(file, Simulation.buffer(data), offset: 0)).succeeded)
        #expect(fileSystem.contents("f") == data)
        #expect(fileSystem.durableContents("f") == [])
        #expect(fileSystem.pendingChangeCount("f") == 1)
        #expect(io.run(.sync(file, dataOnly: true)).succeeded)
        #expect(fileSystem.durableContents("f") == data)
        #expect(fileSystem.pendingChangeCount("f") == 0)
    }

    @Test func crashesThatKeepOrDropEverything() {
        let old = Simulation.pattern(8192, seed: 1)
        let new = Simulation.pattern(4096, seed: 2)
        for (plan, expected) in [(CrashPlan.dropAll, old), (CrashPlan.keepAll, Array(new + old[4096...]))] {
            let fileSystem = SimulatedFileSystem()
            fileSystem.setContents("f", old)
            let io = SimulatedIO(fileSystem: fileSystem, seed: 2)
            let file = Simulation.open(fileSystem, "f")
            #expect(io.run(.write(file, Simulation.buffer(new), offset: 0)).succeeded)
            let report = fileSystem.crash(seed: 3, plan: plan)
            #expect(report.generation == 1)
            #expect(report.settled.count == 1)
            #expect(fileSystem.contents("f") == expected)
            #expect(fileSystem.durableContents("f") == expected)
            #expect(fileSystem.pendingChangeCount("f") == 0)
        }
    }

    /// An fsync covers what had completed when it was submitted: a write completed before it is
    /// durable after it, a write still in flight when it was submitted is not, whichever of the
    /// two completes first.
    @Test(arguments: 0..<30)
    func anFsyncCoversOnlyWritesCompletedBeforeItWasSubmitted(_ seed: UInt64) {
        let fileSystem = SimulatedFileSystem()
        let io = SimulatedIO(fileSystem: fileSystem, seed: seed)
        let file = Simulation.open(fileSystem, "f")
        let first = Simulation.pattern(4096, seed: 1), second = Simulation.pattern(4096, seed: 2)
        #expect(io.run(.write(file, Simulation.buffer(first), offset: 0)).succeeded)
        let inFlight = Completion(.write(file, Simulation.buffer(second), offset: 4096))
        let sync = Completion(.sync(file, dataOnly: true))
        io.submit(sync)
        io.submit(inFlight)
        io.drain()
        #expect(sync.succeeded && inFlight.succeeded)
        #expect(fileSystem.contents("f") == first + second)
        fileSystem.crash(seed: seed, plan: .dropAll)
        #expect(fileSystem.contents("f") == first, "the write in flight at the fsync's submission is not covered")

        // Submitted before the write completed, but after it was submitted: still not covered.
        let again = SimulatedFileSystem()
        let io2 = SimulatedIO(fileSystem: again, seed: seed)
        let file2 = Simulation.open(again, "f")
        let write = Completion(.write(file2, Simulation.buffer(first), offset: 0))
        let early = Completion(.sync(file2, dataOnly: true))
        io2.submit(write)
        io2.submit(early)
        io2.drain()
        again.crash(seed: seed, plan: .dropAll)
        #expect(again.contents("f") == [])
    }

    /// Whatever a crash does to the writes after a completed fsync, what the fsync covered is
    /// there: in every sector, its bytes or those of a later write.
    @Test func writesCoveredByACompletedFsyncSurviveEveryCrash() {
        let old = Simulation.pattern(16384, seed: 1)
        var fates: Set<String> = []
        for seed in UInt64(0)..<100 {
            let fileSystem = SimulatedFileSystem()
            fileSystem.setContents("f", old)
            let io = SimulatedIO(fileSystem: fileSystem, seed: seed)
            let file = Simulation.open(fileSystem, "f")
            let synced = Simulation.pattern(8192, seed: 2)
            #expect(io.run(.write(file, Simulation.buffer(synced), offset: 0)).succeeded)
            #expect(io.run(.sync(file, dataOnly: true)).succeeded)
            let covered = Array(synced + old[8192...])
            // Later writes: one over part of the synced bytes, one past them, one growing the file.
            let later: [(Int, Int)] = [(4096, 2048), (10240, 4096), (16384, 4096)]
            var everything = covered
            for (i, (offset, length)) in later.enumerated() {
                let data = Simulation.pattern(length, seed: 10 + i)
                #expect(io.run(.write(file, Simulation.buffer(data), offset: Int64(offset))).succeeded)
                if offset + length > everything.count { everything += repeatElement(0, count: offset + length - everything.count) }
                everything.replaceSubrange(offset..<(offset + length), with: data)
            }
            let report = fileSystem.crash(seed: seed)
            #expect(report.settled.count == later.count, "only the writes after the fsync were pending")
            for change in report.settled {
                switch change.fate {
                case .kept: fates.insert("kept")
                case .dropped: fates.insert("dropped")
                case .torn: fates.insert("torn")
                }
            }
            #expect(Simulation.sectorNeitherOldNorNew(fileSystem.contents("f")!, old: covered, new: everything) == nil, "seed \(seed)")
        }
        #expect(fates == ["kept", "dropped", "torn"])
    }

    /// Writes to one sector reach the disk in the order they were made: a crash shows a sector as
    /// it was at some moment, never with a later write and without an earlier one.
    @Test func aSectorNeverShowsALaterWriteWithoutAnEarlierOne() {
        let old = [UInt8](repeating: 0xAA, count: 512)
        let first = [UInt8](repeating: 0x11, count: 512)
        let second = [UInt8](repeating: 0x22, count: 100)
        let moments = [old, first, second + first[100...]]
        var seen: Set<[UInt8]> = []
        for seed in UInt64(0)..<100 {
            let fileSystem = SimulatedFileSystem()
            fileSystem.setContents("f", old)
            let io = SimulatedIO(fileSystem: fileSystem, seed: seed)
            let file = Simulation.open(fileSystem, "f")
            #expect(io.run(.write(file, Simulation.buffer(first), offset: 0)).succeeded)
            #expect(io.run(.write(file, Simulation.buffer(second), offset: 0)).succeeded)
            fileSystem.crash(seed: seed)
            let result = fileSystem.contents("f")!
            #expect(moments.contains(result), "seed \(seed): the sector holds the second write without the first")
            seen.insert(result)
        }
        #expect(seen.count == 3, "each moment is seen")
    }

    /// Over many seeds, every pending write is seen kept, dropped and torn; torn writes keep whole
    /// sectors (cut at the file's sector boundaries, clipped to the write) and each sector of the
    /// file ends up old or new, never anything else.
    @Test(arguments: [512, 4096])
    func crashOutcomesOverManySeeds(_ sectorSize: Int) {
        let old = Simulation.pattern(64 * 1024, seed: 7)
        // Sector-aligned and unaligned writes, one growing the file.
        let writes: [(offset: Int, length: Int)] = [(0, 16384), (20000, 9000), (40960, 8192), (60000, 12000)]
        var seen: [Int: Set<String>] = [:]
        var prefixes = 0, subsets = 0
        for seed in UInt64(0)..<300 {
            let fileSystem = SimulatedFileSystem(sectorSize: sectorSize)
            fileSystem.setContents("f", old)
            let io = SimulatedIO(fileSystem: fileSystem, seed: seed, schedule: .inOrder)
            let file = Simulation.open(fileSystem, "f")
            var expectedNew = old
            for (i, write) in writes.enumerated() {
                let data = Simulation.pattern(write.length, seed: 100 + i)
                #expect(io.run(.write(file, Simulation.buffer(data), offset: Int64(write.offset))).succeeded)
                if write.offset + write.length > expectedNew.count {
                    expectedNew += repeatElement(0, count: write.offset + write.length - expectedNew.count)
                }
                expectedNew.replaceSubrange(write.offset..<(write.offset + write.length), with: data)
            }
            let report = fileSystem.crash(seed: seed)
            #expect(report.settled.count == writes.count)
            let result = fileSystem.contents("f")!
            #expect(Simulation.sectorNeitherOldNorNew(result, old: old, new: expectedNew, sectorSize: sectorSize) == nil,
                    "seed \(seed): a sector holds neither its old nor its new bytes")
            for (i, change) in report.settled.enumerated() {
                let write = writes[i]
                #expect(change.change == .write(offset: Int64(write.offset), length: write.length))
                let range = write.offset..<(write.offset + write.length)
                switch change.fate {
                case .kept:
                    seen[i, default: []].insert("kept")
                    #expect(Simulation.slice(result, range) == expectedNew[range])
                case .dropped:
                    seen[i, default: []].insert("dropped")
                    #expect(Simulation.slice(result, range) == Simulation.slice(old, range))
                case .torn(let kept):
                    seen[i, default: []].insert("torn")
                    #expect(!kept.isEmpty)
                    #expect(kept.reduce(0) { $0 + $1.count } < write.length, "a torn write keeps only part")
                    for piece in kept {
                        let lower = Int(piece.lowerBound), upper = Int(piece.upperBound)
                        #expect(lower == write.offset || lower % sectorSize == 0, "torn pieces start at a sector boundary")
                        #expect(upper == range.upperBound || upper % sectorSize == 0, "torn pieces end at a sector boundary")
                        #expect(result[lower..<upper] == expectedNew[lower..<upper])
                    }
                    if kept.count == 1 && Int(kept[0].lowerBound) == write.offset { prefixes += 1 } else { subsets += 1 }
                }
            }
        }
        for i in writes.indices {
            #expect(seen[i] == ["kept", "dropped", "torn"], "write \(i) was only \(seen[i] ?? [])")
        }
        #expect(prefixes > 0 && subsets > 0)
    }

    /// A write that grew the file and did not survive leaves the old size, or (the size being
    /// metadata) the new size with zeros; a pending truncate is kept or dropped whole.
    @Test func sizeChangesInACrash() {
        let old = Simulation.pattern(4096, seed: 1)
        var sizes: Set<Int> = []
        var grewWithoutData = 0
        for seed in UInt64(0)..<200 {
            let fileSystem = SimulatedFileSystem()
            fileSystem.setContents("f", old)
            let io = SimulatedIO(fileSystem: fileSystem, seed: seed)
            let file = Simulation.open(fileSystem, "f")
            #expect(io.run(.write(file, Simulation.buffer(Simulation.pattern(4096, seed: 2)), offset: 8192)).succeeded)
            let report = fileSystem.crash(seed: seed, plan: CrashPlan(keep: 0, drop: 1, tear: 0, growthWithoutData: 0.5))
            let result = fileSystem.contents("f")!
            sizes.insert(result.count)
            if report.settled[0].grewWithoutData {
                grewWithoutData += 1
                #expect(result == old + [UInt8](repeating: 0, count: 8192))
            } else {
                #expect(result == old)
            }
        }
        #expect(sizes == [4096, 12288])
        #expect(grewWithoutData > 0)

        var truncated: Set<Int> = []
        for seed in UInt64(0)..<50 {
            let fileSystem = SimulatedFileSystem()
            fileSystem.setContents("f", old)
            let io = SimulatedIO(fileSystem: fileSystem, seed: seed)
            let file = Simulation.open(fileSystem, "f")
            #expect(io.run(.truncate(file, length: 1000)).succeeded)
            #expect(fileSystem.contents("f") == Array(old[..<1000]))
            let report = fileSystem.crash(seed: seed)
            #expect(report.settled.map(\.change) == [.resize(1000)])
            truncated.insert(fileSystem.contents("f")!.count)
        }
        #expect(truncated == [1000, 4096])
    }

    @Test func aCrashKillsDescriptorsLocksAndRemovedFiles() throws {
        let fileSystem = SimulatedFileSystem()
        let io = SimulatedIO(fileSystem: fileSystem, seed: 5)
        let file = Simulation.open(fileSystem, "db")
        let other = Simulation.open(fileSystem, "db")
        #expect(try file.tryLockExclusive())
        #expect(try !other.tryLockExclusive(), "another descriptor of the file sees it locked")
        let removed = Simulation.open(fileSystem, "scratch")
        #expect(io.run(.write(removed, Simulation.buffer([1, 2, 3]), offset: 0)).succeeded)
        try fileSystem.remove("scratch")
        #expect(!fileSystem.exists("scratch"))
        #expect(io.run(.write(removed, Simulation.buffer([4]), offset: 3)).succeeded, "a removed file lives while it is open")
        let identity = try file.identity()

        fileSystem.crash(seed: 1)
        #expect(fileSystem.paths == ["db"])
        #expect(throws: Errno.canceled) { try file.size() }
        let write = io.run(.write(file, Simulation.buffer([9]), offset: 0))
        #expect(write.error == .canceled, "a descriptor from before the crash changes nothing")
        #expect(fileSystem.contents("db") == [])

        let reopened = Simulation.open(fileSystem, "db")
        #expect(try reopened.identity() != identity, "after a crash the file is a new file to the process")
        #expect(try reopened.tryLockExclusive(), "the crash released the lock")
        #expect(throws: Errno.canceled) { try file.unlock() }
        #expect(try !Simulation.open(fileSystem, "db").tryLockExclusive(), "a dead descriptor cannot release a live lock")
    }

    @Test func closingTheLastDescriptorReleasesItsLockAndForgetsRemovedFiles() throws {
        let fileSystem = SimulatedFileSystem()
        do {
            let file = Simulation.open(fileSystem, "db")
            #expect(try file.tryLockExclusive())
            let scratch = Simulation.open(fileSystem, "scratch")
            fileSystem.setContents("scratch", [1, 2, 3])
            try fileSystem.remove("scratch")
            #expect(fileSystem.usedBytes == 3)
            _ = scratch
        }
        #expect(fileSystem.usedBytes == 0)
        #expect(try Simulation.open(fileSystem, "db").tryLockExclusive())
    }

    @Test func aFullDiskShortensAWriteThenRefusesIt() {
        let fileSystem = SimulatedFileSystem(capacity: 10_000)
        let io = SimulatedIO(fileSystem: fileSystem, seed: 3)
        let file = Simulation.open(fileSystem, "f")
        #expect(io.run(.write(file, Simulation.buffer(Simulation.pattern(8192, seed: 1)), offset: 0)).succeeded)
        let full = io.run(.write(file, Simulation.buffer(Simulation.pattern(4096, seed: 2)), offset: 8192))
        #expect(full.error == .noSpace)
        #expect(full.bytesTransferred == 10_000 - 8192, "what fits is written before ENOSPC")
        #expect(fileSystem.usedBytes == 10_000)
        #expect(io.run(.write(file, Simulation.buffer([1]), offset: 0)).succeeded, "overwriting needs no space")
        #expect(io.run(.truncate(file, length: 20_000)).error == .noSpace)
        #expect(io.run(.truncate(file, length: 100)).succeeded)
        #expect(fileSystem.usedBytes == 100)
    }

    @Test func anArmedCrashFiresBeforeTheChangeItWasArmedFor() {
        let fileSystem = SimulatedFileSystem()
        let io = SimulatedIO(fileSystem: fileSystem, seed: 9, schedule: .inOrder)
        let file = Simulation.open(fileSystem, "f")
        fileSystem.armCrash(afterMutations: 2, seed: 4, plan: .keepAll)
        let writes = (0..<4).map { Completion(.write(file, Simulation.buffer(Simulation.pattern(512, seed: $0)), offset: Int64($0 * 512))) }
        for write in writes { io.submit(write) }
        io.drain()
        #expect(writes.map(\.error) == [nil, nil, .canceled, .canceled])
        #expect(!fileSystem.crashArmed)
        #expect(fileSystem.lastCrash?.settled.count == 2)
        #expect(fileSystem.contents("f") == Simulation.pattern(512, seed: 0) + Simulation.pattern(512, seed: 1))
    }

    /// A failed fsync decides the fate of what it covered at once; a later fsync that succeeds
    /// does not bring back what it lost, though reads still see it until a crash.
    @Test func aFailedFsyncSealsTheFateOfWhatItCovered() {
        let fileSystem = SimulatedFileSystem()
        let failing = SimulatedIO(fileSystem: fileSystem, seed: 1, faults: FaultPlan(syncError: 1), failedSync: .dropAll)
        let file = Simulation.open(fileSystem, "f")
        let data = Simulation.pattern(4096, seed: 3)
        #expect(failing.run(.write(file, Simulation.buffer(data), offset: 0)).succeeded)
        #expect(failing.run(.sync(file, dataOnly: true)).error == .io)
        #expect(fileSystem.contents("f") == data, "the page cache still has it")
        let healthy = SimulatedIO(fileSystem: fileSystem, seed: 2)
        #expect(healthy.run(.sync(file, dataOnly: true)).succeeded)
        fileSystem.crash(seed: 1, plan: .keepAll)
        #expect(fileSystem.contents("f") == [], "the failed fsync lost it for good")
    }

    @Test func readOnlyDescriptorsCannotWrite() {
        let fileSystem = SimulatedFileSystem()
        #expect(throws: Errno.noEntry) { try fileSystem.open("missing", options: FileOpenOptions(create: false)) }
        fileSystem.setContents("f", [1, 2, 3])
        let file = Simulation.open(fileSystem, "f", readOnly: true)
        let io = SimulatedIO(fileSystem: fileSystem, seed: 1)
        #expect(io.run(.write(file, Simulation.buffer([9]), offset: 0)).error == .badFileDescriptor)
        let buffer = IOBuffer.allocate(count: 8)
        let read = io.run(.read(file, buffer, offset: 0))
        #expect(read.succeeded && read.bytesTransferred == 3)
    }
}
