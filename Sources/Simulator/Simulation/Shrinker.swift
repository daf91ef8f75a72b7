import Foundation

/// Reduces a failing workload: drops chunks of steps (halves, then quarters, ... then single
/// steps) while the run still fails, within a time budget.
enum Shrinker {
    static func shrink(config: SeedConfig, steps: [Step], seconds: Double = 60) -> [Step] {
        let deadline = Date().addingTimeInterval(seconds)
        var current = steps
        var chunk = max(1, current.count / 2)
        while chunk >= 1 && Date() < deadline {
            var start = 0
            var removed = false
            while start < current.count && Date() < deadline {
                var candidate = current
                candidate.removeSubrange(start..<min(current.count, start + chunk))
                if fails(config: config, steps: candidate) {
                    current = candidate
                    removed = true
                } else {
                    start += chunk
                }
            }
            if !removed { chunk /= 2 }
        }
        return current
    }

    static func fails(config: SeedConfig, steps: [Step]) -> Bool {
        do {
            try SimulationRun(config: config, steps: steps).run()
            return false
        } catch {
            return true
        }
    }
}
