import Synchronization

/// A simulated machine for `PagerOptions.environment`: databases opened with it keep their files
/// on `fileSystem`, and each backend they ask for (one per connection, one per open) is a
/// `SimulatedIO` seeded from `seed` and the number of backends made before it, so a run that
/// opens the same connections in the same order gets the same backends.
///
/// ```swift
/// let machine = SimulatedEnvironment(seed: 42, faults: .shortTransfers(0.1))
/// var options = PagerOptions()
/// options.environment = machine
/// let shared = try PagerShared.open(path: "db", options: options)
/// ...
/// machine.simulatedFileSystem.crash(seed: 7)   // then drop every Pager and PagerShared, and open again
/// ```
package final class SimulatedEnvironment: IOEnvironment {
    package let simulatedFileSystem: SimulatedFileSystem
    package let seed: UInt64
    /// Changed freely between runs of a workload (say, to stop injecting faults while checking
    /// the files after a crash); backends made later use the new plans.
    private let plans: Mutex<Plans>

    private struct Plans {
        var faults: FaultPlan
        var schedule: SchedulePlan
        var failedSync: CrashPlan
        var backendsMade: UInt64 = 0
    }

    package init(seed: UInt64, fileSystem: SimulatedFileSystem = SimulatedFileSystem(), faults: FaultPlan = .none,
                 schedule: SchedulePlan = SchedulePlan(), failedSync: CrashPlan = CrashPlan()) {
        self.simulatedFileSystem = fileSystem
        self.seed = seed
        self.plans = Mutex(Plans(faults: faults, schedule: schedule, failedSync: failedSync))
    }

    package var fileSystem: any FileSystem { simulatedFileSystem }

    package var faults: FaultPlan {
        get { plans.withLock { $0.faults } }
        set { plans.withLock { $0.faults = newValue } }
    }

    package var schedule: SchedulePlan {
        get { plans.withLock { $0.schedule } }
        set { plans.withLock { $0.schedule = newValue } }
    }

    /// How many backends this environment has made.
    package var backendsMade: UInt64 { plans.withLock { $0.backendsMade } }

    package func makeBackend(pool: BufferPool?, injector: FaultInjector?) -> any IOBackend {
        makeSimulatedBackend(injector: injector)
    }

    /// The next backend, as its own type (tests that drive one directly).
    package func makeSimulatedBackend(injector: FaultInjector? = nil) -> SimulatedIO {
        let (plans, number) = plans.withLock { plans in
            plans.backendsMade += 1
            return (plans, plans.backendsMade)
        }
        return SimulatedIO(fileSystem: simulatedFileSystem, seed: SimulationRandom.derive(seed, stream: number),
                           faults: plans.faults, schedule: plans.schedule, failedSync: plans.failedSync, injector: injector)
    }
}
