/// What one crash did.
package struct CrashReport: Sendable, Equatable {
    /// The file system's generation after the crash (1 for the first).
    package let generation: UInt64
    package let seed: UInt64
    package let plan: CrashPlan
    /// The fate of every change that was not yet durable, by path, then in the order they landed.
    package let settled: [SettledChange]
}

/// A crash set to fire after a number of changes to the disk.
struct ArmedCrash {
    var remaining: Int
    let seed: UInt64
    let plan: CrashPlan
}

extension SimulatedFileSystem {
    /// Crashes the machine now: every change not yet durable is kept, dropped or torn as `plan`
    /// and `seed` decide; then the files hold what a reopen sees, every descriptor is dead (its
    /// operations fail with ECANCELED), locks are released, removed files are gone.
    @discardableResult
    package func crash(seed: UInt64, plan: CrashPlan = CrashPlan()) -> CrashReport {
        state.withLock { $0.crash(seed: seed, plan: plan) }
    }

    /// Sets a crash to happen just before the `mutations`+1-th change to the disk from now (a
    /// write attempt that reaches the disk, a truncate, an fsync completing, through any backend
    /// or descriptor), from inside the call about to make it: that call and every later one
    /// through a descriptor from before the crash fail with ECANCELED. `lastCrash` tells whether
    /// it has fired.
    package func armCrash(afterMutations mutations: Int, seed: UInt64, plan: CrashPlan = CrashPlan()) {
        precondition(mutations >= 0, "a crash cannot fire in the past")
        state.withLock { $0.armedCrash = ArmedCrash(remaining: mutations, seed: seed, plan: plan) }
    }

    package func disarmCrash() { state.withLock { $0.armedCrash = nil } }

    /// Holds the armed crash, or releases it: while held, changes to the disk neither count
    /// toward it nor fire it. The simulator's checks hold it, since a check's statements may
    /// still write (a SELECT inside a write transaction spills pages to the log when the cache
    /// is full) and a check must not move the crash the workload armed.
    package func holdCrash(_ held: Bool) { state.withLock { $0.crashHeld = held } }

    /// Whether a crash is armed and has not fired yet.
    package var crashArmed: Bool { state.withLock { $0.armedCrash != nil } }
}

extension SimulatedFileSystem.State {
    /// Counts one change about to be made; fires the armed crash when it is due.
    mutating func countMutation() {
        guard !crashHeld, var armed = armedCrash else { return }
        if armed.remaining == 0 {
            _ = crash(seed: armed.seed, plan: armed.plan)
            return
        }
        armed.remaining -= 1
        armedCrash = armed
    }

    mutating func crash(seed: UInt64, plan: CrashPlan) -> CrashReport {
        var random = SimulationRandom(seed: seed)
        generation += 1
        armedCrash = nil
        var settled: [SettledChange] = []
        // Sorted: dictionary order differs from run to run, and the generator's draws must not.
        for path in paths.keys.sorted() {
            let id = paths[path]!
            settled += nodes[id]!.data.settle(through: .max, path: path, plan: plan, sectorSize: sectorSize, random: &random)
            nodes[id]!.data.discardVolatile()
            nodes[id]!.openDescriptors = 0
            nodes[id]!.lockHolder = nil
        }
        // Removed files that were still open die with the descriptors that kept them.
        nodes = nodes.filter { $0.value.path != nil }
        usedBytes = nodes.values.reduce(0) { $0 + $1.data.size }
        let report = CrashReport(generation: generation, seed: seed, plan: plan, settled: settled)
        lastCrash = report
        return report
    }
}
/// The fate of one change a crash (or a failed fsync) decided.
package struct SettledChange: Sendable, Equatable, CustomStringConvertible {
    package enum Change: Sendable, Equatable {
        case write(offset: Int64, length: Int)
        case resize(Int64)
    }

    package enum Fate: Sendable, Equatable {
        case kept
        case dropped
        /// Only these byte ranges of the write landed (whole sectors, clipped to the write).
        case torn(kept: [Range<Int64>])
    }

    package let path: String
    /// The file system's sequence number of the change: changes of one file settle in order.
    package let sequence: UInt64
    package let change: Change
    package let fate: Fate
    /// A dropped or torn write that extended the file left the file at its new size anyway.
    package let grewWithoutData: Bool

    init(path: String, sequence: UInt64, change: Change, fate: Fate, grewWithoutData: Bool = false) {
        self.path = path
        self.sequence = sequence
        self.change = change
        self.fate = fate
        self.grewWithoutData = grewWithoutData
    }

    package var description: String {
        let what = switch change {
        case .write(let offset, let length): "write \(offset)+\(length)"
        case .resize(let length): "resize \(length)"
        }
        let fate = switch fate {
        case .kept: "kept"
        case .dropped: "dropped"
        case .torn(let kept): "torn, kept " + kept.map { "\($0.lowerBound)..<\($0.upperBound)" }.joined(separator: ",")
        }
        return "\(path) #\(sequence) \(what): \(fate)\(grewWithoutData ? " (size kept)" : "")"
    }
}
