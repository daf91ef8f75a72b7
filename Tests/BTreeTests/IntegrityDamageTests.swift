import Foundation
import Testing
@testable import BTree
@testable import Pager

/// Deliberately damaged copies of a database written by sqlite3: Ringlite's integrity check must
/// print exactly what sqlite3's PRAGMA integrity_check prints for each.
@Suite(.serialized) struct IntegrityDamageTests {
    static var tables: [TableDescription] { [
        TableDescription(name: "t", columnCount: 3, indexes: [
            IndexDescription(name: "ta", columns: [0]),
            IndexDescription(name: "tb", columns: [1], keyColumns: [KeyColumn(descending: true)], unique: true),
        ]),
        TableDescription(name: "u", columnCount: 3, integerPrimaryKey: 0, indexes: [
            IndexDescription(name: "uv", columns: [1, 2], keyColumns: [KeyColumn(descending: true), KeyColumn(collation: .nocase)]),
        ]),
    ] }

    static func baseSQL(pageSize: Int, autoVacuum: Bool = false) -> String {
        """
        PRAGMA page_size=\(pageSize);
        \(autoVacuum ? "PRAGMA auto_vacuum=FULL;" : "")
        CREATE TABLE t(a INTEGER, b TEXT, c BLOB);
        CREATE INDEX ta ON t(a);
        CREATE UNIQUE INDEX tb ON t(b DESC);
        CREATE TABLE u(id INTEGER PRIMARY KEY, v REAL, w);
        CREATE INDEX uv ON u(v DESC, w COLLATE NOCASE);
        INSERT INTO t SELECT value * 7 % 1000, 'text ' || value, randomblob(value % 7 * \(pageSize / 2)) FROM generate_series(1, 600);
        INSERT INTO u(v, w) SELECT value / 3.0, CASE value % 3 WHEN 0 THEN NULL WHEN 1 THEN 'W' || value ELSE value END
            FROM generate_series(1, 800);
        DELETE FROM t WHERE a % 5 = 0;
        """
    }

    /// A damaged copy and both engines' verdicts on it.
    final class Patient {
        let directory: URL
        let base: String
        let schema: IntegritySchema
        let roots: [String: UInt32]
        let surgery: FileSurgery

        init(pageSize: Int = 1024, autoVacuum: Bool = false) throws {
            let (directory, path) = try SQLiteShell.temporaryDatabase("base.db")
            self.directory = directory
            base = path
            try SQLiteShell.run(path, IntegrityDamageTests.baseSQL(pageSize: pageSize, autoVacuum: autoVacuum))
            schema = try IntegrityDescriptions.schema(path: path, tables: IntegrityDamageTests.tables)
            var roots: [String: UInt32] = [:]
            for line in try SQLiteShell.run(path, "SELECT name, rootpage FROM sqlite_schema WHERE rootpage > 0;").split(separator: "\n") {
                let parts = line.split(separator: "|")
                roots[String(parts[0])] = UInt32(parts[1])!
            }
            self.roots = roots
            surgery = try FileSurgery(path: path)
        }

        deinit { try? FileManager.default.removeItem(at: directory) }

        /// Writes a copy changed by `damage`, returns (sqlite3's text, Ringlite's text).
        func verdicts(_ name: String, pragma: String = "integrity_check", options: IntegrityOptions = IntegrityOptions(),
                      _ damage: (inout FileSurgery) throws -> Void) throws -> (sqlite: String, ringlite: String) {
            var copy = surgery
            try damage(&copy)
            let path = directory.appendingPathComponent("\(name).db").path
            try copy.write(to: path)
            let sqlite = try SQLiteShell.integrityCheck(path, pragma: pragma)
            let ringlite = try ReadSession(path: path).integrityCheck(schema, options: options)
            return (sqlite, ringlite)
        }

        /// Like `verdicts`, with the damage done through Ringlite's B-tree API in a write
        /// transaction on a copy.
        func verdictsAfterWriting(_ name: String, _ change: (TreeStore) throws -> Void) throws -> (sqlite: String, ringlite: String) {
            let path = directory.appendingPathComponent("\(name).db").path
            try surgery.write(to: path)
            do {
                let session = try ReadSession(path: path, readOnly: false)
                try session.pager.beginWrite()
                try change(session.store)
                try session.pager.commit()
            }
            let sqlite = try SQLiteShell.integrityCheck(path)
            let ringlite = try ReadSession(path: path).integrityCheck(schema)
            return (sqlite, ringlite)
        }
    }

