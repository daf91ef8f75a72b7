import ArgumentParser
import BTree
import Foundation
import Pager

/// `bench btree`: the B-tree layer alone, through its cursor API: sequential and random inserts
/// of N rowids, random seeks and a full scan, for each backend and database file mode. The
/// cache is smaller than the tree, so seeks and the scan read pages from the file (O_DIRECT:
/// from the device).
struct BTreeBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "btree",
        abstract: "B-tree inserts (sequential, random), random seeks and a full scan, io_uring against syscalls."
    )

    @Option(help: "Directory for the database files.")
    var directory = "."

    @Option(help: "Rows inserted (rowids 1...N).")
    var rows = 1_000_000

    @Option(help: "Random seeks per measurement.")
    var seeks = 100_000

    @Option(help: "Rows per transaction while inserting.")
    var batch = 10_000

    @Option(name: .customLong("cache-pages"), help: "Page cache size in pages.")
    var cachePages = 2000

    @Option(help: "Bytes of each row's blob value.")
    var valueSize = 100

    @Option(help: "Database file modes, comma-separated: buffered, direct.")
    var modes = "buffered,direct"

    @Option(help: "Backends, comma-separated: uring, syscall.")
    var backends = "uring,syscall"

    @Option(name: .customLong("repeat"), help: "Measurements per point; the median is reported. Contenders alternate.")
    var repetitions = 3

    @Option(help: "Write the results as JSON to this path.")
    var json: String?

    static let phases = ["seqinsert", "randinsert", "randseek", "scan"]

    func run() throws {
        let modeList = modes.split(separator: ",").map(String.init)
        let backendList = try backends.split(separator: ",").map { name -> IOBackendKind in
            guard let kind = IOBackendKind(rawValue: String(name)), kind != .memory else {
                throw ValidationError("unknown backend '\(name)'")
            }
            return kind
        }
        let machine = Machine.describe(path: directory)
        print("bench btree: \(rows) rows of \(valueSize) bytes, \(seeks) seeks, \(cachePages)-page cache, median of \(repetitions), in \(directory)")
        print("machine: \(machine.summary)\n")
        var tableRows: [[String]] = []
        var results: [BTreeBenchResult] = []
        for mode in modeList {
            var samples: [String: [IOBackendKind: [Double]]] = [:]
            for repetition in 0..<repetitions {
                for backend in backendList {
                    let rates = try measure(backend: backend, direct: mode == "direct", seed: UInt64(repetition + 1))
                    for (phase, rate) in rates { samples[phase, default: [:]][backend, default: []].append(rate) }
                }
                FileHandle.standardError.write(Data("  \(mode): repetition \(repetition + 1) of \(repetitions) done\n".utf8))
            }
            for phase in Self.phases {
                let syscall = samples[phase]?[.syscall].map(median)
                for backend in backendList {
                    let values = samples[phase]![backend]!
                    let rate = median(values)
                    tableRows.append([phase, mode, backend.rawValue, String(format: "%.0f rows/s", rate),
                                      backend == .uring ? (syscall.map { String(format: "%.2fx", rate / $0) } ?? "") : ""])
                    results.append(BTreeBenchResult(phase: phase, mode: mode, backend: backend.rawValue, rate: rate, samples: values))
                }
            }
        }
        print(TextTable.render(header: ["phase", "mode", "backend", "rate", "uring/syscall"], rows: tableRows))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            let report = BTreeBenchReport(command: CommandLine.arguments.joined(separator: " "), machine: machine,
                                          date: ISO8601DateFormatter().string(from: Date()), results: results)
            try encoder.encode(report).write(to: URL(fileURLWithPath: json))
            print("\nJSON written to \(json)")
        }
    }

    /// One database built sequentially (then scanned and sought), one built in random order.
    func measure(backend: IOBackendKind, direct: Bool, seed: UInt64) throws -> [String: Double] {
        var rates: [String: Double] = [:]
        var random = SplitMix64(seed: seed)
        let sequential = (1...Int64(rows)).map { $0 }
        var shuffled = sequential
        shuffled.shuffle(using: &random)
        do {
            let database = try BenchDatabase(directory: directory, name: "btree-seq", backend: backend, direct: direct, cachePages: cachePages)
            defer { database.remove() }
            rates["seqinsert"] = try database.insert(sequential, valueSize: valueSize, batch: batch)
            rates["scan"] = try database.scan(expected: rows)
            let targets = (0..<seeks).map { _ in Int64.random(in: 1...Int64(rows), using: &random) }
            rates["randseek"] = try database.seek(targets)
        }
        do {
            let database = try BenchDatabase(directory: directory, name: "btree-rand", backend: backend, direct: direct, cachePages: cachePages)
            defer { database.remove() }
            rates["randinsert"] = try database.insert(shuffled, valueSize: valueSize, batch: batch)
        }
        return rates
    }

    func median(_ values: [Double]) -> Double {
        let sorted = values.sorted()
        return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
    }
}

