// Expressions, with the parentheses SQLite's precedence needs (levels as in ParserExpr.swift).

extension Expr {
    /// The expression as SQL text.
    package var sql: String {
        var renderer = SQLRenderer()
        renderer.expr(self)
        return renderer.output
    }

    /// How tightly the expression binds when written without parentheses.
    var level: Int {
        switch self {
        case .binary(let op, _, _): return op.level
        case .unary(.not, _): return 3
        case .unary: return 12
        case .pattern, .between, .inList, .inSelect, .inTable, .isNull, .notNull: return 4
        case .collate: return 11
        case .literal(.integer(let value)) where value < 0: return 100
        default: return 100
        }
    }
}

extension BinaryOperator {
    var level: Int {
        switch self {
        case .or: return 1
        case .and: return 2
        case .equal, .notEqual, .is, .isNot: return 4
        case .less, .lessEqual, .greater, .greaterEqual: return 5
        case .bitAnd, .bitOr, .shiftLeft, .shiftRight: return 7
        case .add, .subtract: return 8
        case .multiply, .divide, .remainder: return 9
        case .concat, .extract, .extractText: return 10
        }
    }

    var token: String {
        switch self {
        case .or: return "OR"
        case .and: return "AND"
        case .equal: return "="
        case .notEqual: return "!="
        case .is: return "IS"
        case .isNot: return "IS NOT"
        case .less: return "<"
        case .lessEqual: return "<="
        case .greater: return ">"
        case .greaterEqual: return ">="
        case .bitAnd: return "&"
        case .bitOr: return "|"
        case .shiftLeft: return "<<"
        case .shiftRight: return ">>"
        case .add: return "+"
        case .subtract: return "-"
        case .multiply: return "*"
        case .divide: return "/"
        case .remainder: return "%"
        case .concat: return "||"
        case .extract: return "->"
        case .extractText: return "->>"
        }
    }
}

