import Foundation

/// YCSB's core workloads A (50% reads, 50% updates) and B (95/5) on a filled table, with YCSB's
/// default request distribution: scrambled zipfian (a few keys hot, spread over the key space).
enum YCSBWorkloads {
    static func run(_ connection: any BenchConnection, _ context: WorkloadContext) throws -> Sample {
        let settings = context.settings
        let readPercent: UInt64 = context.workload == .ycsbA ? 50 : 95
        var random = context.random()
        let zipfian = ScrambledZipfian(items: settings.rows)
        let keys = (0..<settings.rows).map { _ in Int64(zipfian.next(using: &random)) }
        let reads = (0..<settings.rows).map { _ in random.next() % 100 < readPercent }
        let values = context.values
        let valueSize = settings.valueSize
        let (seconds, latency) = try context.timed(count: keys.count) { index in
            let key = keys[index]
            if reads[index] {
                guard try connection.read(key: key) == valueSize else { throw BenchError("key \(key) not found or of the wrong size") }
            } else {
                let changed = try connection.update(key: key, value: values[index + 1])
                guard changed == 1 else { throw BenchError("UPDATE of key \(key) changed \(changed) rows, expected 1") }
            }
        }
        return Sample(operations: keys.count, seconds: seconds, bytes: Int64(keys.count) * settings.bytesPerRow, latency: latency)
    }
}

/// YCSB's ZipfianGenerator (Gray et al., "Quickly generating billion-record synthetic
/// databases"), constant 0.99, with ScrambledZipfianGenerator's FNV hash so the popular keys are
/// not all at the start of the table.
struct ScrambledZipfian {
    let items: Int
    private let theta = 0.99
    private let alpha: Double
    private let zetaN: Double
    private let eta: Double

    init(items: Int) {
        precondition(items >= 2, "a zipfian distribution needs two items")
        self.items = items
        func zeta(_ n: Int, _ theta: Double) -> Double {
            (1...n).reduce(0.0) { $0 + 1 / pow(Double($1), theta) }
        }
        let zeta2 = zeta(2, theta)
        zetaN = zeta(items, theta)
        alpha = 1 / (1 - theta)
        eta = (1 - pow(2 / Double(items), 1 - theta)) / (1 - zeta2 / zetaN)
    }

    /// A rank (0 most popular) scrambled into a key in 0..<items.
    func next(using random: inout SplitMix64) -> Int {
        let u = Double(random.next() >> 11) / Double(1 << 53)
        let uz = u * zetaN
        let rank: Int
        if uz < 1 {
            rank = 0
        } else if uz < 1 + pow(0.5, theta) {
            rank = 1
        } else {
            rank = min(items - 1, Int(Double(items) * pow(eta * u - eta + 1, alpha)))
        }
        return Int(Self.fnv64(UInt64(rank)) % UInt64(items))
    }

    /// FNV-1a over the value's 8 bytes, as YCSB's Utils.fnvhash64.
    static func fnv64(_ value: UInt64) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        var remaining = value
        for _ in 0..<8 {
            hash = (hash ^ (remaining & 0xFF)) &* 0x0000_0100_0000_01B3
            remaining >>= 8
        }
        return hash
    }
}
