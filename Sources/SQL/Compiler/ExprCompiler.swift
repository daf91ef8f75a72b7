import BTree
import Pager
import VM

/// Compiling expressions into registers (sqlite3ExprCodeTarget of expr.c). Every expression is
/// computed into a target register; subexpressions get fresh registers.
extension CodeGenerator {
    /// Computes `expr` into a new register and returns it.
    func compileExpr(_ expr: Expr, _ scope: ExprScope) throws(DatabaseError) -> Int32 {
        let target = builder.allocateRegisters()
        try compileExpr(expr, scope, into: target)
        return target
    }

    /// Computes `exprs` into consecutive new registers and returns the first.
    func compileExprList(_ exprs: [Expr], _ scope: ExprScope) throws(DatabaseError) -> Int32 {
        guard !exprs.isEmpty else { return 0 }
        let first = builder.allocateRegisters(exprs.count)
        for (offset, expr) in exprs.enumerated() {
            try compileExpr(expr, scope, into: first + Int32(offset))
        }
        return first
    }

    func compileExpr(_ expr: Expr, _ scope: ExprScope, into target: Int32) throws(DatabaseError) {
        switch expr {
        case .literal(let literal):
            try compileLiteral(literal, into: target)
        case .parameter(let parameter):
            builder.emit(.variable, Int32(parameter.index), target)
        case .column(let reference):
            switch try resolve(reference, in: scope) {
            case .column(let column): emitColumn(column, scope, into: target)
            case .alias(let aliased): try compileAliased(aliased, scope, into: target)
            case .constant(let value): emitValue(value, into: target)
            case .register(let column):
                builder.emit(.sCopy, column.register, target)
                // A REAL column's value may be held as an integer (expr.c TK_TRIGGER).
                if column.column?.affinity == .real { builder.emit(.realAffinity, target) }
            }
        case .unary(let op, let operand):
            try compileUnary(op, operand, scope, into: target)
        case .binary(let op, let left, let right):
            try compileBinary(op, left, right, scope, into: target)
        case .pattern(let op, let negated, let subject, let pattern, let escape):
            try compilePattern(op, subject, pattern, escape, scope, into: target)
            if negated { builder.emit(.not, target, target) }
        case .between(let negated, let subject, let low, let high):
            try compileBetween(subject, low, high, scope, into: target)
            if negated { builder.emit(.not, target, target) }
        case .inList(let negated, let subject, let list):
            try compileInList(subject, list, scope, into: target)
            if negated { builder.emit(.not, target, target) }
        case .isNull(let operand), .notNull(let operand):
            let value = try compileExpr(operand, scope)
            builder.emit(.integer, 1, target)
            let opcode: Opcode
            if case .isNull = expr { opcode = .isNull } else { opcode = .notNull }
            let jump = builder.emit(opcode, value, 0)
            builder.emit(.integer, 0, target)
            builder.jumpHere(jump)
        case .collate(let inner, let name):
            guard Collation(name: name.value) != nil else {
                throw DatabaseError(.SQLITE_ERROR, "no such collation sequence: \(name.value)")
            }
            try compileExpr(inner, scope, into: target)
        case .cast(let inner, let type):
            try compileExpr(inner, scope, into: target)
            builder.emit(.cast, target, Int32(affinity(ofDeclaredType: type.text).code))
        case .case(let caseExpr):
            try compileCase(caseExpr, scope, into: target)
        case .function(let call):
            try compileFunction(call, expr, scope, into: target)
        case .subquery(let select):
            try compileScalarSubquery(select, scope, into: target)
        case .exists(let select):
            try compileExists(select, scope, into: target)
        case .inSelect(let negated, let subject, let select):
            try compileInSubquery(subject, select, scope, into: target)
            if negated { builder.emit(.not, target, target) }
        case .inTable(let negated, let subject, let name, let arguments):
            guard arguments == nil else { throw SQLCompiler.notSupported("table-valued functions") }
            let select = Select(first: .select(SelectClause(columns: [.all], from: FromClause(first: .table(name, alias: nil, indexHint: nil)))))
            try compileInSubquery(subject, select, scope, into: target)
            if negated { builder.emit(.not, target, target) }
        case .vector:
            throw SQLCompiler.notSupported("row values")
        case .raise(let action):
            try compileRaise(action, into: target)
        }
    }

