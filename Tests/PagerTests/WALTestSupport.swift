import Foundation
import Testing
@testable import Pager

/// The sqlite3 shell, the oracle of the WAL tests.
enum SQLite3 {
    static let executable = "/usr/bin/sqlite3"
    static var available: Bool { FileManager.default.isExecutableFile(atPath: executable) }

    struct Failure: Error, CustomStringConvertible {
        let status: Int32
        let message: String
        var description: String { "sqlite3 exited with \(status): \(message)" }
    }

    /// Runs each command (SQL or a dot-command) in order on `database`; returns what it printed.
    @discardableResult
    static func run(_ database: String, _ commands: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-batch", database] + commands
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let printed = output.fileHandleForReading.readDataToEndOfFile()
        let complaints = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(status: process.terminationStatus, message: String(decoding: complaints, as: UTF8.self))
        }
        return String(decoding: printed, as: UTF8.self)
    }

    /// Commands that make sqlite3 keep its WAL when it exits (no checkpoint, no delete) and never
    /// checkpoint on its own, with a given page size for a new database.
    static func keepWAL(pageSize: Int) -> [String] {
        [".dbconfig no_ckpt_on_close on", "PRAGMA page_size=\(pageSize)", "PRAGMA journal_mode=WAL",
         "PRAGMA wal_autocheckpoint=0"]
    }

    /// What sqlite3 makes of a database file and a WAL, on copies: the frames its recovery found
    /// committed (the "log" column of `PRAGMA wal_checkpoint`), the database size in pages, and
    /// the database file once it has checkpointed every frame.
    static func view(database: [UInt8], wal: [UInt8]) throws -> SQLiteView {
        let directory = TemporaryDirectory("oracle")
        let path = directory.file("oracle.db")
        try writeBytes(database, to: path)
        try writeBytes(wal, to: path + "-wal")
        let lines = try run(path, ["PRAGMA page_count", "PRAGMA wal_checkpoint"])
            .split(separator: "\n").map(String.init)
        guard lines.count == 2, let pageCount = Int(lines[0]) else { throw Failure(status: 0, message: "unexpected output \(lines)") }
        let columns = lines[1].split(separator: "|").compactMap { Int($0) }
        guard columns.count == 3, columns[0] == 0 else { throw Failure(status: 0, message: "unexpected checkpoint \(lines[1])") }
        return SQLiteView(maxFrame: UInt32(columns[1]), pageCount: pageCount, checkpointed: try fileBytes(path))
    }
}

struct SQLiteView {
    let maxFrame: UInt32
    let pageCount: Int
    let checkpointed: [UInt8]
}

/// A database and its WAL as sqlite3 left them, not checkpointed.
struct SQLiteWALFixture {
    let directory: TemporaryDirectory
    let database: String
    let pageSize: Int
    var wal: String { database + "-wal" }

    init(pageSize: Int, _ statements: [String], name: String = #function) throws {
        directory = TemporaryDirectory(name)
        database = directory.file("fixture.db")
        self.pageSize = pageSize
        try SQLite3.run(database, SQLite3.keepWAL(pageSize: pageSize) + statements)
        try? FileManager.default.removeItem(atPath: database + "-shm")
    }

    /// Runs more statements in a new sqlite3 process, which recovers the WAL and keeps it.
    func more(_ statements: [String]) throws {
        try SQLite3.run(database, [".dbconfig no_ckpt_on_close on", "PRAGMA wal_autocheckpoint=0"] + statements)
        try? FileManager.default.removeItem(atPath: database + "-shm")
    }

    func databaseBytes() throws -> [UInt8] { try fileBytes(database) }
    func walBytes() throws -> [UInt8] { try fileBytes(wal) }
}

/// Statements that write many pages: a table and an index, small and large transactions,
/// updates and deletes, with a small cache so large transactions spill frames before they commit.
func mixedWorkload(rows: Int) -> [String] {
    [
        "PRAGMA cache_size=40",
        "CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB, c TEXT)",
        "CREATE INDEX t_c ON t(c)",
        "INSERT INTO t VALUES (1, randomblob(100), 'one')",
        "INSERT INTO t VALUES (2, randomblob(3000), 'two')",
        """
        WITH RECURSIVE n(x) AS (SELECT 3 UNION ALL SELECT x + 1 FROM n WHERE x < \(rows))
        INSERT INTO t SELECT x, randomblob(150 + x % 300), hex(randomblob(8)) FROM n
        """,
        "UPDATE t SET c = 'changed' || a WHERE a % 7 = 0",
        "DELETE FROM t WHERE a % 11 = 0",
        "BEGIN; INSERT INTO t VALUES (\(rows + 1), randomblob(70000), 'big'); UPDATE t SET b = randomblob(20) WHERE a < 50; COMMIT",
        "INSERT INTO t VALUES (\(rows + 2), zeroblob(10), 'last')",
    ]
}

