import Dispatch
import Synchronization
import VM

/// Interrupts the statement of an input that runs too long: fuzzed SQL may legitimately loop
/// forever (an unbounded recursive CTE counted by an aggregate) or run for minutes (a cross join
/// of large series), which is not a bug; stopping it with SQLITE_INTERRUPT, as an application
/// calling sqlite3_interrupt would, keeps libFuzzer's -timeout for real hangs (code that never
/// checks the interrupt flag).
package final class Watchdog: Sendable {
    package static let shared = Watchdog()

    private struct Watched {
        var flag: InterruptFlag?
        var deadline: ContinuousClock.Instant?
    }

    private let watched = Mutex(Watched())

    private init() {
        DispatchQueue.global().async { [self] in
            while true {
                usleepMilliseconds(20)
                watched.withLock { watched in
                    if let deadline = watched.deadline, ContinuousClock.now >= deadline {
                        watched.flag?.set()
                    }
                }
            }
        }
    }

    /// Watches `flag` for `budget` from now, replacing whatever was watched before.
    package func watch(_ flag: InterruptFlag, for budget: Duration) {
        watched.withLock { $0 = Watched(flag: flag, deadline: ContinuousClock.now + budget) }
    }

    package func stop() {
        watched.withLock { $0 = Watched() }
    }
}

private func usleepMilliseconds(_ milliseconds: Int) {
    let semaphore = DispatchSemaphore(value: 0)
    _ = semaphore.wait(timeout: .now() + .milliseconds(milliseconds))
}