    @Test func undamagedCopiesAreOK() throws {
        for pageSize in [512, 1024, 4096, 65536] {
            let patient = try Patient(pageSize: pageSize)
            let (sqlite, ringlite) = try patient.verdicts("intact") { _ in }
            #expect(sqlite == "ok")
            #expect(ringlite == sqlite, "page size \(pageSize)")
            let quick = try patient.verdicts("intact-quick", pragma: "quick_check", options: IntegrityOptions(quick: true)) { _ in }
            #expect(quick.ringlite == quick.sqlite)
        }
    }

    struct Damage: CustomStringConvertible, Sendable {
        var name: String
        var apply: @Sendable (inout FileSurgery, _ roots: [String: UInt32]) throws -> Void
        var description: String { name }
    }

    static let damages: [Damage] = [
        Damage(name: "child pointer past the end of the file") { file, roots in
            let root = roots["t"]!
            file.write32(file.rightChildOffset(root), file.pageCount + 40)
        },
        Damage(name: "left child pointer past the end of the file") { file, roots in
            let root = roots["u"]!
            file.write32(file.cellOffset(root, 0), 0xffff_fff0)
        },
        Damage(name: "two cells overlapping") { file, roots in
            let leaf = file.levels(root: roots["u"]!).last![1]
            let second = file.cellPointerOffset(leaf, 1)
            file.write16(second, file.read16(file.cellPointerOffset(leaf, 0)) + 2)
        },
        Damage(name: "cell pointer outside the content area") { file, roots in
            let leaf = file.levels(root: roots["u"]!).last![2]
            file.write16(file.cellPointerOffset(leaf, 0), 20)
        },
        Damage(name: "freelist leaf also used by a tree") { file, roots in
            let (trunk, leaves) = file.freelist()[0]
            let used = file.levels(root: roots["ta"]!).last!.last!
            file.write32(file.offset(trunk) + 4, UInt32(leaves.count + 1))
            file.write32(file.offset(trunk) + 8 + 4 * leaves.count, used)
            file.freelistCount += 1
        },
        Damage(name: "freelist trunk also used by a tree") { file, roots in
            let (trunk, _) = file.freelist()[0]
            let leaf = file.levels(root: roots["t"]!).last![0]
            let second = file.levels(root: roots["t"]!).last![1]
            // The tree's second leaf now points where the trunk is.
            file.write32(file.headerOffset(file.levels(root: roots["t"]!)[0][0]) + 8, trunk)
            _ = (leaf, second)
        },
        Damage(name: "overflow chain cut short") { file, roots in
            let chain = try file.overflowChains(root: roots["t"]!).first { $0.count >= 3 }!
            file.write32(file.offset(chain[1]), 0)
        },
        Damage(name: "overflow chain looping") { file, roots in
            let chain = try file.overflowChains(root: roots["t"]!).first { $0.count >= 3 }!
            file.write32(file.offset(chain.last!), chain[0])
        },
        Damage(name: "overflow chain pointing outside the file") { file, roots in
            let chain = try file.overflowChains(root: roots["t"]!).first { $0.count >= 2 }!
            file.write32(file.offset(chain[0]), file.pageCount + 1)
        },
        Damage(name: "rowids out of order in a leaf") { file, roots in
            let leaf = file.levels(root: roots["u"]!).last![3]
            let first = file.cellPointerOffset(leaf, 1), second = file.cellPointerOffset(leaf, 4)
            let a = file.read16(first), b = file.read16(second)
            file.write16(first, b)
            file.write16(second, a)
        },
        Damage(name: "rowid out of order across pages") { file, roots in
            let root = roots["u"]!
            let divider = file.cellOffset(root, 0) + 4
            file.bytes[divider] = 1
        },
        Damage(name: "leaf at the wrong depth") { file, roots in
            let levels = file.levels(root: roots["t"]!)
            precondition(levels.count >= 3, "the tree needs three levels")
            let interior = levels[1][0]
            let grandchild = file.children(interior)[0]
            file.write32(file.cellOffset(levels[0][0], 0), grandchild)
        },
        Damage(name: "wrong freelist count") { file, _ in file.freelistCount += 3 },
        Damage(name: "freelist count too small") { file, _ in file.freelistCount -= 1 },
        Damage(name: "page never used") { file, _ in
            let (trunk, leaves) = file.freelist()[0]
            file.write32(file.offset(trunk) + 4, UInt32(leaves.count - 2))
            file.freelistCount -= 2
        },
        Damage(name: "freelist leaf count too big") { file, _ in
            let (trunk, _) = file.freelist()[0]
            file.write32(file.offset(trunk) + 4, UInt32(file.usableSize))
        },
        Damage(name: "page referenced twice") { file, roots in
            let root = roots["u"]!
            file.write32(file.cellOffset(root, 1), file.read32(file.cellOffset(root, 0)))
        },
        Damage(name: "bad page type") { file, roots in
            let leaf = file.levels(root: roots["ta"]!).last![1]
            file.bytes[file.headerOffset(leaf)] = 0x07
        },
        Damage(name: "free space corruption") { file, roots in
            let leaf = file.levels(root: roots["tb"]!).last![0]
            file.write16(file.headerOffset(leaf) + 5, 3)
        },
        Damage(name: "wrong fragment count") { file, roots in
            let leaf = file.levels(root: roots["uv"]!).last![0]
            file.bytes[file.headerOffset(leaf) + 7] &+= 3
        },
        Damage(name: "index page in a table tree") { file, roots in
            let leaf = file.levels(root: roots["u"]!).last![2]
            file.bytes[file.headerOffset(leaf)] = PageType.indexLeaf.rawValue
        },
        Damage(name: "corrupt record header") { file, roots in
            let leaf = file.levels(root: roots["u"]!).last![1]
            let cell = try file.cell(leaf, 0)
            file.bytes[file.offset(leaf) + cell.payloadOffset] = 0x7f
        },
        Damage(name: "index key changed") { file, roots in
            let leaf = file.levels(root: roots["ta"]!).last![1]
            let cell = try file.cell(leaf, 2)
            let header = Int(file.bytes[file.offset(leaf) + cell.payloadOffset])
            file.bytes[file.offset(leaf) + cell.payloadOffset + header] ^= 0x40
        },
    ]

