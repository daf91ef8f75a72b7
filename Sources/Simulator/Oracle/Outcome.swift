import Ringlite

/// What running one statement produced on one engine: its rows, or its error.
enum Outcome: Equatable, CustomStringConvertible {
    case rows([[DatabaseValue]])
    case error(code: Int32, message: String)

    /// The outcome of running `sql` through a Ringlite connection.
    static func of(_ sql: String, on connection: Connection) -> Outcome {
        do {
            return .rows(try connection.query(sql).map(\.values))
        } catch {
            return .error(code: error.resultCode.rawValue, message: error.message)
        }
    }

    var rows: [[DatabaseValue]]? {
        if case .rows(let rows) = self { return rows }
        return nil
    }

    var errorCode: Int32? {
        if case .error(let code, _) = self { return code }
        return nil
    }

    /// The primary result code of an error (SQLITE_IOERR for SQLITE_IOERR_FSYNC, ...).
    var primaryCode: Int32? { errorCode.map { $0 & 0xff } }

    /// An error from the disk: an IO error or a full disk (the simulator's faults and crashes).
    var isIOError: Bool { primaryCode == 10 || primaryCode == 13 }

    var isBusy: Bool { primaryCode == 5 }

    var description: String {
        switch self {
        case .rows(let rows):
            if rows.isEmpty { return "(no rows)" }
            return rows.prefix(40).map { $0.map(Self.render).joined(separator: "|") }.joined(separator: "\n")
                + (rows.count > 40 ? "\n... (\(rows.count) rows)" : "")
        case .error(let code, let message): return "error \(code): \(message)"
        }
    }

    /// A value as a result line shows it: with its storage class where the text alone would
    /// hide a difference (1 and 1.0 and '1').
    static func render(_ value: DatabaseValue) -> String {
        switch value {
        case .null: return "NULL"
        case .integer(let integer): return String(integer)
        case .real(let real): return "\(real)r"
        case .text(let text): return text.count > 60 ? "'\(text.prefix(57))...'(\(text.count))" : "'\(text)'"
        case .blob(let bytes): return "x'" + bytes.prefix(24).map { String($0, radix: 16) }.joined() + (bytes.count > 24 ? "...'(\(bytes.count))" : "'")
        }
    }
}

/// Orders rows for a comparison that ignores their order: by storage class, then value, as
/// SQLite sorts (NULL, numbers, text, blobs), with a total order on reals.
func rowsInCanonicalOrder(_ rows: [[DatabaseValue]]) -> [[DatabaseValue]] {
    rows.sorted { lhs, rhs in
        for (a, b) in zip(lhs, rhs) {
            let order = canonicalCompare(a, b)
            if order != 0 { return order < 0 }
        }
        return lhs.count < rhs.count
    }
}

func canonicalCompare(_ a: DatabaseValue, _ b: DatabaseValue) -> Int {
    func rank(_ value: DatabaseValue) -> Int {
        switch value {
        case .null: 0
        case .integer: 1
        case .real: 2
        case .text: 3
        case .blob: 4
        }
    }
    if rank(a) != rank(b) { return rank(a) < rank(b) ? -1 : 1 }
    switch (a, b) {
    case (.integer(let x), .integer(let y)): return x == y ? 0 : (x < y ? -1 : 1)
    case (.real(let x), .real(let y)): return x.bitPattern == y.bitPattern ? 0 : (x.isTotallyOrdered(belowOrEqualTo: y) ? -1 : 1)
    case (.text(let x), .text(let y)): return x == y ? 0 : (Array(x.utf8).lexicographicallyPrecedes(Array(y.utf8)) ? -1 : 1)
    case (.blob(let x), .blob(let y)): return x == y ? 0 : (x.lexicographicallyPrecedes(y) ? -1 : 1)
    default: return 0
    }
}

/// Whether two result sets hold the same rows, value for value with the same storage classes
/// (reals compared bit for bit, so -0.0 and 0.0 differ, as sqlite3's output shows them).
func sameRows(_ a: [[DatabaseValue]], _ b: [[DatabaseValue]], ordered: Bool) -> Bool {
    guard a.count == b.count else { return false }
    let (x, y) = ordered ? (a, b) : (rowsInCanonicalOrder(a), rowsInCanonicalOrder(b))
    for (rowA, rowB) in zip(x, y) {
        guard rowA.count == rowB.count else { return false }
        for (valueA, valueB) in zip(rowA, rowB) where canonicalCompare(valueA, valueB) != 0 { return false }
    }
    return true
}
