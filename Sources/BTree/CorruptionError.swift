/// Data read from the database file that breaks a rule of the file format.
///
/// Everything read from disk (offsets, sizes, counts, page numbers, serial types) is validated
/// before it is used; a violation is reported with this error rather than asserted, so a damaged
/// file can never crash or hang the engine. The code is SQLite's `SQLITE_CORRUPT`, so the layers
/// above can report it the way SQLite does.
package struct CorruptionError: Error, Sendable, Equatable, CustomStringConvertible {
    /// SQLite's primary result code for a malformed database image.
    package static let sqliteCorrupt: Int32 = 11

    /// The result code to report to SQL callers.
    package var code: Int32 { Self.sqliteCorrupt }

    /// The page the bad data was found on, or nil when the data is not tied to one page (for
    /// example a record assembled from a cell and its overflow chain).
    package var pageNumber: UInt32?

    /// What was wrong, for logs and error messages.
    package var reason: String

    package init(page pageNumber: UInt32?, _ reason: String) {
        self.pageNumber = pageNumber
        self.reason = reason
    }

    /// Attaches a page number to an error raised by code that did not know it.
    package func onPage(_ pageNumber: UInt32) -> CorruptionError {
        var copy = self
        if copy.pageNumber == nil { copy.pageNumber = pageNumber }
        return copy
    }

    package var description: String {
        if let pageNumber {
            return "database disk image is malformed: page \(pageNumber): \(reason)"
        }
        return "database disk image is malformed: \(reason)"
    }
}
