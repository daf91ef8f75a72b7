import BTree
import Pager
import VM

/// Comparisons: the affinity and collating sequence they use (expr.c sqlite3CompareAffinity,
/// sqlite3BinaryCompareCollSeq) and conditional jumps (sqlite3ExprIfTrue / sqlite3ExprIfFalse).
extension CodeGenerator {
    /// sqlite3ExprAffinity: a column's affinity (INTEGER for the rowid), a CAST's type, or
    /// SQLITE_AFF_NONE (0) for any other expression. COLLATE is looked through.
    func exprAffinity(_ expr: Expr, _ scope: ExprScope) -> UInt8 {
        switch expr {
        case .collate(let inner, _):
            return exprAffinity(inner, scope)
        case .column(let reference):
            switch try? resolve(reference, in: scope) {
            case .column(let column):
                switch column.slot.key {
                case .rowid: return scopeTable(column, scope).rowidAffinity
                case .column(let index): return scopeTable(column, scope).affinities[index]
                }
            case .register(let column): return column.column == nil && column.keepsCollation ? AffinityCode.integer : 0
            case .alias(let aliased): return exprAffinity(aliased, scope.withoutAliases)
            default: return 0
            }
        case .subquery(let select):
            // A scalar subquery has the affinity of its (first core's) result expression.
            return subqueryAffinity(select, scope)
        case .cast(_, let type):
            return affinity(ofDeclaredType: type.text).code
        // likely(), unlikely() and likelihood() are not looked through: sqlite3ExprAffinity skips
        // only EP_Skip (COLLATE) nodes, and these carry EP_Unlikely.
        default:
            return 0
        }
    }

    /// The affinity of a comparison of `left` with `right` (sqlite3CompareAffinity): NUMERIC if
    /// both have one and either is numeric, BLOB if both have one otherwise, else the one there
    /// is (or NONE).
    func comparisonAffinity(_ left: Expr, _ right: Expr, _ scope: ExprScope) -> UInt8 {
        let a = exprAffinity(left, scope)
        let b = exprAffinity(right, scope)
        if a > AffinityCode.none && b > AffinityCode.none {
            return a >= AffinityCode.numeric || b >= AffinityCode.numeric ? AffinityCode.numeric : AffinityCode.blob
        }
        return (a <= AffinityCode.none ? b : a) | AffinityCode.none
    }

    /// Whether a COLLATE appears in `expr` (SQLite's EP_Collate, which propagates upward).
    func hasExplicitCollation(_ expr: Expr) -> Bool {
        switch expr {
        case .collate: return true
        case .literal, .parameter, .column, .raise, .exists, .subquery, .inSelect: return false
        case .unary(_, let e), .cast(let e, _), .isNull(let e), .notNull(let e): return hasExplicitCollation(e)
        case .binary(_, let l, let r): return hasExplicitCollation(l) || hasExplicitCollation(r)
        case .pattern(_, _, let l, let p, let e):
            return hasExplicitCollation(l) || hasExplicitCollation(p) || (e.map(hasExplicitCollation) ?? false)
        case .between(_, let x, let l, let h): return hasExplicitCollation(x) || hasExplicitCollation(l) || hasExplicitCollation(h)
        case .inList(_, let x, let list): return hasExplicitCollation(x) || list.contains(where: hasExplicitCollation)
        case .inTable(_, let x, _, _): return hasExplicitCollation(x)
        case .vector(let list): return list.contains(where: hasExplicitCollation)
        case .function(let call):
            if case .list(let arguments, _) = call.arguments { return arguments.contains(where: hasExplicitCollation) }
            return false
        case .case(let c):
            return (c.operand.map(hasExplicitCollation) ?? false) || (c.otherwise.map(hasExplicitCollation) ?? false)
                || c.branches.contains { hasExplicitCollation($0.when) || hasExplicitCollation($0.then) }
        }
    }

