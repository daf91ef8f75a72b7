import BTree
import Pager

/// Window functions (Ringlite's WindowOpen/WindowAppend/WindowSort/WindowCompute/WindowColumn/
/// WindowNext; SQLite codes the same work as ephemeral tables and AggStep/AggInverse/AggValue).
/// A pass buffers its rows, sorts them, and computes every window function of the pass for each
/// row of each partition. Aggregates are evaluated the way window.c evaluates them, because the
/// order of steps and inverses shows in the results (sum() stays a REAL once a REAL went through
/// its frame): a frame that starts UNBOUNDED PRECEDING only steps; a sliding frame steps rows as
/// they enter and inverses them as they leave; an EXCLUDE clause, or an aggregate without an
/// inverse (min, max, group_concat here), recomputes each row's frame from scratch.
extension VirtualMachine {
    func windowBuffer(_ slot: Int32) -> WindowBuffer {
        guard let buffer = windows[Int(slot)] else { preconditionFailure("window buffer \(slot) is not open") }
        return buffer
    }

    /// WindowOpen P1 _ _ P4: an empty buffer for the pass P4 describes.
    func windowOpen(_ op: UnsafePointer<Instruction>) {
        guard case .window(let plan) = op.pointee.p4 else { preconditionFailure("WindowOpen without a plan") }
        if let existing = windows[Int(op.pointee.p1)], existing.plan === plan {
            existing.reset()
        } else {
            windows[Int(op.pointee.p1)] = WindowBuffer(plan: plan)
        }
    }

    /// WindowSort P1 P2: sorts the buffered rows; jumps to P2 when there are none.
    func windowSort(_ p1: Int32, _ p2: Int32) -> Flow {
        let buffer = windowBuffer(p1)
        buffer.position = 0
        guard buffer.rowCount > 0 else { return .jump(p2) }
        buffer.sort()
        return .next
    }

    /// WindowNext P1 P2: moves to the next row and jumps to P2 if there is one.
    func windowNext(_ p1: Int32, _ p2: Int32) -> Flow {
        let buffer = windowBuffer(p1)
        buffer.position += 1
        return buffer.position < buffer.rowCount ? .jump(p2) : .next
    }

    /// WindowCompute P1: every window function's result for every row, partition by partition.
    func windowCompute(_ p1: Int32) throws(DatabaseError) {
        let buffer = windowBuffer(p1)
        let plan = buffer.plan
        var start = 0
        while start < buffer.rowCount {
            var end = start + 1
            while end < buffer.rowCount && buffer.sameKeys(start, end, 0..<plan.partitionKeyCount) { end += 1 }
            let partition = WindowPartition(buffer, start: start, end: end)
            for function in plan.functions {
                try computeWindowFunction(function, buffer, partition)
            }
            start = end
        }
        buffer.position = 0
    }

    private func computeWindowFunction(_ function: WindowPlan.Function, _ buffer: WindowBuffer,
                                       _ partition: WindowPartition) throws(DatabaseError) {
        let rows = partition.start..<partition.end
        switch function.kind {
        case .rowNumber:
            for row in rows { buffer.set(row, function.result, .integer(Int64(row - partition.start + 1))) }
        case .rank:
            for row in rows {
                let first = partition.groupFirst[partition.group(row)]
                buffer.set(row, function.result, .integer(Int64(first - partition.start + 1)))
            }
        case .denseRank:
            for row in rows { buffer.set(row, function.result, .integer(Int64(partition.group(row) + 1))) }
        case .percentRank:
            for row in rows {
                let before = partition.groupFirst[partition.group(row)] - partition.start
                let value = partition.count > 1 ? Double(before) / Double(partition.count - 1) : 0.0
                buffer.set(row, function.result, .real(value))
            }
        case .cumeDist:
            for row in rows {
                let through = partition.groupEnd(partition.group(row)) - partition.start
                buffer.set(row, function.result, .real(Double(through) / Double(partition.count)))
            }
        case .ntile:
            try computeNtile(function, buffer, partition)
        case .lag, .lead:
            computeLagLead(function, buffer, partition)
        case .firstValue, .lastValue, .nthValue:
            for row in rows {
                let value = try frameValue(function, buffer, partition, row)
                buffer.set(row, function.result, value)
            }
        case .aggregate(let definition, let collation):
            guard case .aggregate(let aggregate) = definition.body else {
                preconditionFailure("window aggregate \(definition.name) is not an aggregate")
            }
            try computeAggregate(function, aggregate, definition, collation, buffer, partition)
        }
    }