/// A database of one table for the B-tree benchmark, in journal_mode=OFF with synchronous=OFF:
/// the figures are the B-tree's and the IO path's, not the disk's flush latency.
final class BenchDatabase {
    let path: String
    let shared: PagerShared
    let pager: Pager
    let store: TreeStore
    var root: UInt32 = 0

    init(directory: String, name: String, backend: IOBackendKind, direct: Bool, cachePages: Int) throws {
        path = (directory as NSString).appendingPathComponent("bench-\(name).db")
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        var options = PagerOptions()
        options.io = backend
        options.direct = direct
        options.journalMode = .off
        options.synchronous = .off
        options.cachePages = cachePages
        shared = try PagerShared.open(path: path, options: options)
        pager = Pager(shared: shared)
        store = try TreeStore(pager: pager)
        try pager.beginWrite()
        root = try store.createTable(name: "t", sql: "CREATE TABLE t(v)")
        try pager.commit()
    }

    func remove() {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Inserts the rowids in order, `batch` per transaction; rows per second.
    func insert(_ rowids: [Int64], valueSize: Int, batch: Int) throws -> Double {
        let payload = RecordEncoder.encode([.blob([UInt8](repeating: 0x5A, count: valueSize))])
        let start = monotonicNanoseconds()
        var index = 0
        while index < rowids.count {
            try pager.beginWrite()
            let cursor = BTreeCursor(store: store, root: root, kind: .table, writable: true)
            for rowid in rowids[index..<min(index + batch, rowids.count)] {
                try payload.withUnsafeBytes { try cursor.insert(rowid: rowid, payload: $0) }
            }
            cursor.close()
            try pager.commit()
            index += batch
        }
        return Double(rowids.count) / (Double(monotonicNanoseconds() - start) / 1e9)
    }

    /// A full scan in rowid order, reading each row's payload size; rows per second.
    func scan(expected: Int) throws -> Double {
        pager.beginRead()
        defer { pager.endRead() }
        let cursor = BTreeCursor(store: store, root: root, kind: .table, writable: false)
        defer { cursor.close() }
        let start = monotonicNanoseconds()
        var count = 0
        var more = try cursor.blocking { () throws(DatabaseError) -> IOResult<Bool> in try cursor.first() }
        while more {
            count += 1
            more = try cursor.blocking { () throws(DatabaseError) -> IOResult<Bool> in try cursor.next() }
        }
        let seconds = Double(monotonicNanoseconds() - start) / 1e9
        guard count == expected else { throw ValidationError("the scan found \(count) rows of \(expected)") }
        return Double(count) / seconds
    }

    /// Seeks each rowid (all present); seeks per second.
    func seek(_ targets: [Int64]) throws -> Double {
        pager.beginRead()
        defer { pager.endRead() }
        let cursor = BTreeCursor(store: store, root: root, kind: .table, writable: false)
        defer { cursor.close() }
        let start = monotonicNanoseconds()
        for target in targets {
            let found = try cursor.blocking { () throws(DatabaseError) -> IOResult<SeekResult> in try cursor.seek(rowid: target) }
            guard found == .exact else { throw ValidationError("rowid \(target) not found") }
        }
        return Double(targets.count) / (Double(monotonicNanoseconds() - start) / 1e9)
    }
}

struct BTreeBenchResult: Codable {
    var phase: String
    var mode: String
    var backend: String
    var rate: Double
    var samples: [Double]
}

struct BTreeBenchReport: Codable {
    var command: String
    var machine: Machine
    var date: String
    var results: [BTreeBenchResult]
}