    /// sqlite3ExprCollSeq: the collation an expression carries, nil when it has none. COLLATE
    /// names one; a column has its own (BINARY when it names none), the rowid none; CAST and
    /// unary + pass their operand's through; other expressions carry one only from an explicit
    /// COLLATE inside them (the left operand first, then the others in order).
    func exprCollation(_ expr: Expr, _ scope: ExprScope) -> Collation? {
        switch expr {
        case .collate(_, let name):
            return Collation(name: name.value)
        case .cast(let inner, _), .unary(.plus, let inner):
            return exprCollation(inner, scope)
        case .column(let reference):
            switch try? resolve(reference, in: scope) {
            case .column(let column):
                guard case .column(let index) = column.slot.key else { return nil }
                return scopeTable(column, scope).table.columns[index].collation
            case .register(let column): return column.keepsCollation ? column.column?.collation : nil
            case .alias(let aliased): return exprCollation(aliased, scope.withoutAliases)
            default: return nil
            }
        default:
            guard hasExplicitCollation(expr) else { return nil }
            for child in collationChildren(expr) where hasExplicitCollation(child) {
                return exprCollation(child, scope)
            }
            return nil
        }
    }

    /// The operands sqlite3ExprCollSeq searches, in its order (pLeft, then the list, then pRight).
    private func collationChildren(_ expr: Expr) -> [Expr] {
        switch expr {
        case .unary(_, let e), .isNull(let e), .notNull(let e): return [e]
        case .binary(_, let l, let r): return [l, r]
        case .pattern(_, _, let subject, let pattern, let escape):
            // SQLite builds the LIKE function call: like(pattern, subject, escape).
            return [pattern, subject] + (escape.map { [$0] } ?? [])
        case .between(_, let x, let l, let h): return [x, l, h]
        case .inList(_, let x, let list): return [x] + list
        case .function(let call):
            if case .list(let arguments, _) = call.arguments { return arguments }
            return []
        case .case(let c):
            var list: [Expr] = c.operand.map { [$0] } ?? []
            for branch in c.branches { list += [branch.when, branch.then] }
            if let otherwise = c.otherwise { list.append(otherwise) }
            return list
        default: return []
        }
    }

    /// sqlite3BinaryCompareCollSeq: an explicit COLLATE on the left, then on the right, then the
    /// left's collation, then the right's; BINARY when neither has one.
    func comparisonCollation(_ left: Expr, _ right: Expr, _ scope: ExprScope) -> Collation {
        if hasExplicitCollation(left) { return exprCollation(left, scope) ?? .binary }
        if hasExplicitCollation(right) { return exprCollation(right, scope) ?? .binary }
        return exprCollation(left, scope) ?? exprCollation(right, scope) ?? .binary
    }

    /// Emits the comparison opcode for `op` of r[l] (left) with r[r] (right), jumping to
    /// `address` when it holds (codeCompare: P1 is the right operand, P3 the left).
    func emitCompare(_ op: BinaryOperator, _ left: Expr, _ l: Int32, _ right: Expr, _ r: Int32, _ scope: ExprScope,
                     jumpTo address: Int32, jumpIfNull: Bool) throws(DatabaseError) {
        let (opcode, p5) = compareOpcode(op, left, right, scope, jumpIfNull: jumpIfNull)
        builder.emit(opcode, r, address, l, .collation(comparisonCollation(left, right, scope)), p5)
    }

    func emitCompare(_ op: BinaryOperator, _ left: Expr, _ l: Int32, _ right: Expr, _ r: Int32, _ scope: ExprScope,
                     jumpTo label: ProgramBuilder.Label, jumpIfNull: Bool) throws(DatabaseError) {
        let (opcode, p5) = compareOpcode(op, left, right, scope, jumpIfNull: jumpIfNull)
        builder.emit(opcode, r, jumpTo: label, l, .collation(comparisonCollation(left, right, scope)), p5)
    }

    private func compareOpcode(_ op: BinaryOperator, _ left: Expr, _ right: Expr, _ scope: ExprScope,
                               jumpIfNull: Bool) -> (Opcode, UInt16) {
        var p5 = UInt16(comparisonAffinity(left, right, scope))
        let opcode: Opcode
        switch op {
        case .equal: opcode = .eq
        case .notEqual: opcode = .ne
        case .less: opcode = .lt
        case .lessEqual: opcode = .le
        case .greater: opcode = .gt
        case .greaterEqual: opcode = .ge
        case .is: opcode = .eq; p5 |= CompareFlag.nullEq
        case .isNot: opcode = .ne; p5 |= CompareFlag.nullEq
        default: preconditionFailure("\(op) is not a comparison")
        }
        if jumpIfNull && p5 & CompareFlag.nullEq == 0 { p5 |= CompareFlag.jumpIfNull }
        return (opcode, p5)
    }

