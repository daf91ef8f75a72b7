import BTree
import Pager
import VM

/// The PRAGMAs that read or change connection settings, applied while they compile as sqlite3
/// applies them: synchronous, cache_size, busy_timeout, foreign_keys, recursive_triggers and page_size.
extension PragmaCompiler {
    static func setting(_ request: Request) throws(DatabaseError) -> Program {
        let settings = try request.settings()
        let options = settings.options
        switch request.name {
        case "synchronous":
            let current = options.synchronous.rawValue
            guard let text = request.argumentText else {
                return try request.rows([[.integer(Int64(current))]], columns: ["synchronous"])
            }
            let requested = safetyLevel(text)
            guard requested == current else {
                throw unchangeable("synchronous", from: String(current), to: String(requested))
            }
            return try request.rows([], columns: [])
        case "cache_size":
            guard let text = request.argumentText else {
                return try request.rows([[.integer(Int64(settings.cacheSize))]], columns: ["cache_size"])
            }
            settings.setCacheSize(Int(atoi(text)))
            return try request.rows([], columns: [])
        case "busy_timeout":
            let current = options.busyTimeoutMilliseconds
            if let text = request.argumentText, Int(atoi(text)) != current {
                throw unchangeable("busy_timeout", from: String(current), to: String(atoi(text)))
            }
            return try request.rows([[.integer(Int64(current))]], columns: ["timeout"])
        case "foreign_keys":
            guard let text = request.argumentText else {
                return try request.rows([[.integer(0)]], columns: ["foreign_keys"])
            }
            if booleanValue(text) {
                throw SQLCompiler.notSupported("FOREIGN KEY enforcement (PRAGMA foreign_keys = ON)")
            }
            return try request.rows([], columns: [])
        case "recursive_triggers":
            // Trigger programs are compiled inline (CodeGenerator+Triggers.swift), which cannot
            // recurse: a trigger never fires itself, sqlite3's default.
            guard let text = request.argumentText else {
                return try request.rows([[.integer(0)]], columns: ["recursive_triggers"])
            }
            if booleanValue(text) {
                throw SQLCompiler.notSupported("recursive triggers (PRAGMA recursive_triggers = ON)")
            }
            return try request.rows([], columns: [])
        default:
            preconditionFailure("PRAGMA \(request.name) is not a setting")
        }
    }

    /// page_size: the database's page size. Setting it changes nothing on a database that has
    /// pages (as in sqlite3); on an empty one Ringlite cannot change it after opening.
    static func pageSize(_ request: Request) throws(DatabaseError) -> Program {
        let settings = try request.settings()
        let pageSize = settings.state.pager.pageSize
        guard let text = request.argumentText else {
            return try request.rows([[.integer(Int64(pageSize))]], columns: ["page_size"])
        }
        let requested = Int(atoi(text))
        let valid = requested >= 512 && requested <= 65536 && requested & (requested - 1) == 0
        if valid && requested != pageSize && settings.state.pager.databaseSize == 0 {
            throw unchangeable("page_size", from: String(pageSize), to: String(requested))
        }
        return try request.rows([], columns: [])
    }

    private static func unchangeable(_ name: String, from current: String, to requested: String) -> DatabaseError {
        DatabaseError(.SQLITE_ERROR, "cannot change \(name) from \(current) to \(requested): Ringlite sets it when the database is opened")
    }

    /// getSafetyLevel: 0-3, or off/no/false, normal, full/on/yes/true, extra.
    static func safetyLevel(_ text: String) -> Int {
        let names: [(String, Int)] = [("off", 0), ("no", 0), ("false", 0), ("normal", 1), ("full", 2), ("on", 1),
                                      ("yes", 1), ("true", 1), ("extra", 3)]
        if let first = text.utf8.first, first >= 0x30 && first <= 0x39 { return Int(atoi(text)) & 0x03 }
        return names.first { $0.0.sqlEquals(text) }?.1 ?? 1
    }

    /// sqlite3GetBoolean: on/yes/true or a non-zero number.
    static func booleanValue(_ text: String) -> Bool {
        safetyLevel(text) != 0
    }
}
