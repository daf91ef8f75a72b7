import Foundation
import Glibc
import Testing

/// The shell's input and its database options: statements run as their lines arrive, a
/// terminal gets prompts, editing and history, and the IO options write files sqlite3 reads.
@Suite struct ShellIOTests {
    typealias Support = ShellSupport

    /// Reads from `descriptor` until `expected` has arrived or `seconds` have passed.
    static func read(_ descriptor: Int32, until expected: String, seconds: Double) -> String {
        var received: [UInt8] = []
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while !String(decoding: received, as: UTF8.self).contains(expected) && ContinuousClock.now < deadline {
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = chunk.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            received += chunk[0..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    /// A program writing into the shell sees each result before it writes the next statement.
    @Test(.timeLimit(.minutes(1)))
    func resultsArriveAsStatementsComplete() throws {
        let process = Process()
        process.executableURL = Support.ringlite
        process.arguments = [":memory:"]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let output = stdout.fileHandleForReading.fileDescriptor
        stdin.fileHandleForWriting.write(Data("CREATE TABLE t(a);\nINSERT INTO t VALUES (41);\nSELECT a + 1 FROM t;\n".utf8))
        #expect(Self.read(output, until: "42\n", seconds: 10) == "42\n")
        // A statement spread over lines runs when its last line arrives, not before.
        stdin.fileHandleForWriting.write(Data("SELECT 'second'\n".utf8))
        #expect(Self.read(output, until: "second", seconds: 0.5) == "")
        stdin.fileHandleForWriting.write(Data(";\n".utf8))
        #expect(Self.read(output, until: "second\n", seconds: 10) == "second\n")
        try stdin.fileHandleForWriting.close()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    /// A pseudo-terminal on standard input: the banner and prompts, line editing (cursor
    /// keys), the continuation prompt, and history kept across runs in $RINGLITE_HISTORY.
    @Test(.timeLimit(.minutes(1)))
    func terminalGetsPromptsEditingAndHistory() throws {
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let history = directory.appendingPathComponent("history").path

        func session(_ keys: [(String, String)]) throws -> String {
            let master = open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC)
            try #require(master >= 0)
            defer { close(master) }
            var unlock: CInt = 0
            var number: CUnsignedInt = 0
            // TIOCSPTLCK and TIOCGPTN (Swift cannot import these ioctl macros).
            try #require(ioctl(master, UInt(0x4004_5431), &unlock) == 0 && ioctl(master, UInt(0x8004_5430), &number) == 0)
            let slave = try #require(FileHandle(forUpdatingAtPath: "/dev/pts/\(number)"))
            let process = Process()
            process.executableURL = Support.ringlite
            process.arguments = [":memory:"]
            process.environment = ["RINGLITE_HISTORY": history, "PATH": "/usr/bin:/bin"]
            process.standardInput = slave
            process.standardOutput = slave
            process.standardError = slave
            try process.run()
            defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
            var transcript = Self.read(master, until: "ringlite> ", seconds: 10)
            for (keys, expected) in keys {
                _ = keys.withCString { Glibc.write(master, $0, strlen($0)) }
                transcript += Self.read(master, until: expected, seconds: 10)
            }
            // The shell ends by itself after the last key; a shell still running is a failure,
            // not a hang of the test.
            let deadline = ContinuousClock.now + .seconds(10)
            while process.isRunning && ContinuousClock.now < deadline { usleep(10_000) }
            #expect(!process.isRunning, "the shell did not end: \(transcript.debugDescription)")
            return transcript
        }

        let first = try session([
            ("SELECT 40 + 1;\r", "41"),
            ("SELECT\r", "   ...> "),
            ("'two lines';\r", "two lines\r\nringlite> "),
            // Left twice, then type: "SELECT 12;" becomes "SELECT 132;".
            // (Each waits for the result and the next prompt, not the echo: keys typed while a
            // statement runs reach a terminal the shell has left in cooked mode.)
            ("SELECT 12;\u{1b}[D\u{1b}[D3\r", "132\r\nringlite> "),
            // Up arrow recalls the last line; Home, then Ctrl-K empties it; Ctrl-D on an empty line ends.
            ("\u{1b}[A\r", "132\r\nringlite> "),
            ("junk\u{01}\u{0b}SELECT 'killed';\r", "killed\r\nringlite> "),
            ("\u{04}", "\n"),
        ])
        #expect(first.hasPrefix("Ringlite shell"), "\(first)")
        #expect(first.contains("ringlite> "))
        #expect(first.contains("41\r\n"))
        #expect(first.components(separatedBy: "132\r\n").count == 3, "\(first)")
        #expect(!first.contains("junk\r\n"))
        // Errors at a terminal name no line, as sqlite3's do.
        let second = try session([
            ("\u{1b}[A\u{1b}[A\r", "132\r\nringlite> "),
            ("SELEC 1;\r", "syntax error"),
            (".quit\r", "\n"),
        ])
        #expect(second.contains("Parse error: near \"SELEC\": syntax error"), "\(second)")
        let saved = try String(contentsOfFile: history, encoding: .utf8)
        #expect(saved.contains("SELECT 12;") == false && saved.contains("SELECT 132;"), "\(saved)")
    }

    /// Without a terminal there is no prompt and no banner.
    @Test func noPromptWithoutATerminal() throws {
        let result = try Support.run(Support.ringlite, [":memory:"], input: "SELECT 1;\n")
        #expect(result == Support.Result(status: 0, output: "1\n", errors: ""))
    }

    /// The IO backend (--vfs, and its alias --io), synchronous modes and O_DIRECT: a database
    /// written through the shell with each passes sqlite3's integrity_check and holds what
    /// sqlite3 holds after the same statements.
    @Test(arguments: [["--vfs", "uring"], ["--vfs", "syscall"], ["--io", "syscall"], ["--sync", "full"], ["--sync", "normal"],
                      ["--sync", "off"], ["--direct"], ["--direct", "--vfs", "uring", "--sync", "normal"]])
    func databaseOptionsWriteFilesSQLiteReads(_ options: [String]) throws {
        let script = """
            CREATE TABLE w(id INTEGER PRIMARY KEY, v TEXT UNIQUE, n REAL);
            INSERT INTO w(v, n) VALUES ('a', 1.5), ('b', NULL), ('c', -2);
            UPDATE w SET n = n * 2 WHERE n IS NOT NULL;
            DELETE FROM w WHERE v = 'b';
            CREATE INDEX wn ON w(n);
            INSERT INTO w(v, n) SELECT v || v, n + 1 FROM w;
            SELECT * FROM w ORDER BY id;
            """
        let (ringlite, sqlite) = try Support.compare(setup: Support.setup, script: script + "\n", ringliteOptions: options)
        #expect(ringlite == sqlite, "\(options)")
        let directory = try Support.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("written.db").path
        let written = try Support.run(Support.ringlite, options + [path], input: Support.setup + "\n" + script + "\n")
        #expect(written.status == 0 && written.errors.isEmpty, "\(written)")
        #expect(try Support.run(Support.sqlite3, [path, "PRAGMA integrity_check"]).output == "ok\n")
        let reference = directory.appendingPathComponent("reference.db").path
        _ = try Support.run(Support.sqlite3, [reference], input: Support.setup + "\n" + script + "\n")
        #expect(try Support.run(Support.sqlite3, [path, ".dump"]).output == Support.run(Support.sqlite3, [reference, ".dump"]).output)
    }

    @Test func memoryBackend() throws {
        let result = try Support.run(Support.ringlite, ["--vfs", "memory", ":memory:"],
                                     input: "CREATE TABLE t(a); INSERT INTO t VALUES (1), (2);\nSELECT sum(a) FROM t;\n")
        #expect(result == Support.Result(status: 0, output: "3\n", errors: ""))
    }

    @Test func unknownOptionValuesAreRefused() throws {
        for options in [["--vfs", "nfs"], ["--mode", "html"], ["--sync", "extra"]] {
            let result = try Support.run(Support.ringlite, options + [":memory:", "SELECT 1"])
            #expect(result.status != 0 && !result.errors.isEmpty && result.output.isEmpty, "\(options)")
        }
    }
}
