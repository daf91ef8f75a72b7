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

extension Expr {
    /// The operand written first, for the operators written after it (binary and postfix
    /// operators), with the level it must reach to go without parentheses.
    var leftOperand: (operand: Expr, minimum: Int)? {
        switch self {
        case .binary(let op, let lhs, _): return (lhs, op.level)
        case .pattern(_, _, let lhs, _, _), .between(_, let lhs, _, _), .inList(_, let lhs, _),
             .inSelect(_, let lhs, _), .inTable(_, let lhs, _, _):
            return (lhs, 4)
        case .isNull(let operand), .notNull(let operand): return (operand, 4)
        case .collate(let operand, _): return (operand, 11)
        default: return nil
        }
    }
}

extension SQLRenderer {
    /// Writes `expr`, in parentheses when it binds less tightly than `minimum`.
    ///
    /// A left-deep chain (`a + b + c ...`, `x ISNULL ISNULL`) is written by walking down its
    /// left operands and then writing each operator with its right side, so a chain as long
    /// as the parser allows costs no recursion.
    mutating func expr(_ expr: Expr, minimum: Int = 0) {
        if expr.level < minimum {
            write("(")
            self.expr(expr)
            write(")")
            return
        }
        var chain: [Expr] = []
        var innermost = expr
        while let (lhs, lhsMinimum) = innermost.leftOperand, lhs.level >= lhsMinimum {
            chain.append(innermost)
            innermost = lhs
        }
        if let (lhs, lhsMinimum) = innermost.leftOperand {
            self.expr(lhs, minimum: lhsMinimum)
            operatorSuffix(innermost)
        } else {
            operand(innermost)
        }
        for node in chain.reversed() { operatorSuffix(node) }
    }

    /// What a binary or postfix operator writes after its left operand.
    private mutating func operatorSuffix(_ expr: Expr) {
        switch expr {
        case .binary(let op, _, let rhs):
            write(" \(op.token) ")
            self.expr(rhs, minimum: op.level + 1)
        case .pattern(let op, let negated, _, let pattern, let escape):
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
        case .between(let negated, _, let low, let high):
            write(negated ? " NOT BETWEEN " : " BETWEEN ")
            self.expr(low, minimum: 3)
            write(" AND ")
            self.expr(high, minimum: 5)
        case .inList(let negated, _, let list):
            write(negated ? " NOT IN (" : " IN (")
            self.list(list) { $0.expr($1) }
            write(")")
        case .inSelect(let negated, _, let select):
            write(negated ? " NOT IN (" : " IN (")
            self.select(select)
            write(")")
        case .inTable(let negated, _, let table, let arguments):
            write(negated ? " NOT IN " : " IN ")
            qualified(table)
            if let arguments {
                write("(")
                self.list(arguments) { $0.expr($1) }
                write(")")
            }
        case .isNull:
            write(" ISNULL")
        case .notNull:
            write(" NOTNULL")
        case .collate(_, let collation):
            write(" COLLATE ")
            name(collation)
        default:
            break
        }
    }

    /// An expression that is not a binary or postfix operator application.
    private mutating func operand(_ expr: Expr) {
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
            // No parentheses where none are needed: "NOT NOT x" and "- -x" read back as
            // written, and parentheses would spend the parser's nesting budget.
            if op == .not {
                if case .unary(.not, _) = operand {
                    self.expr(operand)
                } else {
                    self.expr(operand, minimum: 4)
                }
            } else {
                if case .unary(let inner, _) = operand, inner != .not {
                    write(" ")   // "- -x", not the comment "--x"
                }
                self.expr(operand, minimum: 12)
            }
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
        default:
            break
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
