/// The pure arithmetic of a comparison: the run order, medians, ratios.
enum Statistics {
    /// The median of `values` (the mean of the middle two for an even count); nil when empty.
    static func median(_ values: [Double]) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The order contenders run in: A B C A B C ... for `repetitions` rounds, so drift on a noisy
    /// machine (another build starting, the disk's cache filling) lands on every contender alike.
    static func alternatingSchedule<Contender>(_ contenders: [Contender], repetitions: Int) -> [(round: Int, contender: Contender)] {
        (0..<max(repetitions, 0)).flatMap { round in contenders.map { (round, $0) } }
    }

    /// `numerator / denominator` for two throughputs; nil unless both are positive.
    static func ratio(_ numerator: Double?, _ denominator: Double?) -> Double? {
        guard let numerator, let denominator, numerator > 0, denominator > 0 else { return nil }
        return numerator / denominator
    }
}

/// SplitMix64: a small, fast, seedable generator for keys and workloads.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A seed derived from a base seed and a name with FNV-1a (stable across runs and processes,
    /// unlike `hashValue`), so each workload gets its own key sequence, the same for every engine.
    static func seed(_ base: UInt64, _ name: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in name.utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return base ^ hash
    }
}