    /// ntileStepFunc/ntileValueFunc: N comes from the partition's first row.
    private func computeNtile(_ function: WindowPlan.Function, _ buffer: WindowBuffer,
                              _ partition: WindowPartition) throws(DatabaseError) {
        let parameter = buffer.value(partition.start, function.firstArgument).withRef { $0.int64Value }
        guard parameter > 0 else { throw DatabaseError(.SQLITE_ERROR, "argument of ntile must be a positive integer") }
        let total = Int64(partition.count)
        let size = total / parameter
        for row in partition.start..<partition.end {
            let index = Int64(row - partition.start)
            let tile: Int64
            if size == 0 {
                tile = index + 1
            } else {
                let large = total - parameter * size
                let small = large * (size + 1)
                tile = index < small ? 1 + index / (size + 1) : 1 + large + (index - small) / size
            }
            buffer.set(row, function.result, .integer(tile))
        }
    }

    /// lag/lead as window.c codes them: the row whose number in the partition is this row's
    /// plus or minus the offset (computed as OP_Add/OP_Subtract do), if that is an integer of a
    /// row of the partition; otherwise the default.
    private func computeLagLead(_ function: WindowPlan.Function, _ buffer: WindowBuffer, _ partition: WindowPartition) {
        let isLead: Bool
        if case .lead = function.kind { isLead = true } else { isLead = false }
        for row in partition.start..<partition.end {
            let number = Value.integer(Int64(row - partition.start + 1))
            let target: Value
            if function.argumentCount >= 2 {
                let offset = buffer.value(row, function.firstArgument + 1)
                target = number.withRef { n in offset.withRef { o in arithmetic(isLead ? .add : .subtract, n, o) } }
            } else {
                target = number.withRef { n in arithmetic(isLead ? .add : .subtract, n, .integer(1)) }
            }
            var index: Int64?
            switch target {
            case .integer(let i): index = i
            case .real(let r): if case .integer(let i) = integerIfExact(r) { index = i }
            default: break
            }
            var result = function.argumentCount >= 3 ? buffer.value(row, function.firstArgument + 2) : Value.null
            if let index, index >= 1, index <= Int64(partition.count) {
                result = buffer.value(partition.start + Int(index) - 1, function.firstArgument)
            }
            buffer.set(row, function.result, result)
        }
    }

    /// first_value, last_value, nth_value: a row of the frame, after its exclusions.
    private func frameValue(_ function: WindowPlan.Function, _ buffer: WindowBuffer, _ partition: WindowPartition,
                            _ row: Int) throws(DatabaseError) -> Value {
        var wanted = 1
        if case .nthValue = function.kind {
            let n = buffer.value(row, function.firstArgument + 1)
            var parsed: Int64?
            switch n {
            case .integer(let i): parsed = i
            case .real(let r): if case .integer(let i) = integerIfExact(r) { parsed = i }
            case .text(let bytes):
                if let number = bytes.withUnsafeBufferPointer({ numericAffinity(ofText: $0, tryForInteger: true) }),
                   case .integer(let i) = number.sqlValue { parsed = i }
            default: break
            }
            guard let parsed, parsed > 0 else {
                throw DatabaseError(.SQLITE_ERROR, "second argument to nth_value must be a positive integer")
            }
            wanted = parsed > Int64(Int32.max) ? Int(Int32.max) : Int(parsed)
        }
        let (low, high) = try frameBounds(function.frame, buffer, partition, row)
        var seen = 0
        var last: Int?
        var candidate = low
        while candidate < high {
            if !isExcluded(function.frame.exclusion, partition, row, candidate) {
                seen += 1
                switch function.kind {
                case .lastValue: last = candidate
                default: if seen == wanted { return buffer.value(candidate, function.firstArgument) }
                }
            }
            candidate += 1
        }
        if let last { return buffer.value(last, function.firstArgument) }
        return .null
    }

    private func isExcluded(_ exclusion: WindowPlan.Exclusion, _ partition: WindowPartition, _ row: Int,
                            _ candidate: Int) -> Bool {
        switch exclusion {
        case .none, .noOthers: return false
        case .currentRow: return candidate == row
        case .group: return partition.group(candidate) == partition.group(row)
        case .ties: return candidate != row && partition.group(candidate) == partition.group(row)
        }
    }

    // MARK: Aggregates over frames

