import Foundation

/// A progress bar on stderr for a phase that runs longer than a second: silent before that, so
/// short phases leave no trace. On a terminal it redraws one line (at most ten times a second);
/// elsewhere (CI logs) it prints one line when such a phase ends.
struct ProgressBar {
    let label: String
    let total: Int
    private let start: UInt64
    private var lastDraw: UInt64 = 0
    private var drawn = false
    private static let onTerminal = isatty(STDERR_FILENO) == 1

    init(label: String, total: Int) {
        self.label = label
        self.total = max(total, 1)
        start = monotonicNanoseconds()
    }

    /// Call every few hundred operations with the time already read for the latency.
    @inline(__always)
    mutating func update(done: Int, now: UInt64) {
        guard now - start > 1_000_000_000, now - lastDraw > 100_000_000 else { return }
        lastDraw = now
        guard Self.onTerminal else { return }
        drawn = true
        let fraction = min(1, Double(done) / Double(total))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let rate = Double(done) / (Double(now - start) / 1e9)
        Self.write(String(format: "\r\u{1B}[K  %@ [%@] %3.0f%% %.0f ops/s", label, bar, fraction * 100, rate))
    }

    mutating func finish() {
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        if drawn {
            Self.write("\r\u{1B}[K")
        }
        if seconds > 1 {
            Self.write(String(format: "  %@: %.1f s\n", label, seconds))
        }
    }

    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
