/// How often a `SimulatedIO` makes one transfer go wrong. Each probability applies to every
/// attempt (a first transfer or the continuation of a short one) of the kind it names; at most
/// one fault applies per attempt, checked in the order of the fields below.
package struct FaultPlan: Sendable, Equatable {
    /// A read attempt fails with EIO; nothing is read.
    package var readError = 0.0
    /// A read attempt moves fewer bytes than asked (at least one); the backend continues it.
    package var shortRead = 0.0
    /// A write attempt fails with EIO; nothing reaches the file.
    package var writeError = 0.0
    /// A write attempt fails with ENOSPC; nothing reaches the file.
    package var noSpace = 0.0
    /// A write attempt lands only some of its sectors, then fails with EIO: the device failed in
    /// the middle of it and the file holds a mixture of old and new sectors.
    package var tornWrite = 0.0
    /// A write attempt moves fewer bytes than asked (at least one); the backend continues it.
    package var shortWrite = 0.0
    /// An fsync fails with EIO. What it would have covered is decided at once, as a crash would
    /// decide it (kept, dropped or torn) and no later fsync changes that, as on Linux, where a
    /// failed writeback marks the pages clean; reads still see the data while it stays cached.
    package var syncError = 0.0
    /// A truncate fails with EIO and changes nothing.
    package var truncateError = 0.0

    package init(readError: Double = 0, shortRead: Double = 0, writeError: Double = 0, noSpace: Double = 0,
                 tornWrite: Double = 0, shortWrite: Double = 0, syncError: Double = 0, truncateError: Double = 0) {
        self.readError = readError
        self.shortRead = shortRead
        self.writeError = writeError
        self.noSpace = noSpace
        self.tornWrite = tornWrite
        self.shortWrite = shortWrite
        self.syncError = syncError
        self.truncateError = truncateError
    }

    /// A healthy disk: every transfer moves everything it asks for.
    package static let none = FaultPlan()

    /// Short transfers only: operations still succeed, through the backend's continuation path.
    package static func shortTransfers(_ probability: Double) -> FaultPlan {
        FaultPlan(shortRead: probability, shortWrite: probability)
    }

    /// Every fault at the same rate.
    package static func uniform(_ probability: Double) -> FaultPlan {
        FaultPlan(readError: probability, shortRead: probability, writeError: probability, noSpace: probability,
                  tornWrite: probability, shortWrite: probability, syncError: probability, truncateError: probability)
    }

    /// Whether any fault can end an operation in an error.
    package var failsOperations: Bool {
        readError > 0 || writeError > 0 || noSpace > 0 || tornWrite > 0 || syncError > 0 || truncateError > 0
    }
}

/// When a `SimulatedIO` completes what was submitted. Time is counted in ticks: each `poll` is one
/// tick, and `wait` and `drain` tick until they are satisfied. An attempt issued at tick t
/// completes at a tick drawn from t+1 ... t+1+maxDelay (or, with probability `stall`, up to
/// t+1+maxStall); the attempts due at one tick complete in a shuffled order when `reorder` is on.
package struct SchedulePlan: Sendable, Equatable {
    package var maxDelay: Int
    package var stall: Double
    package var maxStall: Int
    package var reorder: Bool

    package init(maxDelay: Int = 3, stall: Double = 0.02, maxStall: Int = 40, reorder: Bool = true) {
        precondition(maxDelay >= 0 && maxStall >= maxDelay, "delays are counted forward: 0 <= maxDelay <= maxStall")
        self.maxDelay = maxDelay
        self.stall = stall
        self.maxStall = maxStall
        self.reorder = reorder
    }

    /// Every attempt completes at the next tick, in the order it was issued, like a synchronous
    /// backend.
    package static let inOrder = SchedulePlan(maxDelay: 0, stall: 0, maxStall: 0, reorder: false)
}

/// What a crash does to each change not yet made durable by a completed fsync. The three
/// weights are relative: by default a third each.
package struct CrashPlan: Sendable, Equatable {
    package var keep: Double
    package var drop: Double
    package var tear: Double
    /// Of the torn writes, the share that keep a prefix of their sectors; the others keep a
    /// random subset of them. (The sector size is the file system's.)
    package var tornPrefix: Double
    /// A write that extended the file and was dropped or torn still leaves the file at its new
    /// size, with zeros where the data did not land (the size is metadata, journaled apart from
    /// the data on many file systems).
    package var growthWithoutData: Double

    package init(keep: Double = 1, drop: Double = 1, tear: Double = 1, tornPrefix: Double = 0.5,
                 growthWithoutData: Double = 0.25) {
        precondition(keep >= 0 && drop >= 0 && tear >= 0 && keep + drop + tear > 0, "crash weights are not negative and not all zero")
        self.keep = keep
        self.drop = drop
        self.tear = tear
        self.tornPrefix = tornPrefix
        self.growthWithoutData = growthWithoutData
    }

    /// Everything written survives, as if the machine had had time to write back its cache.
    package static let keepAll = CrashPlan(keep: 1, drop: 0, tear: 0, growthWithoutData: 0)
    /// Nothing not covered by an fsync survives.
    package static let dropAll = CrashPlan(keep: 0, drop: 1, tear: 0, growthWithoutData: 0)
}
