/// One result row, copied out of its statement.
///
/// ```swift
/// let row = try connection.query("SELECT 1 AS one, 'a' AS letter")[0]
/// row[0]          // .integer(1)
/// row["letter"]   // .text("a")
/// ```
public struct Row: Sendable, Hashable, CustomStringConvertible {
    public let columnNames: [String]
    public let values: [DatabaseValue]

    public var count: Int { values.count }

    public subscript(index: Int) -> DatabaseValue { values[index] }

    /// The first column with this name (compared case-insensitively, as SQL names are), or nil.
    public subscript(name: String) -> DatabaseValue? {
        let key = name.lowercased()
        guard let index = columnNames.firstIndex(where: { $0.lowercased() == key }) else { return nil }
        return values[index]
    }

    public var description: String {
        values.map(\.description).joined(separator: "|")
    }
}
