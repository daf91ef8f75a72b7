import BTree
import Pager

/// Calling functions (vdbe.c OP_Function, OP_AggStep, OP_AggFinal).
extension VirtualMachine {
    /// The context a function sees: the statement's clock, the connection's counters, and the
    /// collation of a CollSeq right before the call.
    private func context(at address: Int) -> FunctionContext {
        var context = functionContext
        context.lastInsertRowid = connection.lastInsertRowid
        context.changes = connection.changes
        context.totalChanges = connection.totalChanges
        if address > 0 {
            let previous = program.instructions[address - 1]
            if previous.opcode == .collSeq, case .collation(let collation) = previous.p4 {
                context.collation = collation
            }
        }
        return context
    }

    /// The number of arguments of a call: the definition's fixed arity, or P5 for a function
    /// that takes any number (Ringlite's convention: SQLite keeps it in the sqlite3_context).
    private func argumentCount(_ definition: FunctionDefinition, _ p5: UInt16) -> Int {
        definition.argumentCount >= 0 ? definition.argumentCount : Int(p5)
    }

    private func functionError(_ error: FunctionError, _ definition: FunctionDefinition) -> DatabaseError {
        if error == .tooBig { return DatabaseError(.SQLITE_TOOBIG, error.message) }
        return DatabaseError(.SQLITE_ERROR, error.message)
    }

    /// Function / PureFunc P1 P2 P3 P4 P5: r[P3] = P4(r[P2], ...).
    func callFunction(_ instruction: Instruction) throws(DatabaseError) {
        guard case .function(let definition) = instruction.p4, case .scalar(let body) = definition.body else {
            preconditionFailure("Function without a scalar function in P4")
        }
        var context = context(at: pc)
        let count = argumentCount(definition, instruction.p5)
        let result = try withArguments(instruction.p2, count) { (arguments) throws(DatabaseError) -> Value in
            do throws(FunctionError) {
                return try body(&context, arguments)
            } catch {
                throw functionError(error, definition)
            }
        }
        register(instruction.p3).pointee = result
    }

    /// AggStep P1 P2 P3 P4 P5: folds the P5 arguments from r[P2] into the aggregate whose
    /// accumulator is r[P3]. After a CollSeq with P1, min() and max() set r[P1] to 1 when the
    /// row does not become the result (bare columns are then not loaded).
    func aggregateStep(_ instruction: Instruction) throws(DatabaseError) {
        guard case .function(let definition) = instruction.p4, case .aggregate(let aggregate) = definition.body else {
            preconditionFailure("AggStep without an aggregate in P4")
        }
        let slot = Int(instruction.p3)
        precondition(slot >= 0 && slot < registerCount, "AggStep accumulator r[\(slot)] out of range")
        if aggregates.count < registerCount { aggregates.append(contentsOf: repeatElement(nil, count: registerCount - aggregates.count)) }
        var state = aggregates[slot] ?? .empty
        aggregates[slot] = nil
        var context = context(at: pc)
        try withArguments(instruction.p2, Int(instruction.p5)) { (arguments) throws(DatabaseError) in
            do throws(FunctionError) {
                try aggregate.step(&state, &context, arguments)
            } catch {
                throw functionError(error, definition)
            }
        }
        aggregates[slot] = state
        if context.skipAccumulatorLoad, pc > 0 {
            let previous = program.instructions[pc - 1]
            if previous.opcode == .collSeq && previous.p1 != 0 { register(previous.p1).pointee = .integer(1) }
        }
    }

    /// AggFinal P1 P2 _ P4: r[P1] = the aggregate's result.
    func aggregateFinal(_ instruction: Instruction) throws(DatabaseError) {
        guard case .function(let definition) = instruction.p4, case .aggregate(let aggregate) = definition.body else {
            preconditionFailure("AggFinal without an aggregate in P4")
        }
        let slot = Int(instruction.p1)
        var state: AggregateState = .empty
        if slot < aggregates.count, let existing = aggregates[slot] {
            state = existing
            aggregates[slot] = nil
        }
        var context = context(at: pc)
        do throws(FunctionError) {
            register(instruction.p1).pointee = try aggregate.final(&state, &context)
        } catch {
            throw functionError(error, definition)
        }
    }
}
