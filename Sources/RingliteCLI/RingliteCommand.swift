import ArgumentParser
import Glibc
import Ringlite

/// `ringlite`: a shell for Ringlite databases that behaves like the sqlite3 shell for the
/// commands it has. SQL comes from the arguments after the file, else from standard input.
@main
struct RingliteCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ringlite",
        abstract: "Run SQL on a database file, as the sqlite3 shell does.",
        discussion: """
            With SQL arguments, runs each and exits (at the first error, with its result code as the exit status). \
            Without, reads statements from standard input and runs each as soon as it is complete, flushing its \
            output after every statement; a terminal gets prompts, line editing and history (~/.ringlite_history). \
            Dot-commands: .help lists them.
            """
    )

    @Argument(help: "The database file (:memory: for a private in-memory database).")
    var file = ":memory:"

    @Argument(help: "SQL statements or dot-commands to run instead of reading standard input.")
    var commands: [String] = []

    @Option(name: [.customLong("vfs"), .customLong("io")],
            help: "IO backend: uring, syscall or memory (default: RINGLITE_IO, else io_uring where it works). --io is an alias.")
    var ioBackend: Database.Options.IOBackend?

    @Option(name: .customLong("mode"), help: "Output mode: list, csv, json, line, box, column, quote or tabs.")
    var mode: OutputMode = .list

    @Flag(name: .customLong("header"), inversion: .prefixedNo, help: "Print column names (--no-header: do not).")
    var header: Bool?

    @Option(name: .customLong("nullvalue"), help: "Text shown for NULL values.")
    var nullValue = ""

    @Option(name: .customLong("separator"), help: "Column separator for list and csv modes.")
    var separator: String?

    @Option(name: .customLong("sync"), help: "synchronous mode: full, normal or off.")
    var synchronous: SynchronousArgument = .full

    @Flag(name: .customLong("direct"), help: "Open the database file with O_DIRECT.")
    var directIO = false

    @Flag(name: .customLong("bail"), help: "Stop after the first error.")
    var bail = false

    @Option(name: .customLong("cache-pages"), help: "Page cache size in pages.")
    var cachePages: Int?

    @Flag(name: .customLong("readonly"), help: "Open the database read-only.")
    var readOnly = false

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
            let message = "Error: unable to open database \"\(file)\": \(error.message)\n"
            _ = message.withCString { Glibc.write(STDERR_FILENO, $0, strlen($0)) }
            throw ExitCode(1)
        }
        var settings = OutputSettings.initial(mode: mode, headers: header ?? false)
        settings.headerSet = header != nil
        settings.nullValue = nullValue
        if let separator { settings.separator = separator }
        let shell = Shell(connection: connection, settings: settings, bail: bail)
        let status = commands.isEmpty ? shell.runStandardInput() : shell.runArguments(commands)
        withExtendedLifetime(database) {}
        if status != 0 { throw ExitCode(status) }
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
