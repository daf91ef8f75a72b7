/// A byte range in the SQL source: `start..<end`.
///
/// Ranges are where a node was written, not what it says: `==` and hashing ignore them, so two
/// trees parsed from differently spaced text compare equal. `isSameLocation` compares them.
package struct SourceRange: Sendable, Hashable, CustomStringConvertible {
    package var start: Int
    package var end: Int

    package init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    /// The range of a node built by code rather than parsed.
    package static let none = SourceRange(start: 0, end: 0)

    package var count: Int { end - start }

    package static func == (lhs: SourceRange, rhs: SourceRange) -> Bool { true }
    package func hash(into hasher: inout Hasher) {}

    package func isSameLocation(as other: SourceRange) -> Bool {
        start == other.start && end == other.end
    }

    package var description: String { "\(start)..<\(end)" }
}

/// An identifier as written: its dequoted value, how it was quoted, and where it was.
///
/// Quoting is part of the meaning: an unqualified double-quoted name that matches no column is a
/// string literal in SQLite, and the renderer reproduces the original quoting.
package struct Name: Sendable, Hashable, CustomStringConvertible {
    package enum Quoting: UInt8, Sendable, Hashable {
        case bare, doubleQuoted, bracketed, backticked, singleQuoted
    }

    package var value: String
    package var quoting: Quoting
    package var range: SourceRange

    package init(_ value: String, quoting: Quoting = .bare, range: SourceRange = .none) {
        self.value = value
        self.quoting = quoting
        self.range = range
    }

    package var description: String { value }
}

/// `[schema.]name`.
package struct QualifiedName: Sendable, Hashable {
    package var schema: Name?
    package var name: Name

    package init(schema: Name? = nil, name: Name) {
        self.schema = schema
        self.name = name
    }
}

/// A declared type (`VARCHAR(10)`, `DOUBLE PRECISION`, `"my type"`) in a column definition or a
/// CAST.
///
/// SQLite keeps the type as the raw source text from its first token to its last (comments and
/// spacing included, quotes not yet removed) and derives affinity from that text, so the text is
/// the type's whole meaning here too. It may be empty (`CAST(x AS)`, a column without a type).
package struct TypeName: Sendable, Hashable {
    package var text: String

    package init(_ text: String) {
        self.text = text
    }
}

package enum SortOrder: Sendable, Hashable {
    case ascending, descending
}

package enum NullsOrder: Sendable, Hashable {
    case first, last
}

/// An ORDER BY term, an indexed column, or a conflict-target column: `expr [ASC|DESC] [NULLS ...]`.
/// A COLLATE clause is part of `expr`.
package struct OrderingTerm: Sendable, Equatable {
    package var expr: Expr
    package var order: SortOrder?
    package var nulls: NullsOrder?

    package init(_ expr: Expr, order: SortOrder? = nil, nulls: NullsOrder? = nil) {
        self.expr = expr
        self.order = order
        self.nulls = nulls
    }
}

/// ON CONFLICT / OR resolution.
package enum ConflictResolution: Sendable, Hashable {
    case rollback, abort, fail, ignore, replace
}
