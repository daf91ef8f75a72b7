import BTree
import Pager

/// A row's frame: the rows [low, high) of its partition that ROWS, GROUPS or RANGE bounds take
/// in (before EXCLUDE). RANGE offsets compare as windowCodeRangeTest does: the offset is added
/// to (or, descending, subtracted from) one side's ORDER BY value unless that value is text or a
/// blob, NULLs sort below everything (above, for NULLS LAST ascending / NULLS FIRST descending)
/// and equal each other.
extension VirtualMachine {
    func frameBounds(_ frame: WindowPlan.Frame, _ buffer: WindowBuffer, _ partition: WindowPartition,
                     _ row: Int) throws(DatabaseError) -> (Int, Int) {
        let low: Int
        let high: Int
        switch frame.unit {
        case .rows:
            low = rowsBound(frame.start, partition, row, isEnd: false)
            high = rowsBound(frame.end, partition, row, isEnd: true)
        case .groups:
            low = groupsBound(frame.start, partition, row, isEnd: false)
            high = groupsBound(frame.end, partition, row, isEnd: true)
        case .range:
            low = rangeBound(frame.start, buffer, partition, row, isEnd: false)
            high = rangeBound(frame.end, buffer, partition, row, isEnd: true)
        }
        return (low, max(low, high))
    }

    /// The non-negative integer offset in `register` (checked by the code before WindowCompute).
    private func offset(_ register: Int32) -> Int {
        guard case .integer(let n) = self.register(register).pointee, n >= 0 else {
            preconditionFailure("window frame offset in r[\(register)] is not a non-negative integer")
        }
        return n > Int64(Int32.max) ? Int(Int32.max) : Int(n)
    }

    private func rowsBound(_ bound: WindowPlan.Bound, _ partition: WindowPartition, _ row: Int, isEnd: Bool) -> Int {
        let position: Int
        switch bound {
        case .unboundedPreceding: return partition.start
        case .unboundedFollowing: return partition.end
        case .currentRow: position = row
        case .preceding(let register): position = row - offset(register)
        case .following(let register): position = row + offset(register)
        }
        return min(max(isEnd ? position + 1 : position, partition.start), partition.end)
    }

    private func groupsBound(_ bound: WindowPlan.Bound, _ partition: WindowPartition, _ row: Int, isEnd: Bool) -> Int {
        let group: Int
        switch bound {
        case .unboundedPreceding: return partition.start
        case .unboundedFollowing: return partition.end
        case .currentRow: group = partition.group(row)
        case .preceding(let register): group = partition.group(row) - offset(register)
        case .following(let register): group = partition.group(row) + offset(register)
        }
        if group < 0 { return isEnd ? partition.start : partition.start }
        if group >= partition.groupCount { return partition.end }
        return isEnd ? partition.groupEnd(group) : partition.groupFirst[group]
    }

    private func rangeBound(_ bound: WindowPlan.Bound, _ buffer: WindowBuffer, _ partition: WindowPartition,
                            _ row: Int, isEnd: Bool) -> Int {
        switch bound {
        case .unboundedPreceding: return partition.start
        case .unboundedFollowing: return partition.end
        case .currentRow:
            let group = partition.group(row)
            return isEnd ? partition.groupEnd(group) : partition.groupFirst[group]
        case .preceding(let register), .following(let register):
            let plan = buffer.plan
            guard let column = plan.rangeColumn else { preconditionFailure("RANGE offset without an ORDER BY value") }
            let amount = self.register(register).pointee
            let current = buffer.value(row, column)
            var preceding = false
            if case .preceding = bound { preceding = true }
            // Whether candidate row r is inside the bound, per window.c's tests (ascending form;
            // rangeTest flips them for a descending ORDER BY):
            //   start PRECEDING: r + n >= cur      start FOLLOWING: cur + n <= r
            //   end PRECEDING:   !(r + n > cur)    end FOLLOWING:   cur + n >= r
            // Each holds for a suffix (start) or a prefix (end) of the partition.
            let inside: (Int) -> Bool = { candidate in
                let other = buffer.value(candidate, column)
                switch (isEnd, preceding) {
                case (false, true): return self.rangeTest(.ge, other, amount, current, plan)
                case (false, false): return self.rangeTest(.le, current, amount, other, plan)
                case (true, true): return !self.rangeTest(.gt, other, amount, current, plan)
                case (true, false): return self.rangeTest(.ge, current, amount, other, plan)
                }
            }
            var low = partition.start
            var high = partition.end
            if isEnd {
                // The first row past the prefix that is inside.
                while low < high {
                    let middle = (low + high) / 2
                    if inside(middle) { low = middle + 1 } else { high = middle }
                }
            } else {
                // The first row of the suffix that is inside.
                while low < high {
                    let middle = (low + high) / 2
                    if inside(middle) { high = middle } else { low = middle + 1 }
                }
            }
            return low
        }
    }

    enum RangeComparison { case ge, gt, le, lt }

    /// `(left ± amount) op right`, as windowCodeRangeTest's code computes it.
    private func rangeTest(_ op: RangeComparison, _ left: Value, _ amount: Value, _ right: Value,
                           _ plan: WindowPlan) -> Bool {
        var op = op
        if plan.rangeDescending {
            switch op {
            case .ge: op = .le
            case .gt: op = .lt
            case .le: op = .ge
            case .lt: op = .gt
            }
        }
        if plan.rangeBigNull {
            if left.isNull {
                switch op {
                case .ge: return true
                case .gt: return !right.isNull
                case .le: return right.isNull
                case .lt: return false
                }
            } else if right.isNull {
                return op == .le || op == .lt
            }
        }
        var shifted = left
        switch left {
        case .text, .blob: break
        default:
            shifted = left.withRef { l in amount.withRef { a in arithmetic(plan.rangeDescending ? .subtract : .add, l, a) } }
        }
        let order = ValueOrdering.compare(shifted, right, collation: plan.rangeCollation)
        switch op {
        case .ge: return order >= 0
        case .gt: return order > 0
        case .le: return order <= 0
        case .lt: return order < 0
        }
    }
}
