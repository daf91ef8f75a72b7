/// The deterministic backend for simulation tests: it runs completions against a
/// `SimulatedFileSystem` the way a seeded, adversarial kernel would.
///
/// `submit` only queues. Time advances in ticks (one per `poll`; `wait` and `drain` tick until
/// satisfied), and each attempt (the first transfer of an operation, or the continuation of a
/// short one) completes at a tick the schedule draws, in a shuffled order among those due
/// together: independent operations complete out of order and late. A write lands in the file
/// when its attempt completes; an fsync covers the changes that had landed when it was
/// submitted, never one still in flight, so an engine that submits an fsync before the writes it
/// needs have completed loses them in a crash here, as it may on a real disk.
///
/// The fault plan shortens and fails attempts; short transfers are continued from where they
/// stopped, as `URingIO` continues a short CQE, and errors finish the completion. Everything
/// comes from the seed: the same seed, plans and submissions give the same completions, results,
/// trace and file contents, byte for byte.
package final class SimulatedIO: IOBackend {
    package var kind: IOBackendKind { .simulated }

    package let fileSystem: SimulatedFileSystem
    package let seed: UInt64
    /// The plans may change between operations (a simulator turning faults off to check the
    /// files, say); attempts already scheduled keep their due ticks.
    package var faults: FaultPlan
    package var schedule: SchedulePlan
    /// How a failed fsync decides the fate of the changes it covered.
    package var failedSync: CrashPlan
    let injector: FaultInjector?
    var random: SimulationRandom
    package internal(set) var trace: SimulatedIOTrace
    /// The current tick.
    package private(set) var clock: UInt64 = 0
    /// Operations whose next attempt has not completed yet, in the order they were queued.
    private var queue: [Operation] = []
    /// Operations that have ended, to be finished (their callbacks run) in this order. Kept here
    /// rather than in a local so that a callback waiting for one of them finds it.
    private var ending = FIFO<(Operation, Errno?)>()
    private var nextID: UInt64 = 1

    struct Operation {
        let id: UInt64
        let completion: Completion
        /// The tick its next attempt completes at.
        var due: UInt64
        var attempts = 0
        /// For an fsync: the file system's change number when it was submitted.
        let watermark: UInt64
    }

    /// - Parameters:
    ///   - seed: decides every delay, order and fault.
    ///   - injector: consulted before the fault plan for each attempt, as in the other backends.
    ///   - traceCapacity: how many recent events the trace keeps in full (the digest covers all).
    package init(fileSystem: SimulatedFileSystem, seed: UInt64, faults: FaultPlan = .none,
                 schedule: SchedulePlan = SchedulePlan(), failedSync: CrashPlan = CrashPlan(),
                 injector: FaultInjector? = nil, traceCapacity: Int = 4096) {
        self.fileSystem = fileSystem
        self.seed = seed
        self.faults = faults
        self.schedule = schedule
        self.failedSync = failedSync
        self.injector = injector
        self.random = SimulationRandom(seed: seed)
        self.trace = SimulatedIOTrace(capacity: traceCapacity)
    }

    deinit {
        // As with a ring: what was submitted finishes (a crash since then cancels it) before the
        // backend goes, so no completion is left waiting forever.
        drain()
    }

    package var inFlightCount: Int { queue.count + ending.count }

    // MARK: IOBackend

    package func submit(_ completion: Completion) {
        completion.markSubmitted()
        let file: StorageFile
        let description: (String, Int64, Int)
        switch completion.operation {
        case .read(let f, let buffer, let offset): (file, description) = (f, ("read", offset, buffer.count))
        case .write(let f, let buffer, let offset): (file, description) = (f, ("write", offset, buffer.count))
        case .writev(let f, _, let offset): (file, description) = (f, ("writev", offset, completion.expectedBytes))
        case .sync(let f, let dataOnly): (file, description) = (f, (dataOnly ? "fdatasync" : "fsync", 0, 0))
        case .truncate(let f, let length): (file, description) = (f, ("truncate", length, 0))
        case .group: preconditionFailure("a group is not submitted to a backend")
        }
        precondition(file.simulatedFile.fileSystem === fileSystem, "\(file.path) belongs to another simulated file system")
        let id = nextID
        nextID += 1
        var watermark: UInt64 = 0
        if case .sync = completion.operation { watermark = fileSystem.syncWatermark }
        let due = nextDue()
        queue.append(Operation(id: id, completion: completion, due: due, watermark: watermark))
        trace.record(SimulatedIOEvent(tick: clock, operation: id, path: file.path,
                                      action: .submitted(operation: description.0, offset: description.1, length: description.2, due: due)))
    }

    package func flush() {}

    package func poll() { tick() }

    package func wait(for completion: Completion) {
        while !completion.isFinished {
            if !ending.isEmpty {
                finishEnded()
                continue
            }
            precondition(!queue.isEmpty, "waiting for a completion that nothing will finish (never submitted, or a group never built)")
            skipIdleTicks()
            tick()
        }
    }

    package func drain() {
        finishEnded()
        while !queue.isEmpty {
            skipIdleTicks()
            tick()
        }
    }

    // MARK: Time

    private func nextDue() -> UInt64 {
        let delay = random.chance(schedule.stall) ? random.number(in: 0...schedule.maxStall) : random.number(in: 0...schedule.maxDelay)
        return clock + 1 + UInt64(delay)
    }

    /// Moves the clock to just before the earliest due attempt: ticks in which nothing completes
    /// change nothing but the clock.
    private func skipIdleTicks() {
        guard let earliest = queue.lazy.map(\.due).min(), earliest > clock + 1 else { return }
        clock = earliest - 1
    }

    /// One tick: the attempts due now complete, in a shuffled order; then the operations that
    /// ended are finished. Their callbacks may submit, poll or wait: by then the queue holds
    /// what is still in flight.
    private func tick() {
        clock += 1
        var due: [Operation] = []
        var waiting: [Operation] = []
        for operation in queue {
            if operation.due <= clock { due.append(operation) } else { waiting.append(operation) }
        }
        guard !due.isEmpty else {
            finishEnded()
            return
        }
        queue = waiting
        if schedule.reorder { random.shuffle(&due) }
        for var operation in due {
            switch attempt(&operation) {
            case .finished(let error):
                ending.push((operation, error))
            case .continues:
                operation.due = nextDue()
                trace.record(event(operation, .continued(due: operation.due)))
                queue.append(operation)
            }
        }
        finishEnded()
    }

    /// Finishes the ended operations in order; a callback that waits finishes some of them from
    /// its own call, and this loop goes on after them.
    private func finishEnded() {
        while let (operation, error) = ending.pop() {
            trace.record(event(operation, .finished(bytes: operation.completion.bytesTransferred, error: error)))
            operation.completion.finish(error: error)
        }
    }

    func event(_ operation: Operation, _ action: SimulatedIOEvent.Action) -> SimulatedIOEvent {
        SimulatedIOEvent(tick: clock, operation: operation.id, path: operation.completion.path, action: action)
    }
}

@available(*, unavailable)
extension SimulatedIO: Sendable {}
