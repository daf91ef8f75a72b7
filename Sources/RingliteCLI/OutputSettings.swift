import ArgumentParser

/// The sqlite3 shell's output modes that Ringlite's shell has.
enum OutputMode: String, ExpressibleByArgument, CaseIterable {
    case list, csv, line, column, quote, tabs
}

struct OutputSettings {
    var mode: OutputMode
    var separator: String
    var headers: Bool
    var nullValue = ""
    var rowSeparator = "\n"
}
