/// What one measurement of one workload on one engine produced.
struct Sample: Sendable {
    /// Operations timed (rows, reads, queries or pages, as the workload defines them).
    var operations: Int
    var seconds: Double
    /// Key and value bytes moved, where the workload reports MB/s.
    var bytes: Int64?
    var latency: LatencyRecorder
    /// Workload-specific figures (readwhilewriting's writes per second).
    var extra: [String: Double] = [:]

    var operationsPerSecond: Double { Double(operations) / seconds }
    var megabytesPerSecond: Double? { bytes.map { Double($0) / seconds / 1_000_000 } }
}

/// Everything a workload needs for one measurement: the settings, the engine and its open
/// connection's file, the values to write.
struct WorkloadContext {
    let settings: BenchSettings
    let workload: Workload
    let engine: EngineKind
    let path: String
    let config: EngineConfig
    let values: ValuePool
    /// What the progress bar calls this phase ("fillseq sqlite 2/3").
    let label: String
    /// Pages of the filled table the workload starts from (0 for the fills).
    let tablePages: Int

    /// A generator for this workload's keys: the same sequence for every engine and round.
    func random(_ stream: String = "") -> SplitMix64 {
        SplitMix64(seed: SplitMix64.seed(settings.seed, workload.rawValue + stream))
    }

    /// Runs `body` for operations 0..<count, timing each one. The loop adds one clock read and one
    /// histogram increment per operation, the same for every engine.
    @inline(__always)
    func timed(count: Int, _ body: (Int) throws -> Void) throws -> (seconds: Double, latency: LatencyRecorder) {
        var latency = LatencyRecorder()
        var progress = ProgressBar(label: label, total: count)
        let start = monotonicNanoseconds()
        var last = start
        for index in 0..<count {
            try body(index)
            let now = monotonicNanoseconds()
            latency.record(nanoseconds: now - last)
            last = now
            if index & 255 == 0 { progress.update(done: index, now: now) }
        }
        progress.finish()
        return (Double(last - start) / 1e9, latency)
    }
}

/// A set of distinct values of `--value-size` random bytes, written in turn. Values are made
/// before any timing, so no operation allocates one.
final class ValuePool: Sendable {
    private let values: [[UInt8]]
    static let count = 1024

    init(size: Int, seed: UInt64) {
        var random = SplitMix64(seed: seed)
        values = (0..<Self.count).map { _ in (0..<size).map { _ in UInt8(truncatingIfNeeded: random.next()) } }
    }

    @inline(__always)
    subscript(index: Int) -> [UInt8] { values[index & (Self.count - 1)] }
}

/// Key sequences, computed before the timed loop so generating them costs no engine anything.
enum Keys {
    static func sequential(_ count: Int) -> [Int64] {
        (0..<count).map(Int64.init)
    }

    /// A random permutation of 0..<range, cut to its first `count` keys: distinct random keys.
    static func distinct(_ count: Int, of range: Int, random: inout SplitMix64) -> [Int64] {
        var keys = (0..<range).map(Int64.init)
        keys.shuffle(using: &random)
        return Array(keys.prefix(count))
    }

    /// `count` keys drawn uniformly from 0..<range (repeats allowed).
    static func uniform(_ count: Int, of range: Int, random: inout SplitMix64) -> [Int64] {
        (0..<count).map { _ in Int64(random.next() % UInt64(range)) }
    }
}
