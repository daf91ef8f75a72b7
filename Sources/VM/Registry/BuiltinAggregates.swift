import BTree

/// The aggregate built-ins of func.c: count, sum, total, avg, min, max, group_concat.
enum BuiltinAggregates {
    private static func aggregate(_ name: String, _ argumentCount: Int, _ flags: FunctionFlags = .deterministic,
                                  _ function: AggregateFunction) -> FunctionDefinition {
        FunctionDefinition(name: name, argumentCount: argumentCount, flags: flags, body: .aggregate(function))
    }

    static let all: [FunctionDefinition] = [
        aggregate("count", 0, .deterministic, count),
        aggregate("count", 1, .deterministic, count),
        aggregate("sum", 1, .deterministic, sum(empty: .null) { (state) throws(FunctionError) -> Value in
            if state.overflow { throw FunctionError("integer overflow") }
            return state.approximate ? .real(state.realSum) : .integer(state.integerSum)
        }),
        aggregate("total", 1, .deterministic, sum(empty: .real(0)) { (state) throws(FunctionError) -> Value in .real(state.realSum) }),
        aggregate("avg", 1, .deterministic, sum(empty: .null) { (state) throws(FunctionError) -> Value in .real(state.realSum / Double(state.count)) }),
        aggregate("min", 1, [.deterministic, .needsCollation, .minMax], best(max: false)),
        aggregate("max", 1, [.deterministic, .needsCollation, .minMax], best(max: true)),
        aggregate("group_concat", 1, .deterministic, groupConcat),
        aggregate("group_concat", 2, .deterministic, groupConcat),
    ]

    /// countStep: rows, or non-NULL arguments.
    private static let count = AggregateFunction(
        step: { state, _, arguments in
            guard arguments.isEmpty || !arguments[0].isNull else {
                if case .empty = state { state = .count(0) }
                return
            }
            if case .count(let n) = state { state = .count(n + 1) } else { state = .count(1) }
        },
        final: { state, _ in
            if case .count(let n) = state { return .integer(n) }
            return .integer(0)
        },
        inverse: { state, _, arguments in
            guard arguments.isEmpty || !arguments[0].isNull, case .count(let n) = state else { return }
            state = .count(n - 1)
        })

    /// sumStep with the finalizer of sum(), total() or avg(); `empty` is the result over no rows
    /// (0.0 for total(), NULL for the others).
    private static func sum(empty: Value, _ finish: @escaping @Sendable (SumState) throws(FunctionError) -> Value) -> AggregateFunction {
        AggregateFunction(
            step: { state, _, arguments in
                var sum: SumState
                if case .sum(let existing) = state { sum = existing } else { sum = SumState() }
                switch arguments[0].numericView {
                case .null:
                    break
                case .integer(let v):
                    sum.count += 1
                    sum.realSum += Double(v)
                    if !sum.approximate && !sum.overflow {
                        let (total, overflow) = sum.integerSum.addingReportingOverflow(v)
                        if overflow {
                            sum.approximate = true
                            sum.overflow = true
                        } else {
                            sum.integerSum = total
                        }
                    }
                default:
                    sum.count += 1
                    sum.realSum += arguments[0].doubleValue
                    sum.approximate = true
                }
                state = .sum(sum)
            },
            final: { (state, _) throws(FunctionError) -> Value in
                guard case .sum(let sum) = state, sum.count > 0 else { return empty }
                return try finish(sum)
            },
            inverse: { state, _, arguments in
                guard case .sum(var sum) = state else { return }
                switch arguments[0].numericView {
                case .null:
                    break
                case .integer(let v) where !sum.approximate:
                    sum.count -= 1
                    sum.realSum -= Double(v)
                    sum.integerSum &-= v
                default:
                    sum.count -= 1
                    sum.realSum -= arguments[0].doubleValue
                }
                state = .sum(sum)
            })
    }

    /// minmaxStep: NULL arguments are skipped; the row that does not change the result asks for
    /// its bare columns not to be loaded.
    private static func best(max: Bool) -> AggregateFunction {
        AggregateFunction(
            step: { state, context, arguments in
                let argument = arguments[0]
                if argument.isNull {
                    if case .best = state { context.skipAccumulatorLoad = true }
                    return
                }
                guard case .best(let current) = state else {
                    state = .best(Value(argument))
                    return
                }
                let order = current.withRef { BuiltinScalars.compare($0, argument, context.collation) }
                if max ? order < 0 : order > 0 {
                    state = .best(Value(argument))
                } else {
                    context.skipAccumulatorLoad = true
                }
            },
            final: { state, _ in
                if case .best(let value) = state { return value }
                return .null
            })
    }

    /// groupConcatStep: NULLs are skipped; the separator (',' by default) goes before every
    /// value but the first.
    private static let groupConcat = AggregateFunction(
        step: { (state, context, arguments) throws(FunctionError) in
            guard !arguments[0].isNull else { return }
            var text: [UInt8]
            let first: Bool
            if case .concat(let existing) = state {
                text = existing
                first = false
                state = .empty
            } else {
                text = []
                first = true
            }
            if !first {
                if arguments.count == 1 {
                    text.append(0x2C)
                } else {
                    _ = arguments[1].withText { text.append(contentsOf: $0) }
                }
            }
            _ = arguments[0].withText { text.append(contentsOf: $0) }
            guard text.count <= context.lengthLimit else { throw .tooBig }
            state = .concat(text)
        },
        final: { state, _ in
            if case .concat(let text) = state { return .text(text) }
            return .null
        })
}
