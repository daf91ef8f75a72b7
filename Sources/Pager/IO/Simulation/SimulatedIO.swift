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
    package let faults: FaultPlan
    package let schedule: SchedulePlan
    /// How a failed fsync decides the fate of the changes it covered.
    package let failedSync: CrashPlan
    private let injector: FaultInjector?
    private var random: SimulationRandom
    package private(set) var trace: SimulatedIOTrace
    /// The current tick.
    package private(set) var clock: UInt64 = 0
    /// Operations submitted and not finished, in the order they were queued.
    private var queue: [Operation] = []
    private var nextID: UInt64 = 1

    private struct Operation {
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

    package var inFlightCount: Int { queue.count }

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
            precondition(!queue.isEmpty, "waiting for a completion that nothing will finish (never submitted, or a group never built)")
            skipIdleTicks()
            tick()
        }
    }

    package func drain() {
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

    /// One tick: the attempts due now complete, in a shuffled order; then the completions that
    /// ended are finished (their callbacks may submit, poll or wait: the queue is consistent by
    /// then).
    private func tick() {
        clock += 1
        var due: [Operation] = []
        var waiting: [Operation] = []
        for operation in queue {
            if operation.due <= clock { due.append(operation) } else { waiting.append(operation) }
        }
        guard !due.isEmpty else { return }
        if schedule.reorder { random.shuffle(&due) }
        var ended: [(Operation, Errno?)] = []
        for var operation in due {
            if let result = attempt(&operation) {
                ended.append((operation, result.error))
            } else {
                operation.due = nextDue()
                trace.record(event(operation, .continued(due: operation.due)))
                waiting.append(operation)
            }
        }
        queue = waiting
        for (operation, error) in ended {
            trace.record(event(operation, .finished(bytes: operation.completion.bytesTransferred, error: error)))
            operation.completion.finish(error: error)
        }
    }

    private func event(_ operation: Operation, _ action: SimulatedIOEvent.Action) -> SimulatedIOEvent {
        SimulatedIOEvent(tick: clock, operation: operation.id, path: operation.completion.path, action: action)
    }

    /// How an attempt ended the operation: nil when it goes on (a short transfer).
    private struct Ending {
        let error: Errno?
    }

    // MARK: Attempts

    /// Makes one attempt of the operation; returns how it ended, or nil when it continues.
    private func attempt(_ operation: inout Operation) -> Ending? {
        let completion = operation.completion
        let attempt = operation.attempts
        operation.attempts += 1
        switch completion.operation {
        case .read(let file, let buffer, let offset):
            return read(operation, file, buffer, offset, attempt: attempt)
        case .write(let file, let buffer, let offset):
            return write(operation, file, offset, attempt: attempt) { done, length in
                (UnsafeRawBufferPointer(start: buffer.base + done, count: length), nil)
            }
        case .writev(let file, let buffers, let offset):
            return write(operation, file, offset, attempt: attempt) { done, length in
                let gathered = Self.gather(buffers, skipping: done, limit: length)
                return (nil, gathered)
            }
        case .sync(let file, _):
            return sync(operation, file, attempt: attempt)
        case .truncate(let file, let length):
            return truncate(operation, file, length)
        case .group:
            preconditionFailure("a group is not submitted to a backend")
        }
    }

    private func read(_ operation: Operation, _ file: StorageFile, _ buffer: IOBuffer, _ offset: Int64, attempt: Int) -> Ending? {
        let completion = operation.completion
        let done = completion.bytesTransferred
        let remaining = buffer.count - done
        guard remaining > 0 else { return Ending(error: nil) }
        let at = offset + Int64(done)
        var length = remaining
        var fault: InjectedFault?
        switch injected(.read, file, at, remaining, attempt) {
        case .fail(let error)?:
            trace.record(event(operation, .transferred(offset: at, requested: remaining, moved: 0, fault: .injector)))
            return Ending(error: error)
        case .shortTransfer(let maxBytes)?:
            length = max(1, min(remaining, maxBytes))
            if length < remaining { fault = .injector }
        case nil:
            if random.chance(faults.readError) {
                trace.record(event(operation, .transferred(offset: at, requested: remaining, moved: 0, fault: .readError)))
                return Ending(error: .io)
            }
            if remaining > 1 && random.chance(faults.shortRead) {
                length = 1 + random.below(remaining - 1)
                fault = .shortRead
            }
        }
        let moved: Int
        do { moved = try fileSystem.read(file.simulatedFile, into: buffer.base + done, count: length, offset: at) } catch {
            trace.record(event(operation, .transferred(offset: at, requested: length, moved: 0, fault: fault)))
            return Ending(error: error)
        }
        trace.record(event(operation, .transferred(offset: at, requested: length, moved: moved, fault: fault)))
        // Nothing more at the end of the file: the read ends short, without an error.
        if moved == 0 { return Ending(error: nil) }
        completion.bytesTransferred += moved
        precondition(completion.bytesTransferred <= completion.expectedBytes, "a read moved more bytes than asked for")
        return completion.bytesTransferred == completion.expectedBytes ? Ending(error: nil) : nil
    }

    /// One write attempt. `source(done, length)` gives the bytes to write: a pointer into the
    /// caller's buffer, or bytes gathered from several buffers.
    private func write(_ operation: Operation, _ file: StorageFile, _ offset: Int64, attempt: Int,
                       _ source: (Int, Int) -> (UnsafeRawBufferPointer?, [UInt8]?)) -> Ending? {
        let completion = operation.completion
        let done = completion.bytesTransferred
        let remaining = completion.expectedBytes - done
        guard remaining > 0 else { return Ending(error: nil) }
        let at = offset + Int64(done)
        var length = remaining
        var fault: InjectedFault?
        var failure: Errno?
        switch injected(.write, file, at, remaining, attempt) {
        case .fail(let error)?:
            (fault, failure) = (.injector, error)
        case .shortTransfer(let maxBytes)?:
            length = max(1, min(remaining, maxBytes))
            if length < remaining { fault = .injector }
        case nil:
            if random.chance(faults.writeError) {
                (fault, failure) = (.writeError, .io)
            } else if random.chance(faults.noSpace) {
                (fault, failure) = (.noSpace, .noSpace)
            } else if random.chance(faults.tornWrite) {
                (fault, failure) = (.tornWrite, .io)
            } else if remaining > 1 && random.chance(faults.shortWrite) {
                length = 1 + random.below(remaining - 1)
                fault = .shortWrite
            }
        }
        let (pointer, gathered) = source(done, length)
        let outcome: Result<Int, Errno> = Self.withBytes(pointer, gathered) { bytes in
            do throws(Errno) {
                if fault == .tornWrite {
                    let pieces = CrashSettlement.sectorPieces(offset: Int(at), length: length, sectorSize: fileSystem.sectorSize)
                    if pieces.count > 1 {
                        let kept = CrashSettlement.tornPieces(pieces, prefixChance: failedSync.tornPrefix, &random)
                        try fileSystem.writePieces(file.simulatedFile, bytes, at: at, pieces: kept)
                    }
                    return .success(0)
                }
                if failure != nil { return .success(0) }
                return .success(try fileSystem.write(file.simulatedFile, bytes, at: at))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .failure(let error):
            trace.record(event(operation, .transferred(offset: at, requested: length, moved: 0, fault: fault)))
            return Ending(error: error)
        case .success(let moved):
            trace.record(event(operation, .transferred(offset: at, requested: length, moved: moved, fault: fault)))
            if let failure { return Ending(error: failure) }
            completion.bytesTransferred += moved
            precondition(moved > 0, "a simulated write moved nothing without failing")
            return completion.bytesTransferred == completion.expectedBytes ? Ending(error: nil) : nil
        }
    }

    private func sync(_ operation: Operation, _ file: StorageFile, attempt: Int) -> Ending? {
        var failure: Errno?
        var fault: InjectedFault?
        if case .fail(let error)? = injected(.sync, file, 0, 0, attempt) {
            (fault, failure) = (.injector, error)
        } else if random.chance(faults.syncError) {
            (fault, failure) = (.syncError, .io)
        }
        do {
            if failure != nil {
                _ = try fileSystem.failSync(file.simulatedFile, through: operation.watermark, plan: failedSync, random: &random)
            } else {
                try fileSystem.sync(file.simulatedFile, through: operation.watermark)
            }
        } catch {
            failure = error
        }
        trace.record(event(operation, .synced(watermark: operation.watermark, fault: fault)))
        return Ending(error: failure)
    }

    private func truncate(_ operation: Operation, _ file: StorageFile, _ length: Int64) -> Ending? {
        var failure: Errno?
        var fault: InjectedFault?
        if case .fail(let error)? = injected(.truncate, file, length, 0, 0) {
            (fault, failure) = (.injector, error)
        } else if random.chance(faults.truncateError) {
            (fault, failure) = (.truncateError, .io)
        } else {
            do { try fileSystem.truncate(file.simulatedFile, to: length) } catch { failure = error }
        }
        trace.record(event(operation, .truncated(length: length, fault: fault)))
        return Ending(error: failure)
    }

    private func injected(_ kind: FaultPoint.Kind, _ file: StorageFile, _ offset: Int64, _ length: Int, _ attempt: Int) -> FaultAction? {
        injector?(FaultPoint(kind: kind, path: file.path, offset: offset, length: length, attempt: attempt))
    }

    // MARK: Bytes

    private static func gather(_ buffers: [IOBuffer], skipping: Int, limit: Int) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(limit)
        var skip = skipping
        for buffer in buffers where bytes.count < limit {
            if skip >= buffer.count { skip -= buffer.count; continue }
            let length = min(buffer.count - skip, limit - bytes.count)
            bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer.base + skip, count: length))
            skip = 0
        }
        return bytes
    }

    private static func withBytes<R>(_ pointer: UnsafeRawBufferPointer?, _ gathered: [UInt8]?,
                                     _ body: (UnsafeRawBufferPointer) -> R) -> R {
        if let pointer { return body(pointer) }
        return gathered!.withUnsafeBytes(body)
    }
}

@available(*, unavailable)
extension SimulatedIO: Sendable {}