extension SQLRenderer {
    /// Writes `expr`, in parentheses when it binds less tightly than `minimum`.
    mutating func expr(_ expr: Expr, minimum: Int = 0) {
        if expr.level < minimum {
            write("(")
            self.expr(expr)
            write(")")
            return
        }
        switch expr {
        case .literal(let literal):
            self.literal(literal)
        case .parameter(let parameter):
            write(parameter.text)
        case .column(let column):
            if let schema = column.schema {
                name(schema)
                write(".")
            }
            if let table = column.table {
                name(table)
                write(".")
            }
            name(column.column)
        case .unary(let op, let operand):
            switch op {
            case .negate: write("-")
            case .plus: write("+")
            case .bitNot: write("~")
            case .not: write("NOT ")
            }
            if op == .not {
                self.expr(operand, minimum: 4)
            } else if case .unary = operand {
                // "- -x" must not become the comment "--x".
                write("(")
                self.expr(operand)
                write(")")
            } else {
                self.expr(operand, minimum: 12)
            }
        case .binary(let op, let lhs, let rhs):
            self.expr(lhs, minimum: op.level)
            write(" \(op.token) ")
            self.expr(rhs, minimum: op.level + 1)
        case .pattern(let op, let negated, let lhs, let pattern, let escape):
            self.expr(lhs, minimum: 4)
            write(negated ? " NOT " : " ")
            switch op {
            case .like: write("LIKE ")
            case .glob: write("GLOB ")
            case .regexp: write("REGEXP ")
            case .match: write("MATCH ")
            }
            self.expr(pattern, minimum: 5)
            if let escape {
                write(" ESCAPE ")
                self.expr(escape, minimum: 5)
            }
        case .between(let negated, let lhs, let low, let high):
            self.expr(lhs, minimum: 4)
            write(negated ? " NOT BETWEEN " : " BETWEEN ")
            self.expr(low, minimum: 3)
            write(" AND ")
            self.expr(high, minimum: 5)
        case .inList(let negated, let lhs, let list):
            self.expr(lhs, minimum: 4)
            write(negated ? " NOT IN (" : " IN (")
            self.list(list) { $0.expr($1) }
            write(")")
        case .inSelect(let negated, let lhs, let select):
            self.expr(lhs, minimum: 4)
            write(negated ? " NOT IN (" : " IN (")
            self.select(select)
            write(")")
        case .inTable(let negated, let lhs, let table, let arguments):
            self.expr(lhs, minimum: 4)
            write(negated ? " NOT IN " : " IN ")
            qualified(table)
            if let arguments {
                write("(")
                self.list(arguments) { $0.expr($1) }
                write(")")
            }
        case .isNull(let operand):
            self.expr(operand, minimum: 4)
            write(" ISNULL")
        case .notNull(let operand):
            self.expr(operand, minimum: 4)
            write(" NOTNULL")
        case .collate(let operand, let collation):
            self.expr(operand, minimum: 11)
            write(" COLLATE ")
            name(collation)
        case .cast(let operand, let type):
            write("CAST(")
            self.expr(operand)
            write(" AS ")
            typeName(type)
            write(")")
        case .case(let caseExpr):
            write("CASE")
            if let operand = caseExpr.operand {
                write(" ")
                self.expr(operand)
            }
            for branch in caseExpr.branches {
                write(" WHEN ")
                self.expr(branch.when)
                write(" THEN ")
                self.expr(branch.then)
            }
            if let otherwise = caseExpr.otherwise {
                write(" ELSE ")
                self.expr(otherwise)
            }
            write(" END")
        case .function(let call):
            function(call)
        case .exists(let select):
            write("EXISTS (")
            self.select(select)
            write(")")
        case .subquery(let select):
            write("(")
            self.select(select)
            write(")")
        case .vector(let terms):
            write("(")
            self.list(terms) { $0.expr($1) }
            write(")")
        case .raise(let action):
            switch action {
            case .ignore: write("RAISE(IGNORE)")
            case .rollback(let message): write("RAISE(ROLLBACK, \(SQLRenderer.quote(message, with: "'")))")
            case .abort(let message): write("RAISE(ABORT, \(SQLRenderer.quote(message, with: "'")))")
            case .fail(let message): write("RAISE(FAIL, \(SQLRenderer.quote(message, with: "'")))")
            }
        }
    }

    private mutating func function(_ call: FunctionCall) {
        name(call.name)
        write("(")
        switch call.arguments {
        case .star:
            write("*")
        case .list(let arguments, let distinct):
            if distinct { write(arguments.isEmpty ? "DISTINCT" : "DISTINCT ") }
            list(arguments) { $0.expr($1) }
        }
        write(")")
        if let filter = call.filter {
            write(" FILTER (WHERE ")
            expr(filter)
            write(")")
        }
        switch call.over {
        case .named(let window)?:
            write(" OVER ")
            name(window)
        case .spec(let spec)?:
            write(" OVER (")
            windowSpec(spec)
            write(")")
        case nil:
            break
        }
    }

    mutating func orderingTerms(_ terms: [OrderingTerm]) {
        list(terms) { renderer, term in
            renderer.expr(term.expr)
            switch term.order {
            case .ascending?: renderer.write(" ASC")
            case .descending?: renderer.write(" DESC")
            case nil: break
            }
            switch term.nulls {
            case .first?: renderer.write(" NULLS FIRST")
            case .last?: renderer.write(" NULLS LAST")
            case nil: break
            }
        }
    }

    mutating func windowSpec(_ spec: WindowSpec) {
        var parts = 0
        func space(_ renderer: inout SQLRenderer) {
            if parts > 0 { renderer.write(" ") }
            parts += 1
        }
        if let base = spec.base {
            space(&self)
            name(base)
        }
        if !spec.partitionBy.isEmpty {
            space(&self)
            write("PARTITION BY ")
            list(spec.partitionBy) { $0.expr($1) }
        }
        if !spec.orderBy.isEmpty {
            space(&self)
            write("ORDER BY ")
            orderingTerms(spec.orderBy)
        }
        if let frame = spec.frame {
            space(&self)
            switch frame.unit {
            case .rows: write("ROWS BETWEEN ")
            case .range: write("RANGE BETWEEN ")
            case .groups: write("GROUPS BETWEEN ")
            }
            frameBound(frame.start)
            write(" AND ")
            frameBound(frame.end)
            switch frame.exclude {
            case .noOthers?: write(" EXCLUDE NO OTHERS")
            case .currentRow?: write(" EXCLUDE CURRENT ROW")
            case .group?: write(" EXCLUDE GROUP")
            case .ties?: write(" EXCLUDE TIES")
            case nil: break
            }
        }
    }

    private mutating func frameBound(_ bound: FrameBound) {
        switch bound {
        case .unboundedPreceding: write("UNBOUNDED PRECEDING")
        case .preceding(let offset):
            expr(offset)
            write(" PRECEDING")
        case .currentRow: write("CURRENT ROW")
        case .following(let offset):
            expr(offset)
            write(" FOLLOWING")
        case .unboundedFollowing: write("UNBOUNDED FOLLOWING")
        }
    }
}
