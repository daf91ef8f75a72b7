import BTree
import Pager

/// What a step produced.
package enum StepResult: Equatable, Sendable {
    /// A result row is ready: read it with `column(_:)` until the next step.
    case row
    /// The program halted successfully.
    case done
}

/// One run of a program on a connection (SQLite's Vdbe in its running state): registers, cursors,
/// the program counter. Create it, bind parameters, then call `step()` until `.done`; a step that
/// returns `.io(completion)` has changed nothing, and is called again once the completion has
/// finished (`connection.pager.backend.wait(for:)`). Errors are thrown as `DatabaseError` with
/// sqlite3's codes and messages, after the statement has been rolled back as its conflict action
/// says. Confined to its connection's thread.
/// Its hot mutable state is `@exclusivity(unchecked)`: it is confined to its connection's
/// thread and no access to that state overlaps another (the suites ran with the checks on), while
/// the dynamic checks cost about a fifth of a lookup-heavy query's time.
package final class VirtualMachine {
    package let program: Program
    package let connection: ConnectionState

    let registers: UnsafeMutablePointer<Value>
    let registerCount: Int
    @exclusivity(unchecked) var cursors: [CursorState?]
    /// Window pass buffers, by cursor number (WindowOpen).
    @exclusivity(unchecked) var windows: [WindowBuffer?]
    /// Closed main-database cursors of the last run, by slot (see `closeAllCursors`).
    @exclusivity(unchecked) var parkedCursors: [CursorState?]
    @exclusivity(unchecked) var parameters: [Value]

    @exclusivity(unchecked) var pc = 0
    enum RunState { case ready, running, halted }
    @exclusivity(unchecked) var runState = RunState.ready
    /// The first register and count of the row `.row` reported.
    @exclusivity(unchecked) var resultStart = 0
    @exclusivity(unchecked) var resultCount = 0

    /// iCompare: the result of the last comparison, for Jump and ElseEq.
    @exclusivity(unchecked) var lastComparison = 0
    /// Permutation's array, for the Compare that follows it.
    @exclusivity(unchecked) var permutation: [Int32]?
    /// Aggregate contexts, by accumulator register: `.empty` until an AggStep folds a row in.
    /// Raw storage so a step updates its state in place, without copying it out and back.
    let aggregates: UnsafeMutablePointer<AggregateState>
    /// Whether any AggStep has run since the contexts were last all empty.
    @exclusivity(unchecked) var aggregatesInUse = false
    /// The definition in P4 of each Function/PureFunc/AggStep/AggFinal, by address; unretained,
    /// since the program's instructions keep it alive for the machine's lifetime.
    let functionAt: UnsafeMutablePointer<Unmanaged<FunctionDefinition>?>
    /// MEM_Cleared marks by register (empty until a Null with P1 set runs).
    @exclusivity(unchecked) var clearedNulls: [Bool] = []
    /// Once: addresses already passed in this run.
    @exclusivity(unchecked) var onceDone: [Bool]
    /// Rows changed by this run, for changes().
    @exclusivity(unchecked) var changeCount: Int64 = 0
    /// Rows trigger programs changed in this run: total_changes() counts them, changes() not.
    @exclusivity(unchecked) var auxiliaryChangeCount: Int64 = 0
    /// The pager savepoint depth of this statement's savepoint (an explicit transaction's
    /// statement that writes), nil when it has none.
    var statementSavepoint: Int?
    /// The error of a failed run, with the conflict action that decides what is undone.
    var pendingError: DatabaseError?
    /// The function context template for this run (the statement's clock).
    @exclusivity(unchecked) var functionContext: FunctionContext
    /// The arguments of the function being called: `withArguments` fills the first ones with
    /// borrowed views of registers and lends them as a `FunctionArguments`, so a call builds no
    /// array. Grown (never shrunk) to the most arguments a call has had.
    @exclusivity(unchecked) var argumentSlots: UnsafeMutablePointer<ValueRef>
    @exclusivity(unchecked) var argumentSlotCapacity: Int
    /// Scratch space reused by instructions so that rows are processed without allocating.
    @exclusivity(unchecked) var keyScratch: [Value] = []

    package init(program: Program, connection: ConnectionState) {
        self.program = program
        self.connection = connection
        registerCount = program.registerCount
        registers = .allocate(capacity: registerCount)
        registers.initialize(repeating: .null, count: registerCount)
        cursors = Array(repeating: nil, count: program.cursorCount)
        windows = Array(repeating: nil, count: program.cursorCount)
        parkedCursors = Array(repeating: nil, count: program.cursorCount)
        parameters = Array(repeating: .null, count: program.parameterCount)
        onceDone = Array(repeating: false, count: program.instructions.count)
        functionContext = FunctionContext(dateTime: DateTimeContext(now: 0))
        aggregates = .allocate(capacity: registerCount)
        aggregates.initialize(repeating: .empty, count: registerCount)
        argumentSlotCapacity = 8
        argumentSlots = .allocate(capacity: argumentSlotCapacity)
        functionAt = .allocate(capacity: program.instructions.count)
        for (address, instruction) in program.instructions.enumerated() {
            if case .function(let definition) = instruction.p4 {
                functionAt[address] = Unmanaged.passUnretained(definition)
            } else {
                functionAt[address] = nil
            }
        }
    }

    deinit {
        if runState == .running { finishAbandoned() }
        closeAllCursors()
        registers.deinitialize(count: registerCount)
        registers.deallocate()
        aggregates.deinitialize(count: registerCount)
        aggregates.deallocate()
        functionAt.deallocate()
        argumentSlots.deallocate()
    }

    // MARK: Parameters

    /// Binds parameter `index` (1-based, ?NNN's number).
    package func bind(_ index: Int, _ value: Value) throws(DatabaseError) {
        guard index >= 1 && index <= parameters.count else {
            throw DatabaseError(.SQLITE_RANGE, "column index out of range")
        }
        precondition(runState != .running, "parameters are bound before the first step or after a reset")
        parameters[index - 1] = value
    }

    package func clearBindings() {
        for index in parameters.indices { parameters[index] = .null }
    }

    // MARK: Results

    /// The number of values in the current row.
    package var columnCount: Int { resultCount }

    /// Value `index` of the row the last step returned.
    package func column(_ index: Int) -> Value {
        precondition(index >= 0 && index < resultCount, "result column \(index) of \(resultCount)")
        return registers[resultStart + index]
    }

    /// Lends value `index` of the current row without copying text or blob bytes.
    package func withColumn<R>(_ index: Int, _ body: (ValueRef) -> R) -> R {
        precondition(index >= 0 && index < resultCount, "result column \(index) of \(resultCount)")
        return registers[resultStart + index].withRef(body)
    }

    /// Rows changed by this run so far.
    package var changes: Int64 { changeCount }

    // MARK: Running

    /// Runs until the next row, the end, an error, or IO to wait for.
    package func step() throws(DatabaseError) -> IOResult<StepResult> {
        switch runState {
        case .halted:
            reset()
            fallthrough
        case .ready:
            start()
        case .running:
            break
        }
        do {
            let result = try program.instructions.withUnsafeBufferPointer { (instructions) throws(DatabaseError) -> IOResult<StepResult> in
                try run(instructions)
            }
            if case .done(.done) = result { runState = .halted }
            return result
        } catch {
            try fail(error)
        }
    }

    /// Runs a step to completion, waiting for IO on the connection's backend.
    package func stepBlocking() throws(DatabaseError) -> StepResult {
        while true {
            switch try step() {
            case .done(let result): return result
            case .io(let completion): connection.pager.backend.wait(for: completion)
            }
        }
    }

    /// Stops the run (committing what an autocommit statement did, as sqlite3_reset does) and
    /// makes the program ready to run again with the same bindings.
    package func reset() {
        if runState == .running { finishAbandoned() }
        closeAllCursors()
        for index in 0..<registerCount { registers[index] = .null }
        if aggregatesInUse {
            for index in 0..<registerCount { aggregates[index] = .empty }
            aggregatesInUse = false
        }
        clearedNulls.removeAll()
        for index in onceDone.indices { onceDone[index] = false }
        pc = 0
        resultCount = 0
        changeCount = 0
        auxiliaryChangeCount = 0
        lastComparison = 0
        permutation = nil
        pendingError = nil
        runState = .ready
    }

    private func start() {
        runState = .running
        pc = 0
        connection.activeMachines.append(Unmanaged.passUnretained(self))
        functionContext = FunctionContext(dateTime: DateTimeContext(now: Self.currentJulianMilliseconds()))
        functionContext.lengthLimit = connection.lengthLimit
    }

    /// The statement time, fixed for the run (sqlite3StmtCurrentTime).
    static func currentJulianMilliseconds() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return DateTimeContext.julianMilliseconds(unixMilliseconds: Int64(now.tv_sec) * 1000 + Int64(now.tv_nsec) / 1_000_000)
    }

    func closeAllCursors() {
        for index in windows.indices where windows[index] != nil { windows[index] = nil }
        for index in cursors.indices {
            guard let cursor = cursors[index] else { continue }
            cursor.close()
            cursors[index] = nil
            // Kept for the next run's OpenRead/OpenWrite at the same address: building a cursor
            // and freeing it again cost more than a point query's seek.
            if cursor.openedAt >= 0 { parkedCursors[index] = cursor }
        }
    }

    /// A run that stops without reaching Halt (reset or deinit mid-way) ends as a successful
    /// halt would: sqlite3_reset commits an autocommit statement's work.
    private func finishAbandoned() {
        closeAllCursors()
        do {
            try connection.endStatement(self, error: nil, action: .abort)
        } catch {
            // The commit failed: the connection rolled back; there is no caller to tell.
        }
        runState = .halted
    }

    /// Ends a run that failed: cursors close, the connection undoes what the conflict action
    /// says, and the error goes to the caller.
    private func fail(_ error: DatabaseError) throws(DatabaseError) -> Never {
        var error = error
        if error.sql == nil && !program.sql.isEmpty { error.sql = program.sql }
        closeAllCursors()
        runState = .halted
        let action = pendingAction ?? .abort
        pendingAction = nil
        do {
            try connection.endStatement(self, error: error, action: action)
        } catch let secondary {
            throw secondary
        }
        throw error
    }

    /// The conflict action of the Halt that raised the pending error.
    var pendingAction: ConflictAction?
}

@available(*, unavailable)
extension VirtualMachine: Sendable {}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