    /// A result alias used in WHERE, GROUP BY, HAVING or ORDER BY: its expression, compiled
    /// where the alias is used (sqlite3 copies the expression there).
    private func compileAliased(_ aliased: Expr, _ scope: ExprScope, into target: Int32) throws(DatabaseError) {
        var inner = scope
        inner.aliases = []
        if case .forbidden = scope.aggregates, let call = firstAggregate(in: aliased) {
            throw DatabaseError(.SQLITE_ERROR, "misuse of aggregate: \(call)")
        }
        try compileExpr(aliased, inner, into: target)
    }

    private func compileLiteral(_ literal: Literal, into target: Int32) throws(DatabaseError) {
        switch literal {
        case .null: builder.emit(.null, 0, target)
        case .integer(let value): emitInteger(value, into: target)
        case .real(let value): builder.emit(.real, 0, target, 0, .real(value))
        case .string(let text): builder.emit(.string8, 0, target, 0, .text(text))
        case .blob(let bytes): builder.emit(.blob, Int32(bytes.count), target, 0, .blob(bytes))
        case .boolean(let value): builder.emit(.integer, value ? 1 : 0, target)
        case .currentTime, .currentDate, .currentTimestamp:
            let name: String
            switch literal {
            case .currentTime: name = "time"
            case .currentDate: name = "date"
            default: name = "datetime"
            }
            guard let definition = context.functions.lookup(name, argumentCount: 0, aggregate: false) else {
                throw DatabaseError(.SQLITE_ERROR, "no such function: \(name)")
            }
            builder.emit(.function, 0, 0, target, .function(definition), 0)
        }
    }

    private func compileUnary(_ op: UnaryOperator, _ operand: Expr, _ scope: ExprScope,
                              into target: Int32) throws(DatabaseError) {
        switch op {
        case .negate:
            // A negative literal is loaded as one; anything else is 0 - x (expr.c TK_UMINUS).
            switch operand {
            case .literal(.integer(let value)) where value != Int64.min:
                emitInteger(-value, into: target)
            case .literal(.real(let value)):
                builder.emit(.real, 0, target, 0, .real(-value))
            default:
                let zero = builder.allocateRegisters()
                builder.emit(.integer, 0, zero)
                let value = try compileExpr(operand, scope)
                builder.emit(.subtract, value, zero, target)
            }
        case .plus:
            try compileExpr(operand, scope, into: target)
        case .bitNot:
            let value = try compileExpr(operand, scope)
            builder.emit(.bitNot, value, target)
        case .not:
            let value = try compileExpr(operand, scope)
            builder.emit(.not, value, target)
        }
    }

    private func compileBinary(_ op: BinaryOperator, _ left: Expr, _ right: Expr, _ scope: ExprScope,
                               into target: Int32) throws(DatabaseError) {
        let arithmetic: Opcode?
        switch op {
        case .add: arithmetic = .add
        case .subtract: arithmetic = .subtract
        case .multiply: arithmetic = .multiply
        case .divide: arithmetic = .divide
        case .remainder: arithmetic = .remainder
        case .concat: arithmetic = .concat
        case .bitAnd: arithmetic = .bitAnd
        case .bitOr: arithmetic = .bitOr
        case .shiftLeft: arithmetic = .shiftLeft
        case .shiftRight: arithmetic = .shiftRight
        default: arithmetic = nil
        }
        if let arithmetic {
            // r[P3] = r[P2] op r[P1]: P2 is the left operand. Constant operands are loaded once
            // (sqlite3ExprCodeTemp).
            let l = try compileTemp(left, scope)
            let r = try compileTemp(right, scope)
            builder.emit(arithmetic, r, l, target)
            return
        }
        switch op {
        case .and, .or:
            let l = try compileTemp(left, scope)
            let r = try compileTemp(right, scope)
            builder.emit(op == .and ? .and : .or, l, r, target)
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .is, .isNot:
            let l = try compileTemp(left, scope)
            let r = try compileTemp(right, scope)
            try compileComparisonValue(op, left, l, right, r, scope, into: target)
        case .extract, .extractText:
            try compileArrow(op, left, right, scope, into: target)
        default:
            preconditionFailure("binary operator \(op) not handled")
        }
    }

    /// A comparison's value: 1, 0, or NULL when an operand is NULL (IS and IS NOT are never
    /// NULL), as expr.c codes TK_EQ...TK_ISNOT in a value context.
    func compileComparisonValue(_ op: BinaryOperator, _ left: Expr, _ l: Int32, _ right: Expr, _ r: Int32,
                                _ scope: ExprScope, into target: Int32) throws(DatabaseError) {
        builder.emit(.integer, 1, target)
        let nullEq = op == .is || op == .isNot
        try emitCompare(op, left, l, right, r, scope, jumpTo: builder.currentAddress + 2, jumpIfNull: false)
        if nullEq {
            builder.emit(.integer, 0, target)
        } else {
            builder.emit(.zeroOrNull, l, target, r)
        }
    }

