import Testing
@testable import Pager

/// The simulated backend: replays, reordering and delays, faults reaching completions, short
/// transfers continued.
@Suite struct SimulatedIOTests {
    /// Everything a run produced that a replay must reproduce.
    struct Outcome: Equatable {
        var digest: UInt64
        var events: [SimulatedIOEvent]
        /// Completion labels and results, in the order the completions finished.
        var finished: [String]
        var files: [[UInt8]?]
        var crash: CrashReport
    }

    /// A mixed workload on two files: batches of writes, writevs, reads, truncates and fsyncs,
    /// polled and drained, then a crash.
    func run(seed: UInt64, faults: FaultPlan = .none) -> Outcome {
        let fileSystem = SimulatedFileSystem()
        let io = SimulatedIO(fileSystem: fileSystem, seed: seed, faults: faults, traceCapacity: 100_000)
        let files = [Simulation.open(fileSystem, "a"), Simulation.open(fileSystem, "b")]
        var finished: [String] = []
        func submit(_ label: String, _ operation: Completion.Operation) {
            io.submit(Completion(operation) { completion in
                finished.append("\(label) \(completion.bytesTransferred) \(completion.error?.name ?? "ok")")
            })
        }
        for round in 0..<12 {
            for (f, file) in files.enumerated() {
                for i in 0..<4 {
                    let offset = Int64((round * 4 + i) % 9) * 3000
                    submit("w\(round).\(f).\(i)", .write(file, Simulation.buffer(Simulation.pattern(3000 + i * 700, seed: round * 10 + i)), offset: offset))
                }
                let parts = (0..<3).map { Simulation.buffer(Simulation.pattern(1000 * ($0 + 1), seed: round + $0)) }
                submit("v\(round).\(f)", .writev(file, parts, offset: Int64(round) * 1500))
                submit("r\(round).\(f)", .read(file, IOBuffer.allocate(count: 5000), offset: Int64(round) * 1000))
                if round % 5 == 4 { submit("t\(round).\(f)", .truncate(file, length: 20_000)) }
            }
            io.poll()
            if round % 3 == 2 {
                io.drain()
                for (f, file) in files.enumerated() { submit("s\(round).\(f)", .sync(file, dataOnly: true)) }
            }
        }
        io.drain()
        let crash = fileSystem.crash(seed: seed)
        return Outcome(digest: io.trace.digest, events: io.trace.events, finished: finished,
                       files: [fileSystem.contents("a"), fileSystem.contents("b")], crash: crash)
    }

    @Test(arguments: [1, 2, 3, 0xDEAD_BEEF] as [UInt64])
    func theSameSeedReplaysExactly(_ seed: UInt64) {
        for faults in [FaultPlan.none, FaultPlan.uniform(0.05)] {
            let first = run(seed: seed, faults: faults)
            let second = run(seed: seed, faults: faults)
            #expect(first == second)
            #expect(first.events.count > 100)
        }
    }

    /// Pinned results of one run: a change to the generator, the schedule, the fault draws or the
    /// crash model shows here first, and means seeds recorded from failing runs no longer replay.
    /// Update the constants only for a deliberate change of the model.
    @Test func aRecordedSeedStillReplays() {
        let outcome = run(seed: 42, faults: .uniform(0.05))
        var contents = StableDigest()
        for file in outcome.files { contents.combine(file ?? []) }
        #expect(outcome.digest == 0xCC3B_E055_35D3_9AC7)
        #expect(contents.value == 0x2BB3_715D_D3CE_B414)
    }

    @Test func differentSeedsGiveDifferentRuns() {
        let outcomes = (UInt64(1)...8).map { run(seed: $0) }
        #expect(Set(outcomes.map(\.digest)).count == outcomes.count)
        #expect(Set(outcomes.map(\.finished)).count == outcomes.count, "completion orders differ between seeds")
        // Completions come back out of submission order.
        let submitted = outcomes[0].events.compactMap { event -> UInt64? in
            if case .submitted = event.action { return event.operation } else { return nil }
        }
        let completed = outcomes[0].events.compactMap { event -> UInt64? in
            if case .finished = event.action { return event.operation } else { return nil }
        }
        #expect(completed.count == submitted.count)
        #expect(completed != submitted)
    }

