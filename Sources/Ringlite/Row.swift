/// One result row, copied out of its statement: `Sendable`, so it may go to any thread.
///
/// ```swift
/// let row = try connection.query("SELECT 1 AS one, 'a' AS letter")[0]
/// row[0]          // .integer(1)
/// row["letter"]   // .text("a")
/// ```
public struct Row: Sendable, Hashable, CustomStringConvertible {
    /// The result columns' names, as ``Statement/columnNames``.
    ///
    /// ```swift
    /// row.columnNames   // ["one", "letter"]
    /// ```
    public let columnNames: [String]
    /// The values, in column order.
    ///
    /// ```swift
    /// row.values   // [.integer(1), .text("a")]
    /// ```
    public let values: [DatabaseValue]

    /// The number of columns.
    ///
    /// ```swift
    /// row.count   // 2
    /// ```
    public var count: Int { values.count }

    /// The value of column `index` (0-based).
    ///
    /// ```swift
    /// row[1]   // .text("a")
    /// ```
    public subscript(index: Int) -> DatabaseValue { values[index] }

    /// The first column with this name (compared case-insensitively, as SQL names are), or nil.
    ///
    /// ```swift
    /// row["LETTER"]   // .text("a")
    /// ```
    public subscript(name: String) -> DatabaseValue? {
        let key = name.lowercased()
        guard let index = columnNames.firstIndex(where: { $0.lowercased() == key }) else { return nil }
        return values[index]
    }

    /// The values joined by "|", as the sqlite3 shell's list mode shows a row.
    ///
    /// ```swift
    /// print(row)   // 1|a
    /// ```
    public var description: String {
        values.map(\.description).joined(separator: "|")
    }
}
