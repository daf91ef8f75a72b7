import Foundation
@testable import BTree
@testable import Pager

extension SQLiteShell {
    struct Outcome {
        var output: String
        var error: String
        var status: Int32
    }

    /// Runs `sql` without -bail and returns standard output, standard error and the exit status:
    /// for queries over damaged files, where sqlite3 prints some rows and then an error.
    static func runAllowingErrors(_ path: String, _ sql: String) throws -> Outcome {
        let directory = FileManager.default.temporaryDirectory
        let script = directory.appendingPathComponent("ringlite-\(UUID().uuidString).sql")
        try sql.write(to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let errorFile = directory.appendingPathComponent("ringlite-\(UUID().uuidString).err")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: errorFile) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["-batch", "-noheader", path]
        process.standardInput = try FileHandle(forReadingFrom: script)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorFile)
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let error = (try? String(contentsOf: errorFile, encoding: .utf8)) ?? ""
        return Outcome(output: String(decoding: data, as: UTF8.self), error: error, status: process.terminationStatus)
    }

    /// sqlite3's `PRAGMA integrity_check` (or another form of it) on the file, as the text of its
    /// rows. When the check stops on an error (sqlite3 prints the rows so far, then the error),
    /// the error becomes a last row "database disk image is malformed", which is how Ringlite's
    /// report ends in that case.
    static func integrityCheck(_ path: String, pragma: String = "integrity_check") throws -> String {
        let outcome = try runAllowingErrors(path, "PRAGMA \(pragma);")
        var text = outcome.output
        if text.hasSuffix("\n") { text.removeLast() }
        if !outcome.error.isEmpty {
            guard outcome.error.contains("malformed") else {
                throw Failure(description: "sqlite3 integrity_check failed: \(outcome.error)")
            }
            text += (text.isEmpty ? "" : "\n") + "database disk image is malformed"
        }
        return text
    }

    /// The root pages in the order sqlite3's integrity check visits them: the P4 array of the
    /// main database's IntegrityCk instruction.
    static func integrityRootOrder(_ path: String) throws -> [UInt32] {
        let explain = try run(path, "EXPLAIN PRAGMA main.integrity_check;")
        for line in explain.split(separator: "\n") where line.contains("IntegrityCk") {
            guard let open = line.firstIndex(of: "["), let close = line.firstIndex(of: "]") else { continue }
            return line[line.index(after: open)..<close].split(separator: ",").compactMap { UInt32($0) }
        }
        throw Failure(description: "no IntegrityCk in EXPLAIN output")
    }
}

/// How a test describes a table for Ringlite's integrity check (the SQL layer's job in the engine).
struct TableDescription {
    var name: String
    var columnCount: Int
    var integerPrimaryKey: Int? = nil
    var defaults: [Int: Value] = [:]
    var indexes: [IndexDescription] = []

    static var schema: TableDescription { TableDescription(name: "sqlite_master", columnCount: 5) }
}

struct IndexDescription {
    var name: String
    var columns: [IndexKeyColumn]
    var keyColumns: [KeyColumn]
    var unique = false

    init(name: String, columns: [Int], keyColumns: [KeyColumn]? = nil, unique: Bool = false) {
        self.name = name
        self.columns = columns.map { .column($0) }
        self.keyColumns = keyColumns ?? Array(repeating: KeyColumn(), count: columns.count)
        self.unique = unique
    }

    init(name: String, keyColumns: [KeyColumn], unique: Bool = false, columns: [IndexKeyColumn]) {
        self.name = name
        self.columns = columns
        self.keyColumns = keyColumns
        self.unique = unique
    }
}

enum IntegrityDescriptions {
    /// The integrity schema of the database at `path`: roots from its sqlite_schema, visited in
    /// sqlite3's order, with the tables in `tables` (and sqlite_schema) described for the content
    /// checks. Roots not described are checked for structure only.
    static func schema(path: String, tables: [TableDescription]) throws -> IntegritySchema {
        let order = try SQLiteShell.integrityRootOrder(path)
        var roots: [String: UInt32] = ["sqlite_master": 1]
        for line in try SQLiteShell.run(path, "SELECT name, rootpage FROM sqlite_schema WHERE rootpage > 0;").split(separator: "\n") {
            let parts = line.split(separator: "|")
            roots[String(parts[0])] = UInt32(parts[1])!
        }
        return schema(order: order, roots: roots, tables: tables + [TableDescription.schema])
    }

    static func schema(order: [UInt32], roots: [String: UInt32], tables: [TableDescription]) -> IntegritySchema {
        var byRoot: [UInt32: TableDescription] = [:]
        var indexOwner: [UInt32: (table: UInt32, index: IndexDescription)] = [:]
        for table in tables {
            guard let root = roots[table.name] else { continue }
            byRoot[root] = table
            for index in table.indexes {
                if let indexRoot = roots[index.name] { indexOwner[indexRoot] = (root, index) }
            }
        }
        var trees: [IntegrityTree] = []
        for root in order {
            if let table = byRoot[root] {
                trees.append(.table(IntegrityTable(name: table.name, root: root, columnCount: table.columnCount,
                                                   integerPrimaryKey: table.integerPrimaryKey, defaults: table.defaults)))
            } else if let owner = indexOwner[root], case .table(var table)? = trees.last, table.root == owner.table {
                let index = owner.index
                table.indexes.append(IntegrityIndex(name: index.name, root: root, keyInfo: KeyInfo(columns: index.keyColumns),
                                                    columns: index.columns, unique: index.unique))
                trees[trees.count - 1] = .table(table)
            } else {
                trees.append(.structureOnly(root: root))
            }
        }
        return IntegritySchema(trees: trees)
    }
}

/// A Ringlite connection to a database file, for reading: its own pager with a small page cache
/// (so pages are evicted and read again) on the backend `RINGLITE_IO` names, uring by default.
final class ReadSession {
    let shared: PagerShared
    let pager: Pager
    let store: TreeStore

    init(path: String, cachePages: Int = 16, readOnly: Bool = true) throws {
        var options = PagerOptions()
        options.readOnly = readOnly
        options.journalMode = .off
        options.cachePages = cachePages
        options.io = IOBackendKind.fromEnvironment() ?? .uring
        shared = try PagerShared.open(path: path, options: options)
        pager = Pager(shared: shared)
        store = try TreeStore(pager: pager)
    }

    func read<R>(_ body: () throws -> R) throws -> R {
        pager.beginRead()
        defer { pager.endRead() }
        return try body()
    }

    /// Ringlite's integrity check of the whole file, as report text.
    func integrityCheck(_ schema: IntegritySchema, options: IntegrityOptions = IntegrityOptions()) throws -> String {
        try read { try store.checkIntegrity(schema, options: options).text }
    }
}