    private func computeAggregate(_ function: WindowPlan.Function, _ aggregate: AggregateFunction,
                                  _ definition: FunctionDefinition, _ collation: Collation,
                                  _ buffer: WindowBuffer, _ partition: WindowPartition) throws(DatabaseError) {
        let frame = function.frame
        let fullScan = frame.exclusion != .none || (frame.start != .unboundedPreceding && aggregate.inverse == nil)
        // window.c keeps min() and max() over a frame that does not start UNBOUNDED PRECEDING
        // in an ordered index, and that path never tests the FILTER: sqlite3 ignores it there.
        var function = function
        if definition.flags.contains(.minMax) && frame.start != .unboundedPreceding && frame.exclusion == .none {
            function.filter = nil
        }
        var state = AggregateState.empty
        // The rows [stepped.lowerBound, stepped.upperBound) are in `state`.
        var steppedLow = partition.start
        var steppedHigh = partition.start
        for row in partition.start..<partition.end {
            let (low, high) = try frameBounds(frame, buffer, partition, row)
            if fullScan {
                state = .empty
                var candidate = low
                while candidate < high {
                    if !isExcluded(frame.exclusion, partition, row, candidate) {
                        try stepAggregate(aggregate.step, &state, function, definition, collation, buffer, candidate)
                    }
                    candidate += 1
                }
            } else {
                let newLow = max(low, steppedLow)
                let newHigh = max(high, newLow)
                if let inverse = aggregate.inverse {
                    var leaving = steppedLow
                    while leaving < min(newLow, steppedHigh) {
                        try stepAggregate(inverse, &state, function, definition, collation, buffer, leaving)
                        leaving += 1
                    }
                }
                var entering = max(steppedHigh, newLow)
                while entering < newHigh {
                    try stepAggregate(aggregate.step, &state, function, definition, collation, buffer, entering)
                    entering += 1
                }
                steppedLow = newLow
                steppedHigh = max(newHigh, steppedHigh)
            }
            var copy = state
            functionContext.collation = collation
            do throws(FunctionError) {
                buffer.set(row, function.result, try aggregate.final(&copy, &functionContext))
            } catch {
                throw windowFunctionError(error)
            }
        }
    }

    private func stepAggregate(
        _ body: AggregateStep,
        _ state: inout AggregateState, _ function: WindowPlan.Function, _ definition: FunctionDefinition,
        _ collation: Collation, _ buffer: WindowBuffer, _ row: Int
    ) throws(DatabaseError) {
        if let filter = function.filter, !booleanValue(buffer.value(row, filter), ifNull: false) { return }
        functionContext.collation = collation
        functionContext.skipAccumulatorLoad = false
        reserveArgumentSlots(function.argumentCount)
        try lendRow(buffer, row, function.firstArgument, function.argumentCount, 0) { (arguments) throws(DatabaseError) in
            do throws(FunctionError) {
                try body(&state, &functionContext, arguments)
            } catch {
                throw windowFunctionError(error)
            }
        }
    }

    /// Lends `count` values of a buffered row, from the `filled`th on, as the arguments of a call
    /// (through the argument slots, as `withArguments` does for registers).
    private func lendRow(_ buffer: WindowBuffer, _ row: Int, _ first: Int, _ count: Int, _ filled: Int,
                         _ body: (FunctionArguments) throws(DatabaseError) -> Void) throws(DatabaseError) {
        if filled == count { return try body(FunctionArguments(start: argumentSlots, count: count)) }
        let value = buffer.value(row, first + filled)
        let slot = argumentSlots + filled
        switch value {
        case .null: slot.initialize(to: .null)
        case .integer(let i): slot.initialize(to: .integer(i))
        case .real(let r): slot.initialize(to: .real(r))
        case .text(let bytes):
            return try bytes.withUnsafeBufferPointer { (pointer) throws(DatabaseError) in
                slot.initialize(to: .text(pointer))
                try lendRow(buffer, row, first, count, filled + 1, body)
            }
        case .blob(let bytes):
            return try bytes.withUnsafeBufferPointer { (pointer) throws(DatabaseError) in
                slot.initialize(to: .blob(pointer))
                try lendRow(buffer, row, first, count, filled + 1, body)
            }
        }
        try lendRow(buffer, row, first, count, filled + 1, body)
    }

    private func windowFunctionError(_ error: FunctionError) -> DatabaseError {
        if error == .tooBig { return DatabaseError(.SQLITE_TOOBIG, error.message) }
        return DatabaseError(.SQLITE_ERROR, error.message)
    }
}
