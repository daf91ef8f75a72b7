import Foundation
import Pager
import Synchronization
import Testing

/// A commit that fails on the disk (ENOSPC, EIO writing the log) ends the transaction as
/// sqlite3 does: rolled back, nothing of it visible, the connection usable.
@Suite struct FailedCommitTests {
    /// Fails every write to the log while set.
    final class LogWriteFault: Sendable {
        let error = Mutex<Errno?>(nil)
        func inject(_ point: FaultPoint) -> FaultAction? {
            guard point.kind == .write, point.path.hasSuffix("-wal"), let errno = error.withLock({ $0 }) else { return nil }
            return .fail(errno)
        }
    }

    /// Found by the simulator (mix seeds 14, 286, 350, 508, ...): an autocommit INSERT whose
    /// commit failed with ENOSPC left its write transaction open; the next statement on the
    /// connection, a SELECT, committed it at its end (the row appeared) or, with the disk still
    /// failing, reported the INSERT's write error as its own.
    @Test(arguments: [Errno(rawValue: ENOSPC), Errno(rawValue: EIO)])
    func aFailedAutocommitWriteIsRolledBack(_ errno: Errno) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ringlite-failed-commit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("t.db").path
        let fault = LogWriteFault()
        var options = RingliteRunner.defaultOptions
        options.journalMode = .wal
        options.synchronous = .full
        options.faultInjector = { fault.inject($0) }
        let runner = try RingliteRunner(path: path, options: options)
        #expect(runner.run("CREATE TABLE t(a); INSERT INTO t VALUES (1)") == .rows([]))

        fault.error.withLock { $0 = errno }
        guard case .error = runner.run("INSERT INTO t VALUES (2)") else {
            Issue.record("the INSERT succeeded with the log failing")
            return
        }
        #expect(runner.run("SELECT count(*), max(a) FROM t") == .rows([[.integer(1), .integer(1)]]),
                "a SELECT with the disk still failing reads the last commit and writes nothing")
        #expect(runner.run("SELECT changes(), total_changes()") == .rows([[.integer(0), .integer(1)]]),
                "a failed commit counts no changes (sqlite3VdbeHalt)")
        fault.error.withLock { $0 = nil }
        #expect(runner.run("SELECT count(*), max(a) FROM t") == .rows([[.integer(1), .integer(1)]]))
        #expect(runner.run("INSERT INTO t VALUES (3); SELECT a FROM t ORDER BY a") == .rows([[.integer(1)], [.integer(3)]]))

        // The same through an explicit transaction's COMMIT.
        #expect(runner.run("BEGIN; INSERT INTO t VALUES (4)") == .rows([]))
        fault.error.withLock { $0 = errno }
        guard case .error = runner.run("COMMIT") else {
            Issue.record("the COMMIT succeeded with the log failing")
            return
        }
        #expect(runner.run("SELECT a FROM t ORDER BY a") == .rows([[.integer(1)], [.integer(3)]]))
        fault.error.withLock { $0 = nil }
        #expect(runner.run("SELECT a FROM t ORDER BY a") == .rows([[.integer(1)], [.integer(3)]]))
        #expect(runner.run("INSERT INTO t VALUES (5)") == .rows([]))
        runner.close()
        let oracle = try SQLiteOracle(path: path)
        defer { oracle.close() }
        #expect(oracle.run("PRAGMA integrity_check") == .rows([[.text("ok")]]))
        #expect(oracle.run("SELECT a FROM t ORDER BY a") == .rows([[.integer(1)], [.integer(3)], [.integer(5)]]))
    }
}