    @Test func operationsStayPendingAcrossPolls() {
        let fileSystem = SimulatedFileSystem()
        fileSystem.setContents("f", Simulation.pattern(65536, seed: 1))
        let io = SimulatedIO(fileSystem: fileSystem, seed: 11, schedule: SchedulePlan(maxDelay: 5, stall: 0.1, maxStall: 30))
        let file = Simulation.open(fileSystem, "f")
        let reads = (0..<40).map { Completion(.read(file, IOBuffer.allocate(count: 512), offset: Int64($0) * 512)) }
        for read in reads { io.submit(read) }
        #expect(io.inFlightCount == 40)
        #expect(reads.allSatisfy { !$0.isFinished }, "nothing completes inside submit")
        var polls = 0
        var finishedAfterFirstPoll = 0
        while io.inFlightCount > 0 {
            io.poll()
            polls += 1
            if polls == 1 { finishedAfterFirstPoll = reads.count(where: \.isFinished) }
        }
        #expect(finishedAfterFirstPoll < reads.count)
        #expect(polls > 5)
        #expect(reads.allSatisfy { $0.succeeded })
    }

    @Test func shortTransfersAreContinuedToCompletion() {
        var faults: Set<InjectedFault> = []
        var continuations = 0
        for seed in UInt64(0)..<20 {
            let fileSystem = SimulatedFileSystem()
            let io = SimulatedIO(fileSystem: fileSystem, seed: seed, faults: .shortTransfers(0.8))
            let file = Simulation.open(fileSystem, "f")
            let data = Simulation.pattern(65536, seed: Int(seed))
            let write = io.run(.write(file, Simulation.buffer(data), offset: 0))
            #expect(write.succeeded && write.bytesTransferred == data.count)
            let parts = [Simulation.pattern(3000, seed: 1), Simulation.pattern(5000, seed: 2), Simulation.pattern(100, seed: 3)]
            let writev = io.run(.writev(file, parts.map(Simulation.buffer), offset: 70_000))
            #expect(writev.succeeded && writev.bytesTransferred == 8100)
            let buffer = IOBuffer.allocate(count: 78_100)
            let read = io.run(.read(file, buffer, offset: 0))
            #expect(read.succeeded && read.bytesTransferred == 78_100)
            let expected = data + [UInt8](repeating: 0, count: 70_000 - 65536) + parts.joined()
            #expect(Simulation.bytes(buffer) == expected)
            #expect(fileSystem.contents("f") == expected)
            for event in io.trace.events {
                if case .transferred(_, _, _, let fault?) = event.action { faults.insert(fault) }
                if case .continued = event.action { continuations += 1 }
            }
        }
        #expect(faults == [.shortRead, .shortWrite])
        #expect(continuations > 20)
    }

    @Test func readsPastTheEndEndShortWithoutAnError() {
        let fileSystem = SimulatedFileSystem()
        fileSystem.setContents("f", Simulation.pattern(1000, seed: 1))
        let io = SimulatedIO(fileSystem: fileSystem, seed: 1, faults: .shortTransfers(0.5))
        let file = Simulation.open(fileSystem, "f")
        let read = io.run(.read(file, IOBuffer.allocate(count: 4096), offset: 0))
        #expect(read.succeeded && read.bytesTransferred == 1000)
        let past = io.run(.read(file, IOBuffer.allocate(count: 4096), offset: 8192))
        #expect(past.succeeded && past.bytesTransferred == 0)
    }

    struct FaultCase: Sendable, CustomTestStringConvertible {
        let name: String
        let plan: FaultPlan
        let operation: String
        let errno: Errno
        var testDescription: String { name }
    }

    static let faultCases = [
        FaultCase(name: "EIO on read", plan: FaultPlan(readError: 1), operation: "read", errno: .io),
        FaultCase(name: "EIO on write", plan: FaultPlan(writeError: 1), operation: "write", errno: .io),
        FaultCase(name: "ENOSPC on write", plan: FaultPlan(noSpace: 1), operation: "write", errno: .noSpace),
        FaultCase(name: "torn write", plan: FaultPlan(tornWrite: 1), operation: "write", errno: .io),
        FaultCase(name: "EIO on writev", plan: FaultPlan(writeError: 1), operation: "writev", errno: .io),
        FaultCase(name: "failed fsync", plan: FaultPlan(syncError: 1), operation: "sync", errno: .io),
        FaultCase(name: "failed truncate", plan: FaultPlan(truncateError: 1), operation: "truncate", errno: .io),
    ]

