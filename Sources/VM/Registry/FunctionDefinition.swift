import BTree

/// A SQL function as the VM calls it (SQLite's FuncDef): its name, how many arguments it takes,
/// its flags and its implementation. One definition per (name, argument count) pair, as in
/// SQLite's function table; `argumentCount == -1` takes any number. A reference type so a
/// program's P4 holds it cheaply.
package final class FunctionDefinition: Sendable {
    package let name: String
    /// nArg: the number of arguments, or -1 for any number (EXPLAIN shows it: `max(-1)`).
    package let argumentCount: Int

    /// The fewest arguments a variadic definition takes: -1 takes any number; as in SQLite's
    /// built-ins, -3 needs at least one and -4 at least two (concat, concat_ws).
    package var minimumArgumentCount: Int {
        argumentCount >= -2 ? max(argumentCount, 0) : -2 - argumentCount
    }
    package let flags: FunctionFlags
    package let body: Body
    /// The body's closures, held apart so a call copies one closure, not the whole body.
    package let scalarBody: ScalarFunction?
    package let aggregateStepBody: AggregateStep?

    package enum Body: Sendable {
        case scalar(ScalarFunction)
        case aggregate(AggregateFunction)
    }

    package init(name: String, argumentCount: Int, flags: FunctionFlags = [], body: Body) {
        self.name = name
        self.argumentCount = argumentCount
        self.flags = flags
        self.body = body
        switch body {
        case .scalar(let function):
            scalarBody = function
            aggregateStepBody = nil
        case .aggregate(let aggregate):
            scalarBody = nil
            aggregateStepBody = aggregate.step
        }
    }

    package var isAggregate: Bool {
        if case .aggregate = body { return true }
        return false
    }
}

/// A function's arguments, borrowed for the call: views of the caller's registers, valid only
/// until the function returns (sqlite3_value pointers of a call are the same).
package typealias FunctionArguments = UnsafeBufferPointer<ValueRef>

/// A scalar function: reads its arguments, returns its result or throws its error.
package typealias ScalarFunction = @Sendable (inout FunctionContext, FunctionArguments) throws(FunctionError) -> Value

/// An aggregate's step (and window inverse): folds a row's arguments into the state.
package typealias AggregateStep = @Sendable (inout AggregateState, inout FunctionContext, FunctionArguments) throws(FunctionError) -> Void

/// An aggregate: `step` folds a row's arguments into the state, `final` turns the state into the
/// result (the state is `.empty` when no row was stepped). `value` and `inverse` serve window
/// functions (AggValue/AggInverse).
package struct AggregateFunction: Sendable {
    package var step: AggregateStep
    package var final: @Sendable (inout AggregateState, inout FunctionContext) throws(FunctionError) -> Value
    package var inverse: AggregateStep?

    package init(
        step: @escaping AggregateStep,
        final: @escaping @Sendable (inout AggregateState, inout FunctionContext) throws(FunctionError) -> Value,
        inverse: AggregateStep? = nil
    ) {
        self.step = step
        self.final = final
        self.inverse = inverse
    }
}

/// SQLITE_FUNC_* flags the VM and the code generator care about.
package struct FunctionFlags: OptionSet, Sendable {
    package let rawValue: UInt32
    package init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Same arguments, same result (SQLITE_DETERMINISTIC): usable in indexes and CHECK.
    package static let deterministic = FunctionFlags(rawValue: 1 << 0)
    /// Takes the collation of a preceding CollSeq (SQLITE_FUNC_NEEDCOLL): min, max, nullif...
    package static let needsCollation = FunctionFlags(rawValue: 1 << 1)
    /// Depends on the connection or the clock (changes(), random(), date('now')).
    package static let volatile = FunctionFlags(rawValue: 1 << 2)
    /// Usually compiled inline by the code generator (coalesce, ifnull, iif, likely...).
    package static let inline = FunctionFlags(rawValue: 1 << 3)
    /// min()/max() aggregates: the row that set the result supplies bare columns (CollSeq P1).
    package static let minMax = FunctionFlags(rawValue: 1 << 4)
    /// length()/typeof(): the code generator may set OPFLAG_LENGTHARG/TYPEOFARG on Column.
    package static let lengthOrTypeof = FunctionFlags(rawValue: 1 << 5)
}

/// What a function may ask of the statement and connection that call it (sqlite3_context).
package struct FunctionContext {
    /// The collation of the CollSeq before the call (BINARY otherwise).
    package var collation: Collation = .binary
    /// Set by min()/max() aggregates when the row does not become the result
    /// (sqlite3SkipAccumulatorLoad): the VM then sets the CollSeq's P1 register.
    package var skipAccumulatorLoad = false
    /// The statement's clock and time zone for the date and time functions.
    package var dateTime: DateTimeContext
    /// The connection's counters at the time of the call.
    package var lastInsertRowid: Int64 = 0
    package var changes: Int64 = 0
    package var totalChanges: Int64 = 0
    /// SQLITE_LIMIT_LENGTH.
    package var lengthLimit: Int = TextFunctions.defaultLengthLimit

    package init(dateTime: DateTimeContext) {
        self.dateTime = dateTime
    }
}

/// The state an aggregate carries between rows (the aggregate context). Built-in aggregates use
/// the specific cases; `values` is for anything else.
package enum AggregateState {
    /// No row stepped yet.
    case empty
    case count(Int64)
    case sum(SumState)
    case best(Value)
    case concat([UInt8])
    case values([Value])
}

/// SumCtx of func.c: sum(), total() and avg() share it.
package struct SumState {
    package var realSum: Double = 0
    package var integerSum: Int64 = 0
    package var count: Int64 = 0
    package var overflow = false
    package var approximate = false
}
