import ArgumentParser
import Foundation
import Pager

/// `bench io`: 4 KiB random reads and writes on one file, buffered and O_DIRECT, at several queue
/// depths, through each IO backend: the physical limit the engine's own IO has to approach.
struct IOBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "io",
        abstract: "4 KiB random reads and writes at queue depths 1-64, io_uring against syscalls."
    )

    @Option(help: "The file to test (created and filled when missing or too small).")
    var file = "bench-io.dat"

    @Option(help: "File size in MiB.")
    var sizeMib = 512

    @Option(help: "Seconds per measurement.")
    var seconds = 2.0

    @Option(help: "Queue depths, comma-separated.")
    var depths = "1,4,16,32,64"

    @Option(help: "Workloads, comma-separated: randread, randwrite.")
    var workloads = "randread,randwrite"

    @Option(help: "File modes, comma-separated: buffered, direct.")
    var modes = "buffered,direct"

    @Option(help: "Backends, comma-separated: uring, syscall.")
    var backends = "uring,syscall"

    @Option(name: .customLong("repeat"), help: "Measurements per point; the median is reported. Backends alternate.")
    var repetitions = 3

    @Flag(help: "Use plain buffers even where fixed (registered) buffers are available.")
    var plainBuffers = false

    @Flag(help: "Also run fio (io_uring engine) on the same file for each O_DIRECT point and report the ratio.")
    var fio = false

    @Option(help: "Write the results as JSON to this path.")
    var json: String?

    @Option(help: "Random seed for offsets.")
    var seed: UInt64 = 42

    mutating func validate() throws {
        guard sizeMib >= 1 else { throw ValidationError("--size-mib must be at least 1") }
        guard seconds > 0 else { throw ValidationError("--seconds must be positive") }
        guard repetitions >= 1 else { throw ValidationError("--repeat must be at least 1") }
        for depth in try parsedDepths() where !(1...1024).contains(depth) {
            throw ValidationError("queue depth \(depth) is outside 1...1024")
        }
    }

    func parsedDepths() throws -> [Int] {
        try depths.split(separator: ",").map {
            guard let value = Int($0.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("bad queue depth '\($0)'")
            }
            return value
        }
    }

    func list(_ text: String, allowed: Set<String>, name: String) throws -> [String] {
        let values = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for value in values where !allowed.contains(value) {
            throw ValidationError("unknown \(name) '\(value)'; expected one of \(allowed.sorted().joined(separator: ", "))")
        }
        return values
    }

    func run() throws {
        let depthList = try parsedDepths()
        let workloadList = try list(workloads, allowed: ["randread", "randwrite"], name: "workload")
        let modeList = try list(modes, allowed: ["buffered", "direct"], name: "mode")
        let backendList = try list(backends, allowed: ["uring", "syscall"], name: "backend").map { IOBackendKind(rawValue: $0)! }
        let bytes = Int64(sizeMib) << 20

        if backendList.contains(.uring), case .unavailable(_, let reason) = URingAvailability.current {
            throw ValidationError("io_uring is unavailable here: \(reason)")
        }
        try IOBenchFile.prepare(path: file, bytes: bytes)
        let machine = Machine.describe(path: file)
        print("bench io: \(file), \(sizeMib) MiB, 4 KiB blocks, \(seconds)s per point, median of \(repetitions)")
        print("machine: \(machine.summary)")
        print("fixed buffers: \(plainBuffers ? "off (--plain-buffers)" : "on where the ring can register them")")
        print("")

        var results: [IOBenchResult] = []
        let header = ["workload", "mode", "QD", "backend", "IOPS", "MB/s", "uring/syscall", "uring/fio"]
        var rows: [[String]] = []
        for workload in workloadList {
            for mode in modeList {
                for depth in depthList {
                    let point = IOBenchPoint(write: workload == "randwrite", direct: mode == "direct", depth: depth)
                    // Contenders alternate (uring, syscall, fio, uring, ...) so drift on a shared
                    // machine lands on all of them alike.
                    var samples: [IOBackendKind: [Double]] = [:]
                    var fioSamples: [Double] = []
                    for _ in 0..<repetitions {
                        for backend in backendList {
                            let iops = try measure(point, backend: backend, bytes: bytes)
                            samples[backend, default: []].append(iops)
                        }
                        if fio && point.direct {
                            fioSamples.append(try FioRunner.run(file: file, bytes: bytes, write: point.write, depth: depth, seconds: seconds))
                        }
                    }
                    let fioIOPS = fioSamples.isEmpty ? nil : median(fioSamples)
                    let syscall = samples[.syscall].map(median)
                    for backend in backendList {
                        let iops = median(samples[backend]!)
                        let ratio = backend == .uring ? (syscall.map { String(format: "%.2fx", iops / $0) } ?? "") : ""
                        let fioRatio = backend == .uring ? (fioIOPS.map { String(format: "%.2f (fio %.0f)", iops / $0, $0) } ?? "") : ""
                        rows.append([workload, mode, "\(depth)", backend.rawValue, String(format: "%.0f", iops),
                                     String(format: "%.1f", iops * 4096 / 1_000_000), ratio, fioRatio])
                        results.append(IOBenchResult(workload: workload, mode: mode, depth: depth, backend: backend.rawValue,
                                                     iops: iops, megabytesPerSecond: iops * 4096 / 1_000_000,
                                                     samples: samples[backend]!, fioIOPS: backend == .uring ? fioIOPS : nil,
                                                     fioSamples: backend == .uring && !fioSamples.isEmpty ? fioSamples : nil))
                    }
                    FileHandle.standardError.write(Data("  \(workload) \(mode) QD\(depth) done\n".utf8))
                }
            }
        }
        print(TextTable.render(header: header, rows: rows))
        if let json {
            let report = IOBenchReport(command: CommandLine.arguments.joined(separator: " "), machine: machine,
                                       date: ISO8601DateFormatter().string(from: Date()), results: results)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("\nJSON written to \(json)")
        }
    }

    /// IOPS of one backend at one point, measured for `seconds`.
    func measure(_ point: IOBenchPoint, backend kind: IOBackendKind, bytes: Int64) throws -> Double {
        let fileSystem = PosixFileSystem()
        let storage = try fileSystem.open(file, options: FileOpenOptions(create: false, direct: point.direct))
        let pool = BufferPool(pageSize: 4096)
        let backend: any IOBackend = switch kind {
        case .uring: try URingIO(entries: UInt32(max(64, point.depth * 2)), pool: plainBuffers ? nil : pool)
        case .syscall: SyscallIO()
        case .memory: MemoryIO()
        case .simulated: preconditionFailure("bench io measures real backends")
        }
        let buffers = pool.takePages(point.depth)
        defer { pool.returnPages(buffers) }
        var driver = IODriver(backend: backend, file: storage, buffers: buffers, blocks: bytes / 4096,
                              write: point.write, seed: seed &+ UInt64(point.depth))
        return try driver.run(seconds: seconds)
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

struct IOBenchPoint {
    var write: Bool
    var direct: Bool
    var depth: Int
}

struct IOBenchResult: Codable {
    var workload: String
    var mode: String
    var depth: Int
    var backend: String
    var iops: Double
    var megabytesPerSecond: Double
    var samples: [Double]
    var fioIOPS: Double?
    var fioSamples: [Double]?
}

struct IOBenchReport: Codable {
    var command: String
    var machine: Machine
    var date: String
    var results: [IOBenchResult]
}

/// Keeps `buffers.count` random 4 KiB operations in flight until the time is up: each completion's
/// callback issues the next one into the same buffer.
struct IODriver {
    let backend: any IOBackend
    let file: StorageFile
    let buffers: [IOBuffer]
    let blocks: Int64
    let write: Bool
    var random: SplitMix64

    init(backend: any IOBackend, file: StorageFile, buffers: [IOBuffer], blocks: Int64, write: Bool, seed: UInt64) {
        self.backend = backend
        self.file = file
        self.buffers = buffers
        self.blocks = blocks
        self.write = write
        self.random = SplitMix64(seed: seed)
    }

    mutating func run(seconds: Double) throws -> Double {
        final class State {
            var random: SplitMix64
            var operations = 0
            var stopping = false
            var failure: Errno?
            let deadline: UInt64
            init(random: SplitMix64, deadline: UInt64) {
                self.random = random
                self.deadline = deadline
            }
        }
        for buffer in buffers { memset(buffer.base, 0xA5, buffer.count) }
        let start = monotonicNanoseconds()
        let state = State(random: random, deadline: start + UInt64(seconds * 1e9))
        let backend = self.backend, file = self.file, blocks = self.blocks, write = self.write
        func issue(_ buffer: IOBuffer) {
            let offset = Int64(state.random.next() % UInt64(blocks)) * 4096
            let operation: Completion.Operation = write ? .write(file, buffer, offset: offset) : .read(file, buffer, offset: offset)
            backend.submit(Completion(operation) { completion in
                if let error = completion.error { state.failure = error; state.stopping = true; return }
                precondition(completion.bytesTransferred == 4096, "a 4 KiB transfer inside the file moved \(completion.bytesTransferred) bytes")
                state.operations += 1
                if state.stopping { return }
                if state.operations & 63 == 0, monotonicNanoseconds() >= state.deadline {
                    state.stopping = true
                    return
                }
                issue(buffer)
            })
        }
        for buffer in buffers { issue(buffer) }
        backend.drain()
        let elapsed = Double(monotonicNanoseconds() - start) / 1e9
        if let failure = state.failure { throw failure }
        random = state.random
        return Double(state.operations) / elapsed
    }
}

enum IOBenchFile {
    /// Creates `path` with `bytes` of non-zero data (so reads are real reads, not holes) unless it
    /// is already that large.
    static func prepare(path: String, bytes: Int64) throws {
        let fileSystem = PosixFileSystem()
        let file = try fileSystem.open(path, options: FileOpenOptions(create: true))
        if try file.size() >= bytes { return }
        FileHandle.standardError.write(Data("filling \(path) with \(bytes >> 20) MiB...\n".utf8))
        let chunk = IOBuffer.allocate(count: 1 << 20)
        memset(chunk.base, 0x5A, chunk.count)
        let backend = SyscallIO()
        var offset: Int64 = 0
        while offset < bytes {
            let completion = Completion(.write(file, chunk, offset: offset))
            backend.submit(completion)
            if let error = completion.error { throw error }
            offset += Int64(chunk.count)
        }
        let sync = Completion(.sync(file, dataOnly: false))
        backend.submit(sync)
        if let error = sync.error { throw error }
    }
}
