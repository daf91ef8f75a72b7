import ArgumentParser
import Foundation
import Ringlite

/// `ringlite`: a shell for Ringlite databases that behaves like the sqlite3 shell for the
/// commands it has. SQL comes from the arguments after the file, else from standard input.
@main
struct RingliteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ringlite",
        abstract: "Run SQL on a database file, as the sqlite3 shell does.",
        discussion: "Without SQL arguments, statements are read from standard input (interactively when it is a terminal). Dot-commands: .help lists them."
    )

    @Argument(help: "The database file (:memory: for a private in-memory database).")
    var file = ":memory:"

    @Argument(help: "SQL statements or dot-commands to run instead of reading standard input.")
    var commands: [String] = []

    @Option(name: .customLong("io"), help: "IO backend: uring, syscall or memory (default: RINGLITE_IO, else io_uring where it works).")
    var ioBackend: Database.Options.IOBackend?

    @Flag(name: .customLong("direct"), help: "Open the database file with O_DIRECT.")
    var directIO = false

    @Option(name: .customLong("sync"), help: "synchronous mode: full, normal or off.")
    var synchronous: SynchronousArgument = .full

    @Option(name: .customLong("cache-pages"), help: "Page cache size in pages.")
    var cachePages: Int?

    @Flag(name: .customLong("readonly"), help: "Open the database read-only.")
    var readOnly = false

    @Flag(name: .customLong("bail"), help: "Stop after the first error.")
    var bail = false

    @Flag(name: .customLong("header"), help: "Print column names.")
    var header = false

    @Option(name: .customLong("mode"), help: "Output mode: list, csv, line, column, quote, tabs.")
    var mode: OutputMode = .list

    @Option(name: .customLong("separator"), help: "Column separator for list mode.")
    var separator = "|"

    func run() throws {
        var options = Database.Options()
        options.ioBackend = ioBackend
        options.directIO = directIO
        options.synchronous = synchronous.mode
        options.cacheSize = cachePages
        options.readOnly = readOnly
        let database: Database
        let connection: Connection
        do {
            database = try Database(path: file, options: options)
            connection = try database.connection()
        } catch {
            FileHandle.standardError.write(Data("Error: unable to open database \"\(file)\": \(error.message)\n".utf8))
            throw ExitCode(1)
        }
        var settings = OutputSettings(mode: mode, separator: separator, headers: header)
        if mode == .csv && separator == "|" { settings.separator = "," }
        if mode == .tabs { settings.separator = "\t" }
        let shell = Shell(connection: connection, settings: settings, bail: bail)
        let succeeded: Bool
        if commands.isEmpty {
            succeeded = shell.runInput(interactive: isatty(STDIN_FILENO) != 0)
        } else {
            succeeded = shell.runArguments(commands)
        }
        withExtendedLifetime(database) {}
        if !succeeded { throw ExitCode(1) }
    }
}

enum SynchronousArgument: String, ExpressibleByArgument, CaseIterable {
    case full, normal, off

    var mode: Database.Options.Synchronous {
        switch self {
        case .full: .full
        case .normal: .normal
        case .off: .off
        }
    }
}

extension Database.Options.IOBackend: ExpressibleByArgument {}
