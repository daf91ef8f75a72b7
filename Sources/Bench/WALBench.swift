import ArgumentParser
import BTree
import Foundation
import Pager

/// `bench wal`: the two WAL figures the storage engine is judged by, through the B-tree API:
/// autocommit single-row inserts under synchronous=FULL (against fio's fdatasync-per-write rate on
/// the same disk), and a checkpoint of N dirty pages (io_uring with many writes in flight against
/// syscalls), for buffered and O_DIRECT database files.
struct WALBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wal",
        abstract: "WAL commits under synchronous=FULL and checkpoint throughput, io_uring against syscalls."
    )

    @Option(help: "Directory for the database files.")
    var directory = "."

    @Option(help: "Autocommit single-row inserts per measurement.")
    var commits = 2000

    @Option(help: "Dirty pages the checkpoint phase copies.")
    var pages = 10_000

    @Option(help: "Phases, comma-separated: commit, checkpoint.")
    var phases = "commit,checkpoint"

    @Option(help: "Database file modes, comma-separated: buffered, direct.")
    var modes = "buffered,direct"

    @Option(help: "Backends, comma-separated: uring, syscall.")
    var backends = "uring,syscall"

    @Option(name: .customLong("repeat"), help: "Measurements per point; the median is reported. Contenders alternate.")
    var repetitions = 3

    @Flag(help: "Also measure fio's fdatasync-per-4KiB-write rate in the same directory (commit phase).")
    var fio = false

    @Option(help: "Write the results as JSON to this path.")
    var json: String?

    func run() throws {
        let phaseList = phases.split(separator: ",").map(String.init)
        let modeList = modes.split(separator: ",").map(String.init)
        let backendList = try backends.split(separator: ",").map { name -> IOBackendKind in
            guard let kind = IOBackendKind(rawValue: String(name)), kind != .memory else {
                throw ValidationError("unknown backend '\(name)'")
            }
            return kind
        }
        let machine = Machine.describe(path: directory)
        print("bench wal: \(commits) commits, checkpoint of \(pages) pages, median of \(repetitions), in \(directory)")
        print("machine: \(machine.summary)\n")
        var rows: [[String]] = []
        var results: [WALBenchResult] = []
        for phase in phaseList {
            for mode in modeList {
                var samples: [IOBackendKind: [Double]] = [:]
                var fioSamples: [Double] = []
                for _ in 0..<repetitions {
                    for backend in backendList {
                        let rate = phase == "commit"
                            ? try measureCommits(backend: backend, direct: mode == "direct")
                            : try measureCheckpoint(backend: backend, direct: mode == "direct")
                        samples[backend, default: []].append(rate)
                    }
                    if fio && phase == "commit" { fioSamples.append(try fioSyncRate()) }
                }
                let syscall = samples[.syscall].map(median)
                let fioRate = fioSamples.isEmpty ? nil : median(fioSamples)
                for backend in backendList {
                    let rate = median(samples[backend]!)
                    let unit = phase == "commit" ? "commits/s" : "pages/s"
                    rows.append([phase, mode, backend.rawValue, String(format: "%.0f %@", rate, unit),
                                 backend == .uring ? (syscall.map { String(format: "%.2fx", rate / $0) } ?? "") : "",
                                 fioRate.map { String(format: "%.2f (fio %.0f/s)", rate / $0, $0) } ?? ""])
                    results.append(WALBenchResult(phase: phase, mode: mode, backend: backend.rawValue, rate: rate,
                                                  samples: samples[backend]!, fioRate: fioRate))
                }
                FileHandle.standardError.write(Data("  \(phase) \(mode) done\n".utf8))
            }
        }
        print(TextTable.render(header: ["phase", "mode", "backend", "rate", "uring/syscall", "vs fio fdatasync"], rows: rows))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let report = WALBenchReport(command: CommandLine.arguments.joined(separator: " "), machine: machine,
                                        date: ISO8601DateFormatter().string(from: Date()), results: results)
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("\nJSON written to \(json)")
        }
    }

    func freshDatabase(_ name: String, backend: IOBackendKind, direct: Bool, autoCheckpoint: Int) throws -> (PagerShared, String) {
        let path = (directory as NSString).appendingPathComponent("bench-wal-\(name).db")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        var options = PagerOptions()
        options.io = backend
        options.direct = direct
        options.journalMode = .wal
        options.synchronous = .full
        options.autoCheckpointFrames = autoCheckpoint
        options.cachePages = 2000
        return (try PagerShared.open(path: path, options: options), path)
    }

    func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Autocommit transactions of one 100-byte row each, fsync per commit.
    func measureCommits(backend: IOBackendKind, direct: Bool) throws -> Double {
        let (shared, path) = try freshDatabase("commit", backend: backend, direct: direct, autoCheckpoint: 1000)
        defer { remove(path) }
        let pager = Pager(shared: shared)
        let store = try TreeStore(pager: pager)
        try pager.beginWrite()
        let table = try store.createTable(name: "t", sql: "CREATE TABLE t(v)")
        try pager.commit()
        let payload = RecordEncoder.encode([.blob([UInt8](repeating: 0x42, count: 100))])
        let start = monotonicNanoseconds()
        for rowid in 1...Int64(commits) {
            try pager.beginWrite()
            let cursor = BTreeCursor(store: store, root: table, kind: .table, writable: true)
            try payload.withUnsafeBytes { try cursor.insert(rowid: rowid, payload: $0) }
            cursor.close()
            try pager.commit()
        }
        return Double(commits) / (Double(monotonicNanoseconds() - start) / 1e9)
    }

    /// Pages copied per second by one checkpoint of a log holding `pages` dirty pages: pages of a
    /// database that are already in its file (checkpointed once), each rewritten by one
    /// transaction, so the checkpoint overwrites them in place as in a database's steady state.
    func measureCheckpoint(backend: IOBackendKind, direct: Bool) throws -> Double {
        let (shared, path) = try freshDatabase("checkpoint", backend: backend, direct: direct, autoCheckpoint: 0)
        defer { remove(path) }
        let pager = Pager(shared: shared)
        let store = try TreeStore(pager: pager)
        try pager.beginWrite()
        let table = try store.createTable(name: "t", sql: "CREATE TABLE t(v)")
        try pager.commit()
        // One row per page: a payload too large for two to share a leaf, too small to overflow.
        for version: UInt8 in [1, 2] {
            let payload = RecordEncoder.encode([.blob([UInt8](repeating: version, count: shared.usableSize - 200))])
            try pager.beginWrite()
            let cursor = BTreeCursor(store: store, root: table, kind: .table, writable: true)
            for rowid in 1...Int64(pages) {
                try payload.withUnsafeBytes { try cursor.insert(rowid: rowid, payload: $0) }
            }
            cursor.close()
            try pager.commit()
            if version == 1 {
                let initial = try pager.checkpoint(.truncate)
                guard !initial.busy else { throw ValidationError("the initial checkpoint was busy") }
            }
        }
        let frames = shared.wal!.index.committedMaxFrame
        let start = monotonicNanoseconds()
        let result = try pager.checkpoint(.passive)
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        guard !result.busy, result.checkpointedFrames == Int(frames) else {
            throw ValidationError("checkpoint copied \(result.checkpointedFrames) of \(frames) frames")
        }
        return Double(frames) / seconds
    }

    /// fio: 4 KiB sequential writes with an fdatasync after each, the disk's commit ceiling.
    func fioSyncRate() throws -> Double {
        guard let fio = FioRunner.findExecutable("fio") else { throw ValidationError("--fio: fio is not installed") }
        let file = (directory as NSString).appendingPathComponent("bench-wal-fio.dat")
        defer { try? FileManager.default.removeItem(atPath: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: fio)
        process.arguments = ["--name=fsync", "--filename=\(file)", "--size=64M", "--ioengine=psync", "--fdatasync=1",
                             "--rw=write", "--bs=4k", "--runtime=3", "--time_based", "--output-format=json"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let job = (root["jobs"] as? [[String: Any]])?.first, let write = job["write"] as? [String: Any],
              let iops = write["iops"] as? Double else { throw ValidationError("could not read fio's output") }
        return iops
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

struct WALBenchResult: Codable {
    var phase: String
    var mode: String
    var backend: String
    var rate: Double
    var samples: [Double]
    var fioRate: Double?
}

struct WALBenchReport: Codable {
    var command: String
    var machine: Machine
    var date: String
    var results: [WALBenchResult]
}
