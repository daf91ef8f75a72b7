import Foundation
import Testing
@testable import Pager

/// A directory for one test's files, removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init(_ name: String = #function) {
        let base = ProcessInfo.processInfo.environment["RINGLITE_TEST_DIR"] ?? NSTemporaryDirectory()
        let safe = name.filter { $0.isLetter || $0.isNumber }
        path = (base as NSString).appendingPathComponent("ringlite-\(safe)-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// The backends the IO tests run on: the one `RINGLITE_IO` names, or both real-file backends.
/// CI runs the suite once per backend.
enum TestBackends {
    static var realFile: [IOBackendKind] {
        if let chosen = IOBackendKind.fromEnvironment(), chosen != .memory { return [chosen] }
        return [.uring, .syscall]
    }

    static var all: [IOBackendKind] { realFile + [.memory] }

    static func make(_ kind: IOBackendKind, pool: BufferPool? = nil, injector: FaultInjector? = nil) -> any IOBackend {
        switch kind {
        case .uring: try! URingIO(entries: 64, pool: pool, injector: injector)
        case .syscall: SyscallIO(injector: injector)
        case .memory: MemoryIO(injector: injector)
        case .simulated: preconditionFailure("simulated backends are made by SimulatedEnvironment")
        }
    }

    static func fileSystem(for kind: IOBackendKind) -> any FileSystem {
        kind == .memory ? MemoryFileSystem() : PosixFileSystem()
    }
}

extension IOBackend {
    /// Submits and waits; returns the completion for inspection.
    @discardableResult
    func run(_ operation: Completion.Operation) -> Completion {
        let completion = Completion(operation)
        submit(completion)
        wait(for: completion)
        return completion
    }
}

func fill(_ buffer: IOBuffer, seed: Int) {
    for i in 0..<buffer.count { buffer.base.storeBytes(of: UInt8(truncatingIfNeeded: i &* 31 &+ seed &* 7 &+ 1), toByteOffset: i, as: UInt8.self) }
}

func matches(_ buffer: IOBuffer, seed: Int) -> Bool {
    for i in 0..<buffer.count where buffer.base.load(fromByteOffset: i, as: UInt8.self) != UInt8(truncatingIfNeeded: i &* 31 &+ seed &* 7 &+ 1) {
        return false
    }
    return true
}
