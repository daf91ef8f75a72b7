/// A query: `[WITH ...] core [compound-op core]... [ORDER BY ...] [LIMIT ...]`.
///
/// ORDER BY and LIMIT belong to the whole compound (SQLite rejects them on any but the last
/// term). The compound terms are a flat list, evaluated left to right.
package struct Select: Sendable, Equatable {
    package var with: WithClause?
    package var first: SelectCore
    package var compounds: [CompoundTerm]
    package var orderBy: [OrderingTerm]
    package var limit: Limit?

    package init(with: WithClause? = nil, first: SelectCore, compounds: [CompoundTerm] = [],
                 orderBy: [OrderingTerm] = [], limit: Limit? = nil)
    {
        self.with = with
        self.first = first
        self.compounds = compounds
        self.orderBy = orderBy
        self.limit = limit
    }
}

package enum CompoundOperator: Sendable, Hashable {
    case union, unionAll, intersect, except
}

package struct CompoundTerm: Sendable, Equatable {
    package var op: CompoundOperator
    package var core: SelectCore

    package init(_ op: CompoundOperator, _ core: SelectCore) {
        self.op = op
        self.core = core
    }
}

package indirect enum SelectCore: Sendable, Equatable {
    case select(SelectClause)
    /// `VALUES (...), (...)`: one row per element.
    case values([[Expr]])
}

package enum SetQuantifier: Sendable, Hashable {
    case distinct, all
}

/// `SELECT [DISTINCT|ALL] columns [FROM ...] [WHERE ...] [GROUP BY ...] [HAVING ...] [WINDOW ...]`.
package struct SelectClause: Sendable, Equatable {
    package var quantifier: SetQuantifier?
    package var columns: [ResultColumn]
    package var from: FromClause?
    package var `where`: Expr?
    package var groupBy: [Expr]
    package var having: Expr?
    package var windows: [NamedWindow]

    package init(quantifier: SetQuantifier? = nil, columns: [ResultColumn], from: FromClause? = nil,
                 where: Expr? = nil, groupBy: [Expr] = [], having: Expr? = nil,
                 windows: [NamedWindow] = [])
    {
        self.quantifier = quantifier
        self.columns = columns
        self.from = from
        self.where = `where`
        self.groupBy = groupBy
        self.having = having
        self.windows = windows
    }
}

package enum ResultColumn: Sendable, Equatable {
    /// `*`
    case all
    /// `table.*`
    case allFrom(Name)
    /// `expr [[AS] alias]`. `span` is the expression's source text range: SQLite names an
    /// unaliased result column after that text.
    case expr(Expr, alias: Name?, span: SourceRange)
}

/// `LIMIT count [OFFSET offset]` or `LIMIT offset, count` (`commaForm`; the renderer keeps the
/// form so that anonymous parameters keep their numbers).
package struct Limit: Sendable, Equatable {
    package var count: Expr
    package var offset: Expr?
    package var commaForm: Bool

    package init(count: Expr, offset: Expr? = nil, commaForm: Bool = false) {
        self.count = count
        self.offset = offset
        self.commaForm = commaForm
    }
}

/// `WITH [RECURSIVE] cte, ...`
package struct WithClause: Sendable, Equatable {
    package var recursive: Bool
    package var tables: [CommonTableExpression]

    package init(recursive: Bool, tables: [CommonTableExpression]) {
        self.recursive = recursive
        self.tables = tables
    }
}

package enum Materialization: Sendable, Hashable {
    case materialized, notMaterialized
}

/// `name [(columns)] AS [[NOT] MATERIALIZED] (select)`
package struct CommonTableExpression: Sendable, Equatable {
    package var name: Name
    package var columns: [Name]
    package var materialization: Materialization?
    package var select: Select

    package init(name: Name, columns: [Name] = [], materialization: Materialization? = nil, select: Select) {
        self.name = name
        self.columns = columns
        self.materialization = materialization
        self.select = select
    }
}

