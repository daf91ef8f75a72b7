// Equality for the recursive AST types, written out so that comparing deep trees stays cheap in
// stack. The derived versions give every case's payload its own stack slot in one big frame
// (about 6 KiB for Expr in a debug build), so a hundred nested NOTs overflowed a 512 KiB
// thread. Here a small dispatcher hands each case to a small function, and chains through
// left operands and prefix operators (`a + b + c ...`, `NOT NOT x`) are walked in a loop.

extension Expr {
    package static func == (lhs: Expr, rhs: Expr) -> Bool {
        var a = lhs, b = rhs
        while true {
            switch step(a, b) {
            case .equal: return true
            case .different: return false
            case .continue(let nextA, let nextB):
                a = nextA
                b = nextB
            }
        }
    }

    private enum Step {
        case equal, different
        /// Everything else matched; the answer is whether these operands are equal.
        case `continue`(Expr, Expr)
    }

    private static func step(_ a: Expr, _ b: Expr) -> Step {
        switch a {
        case .literal, .parameter, .column, .raise: return leafStep(a, b)
        case .unary: return unaryStep(a, b)
        case .binary: return binaryStep(a, b)
        case .pattern: return patternStep(a, b)
        case .between: return betweenStep(a, b)
        case .inList, .inSelect, .inTable: return inStep(a, b)
        case .isNull, .notNull, .collate, .cast: return postfixStep(a, b)
        case .case, .function, .exists, .subquery, .vector: return compoundStep(a, b)
        }
    }

    private static func verdict(_ equal: Bool) -> Step { equal ? .equal : .different }

    @inline(never)
    private static func leafStep(_ a: Expr, _ b: Expr) -> Step {
        switch (a, b) {
        case (.literal(let x), .literal(let y)): return verdict(x == y)
        case (.parameter(let x), .parameter(let y)): return verdict(x == y)
        case (.column(let x), .column(let y)): return verdict(x == y)
        case (.raise(let x), .raise(let y)): return verdict(x == y)
        default: return .different
        }
    }

    @inline(never)
    private static func unaryStep(_ a: Expr, _ b: Expr) -> Step {
        guard case .unary(let op1, let x) = a, case .unary(let op2, let y) = b, op1 == op2 else { return .different }
        return .continue(x, y)
    }

    @inline(never)
    private static func binaryStep(_ a: Expr, _ b: Expr) -> Step {
        guard case .binary(let op1, let l1, let r1) = a, case .binary(let op2, let l2, let r2) = b,
              op1 == op2, r1 == r2
        else { return .different }
        return .continue(l1, l2)
    }

    @inline(never)
    private static func patternStep(_ a: Expr, _ b: Expr) -> Step {
        guard case .pattern(let op1, let n1, let l1, let p1, let e1) = a,
              case .pattern(let op2, let n2, let l2, let p2, let e2) = b,
              op1 == op2, n1 == n2, p1 == p2, e1 == e2
        else { return .different }
        return .continue(l1, l2)
    }

    @inline(never)
    private static func betweenStep(_ a: Expr, _ b: Expr) -> Step {
        guard case .between(let n1, let l1, let low1, let high1) = a,
              case .between(let n2, let l2, let low2, let high2) = b,
              n1 == n2, low1 == low2, high1 == high2
        else { return .different }
        return .continue(l1, l2)
    }

    @inline(never)
    private static func inStep(_ a: Expr, _ b: Expr) -> Step {
        switch (a, b) {
        case (.inList(let n1, let l1, let list1), .inList(let n2, let l2, let list2)):
            return n1 == n2 && list1 == list2 ? .continue(l1, l2) : .different
        case (.inSelect(let n1, let l1, let s1), .inSelect(let n2, let l2, let s2)):
            return n1 == n2 && s1 == s2 ? .continue(l1, l2) : .different
        case (.inTable(let n1, let l1, let t1, let args1), .inTable(let n2, let l2, let t2, let args2)):
            return n1 == n2 && t1 == t2 && args1 == args2 ? .continue(l1, l2) : .different
        default:
            return .different
        }
    }

    @inline(never)
    private static func postfixStep(_ a: Expr, _ b: Expr) -> Step {
        switch (a, b) {
        case (.isNull(let x), .isNull(let y)), (.notNull(let x), .notNull(let y)):
            return .continue(x, y)
        case (.collate(let x, let n1), .collate(let y, let n2)):
            return n1 == n2 ? .continue(x, y) : .different
        case (.cast(let x, let t1), .cast(let y, let t2)):
            return t1 == t2 ? .continue(x, y) : .different
        default:
            return .different
        }
    }

    @inline(never)
    private static func compoundStep(_ a: Expr, _ b: Expr) -> Step {
        switch (a, b) {
        case (.case(let x), .case(let y)): return verdict(x == y)
        case (.function(let x), .function(let y)): return verdict(x == y)
        case (.exists(let x), .exists(let y)), (.subquery(let x), .subquery(let y)): return verdict(x == y)
        case (.vector(let x), .vector(let y)): return verdict(x == y)
        default: return .different
        }
    }
}

extension TableSource {
    package static func == (lhs: TableSource, rhs: TableSource) -> Bool {
        switch lhs {
        case .table: return tableEquals(lhs, rhs)
        case .function: return functionEquals(lhs, rhs)
        case .subquery: return subqueryEquals(lhs, rhs)
        case .nested: return nestedEquals(lhs, rhs)
        }
    }

    @inline(never)
    private static func tableEquals(_ a: TableSource, _ b: TableSource) -> Bool {
        guard case .table(let n1, let a1, let h1) = a, case .table(let n2, let a2, let h2) = b else { return false }
        return n1 == n2 && a1 == a2 && h1 == h2
    }

    @inline(never)
    private static func functionEquals(_ a: TableSource, _ b: TableSource) -> Bool {
        guard case .function(let n1, let args1, let a1) = a, case .function(let n2, let args2, let a2) = b else { return false }
        return n1 == n2 && a1 == a2 && args1 == args2
    }

    @inline(never)
    private static func subqueryEquals(_ a: TableSource, _ b: TableSource) -> Bool {
        guard case .subquery(let s1, let a1) = a, case .subquery(let s2, let a2) = b else { return false }
        return a1 == a2 && s1 == s2
    }

    @inline(never)
    private static func nestedEquals(_ a: TableSource, _ b: TableSource) -> Bool {
        guard case .nested(let f1, let a1) = a, case .nested(let f2, let a2) = b else { return false }
        return a1 == a2 && f1 == f2
    }
}