    @Test(arguments: damages)
    func damagedCopyReportsMatchSQLite(_ damage: Damage) throws {
        let patient = try Patient()
        let (sqlite, ringlite) = try patient.verdicts("damaged") { try damage.apply(&$0, patient.roots) }
        #expect(sqlite != "ok")
        Self.expectAgreement(ringlite: ringlite, sqlite: sqlite)
        // The error limit cuts the list where sqlite3 cuts it.
        for limit in [1, 2, 3] {
            let limited = try patient.verdicts("damaged-\(limit)", pragma: "integrity_check(\(limit))",
                                               options: IntegrityOptions(maxErrors: limit)) { try damage.apply(&$0, patient.roots) }
            Self.expectAgreement(ringlite: limited.ringlite, sqlite: limited.sqlite, limit: limit)
        }
        let quick = try patient.verdicts("damaged-quick", pragma: "quick_check", options: IntegrityOptions(quick: true)) {
            try damage.apply(&$0, patient.roots)
        }
        #expect(quick.ringlite == quick.sqlite, "quick_check")
    }

    /// Ringlite's report must be sqlite3's, except for the one documented divergence: Ringlite
    /// also reports the first out-of-order entry of an index ("entry N out of order in index X"),
    /// which SQLite 3.40.1 does not check for directly. Where the error limit cuts the list, that
    /// extra row takes a place sqlite3 gives to its next row.
    static func expectAgreement(ringlite: String, sqlite: String, limit: Int? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
        let ringliteRows = ringlite.split(separator: "\n", omittingEmptySubsequences: false)
        let extra = ringliteRows.filter { $0.wholeMatch(of: /entry [0-9]+ out of order in index .+/) != nil }
        let rest = ringliteRows.filter { $0.wholeMatch(of: /entry [0-9]+ out of order in index .+/) == nil }
        if extra.isEmpty || limit == nil {
            #expect(rest.joined(separator: "\n") == sqlite, sourceLocation: sourceLocation)
        } else {
            let sqliteRows = sqlite.split(separator: "\n", omittingEmptySubsequences: false)
            #expect(Array(sqliteRows.prefix(rest.count)) == rest, "limit \(limit!)", sourceLocation: sourceLocation)
        }
        #expect(extra.count <= 1, sourceLocation: sourceLocation)
    }