    private func compilePattern(_ op: PatternOperator, _ subject: Expr, _ pattern: Expr, _ escape: Expr?,
                                _ scope: ExprScope, into target: Int32) throws(DatabaseError) {
        // x LIKE y ESCAPE z is like(y, x, z).
        let name: String
        switch op {
        case .like: name = "LIKE"
        case .glob: name = "GLOB"
        case .regexp: name = "REGEXP"
        case .match: name = "MATCH"
        }
        var arguments = [pattern, subject]
        if let escape { arguments.append(escape) }
        let call = FunctionCall(name: Name(name), arguments: .list(arguments, distinct: false))
        try compileFunction(call, .function(call), scope, into: target)
    }

    private func compileBetween(_ subject: Expr, _ low: Expr, _ high: Expr, _ scope: ExprScope,
                                into target: Int32) throws(DatabaseError) {
        // x >= low AND x <= high, with x computed once (expr.c exprCodeBetween).
        let x = try compileExpr(subject, scope)
        let lowValue = try compileExpr(low, scope)
        let lower = builder.allocateRegisters()
        try compileComparisonValue(.greaterEqual, subject, x, low, lowValue, scope, into: lower)
        let highValue = try compileExpr(high, scope)
        let upper = builder.allocateRegisters()
        try compileComparisonValue(.lessEqual, subject, x, high, highValue, scope, into: upper)
        builder.emit(.and, lower, upper, target)
    }

    /// x IN (a, b, ...): 1 when x equals an element; NULL when x is NULL or no element matches
    /// and one is NULL; 0 otherwise. An empty list is 0 even for a NULL x. The comparisons use
    /// x's affinity and collation (expr.c sqlite3ExprCodeIN with IN_INDEX_NOOP).
    private func compileInList(_ subject: Expr, _ list: [Expr], _ scope: ExprScope,
                               into target: Int32) throws(DatabaseError) {
        if list.isEmpty {
            builder.emit(.integer, 0, target)
            return
        }
        if case .vector = subject { throw SQLCompiler.notSupported("row values") }
        let x = try compileExpr(subject, scope)
        let isTrue = builder.makeLabel()
        let isNull = builder.makeLabel()
        let done = builder.makeLabel()
        builder.emit(.isNull, x, jumpTo: isNull)
        let sawNull = builder.allocateRegisters()
        builder.emit(.integer, 0, sawNull)
        let affinity = exprAffinity(subject, scope)
        let collation = exprCollation(subject, scope) ?? .binary
        for element in list {
            if case .vector = element { throw SQLCompiler.notSupported("row values") }
            let value = try compileExpr(element, scope)
            builder.emit(.eq, value, jumpTo: isTrue, x, .collation(collation), UInt16(affinity))
            builder.emit(.notNull, value, builder.currentAddress + 2)
            builder.emit(.integer, 1, sawNull)
        }
        builder.emit(.if, sawNull, jumpTo: isNull)
        builder.emit(.integer, 0, target)
        builder.emit(.goto, 0, jumpTo: done)
        builder.resolve(isTrue)
        builder.emit(.integer, 1, target)
        builder.emit(.goto, 0, jumpTo: done)
        builder.resolve(isNull)
        builder.emit(.null, 0, target)
        builder.resolve(done)
    }

    private func compileCase(_ caseExpr: CaseExpression, _ scope: ExprScope, into target: Int32) throws(DatabaseError) {
        let end = builder.makeLabel()
        let operand = try caseExpr.operand.map { (e) throws(DatabaseError) in try compileExpr(e, scope) }
        for branch in caseExpr.branches {
            let next = builder.makeLabel()
            if let operand, let operandExpr = caseExpr.operand {
                let when = try compileExpr(branch.when, scope)
                try emitCompare(.notEqual, operandExpr, operand, branch.when, when, scope, jumpTo: next, jumpIfNull: true)
            } else {
                try jumpIfFalse(branch.when, scope, to: next, jumpIfNull: true)
            }
            try compileExpr(branch.then, scope, into: target)
            builder.emit(.goto, 0, jumpTo: end)
            builder.resolve(next)
        }
        if let otherwise = caseExpr.otherwise {
            try compileExpr(otherwise, scope, into: target)
        } else {
            builder.emit(.null, 0, target)
        }
        builder.resolve(end)
    }
}