/// A FROM clause: a first table and the joins after it, in order (`a, b JOIN c ON ...`).
package struct FromClause: Sendable, Equatable {
    package var first: TableSource
    package var joins: [Join]

    package init(first: TableSource, joins: [Join] = []) {
        self.first = first
        self.joins = joins
    }
}

package enum JoinKind: Sendable, Hashable {
    /// JOIN, INNER JOIN
    case inner
    /// LEFT [OUTER] JOIN
    case left
    /// RIGHT [OUTER] JOIN
    case right
    /// FULL [OUTER] JOIN, and any spelling SQLite reads as both LEFT and RIGHT
    case full
    /// CROSS JOIN (an inner join the planner must not reorder)
    case cross
}

package enum JoinOperator: Sendable, Hashable {
    /// `,`
    case comma
    /// `[NATURAL] [LEFT|RIGHT|FULL|INNER|CROSS] JOIN`
    case join(JoinKind, natural: Bool)
}

package enum JoinConstraint: Sendable, Equatable {
    case on(Expr)
    case using([Name])
}

package struct Join: Sendable, Equatable {
    package var op: JoinOperator
    package var source: TableSource
    package var constraint: JoinConstraint?

    package init(op: JoinOperator, source: TableSource, constraint: JoinConstraint? = nil) {
        self.op = op
        self.source = source
        self.constraint = constraint
    }
}

package enum IndexHint: Sendable, Hashable {
    case indexedBy(Name)
    case notIndexed
}

/// One item of a FROM clause.
///
/// Parenthesized joins follow SQLite: `(a JOIN b)` as the first item, without alias or
/// constraint, merges into the enclosing list; a parenthesized single item becomes that item
/// under the outer alias (its inner alias and index hint are dropped, as SQLite drops them);
/// anything else is `.nested`.
package indirect enum TableSource: Sendable, Equatable {
    case table(QualifiedName, alias: Name?, indexHint: IndexHint?)
    /// A table-valued function: `[schema.]name(args) [AS alias]`.
    case function(QualifiedName, arguments: [Expr], alias: Name?)
    case subquery(Select, alias: Name?)
    /// A parenthesized join of two or more items.
    case nested(FromClause, alias: Name?)
}

/// A window specification: `([base] [PARTITION BY ...] [ORDER BY ...] [frame])`.
package struct WindowSpec: Sendable, Equatable {
    package var base: Name?
    package var partitionBy: [Expr]
    package var orderBy: [OrderingTerm]
    package var frame: FrameSpec?

    package init(base: Name? = nil, partitionBy: [Expr] = [], orderBy: [OrderingTerm] = [], frame: FrameSpec? = nil) {
        self.base = base
        self.partitionBy = partitionBy
        self.orderBy = orderBy
        self.frame = frame
    }
}

/// `WINDOW name AS (spec)`
package struct NamedWindow: Sendable, Equatable {
    package var name: Name
    package var spec: WindowSpec

    package init(name: Name, spec: WindowSpec) {
        self.name = name
        self.spec = spec
    }
}

/// `OVER name` or `OVER (spec)`.
package enum WindowReference: Sendable, Equatable {
    case named(Name)
    case spec(WindowSpec)
}

package enum FrameUnit: Sendable, Hashable {
    case rows, range, groups
}

package enum FrameBound: Sendable, Equatable {
    case unboundedPreceding
    case preceding(Expr)
    case currentRow
    case following(Expr)
    case unboundedFollowing
}

package enum FrameExclusion: Sendable, Hashable {
    case noOthers, currentRow, group, ties
}

/// A frame. `ROWS x PRECEDING` (no BETWEEN) is kept as start `x PRECEDING`, end CURRENT ROW,
/// which is what it means.
package struct FrameSpec: Sendable, Equatable {
    package var unit: FrameUnit
    package var start: FrameBound
    package var end: FrameBound
    package var exclude: FrameExclusion?

    package init(unit: FrameUnit, start: FrameBound, end: FrameBound = .currentRow, exclude: FrameExclusion? = nil) {
        self.unit = unit
        self.start = start
        self.end = end
        self.exclude = exclude
    }
}
