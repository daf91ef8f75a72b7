import Foundation

/// Runs the sqlite3 command-line shell, the oracle these tests compare against.
enum SQLiteShell {
    static let executable = "/usr/bin/sqlite3"

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `sql` against the database at `path` and returns standard output (list mode, `|`
    /// between columns, no headers).
    @discardableResult
    static func run(_ path: String, _ sql: String) throws -> String {
        let directory = FileManager.default.temporaryDirectory
        let script = directory.appendingPathComponent("ringlite-\(UUID().uuidString).sql")
        try sql.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-batch", "-noheader", "-bail", path]
        process.standardInput = try FileHandle(forReadingFrom: script)
        let output = Pipe()
        let errorFile = directory.appendingPathComponent("ringlite-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
            throw Failure(description: "sqlite3 failed: \(message)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// A fresh path in a new temporary directory; the caller removes the directory.
    static func temporaryDatabase(_ name: String) throws -> (directory: URL, path: String) {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ringlite-btree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return (directory, directory.appendingPathComponent(name).path)
    }

    /// The SQL expression that renders column `name` as `type:content`, exactly: integers in
    /// decimal, reals as the hex of their IEEE-754 bits, text and blobs as hex bytes.
    static func exactRendering(of name: String) -> String {
        "typeof(\(name)) || ':' || CASE typeof(\(name)) WHEN 'integer' THEN \(name) "
            + "WHEN 'real' THEN hex(ieee754_to_blob(\(name))) WHEN 'null' THEN '' ELSE hex(\(name)) END"
    }
}
