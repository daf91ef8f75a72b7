/// A statement that does not parse, worded as SQLite 3.40 words it (`near "X": syntax error`,
/// `incomplete input`, `unrecognized token: "X"`, ...), with the byte offset SQLite points at.
package struct SQLSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    package var message: String
    package var offset: Int

    package init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    package var description: String { message }
}

/// Limits and modes of one parse.
package struct ParserOptions: Sendable {
    /// The largest `?NNN` (SQLite's SQLITE_MAX_VARIABLE_NUMBER; 32766 by default there).
    package var maxVariableNumber: Int = 32766
    /// SQLite's SQLITE_MAX_EXPR_DEPTH.
    package var maxExpressionDepth: Int = 1000
    /// Nesting of parentheses, subqueries, calls and the like beyond which the parser stops
    /// with "parser stack overflow", in units of roughly 1 KiB of a debug build's stack (a
    /// parenthesis costs 3, a subquery 6). The default keeps the parser within a 512 KiB thread
    /// stack and still takes well over what SQLite 3.40's fixed parser stack takes (about 90
    /// parentheses, 30 nested calls or 18 nested subqueries).
    package var maxNestingDepth: Int = 400
    /// True while reading a stored schema: like SQLite's `db->init.busy`, it accepts the
    /// COLLATE/ASC/DESC that old versions allowed (and ignored) in column-name lists.
    package var isLoadingSchema: Bool = false

    package init() {}
}

/// The source text of a parse: its bytes, followed by NUL bytes so that the tokenizer can read
/// one byte past any byte that is not NUL, as SQLite's does.
final class SourceBuffer: @unchecked Sendable {
    // Immutable after init; the pointer is owned and freed here.
    let base: UnsafeMutablePointer<UInt8>
    /// The bytes up to the first NUL (SQLite reads no further).
    let count: Int

    init<C: Collection>(_ bytes: C) where C.Element == UInt8 {
        let n = bytes.count
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: n + 4)
        var i = 0
        var firstNul = n
        for byte in bytes {
            base[i] = byte
            if byte == 0 && firstNul == n { firstNul = i }
            i += 1
        }
        (base + n).initialize(repeating: 0, count: 4)
        count = firstNul
    }

    deinit { base.deallocate() }

    func bytes(_ start: Int, _ end: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: base + start, count: end - start)
    }

    /// The text of a byte range; invalid UTF-8 is repaired (only for messages).
    func text(_ start: Int, _ end: Int) -> String {
        String(decoding: bytes(start, end), as: UTF8.self)
    }
}
