import Histogram

/// Per-operation latencies in nanoseconds, in an HDR histogram (3 significant digits), so the
/// percentiles cost one array increment per operation and the same for every engine.
struct LatencyRecorder: Sendable {
    private(set) var histogram: Histogram<UInt64>

    init() {
        histogram = Histogram(highestTrackableValue: 1_000_000_000, numberOfSignificantValueDigits: .three)
        // A stall longer than a second (a slow fsync) widens the range instead of being dropped.
        histogram.autoResize = true
    }

    @inline(__always)
    mutating func record(nanoseconds: UInt64) {
        _ = histogram.record(nanoseconds)
    }

    mutating func merge(_ other: LatencyRecorder) {
        histogram.add(other.histogram)
    }

    var count: UInt64 { histogram.totalCount }

    /// The latency at `percentile` (0...100), in microseconds.
    func microseconds(atPercentile percentile: Double) -> Double {
        Double(histogram.valueAtPercentile(percentile)) / 1000
    }

    var summary: LatencySummary {
        LatencySummary(p50: microseconds(atPercentile: 50), p99: microseconds(atPercentile: 99),
                       p999: microseconds(atPercentile: 99.9))
    }
}

/// The percentiles a report shows, in microseconds.
struct LatencySummary: Codable, Equatable, Sendable {
    var p50: Double
    var p99: Double
    var p999: Double
}
