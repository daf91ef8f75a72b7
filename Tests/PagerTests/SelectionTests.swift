import Foundation
import Testing
@testable import Pager

@Suite struct SelectionTests {
    @Test func uringIsTheDefaultWhereItWorks() {
        let selection = IOSelection.resolve(requested: nil, environment: nil, availability: .available)
        #expect(selection == IOSelection(kind: .uring, fallbackReason: nil))
    }

    @Test func codeWinsOverEnvironment() {
        #expect(IOSelection.resolve(requested: .syscall, environment: .uring, availability: .available).kind == .syscall)
        #expect(IOSelection.resolve(requested: nil, environment: .syscall, availability: .available).kind == .syscall)
        #expect(IOSelection.resolve(requested: nil, environment: .memory, availability: .available).kind == .memory)
    }

    /// io_uring forced unavailable the ways a machine can refuse it: the probe reports why, and the
    /// selection falls back to syscalls, which then work.
    @Test(arguments: [Errno.notImplemented, .notPermitted, .noMemory])
    func fallsBackToSyscallsWhenIoUringIsUnavailable(_ error: Errno) throws {
        let availability = URingAvailability.probe(setup: { _, _ in .failure(error) })
        guard case .unavailable(let reported, let reason) = availability else {
            Issue.record("probe said available")
            return
        }
        #expect(reported == error)
        #expect(!reason.isEmpty)
        let selection = IOSelection.resolve(requested: .uring, environment: nil, availability: availability)
        #expect(selection.kind == .syscall)
        #expect(selection.fallbackReason == reason)
        let backend = selection.makeBackend(pool: nil)
        #expect(backend.kind == .syscall)
        let directory = TemporaryDirectory()
        let file = try PosixFileSystem().open(directory.file("data"), options: FileOpenOptions())
        #expect(backend.run(.write(file, IOBuffer.allocate(count: 4096), offset: 0)).succeeded)
    }

    @Test func theRealProbeFindsIoUringOnThisMachine() {
        // Not a requirement of Ringlite, but of this test machine: the uring tests are meaningless
        // without it, so say so loudly rather than skip them silently.
        if ProcessInfo.processInfo.environment["RINGLITE_EXPECT_URING"] == "0" { return }
        #expect(URingAvailability.current == .available)
    }
}

@Suite struct FileLockTests {
    @Test func secondOpenOfALockedFileIsRefused() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db")
        let first = try PosixFileSystem().open(path, options: FileOpenOptions())
        let second = try PosixFileSystem().open(path, options: FileOpenOptions())
        #expect(try first.tryLockExclusive())
        #expect(try !second.tryLockExclusive())
        try first.unlock()
        #expect(try second.tryLockExclusive())
    }

    /// The lock covers SQLite's lock bytes, so sqlite3 reports the database as locked.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3")))
    func sqlite3SeesTheDatabaseAsLocked() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db")
        #expect(try runSQLite(path, "CREATE TABLE t(x); INSERT INTO t VALUES (1);").status == 0)
        let file = try PosixFileSystem().open(path, options: FileOpenOptions())
        #expect(try file.tryLockExclusive())
        let locked = try runSQLite(path, "SELECT count(*) FROM t;")
        #expect(locked.status != 0)
        #expect(locked.stderr.contains("database is locked"))
        try file.unlock()
        let unlocked = try runSQLite(path, "SELECT count(*) FROM t;")
        #expect(unlocked.status == 0)
        #expect(unlocked.stdout == "1\n")
    }
}

func runSQLite(_ path: String, _ sql: String) throws -> (status: Int32, stdout: String, stderr: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/sqlite3")
    process.arguments = [path, sql]
    let out = Pipe(), err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    let stdout = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    return (process.terminationStatus, stdout, stderr)
}