/// A transaction that spills frames into the WAL and is then rolled back: frames after the last
/// commit that no commit frame ends. Some have the right salts and a valid chain; once the
/// transaction rewrites a page it already spilled, sqlite3 writes later frames with zero salts and
/// checksums (it would fix them at commit, wal.c walRewriteChecksums), which end the log.
func spilledRollback(rows: Int) -> [String] {
    [
        "PRAGMA cache_size=10",
        """
        BEGIN; WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < \(rows))
        INSERT INTO t(a, b) SELECT 1000000 + x, randomblob(400) FROM n; ROLLBACK
        """,
    ]
}

func fileBytes(_ path: String) throws -> [UInt8] {
    [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
}

func writeBytes(_ bytes: [UInt8], to path: String) throws {
    try Data(bytes).write(to: URL(fileURLWithPath: path))
}

/// A WAL given as bytes, opened on a backend: a real file for uring and syscall, a memory file
/// for memory.
struct WALUnderTest {
    let directory: TemporaryDirectory
    let file: StorageFile
    let backend: any IOBackend

    init(_ bytes: [UInt8], kind: IOBackendKind, injector: FaultInjector? = nil, name: String = #function) throws {
        directory = TemporaryDirectory(name)
        let path = directory.file("db-wal")
        if kind == .memory {
            let fileSystem = MemoryFileSystem()
            file = try fileSystem.open(path, options: FileOpenOptions())
            fileSystem.file(path)!.setContents(bytes)
        } else {
            try writeBytes(bytes, to: path)
            file = try PosixFileSystem().open(path, options: FileOpenOptions())
        }
        backend = TestBackends.make(kind, injector: injector)
    }

    func scan(databasePageSize: Int?, chunkBytes: Int = 1 << 20, readsInFlight: Int = 4) throws -> WALRecoveryResult {
        try WALRecovery.scan(file, backend: backend, databasePageSize: databasePageSize,
                             chunkBytes: chunkBytes, readsInFlight: readsInFlight)
    }
}

func scanWAL(_ bytes: [UInt8], kind: IOBackendKind = .memory, databasePageSize: Int? = nil,
             chunkBytes: Int = 1 << 20, readsInFlight: Int = 4) throws -> WALRecoveryResult {
    let wal = try WALUnderTest(bytes, kind: kind)
    let result = try wal.scan(databasePageSize: databasePageSize, chunkBytes: chunkBytes, readsInFlight: readsInFlight)
    #expect(wal.backend.inFlightCount == 0, "recovery leaves no reads in flight")
    return result
}

/// The database as a reader at the last commit sees it: each page from its newest committed
/// frame, or from the database file.
func resolvedDatabase(database: [UInt8], wal: [UInt8], result: WALRecoveryResult, pageSize: Int) -> [UInt8] {
    let pageCount = result.maxFrame > 0 ? Int(result.databaseSize) : database.count / pageSize
    let snapshot = result.index.snapshot()
    var pages = [UInt8]()
    pages.reserveCapacity(pageCount * pageSize)
    for page in stride(from: 1, through: pageCount, by: 1) {
        if let frame = snapshot.lookup(page: UInt32(page)) {
            let start = Int(WALFrame.offset(ofFrame: frame, pageSize: pageSize)) + WALFrameHeader.size
            pages += wal[start..<start + pageSize]
        } else if page * pageSize <= database.count {
            pages += database[(page - 1) * pageSize..<page * pageSize]
        } else {
            pages += [UInt8](repeating: 0, count: pageSize)
        }
    }
    return pages
}

/// The frame headers of a WAL as stored, without validation: for building expectations.
func storedFrameHeaders(_ wal: [UInt8], pageSize: Int) -> [WALFrameHeader] {
    let frameSize = WALFrame.size(pageSize: pageSize)
    guard wal.count >= WALHeader.size else { return [] }
    let count = (wal.count - WALHeader.size) / frameSize
    return (0..<count).map { i in
        wal.withUnsafeBytes { bytes in
            WALFrameHeader.decode(UnsafeRawBufferPointer(rebasing: bytes[(WALHeader.size + i * frameSize)...]))
        }
    }
}

/// The last commit frame at or below `frame` (1-based) among `headers`, or 0.
func lastCommit(in headers: [WALFrameHeader], atOrBelow frame: Int) -> UInt32 {
    var last: UInt32 = 0
    for (i, header) in headers.prefix(max(0, frame)).enumerated() where header.isCommit { last = UInt32(i + 1) }
    return last
}

/// A generator with a fixed seed, so a failing case replays.
struct WALTestRandom: RandomNumberGenerator {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
