import Pager
import Synchronization

/// The simulated machine a seed runs on: a `SimulatedEnvironment` whose backends the simulator
/// can reach afterwards, to turn faults off while it checks the files (the checks must see what
/// is there, not fail on a fault of their own) and on again for the workload.
final class SimulatedMachine: IOEnvironment, @unchecked Sendable {
    let environment: SimulatedEnvironment
    let workloadFaults: FaultPlan
    /// Touched only from the simulator's one thread; the lock keeps the type honest as Sendable.
    private let backends = Mutex<[WeakBackend]>([])
    private let faultsOn = Mutex<Bool>(true)

    private struct WeakBackend: @unchecked Sendable { weak var backend: SimulatedIO? }

    init(seed: UInt64, faults: FaultPlan) {
        self.environment = SimulatedEnvironment(seed: seed, faults: faults)
        self.workloadFaults = faults
    }

    var fileSystem: any FileSystem { environment.simulatedFileSystem }
    var simulatedFileSystem: SimulatedFileSystem { environment.simulatedFileSystem }

    func makeBackend(pool: BufferPool?, injector: FaultInjector?) -> any IOBackend {
        let backend = environment.makeSimulatedBackend(injector: injector)
        backend.faults = faultsOn.withLock { $0 } ? workloadFaults : .none
        backends.withLock { list in
            list.removeAll { $0.backend == nil }
            list.append(WeakBackend(backend: backend))
        }
        return backend
    }

    /// Turns the workload's faults on or off for every live backend and every later one.
    func setFaults(_ on: Bool) {
        faultsOn.withLock { $0 = on }
        environment.faults = on ? workloadFaults : .none
        backends.withLock { list in
            for entry in list { entry.backend?.faults = on ? workloadFaults : .none }
        }
    }
}
