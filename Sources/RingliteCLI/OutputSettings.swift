import ArgumentParser

/// The sqlite3 shell's output modes that Ringlite's shell has.
enum OutputMode: String, ExpressibleByArgument, CaseIterable {
    case list, csv, json, line, box, column, quote, tabs

    /// sqlite3's .mode matches a mode by any prefix of its name ("col" is column), trying the
    /// modes in the order of its own list; "lines" and "columns" are the full names of two.
    static func matching(_ name: String) -> OutputMode? {
        let order: [(String, OutputMode)] = [("lines", .line), ("columns", .column), ("list", .list), ("csv", .csv),
                                             ("tabs", .tabs), ("quote", .quote), ("box", .box), ("json", .json)]
        guard !name.isEmpty else { return nil }
        return order.first { $0.0.hasPrefix(name) }?.1
    }

    /// The modes that gather every row before printing, to size their columns.
    var isColumnar: Bool { self == .column || self == .box }
}

struct OutputSettings {
    var mode: OutputMode
    var separator: String
    var headers: Bool
    /// Set once headers were chosen (--header, --no-header, .headers): `.mode column` then
    /// leaves them as they are instead of turning them on.
    var headerSet = false
    var nullValue = ""
    var rowSeparator = "\n"
    /// In column and box modes, the widest a cell line gets before it wraps onto the next
    /// line (0: never). sqlite3's `.mode column` and `.mode box` set 60; its -column and -box
    /// command-line options leave 0.
    var wrapWidth = 0

    /// The settings sqlite3 starts with for a mode given on its command line (-csv, -box, ...).
    static func initial(mode: OutputMode, headers: Bool) -> OutputSettings {
        var settings = OutputSettings(mode: mode, separator: "|", headers: headers)
        switch mode {
        case .csv: settings.separator = ","
        case .tabs: settings.separator = "\t"
        case .quote: settings.separator = ","
        default: break
        }
        return settings
    }
}