    private static func inverse(_ op: BinaryOperator) -> BinaryOperator {
        switch op {
        case .equal: .notEqual
        case .notEqual: .equal
        case .less: .greaterEqual
        case .lessEqual: .greater
        case .greater: .lessEqual
        case .greaterEqual: .less
        case .is: .isNot
        case .isNot: .is
        default: preconditionFailure("\(op) is not a comparison")
        }
    }

    private static func isComparison(_ op: BinaryOperator) -> Bool {
        switch op {
        case .equal, .notEqual, .less, .lessEqual, .greater, .greaterEqual, .is, .isNot: true
        default: false
        }
    }

    /// Jumps to `label` when `expr` is false, and when it is NULL if `jumpIfNull`
    /// (sqlite3ExprIfFalse).
    func jumpIfFalse(_ expr: Expr, _ scope: ExprScope, to label: ProgramBuilder.Label,
                     jumpIfNull: Bool) throws(DatabaseError) {
        switch expr {
        case .binary(.and, let left, let right):
            try jumpIfFalse(left, scope, to: label, jumpIfNull: jumpIfNull)
            try jumpIfFalse(right, scope, to: label, jumpIfNull: jumpIfNull)
        case .binary(.or, let left, let right):
            let next = builder.makeLabel()
            try jumpIfTrue(left, scope, to: next, jumpIfNull: !jumpIfNull)
            try jumpIfFalse(right, scope, to: label, jumpIfNull: jumpIfNull)
            builder.resolve(next)
        case .unary(.not, let operand):
            try jumpIfTrue(operand, scope, to: label, jumpIfNull: jumpIfNull)
        case .binary(let op, let left, let right) where Self.isComparison(op):
            let l = try compileTemp(left, scope)
            let r = try compileTemp(right, scope)
            try emitCompare(Self.inverse(op), left, l, right, r, scope, jumpTo: label, jumpIfNull: jumpIfNull)
        case .isNull(let operand):
            let value = try compileExpr(operand, scope)
            builder.emit(.notNull, value, jumpTo: label)
        case .notNull(let operand):
            let value = try compileExpr(operand, scope)
            builder.emit(.isNull, value, jumpTo: label)
        default:
            let value = try compileExpr(expr, scope)
            builder.emit(.ifNot, value, jumpTo: label, jumpIfNull ? 1 : 0)
        }
    }

    /// Jumps to `label` when `expr` is true, and when it is NULL if `jumpIfNull`
    /// (sqlite3ExprIfTrue).
    func jumpIfTrue(_ expr: Expr, _ scope: ExprScope, to label: ProgramBuilder.Label,
                    jumpIfNull: Bool) throws(DatabaseError) {
        switch expr {
        case .binary(.and, let left, let right):
            let next = builder.makeLabel()
            try jumpIfFalse(left, scope, to: next, jumpIfNull: !jumpIfNull)
            try jumpIfTrue(right, scope, to: label, jumpIfNull: jumpIfNull)
            builder.resolve(next)
        case .binary(.or, let left, let right):
            try jumpIfTrue(left, scope, to: label, jumpIfNull: jumpIfNull)
            try jumpIfTrue(right, scope, to: label, jumpIfNull: jumpIfNull)
        case .unary(.not, let operand):
            try jumpIfFalse(operand, scope, to: label, jumpIfNull: jumpIfNull)
        case .binary(let op, let left, let right) where Self.isComparison(op):
            let l = try compileTemp(left, scope)
            let r = try compileTemp(right, scope)
            try emitCompare(op, left, l, right, r, scope, jumpTo: label, jumpIfNull: jumpIfNull)
        case .isNull(let operand):
            let value = try compileExpr(operand, scope)
            builder.emit(.isNull, value, jumpTo: label)
        case .notNull(let operand):
            let value = try compileExpr(operand, scope)
            builder.emit(.notNull, value, jumpTo: label)
        default:
            let value = try compileExpr(expr, scope)
            builder.emit(.if, value, jumpTo: label, jumpIfNull ? 1 : 0)
        }
    }
}

extension ExprScope {
    /// The scope an alias's expression is compiled in: the same, without aliases (an alias
    /// cannot refer to another).
    var withoutAliases: ExprScope {
        var scope = self
        scope.aliases = []
        return scope
    }
}
