/// A literal value.
package enum Literal: Sendable, Equatable {
    case null
    case integer(Int64)
    /// A number with a decimal point or exponent, or an integer too large for Int64 (as in SQLite).
    case real(Double)
    case string(String)
    case blob([UInt8])
    /// TRUE or FALSE where SQLite fixes the meaning while parsing (`DEFAULT true`). In
    /// expressions `true` and `false` are names that resolve to booleans only when no column has
    /// that name, so the parser leaves them as column references there.
    case boolean(Bool)
    case currentTime
    case currentDate
    case currentTimestamp
}

/// A bound parameter, numbered the way SQLite numbers them: `?` takes the next number, `?NNN`
/// takes NNN, and a named parameter takes a number at its first appearance and keeps it.
package struct Parameter: Sendable, Hashable {
    package enum Kind: Sendable, Hashable {
        /// `?`
        case anonymous
        /// `?NNN`
        case numbered
        /// `:name`, `@name`, `$name` (with Tcl suffixes) or `#name`
        case named
    }

    package var kind: Kind
    /// The token as written, prefix included (`?`, `?3`, `:id`, `$a::b(c)`).
    package var text: String
    /// The 1-based index used to bind it.
    package var index: Int

    package init(kind: Kind, text: String, index: Int) {
        self.kind = kind
        self.text = text
        self.index = index
    }
}

/// `[[schema.]table.]column`.
package struct ColumnReference: Sendable, Hashable {
    package var schema: Name?
    package var table: Name?
    package var column: Name

    package init(schema: Name? = nil, table: Name? = nil, column: Name) {
        self.schema = schema
        self.table = table
        self.column = column
    }
}

package enum UnaryOperator: Sendable, Hashable {
    /// `-x`
    case negate
    /// `+x`
    case plus
    /// `~x`
    case bitNot
    /// `NOT x`
    case not
}

package enum BinaryOperator: Sendable, Hashable {
    case or, and
    /// `=` or `==`
    case equal
    /// `!=` or `<>`
    case notEqual
    /// `IS` and `IS NOT DISTINCT FROM`
    case `is`
    /// `IS NOT` and `IS DISTINCT FROM`
    case isNot
    case less, lessEqual, greater, greaterEqual
    case bitAnd, bitOr, shiftLeft, shiftRight
    case add, subtract, multiply, divide, remainder
    /// `||`
    case concat
    /// `->`
    case extract
    /// `->>`
    case extractText
}

/// The infix pattern operators, which SQLite turns into calls of the function of that name.
package enum PatternOperator: Sendable, Hashable {
    case like, glob, regexp, match
}

/// `CASE [operand] WHEN ... THEN ... [ELSE ...] END`.
package struct CaseExpression: Sendable, Equatable {
    package struct Branch: Sendable, Equatable {
        package var when: Expr
        package var then: Expr

        package init(when: Expr, then: Expr) {
            self.when = when
            self.then = then
        }
    }

    package var operand: Expr?
    package var branches: [Branch]
    package var otherwise: Expr?

    package init(operand: Expr?, branches: [Branch], otherwise: Expr?) {
        self.operand = operand
        self.branches = branches
        self.otherwise = otherwise
    }
}

/// A function call, aggregate or window function.
package struct FunctionCall: Sendable, Equatable {
    package enum Arguments: Sendable, Equatable {
        /// `f(*)`
        case star
        /// `f([DISTINCT] a, b, ...)`; `ALL` is the default and is not kept.
        case list([Expr], distinct: Bool)
    }

    package var name: Name
    package var arguments: Arguments
    /// `FILTER (WHERE ...)`
    package var filter: Expr?
    /// `OVER name` or `OVER (...)`
    package var over: WindowReference?

    package init(name: Name, arguments: Arguments, filter: Expr? = nil, over: WindowReference? = nil) {
        self.name = name
        self.arguments = arguments
        self.filter = filter
        self.over = over
    }
}

/// RAISE(...) in a trigger program. The message is a name or string in SQLite 3.40's grammar.
package enum RaiseAction: Sendable, Hashable {
    case ignore
    case rollback(String)
    case abort(String)
    case fail(String)
}

/// An expression. Parentheses leave no node: `(a)` is `a`, as in SQLite.
package indirect enum Expr: Sendable, Equatable {
    case literal(Literal)
    case parameter(Parameter)
    case column(ColumnReference)
    case unary(UnaryOperator, Expr)
    case binary(BinaryOperator, Expr, Expr)
    /// `x [NOT] LIKE|GLOB|REGEXP|MATCH pattern [ESCAPE e]`
    case pattern(PatternOperator, negated: Bool, Expr, pattern: Expr, escape: Expr?)
    /// `x [NOT] BETWEEN low AND high`
    case between(negated: Bool, Expr, low: Expr, high: Expr)
    /// `x [NOT] IN (a, b, ...)`; the list may be empty.
    case inList(negated: Bool, Expr, [Expr])
    /// `x [NOT] IN (SELECT ...)`
    case inSelect(negated: Bool, Expr, Select)
    /// `x [NOT] IN [schema.]table` or `x [NOT] IN [schema.]function(args)` (arguments non-nil).
    case inTable(negated: Bool, Expr, QualifiedName, arguments: [Expr]?)
    /// `x ISNULL`, `x IS NULL`
    case isNull(Expr)
    /// `x NOTNULL`, `x NOT NULL`, `x IS NOT NULL`
    case notNull(Expr)
    case collate(Expr, Name)
    case cast(Expr, TypeName)
    case `case`(CaseExpression)
    case function(FunctionCall)
    /// `EXISTS (SELECT ...)`; `NOT EXISTS` is `.unary(.not, .exists(...))`, as in SQLite.
    case exists(Select)
    /// A scalar subquery `(SELECT ...)`.
    case subquery(Select)
    /// A row value `(a, b, ...)` of two or more terms.
    case vector([Expr])
    case raise(RaiseAction)
}