    @Test(arguments: faultCases)
    func faultsReachTheCompletionWithTheirErrno(_ fault: FaultCase) {
        let old = Simulation.pattern(16384, seed: 1)
        let new = Simulation.pattern(16384, seed: 2)
        var sawMixture = false
        for seed in UInt64(0)..<20 {
            let fileSystem = SimulatedFileSystem()
            fileSystem.setContents("f", old)
            let io = SimulatedIO(fileSystem: fileSystem, seed: seed, faults: fault.plan)
            let file = Simulation.open(fileSystem, "f")
            let operation: Completion.Operation = switch fault.operation {
            case "read": .read(file, IOBuffer.allocate(count: 4096), offset: 0)
            case "write": .write(file, Simulation.buffer(new), offset: 0)
            case "writev": .writev(file, [Simulation.buffer(Array(new[..<8192])), Simulation.buffer(Array(new[8192...]))], offset: 0)
            case "sync": .sync(file, dataOnly: true)
            default: .truncate(file, length: 100)
            }
            let completion = io.run(operation)
            #expect(completion.error == fault.errno)
            #expect(completion.result == .failure(fault.errno))
            let contents = fileSystem.contents("f")!
            if fault.plan.tornWrite > 0 {
                #expect(Simulation.sectorNeitherOldNorNew(contents, old: old, new: new) == nil)
                if contents != old && contents != new { sawMixture = true }
            } else if fault.operation != "read" && fault.operation != "sync" {
                #expect(contents == old, "a failed \(fault.operation) changes nothing")
            }
        }
        if fault.plan.tornWrite > 0 { #expect(sawMixture, "a torn write lands some sectors and not others") }
    }

    @Test func theInjectorIsConsultedBeforeThePlan() {
        let fileSystem = SimulatedFileSystem()
        let io = SimulatedIO(fileSystem: fileSystem, seed: 1) { point in
            if point.kind == .write && point.attempt == 0 { return .shortTransfer(maxBytes: 100) }
            if point.kind == .sync { return .fail(.readOnlyFileSystem) }
            return nil
        }
        let file = Simulation.open(fileSystem, "f")
        let write = io.run(.write(file, Simulation.buffer(Simulation.pattern(1000, seed: 1)), offset: 0))
        #expect(write.succeeded && write.bytesTransferred == 1000)
        #expect(fileSystem.pendingChangeCount("f") == 2, "a short write lands as two changes")
        #expect(io.run(.sync(file, dataOnly: false)).error == .readOnlyFileSystem)
    }

    @Test func callbacksMaySubmitAndWait() {
        let fileSystem = SimulatedFileSystem()
        let io = SimulatedIO(fileSystem: fileSystem, seed: 4)
        let file = Simulation.open(fileSystem, "f")
        var chain: [Int] = []
        func step(_ n: Int) {
            io.submit(Completion(.write(file, Simulation.buffer([UInt8(n)]), offset: Int64(n))) { completion in
                chain.append(n)
                if n < 20 { step(n + 1) }
                if n == 10 {
                    // A callback that waits for IO of its own.
                    let read = io.run(.read(file, IOBuffer.allocate(count: 1), offset: 0))
                    #expect(read.succeeded)
                }
            })
        }
        step(0)
        io.drain()
        #expect(chain == Array(0...20))
        #expect(fileSystem.contents("f") == (0...20).map { UInt8($0) })
    }

    @Test func anEnvironmentMakesReproducibleBackends() {
        let first = SimulatedEnvironment(seed: 77)
        let second = SimulatedEnvironment(seed: 77)
        let a = (0..<3).map { _ in first.makeSimulatedBackend().seed }
        let b = (0..<3).map { _ in second.makeSimulatedBackend().seed }
        #expect(a == b)
        #expect(Set(a).count == 3, "each backend draws its own numbers")
        #expect(first.backendsMade == 3)
    }

    @Test func theTraceKeepsTheLatestEvents() {
        var trace = SimulatedIOTrace(capacity: 3)
        for i in 0..<5 {
            trace.record(SimulatedIOEvent(tick: UInt64(i), operation: 1, path: "f", action: .continued(due: 9)))
        }
        #expect(trace.count == 5)
        #expect(trace.events.map(\.tick) == [2, 3, 4])
        #expect(trace.events[0].description == "t2 op1 f: continue due t9")
    }
}