    @Test func indexOrderIsReported() throws {
        let patient = try Patient()
        let (sqlite, ringlite) = try patient.verdicts("index-order") { file in
            let leaf = file.levels(root: patient.roots["ta"]!).last![1]
            let first = file.cellPointerOffset(leaf, 1), second = file.cellPointerOffset(leaf, 5)
            let a = file.read16(first), b = file.read16(second)
            file.write16(first, b)
            file.write16(second, a)
        }
        #expect(ringlite.contains(/entry [0-9]+ out of order in index ta/))
        Self.expectAgreement(ringlite: ringlite, sqlite: sqlite)
    }

    /// Damage done through Ringlite's own B-tree API: index entries removed and added, a
    /// duplicate key in a UNIQUE index.
    @Test func indexEntriesRemovedAndAdded() throws {
        let patient = try Patient()
        let ta = patient.roots["ta"]!, tb = patient.roots["tb"]!
        let removed = try patient.verdictsAfterWriting("removed") { store in
            let cursor = BTreeCursor(store: store, root: ta, kind: .index(KeyInfo(binaryColumns: 1)), writable: true)
            defer { cursor.close() }
            #expect(try cursor.blocking { try cursor.first() })
            for _ in 0..<37 { _ = try cursor.blocking { try cursor.next() } }
            try cursor.delete()
        }
        #expect(removed.sqlite.contains("missing from index ta"))
        #expect(removed.ringlite == removed.sqlite)

        let added = try patient.verdictsAfterWriting("added") { store in
            let cursor = BTreeCursor(store: store, root: ta, kind: .index(KeyInfo(binaryColumns: 1)), writable: true)
            defer { cursor.close() }
            try RecordEncoder.encode([.integer(12345), .integer(999_999)]).withBytes { (bytes) throws(DatabaseError) in
                try cursor.insert(record: bytes)
            }
        }
        #expect(added.sqlite == "wrong # of entries in index ta")
        #expect(added.ringlite == added.sqlite)

        let duplicate = try patient.verdictsAfterWriting("duplicate") { store in
            let cursor = BTreeCursor(store: store, root: tb, kind: .index(KeyInfo(columns: [KeyColumn(descending: true)])), writable: true)
            defer { cursor.close() }
            try RecordEncoder.encode([.text("text 17"), .integer(100_000)]).withBytes { (bytes) throws(DatabaseError) in
                try cursor.insert(record: bytes)
            }
        }
        #expect(duplicate.sqlite.contains("non-unique entry in index tb"))
        #expect(duplicate.ringlite == duplicate.sqlite)
    }

    /// Auto-vacuum databases: pointer-map entries are checked, and a pointer-map page used by a
    /// tree is reported.
    @Test func pointerMapDamage() throws {
        let patient = try Patient(autoVacuum: true)
        let intact = try patient.verdicts("intact") { _ in }
        #expect(intact.sqlite == "ok")
        #expect(intact.ringlite == intact.sqlite)
        let cases: [(String, (inout FileSurgery) throws -> Void)] = [
            ("entry type", { file in file.bytes[file.offset(2) + 5 * 7] = 2 }),
            ("entry parent", { file in file.write32(file.offset(2) + 5 * 20 + 1, 3) }),
            ("entry zero", { file in file.bytes[file.offset(2) + 5 * 30] = 0 }),
            ("map page in a tree", { file in
                let root = patient.roots["u"]!
                file.write32(file.rightChildOffset(root), 2)
            }),
            ("largest root", { file in file.write32(52, file.read32(52) + 1) }),
            ("overflow chain cut", { file in
                let chain = try file.overflowChains(root: patient.roots["t"]!).first { $0.count >= 2 }!
                file.write32(file.offset(chain[0]), 0)
            }),
            ("left child in a tree", { file in
                let root = patient.roots["u"]!
                file.write32(file.cellOffset(root, 0), file.read32(file.cellOffset(root, 1)))
            }),
        ]
        for (name, damage) in cases {
            let (sqlite, ringlite) = try patient.verdicts(name.replacingOccurrences(of: " ", with: "-"), damage)
            print("pointer map damage \(name):\n\(sqlite)")
            #expect(sqlite != "ok", "\(name)")
            #expect(ringlite == sqlite, "\(name)")
        }
    }
}
