import Foundation
import Testing
@testable import Pager

/// Under strace, the data file's reads and writes go through io_uring_enter with the io_uring
/// backend and through pread64/pwrite64 with the syscall backend, never the other way round.
/// Runs `bench io` (built beside the tests) on a prepared file, so the only IO is the backend's.
@Suite(.enabled(if: StraceSetup.available, "needs strace, io_uring and the bench executable"))
struct StraceTests {
    struct Counts { var fileSyscalls = 0; var uringEnters = 0 }

    func trace(backend: String) throws -> Counts {
        try StraceSetup.trace(backend: backend)
    }

    @Test func uringBackendUsesOnlyIoUringForTheFile() throws {
        let counts = try trace(backend: "uring")
        #expect(counts.fileSyscalls == 0)
        #expect(counts.uringEnters > 100)
    }

    @Test func syscallBackendNeverEntersIoUring() throws {
        let counts = try trace(backend: "syscall")
        #expect(counts.fileSyscalls > 100)
        #expect(counts.uringEnters == 0)
    }
}

enum StraceSetup {
    static let straceBinary = "/usr/bin/strace"
    static var benchBinary: String {
        let testBinary = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        var directory = testBinary.deletingLastPathComponent()
        while directory.path != "/" && !directory.lastPathComponent.hasSuffix(".xctest") && !FileManager.default.fileExists(atPath: directory.appendingPathComponent("bench").path) {
            directory = directory.deletingLastPathComponent()
        }
        if directory.lastPathComponent.hasSuffix(".xctest") { directory = directory.deletingLastPathComponent() }
        return directory.appendingPathComponent("bench").path
    }
    static var available: Bool {
        FileManager.default.isExecutableFile(atPath: straceBinary)
            && FileManager.default.isExecutableFile(atPath: benchBinary)
            && URingAvailability.current == .available
    }

    static func trace(backend: String) throws -> StraceTests.Counts {
        let directory = TemporaryDirectory()
        let data = directory.file("strace-io.dat")
        // Filled here, so bench does no set-up IO of its own on the file.
        _ = FileManager.default.createFile(atPath: data, contents: Data(repeating: 0x5A, count: 8 << 20))
        let log = directory.file("strace.log")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: straceBinary)
        process.arguments = ["-f", "-y", "-o", log,
                             "-e", "trace=pread64,pwrite64,preadv,pwritev,preadv2,pwritev2,read,write,io_uring_enter",
                             benchBinary, "io", "--file", data, "--size-mib", "8", "--seconds", "0.2",
                             "--repeat", "1", "--depths", "4", "--modes", "buffered,direct",
                             "--workloads", "randread,randwrite", "--backends", backend]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n")
        var counts = StraceTests.Counts()
        for line in lines {
            if line.contains("io_uring_enter(") { counts.uringEnters += 1 }
            else if line.contains("strace-io.dat>") { counts.fileSyscalls += 1 }
        }
        return counts
    }
}
