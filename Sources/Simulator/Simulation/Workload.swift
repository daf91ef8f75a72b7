import Pager

/// One step of a simulated workload. A workload is a list of steps generated from a seed; the
/// shrinker drops steps from it, and `--workload FILE` replays a list written out as text.
enum Step: Equatable, CustomStringConvertible {
    /// Runs one statement on connection `connection` (on Ringlite, then on the oracle).
    case sql(connection: Int, String)
    /// Crashes the machine just before the `mutations`+1-th change to the disk from now, inside
    /// whatever statement (or checkpoint, or close) makes it.
    case armCrash(afterMutations: Int)
    /// Crashes the machine now.
    case crash
    /// Closes every connection and the database (which checkpoints and removes the log when
    /// it can), then opens it again.
    case reopen

    var description: String {
        switch self {
        case .sql(let connection, let sql): "c\(connection): \(sql)"
        case .armCrash(let mutations): "!arm-crash \(mutations)"
        case .crash: "!crash"
        case .reopen: "!reopen"
        }
    }

    /// Parses a line `description` wrote.
    init?(line: String) {
        if line.hasPrefix("!arm-crash "), let count = Int(line.dropFirst("!arm-crash ".count)) {
            self = .armCrash(afterMutations: count)
        } else if line == "!crash" {
            self = .crash
        } else if line == "!reopen" {
            self = .reopen
        } else if line.hasPrefix("c"), let colon = line.firstIndex(of: ":"),
                  let connection = Int(line[line.index(after: line.startIndex)..<colon]) {
            self = .sql(connection: connection, String(line[line.index(colon, offsetBy: 2)...]))
        } else {
            return nil
        }
    }
}

/// How one seed's run is set up; everything in it comes from the seed and the command line.
struct SeedConfig: CustomStringConvertible {
    enum Journal: String { case wal, off }

    let seed: UInt64
    let journal: Journal
    let connections: Int
    let pageSize: Int
    let cachePages: Int
    let autoCheckpointFrames: Int
    let checkpointOnClose: Bool
    let faults: FaultPlan
    /// Crashes are injected (WAL only: journal_mode OFF is not crash-safe, by design).
    let crashes: Bool

    /// The fault mixes `--faults` names.
    enum FaultMix: String, CaseIterable {
        case none, short, mix, heavy

        func plan(_ random: inout SimulationRandom) -> FaultPlan {
            // Each seed scales the mix by a factor of its own, so seeds differ in how hostile
            // their disk is, from almost healthy to twice the nominal rates.
            let scale = Double(random.number(in: 1...20)) / 10
            switch self {
            case .none: return .none
            case .short: return .shortTransfers(0.1 * scale)
            case .mix:
                return FaultPlan(readError: 0.002 * scale, shortRead: 0.05 * scale, writeError: 0.002 * scale,
                                 noSpace: 0.001 * scale, tornWrite: 0.001 * scale, shortWrite: 0.05 * scale,
                                 syncError: 0.002 * scale, truncateError: 0.002 * scale)
            case .heavy:
                return FaultPlan(readError: 0.01 * scale, shortRead: 0.1 * scale, writeError: 0.01 * scale,
                                 noSpace: 0.005 * scale, tornWrite: 0.005 * scale, shortWrite: 0.1 * scale,
                                 syncError: 0.01 * scale, truncateError: 0.01 * scale)
            }
        }
    }

    init(seed: UInt64, mix: FaultMix) {
        var random = SimulationRandom(seed: SimulationRandom.derive(seed, stream: 0x5EED))
        self.seed = seed
        // One seed in eight runs without a journal: one connection, a healthy disk, no crash.
        journal = random.chance(0.125) ? .off : .wal
        connections = journal == .off ? 1 : random.number(in: 1...3)
        pageSize = [512, 1024, 4096, 4096][random.below(4)]
        // Without a journal, a transaction that outgrows the cache writes pages in place before
        // it commits, and rolling it back is undefined (as in SQLite): those seeds keep a cache
        // big enough for any of their transactions, and never roll back on purpose.
        cachePages = journal == .off ? 2000 : [16, 32, 100, 2000][random.below(4)]
        autoCheckpointFrames = [0, 10, 50, 1000][random.below(4)]
        checkpointOnClose = random.chance(0.7)
        let plan = mix.plan(&random)
        faults = journal == .off ? .none : plan
        crashes = journal == .wal
    }

    var description: String {
        "journal_mode=\(journal.rawValue) connections=\(connections) page_size=\(pageSize) cache=\(cachePages) "
            + "autocheckpoint=\(autoCheckpointFrames) checkpoint_on_close=\(checkpointOnClose) crashes=\(crashes) faults=\(faults)"
    }
}
