import Testing
@testable import Pager

/// CompletionGroup when its children complete out of order, late, and some with errors.
@Suite struct SimulatedCompletionGroupTests {
    @Test(arguments: 0..<25)
    func aGroupFinishesWithItsLastChildAndCarriesTheFirstError(_ seed: UInt64) {
        let fileSystem = SimulatedFileSystem()
        let io = SimulatedIO(fileSystem: fileSystem, seed: seed, faults: FaultPlan(writeError: 0.15, noSpace: 0.1, shortWrite: 0.3))
        let file = Simulation.open(fileSystem, "f")
        var order: [Int] = []
        var firstError: Errno?
        var groupFinishedEarly = false
        let group = CompletionGroup { _ in order.append(-1) }
        var children: [Completion] = []
        for i in 0..<24 {
            let child = Completion(.write(file, Simulation.buffer(Simulation.pattern(2048, seed: i)), offset: Int64(i) * 2048)) { child in
                order.append(i)
                if firstError == nil, let error = child.error { firstError = error }
                if group.completion.isFinished { groupFinishedEarly = true }
            }
            children.append(child)
            group.add(child)
            io.submit(child)
        }
        let all = group.build()
        #expect(!all.isFinished)
        io.wait(for: all)
        #expect(!groupFinishedEarly, "the group finished before a child")
        #expect(order.last == -1, "the group's callback runs after every child's")
        #expect(order.dropLast() != Array(0..<24), "children complete out of order")
        #expect(all.error == firstError, "the group's error is the first a child finished with")
        #expect(all.bytesTransferred == children.reduce(0) { $0 + $1.bytesTransferred })
        #expect(io.inFlightCount == 0)
    }

    @Test(arguments: 0..<10)
    func nestedGroupsUnderReordering(_ seed: UInt64) {
        let fileSystem = SimulatedFileSystem()
        let io = SimulatedIO(fileSystem: fileSystem, seed: seed, schedule: SchedulePlan(maxDelay: 6))
        let file = Simulation.open(fileSystem, "f")
        let outer = CompletionGroup()
        var inners: [Completion] = []
        for g in 0..<4 {
            let inner = CompletionGroup()
            for i in 0..<5 {
                let write = Completion(.write(file, Simulation.buffer(Simulation.pattern(512, seed: g * 5 + i)), offset: Int64(g * 5 + i) * 512))
                inner.add(write)
                io.submit(write)
            }
            let built = inner.build()
            inners.append(built)
            outer.add(built)
        }
        // A child that has already finished counts at once.
        let done = io.run(.read(file, IOBuffer.allocate(count: 10), offset: 0))
        outer.add(done)
        let all = outer.build()
        while !all.isFinished {
            io.poll()
            #expect(all.isFinished == inners.allSatisfy { $0.isFinished })
        }
        #expect(all.succeeded)
        #expect(all.bytesTransferred == 20 * 512 + done.bytesTransferred)
    }
}
