import BTree
import Pager

/// Calling functions (vdbe.c OP_Function, OP_AggStep, OP_AggFinal).
extension VirtualMachine {
    /// Readies `functionContext` for a call of `definition` at `address`, in place (a copy
    /// would retain its closures on every row): the connection's counters for the functions
    /// that read them, and the collation of a CollSeq right before the call. Functions only
    /// ever set `skipAccumulatorLoad`, which is reset here.
    @inline(__always)
    private func prepareContext(at address: Int, for definition: FunctionDefinition) {
        if definition.flags.contains(.volatile) {
            functionContext.lastInsertRowid = connection.lastInsertRowid
            functionContext.changes = connection.changes
            functionContext.totalChanges = connection.totalChanges
        }
        functionContext.skipAccumulatorLoad = false
        guard definition.flags.contains(.needsCollation) else {
            functionContext.collation = .binary
            return
        }
        var collation = Collation.binary
        if address > 0 {
            program.instructions.withUnsafeBufferPointer { instructions in
                let previous = instructions.baseAddress! + (address - 1)
                if previous.pointee.opcode == .collSeq, case .collation(let found) = previous.pointee.p4 {
                    collation = found
                }
            }
        }
        functionContext.collation = collation
    }

    /// The function in P4 of the instruction at `address`.
    @inline(__always)
    private func function(at address: Int) -> FunctionDefinition {
        guard let definition = functionAt[address] else {
            preconditionFailure("instruction \(address) has no function in P4")
        }
        return definition.takeUnretainedValue()
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
    func callFunction(_ op: UnsafePointer<Instruction>) throws(DatabaseError) {
        let definition = function(at: pc)
        guard let body = definition.scalarBody else {
            preconditionFailure("Function without a scalar function in P4")
        }
        prepareContext(at: pc, for: definition)
        let count = argumentCount(definition, op.pointee.p5)
        let result: Value
        do throws(FunctionError) {
            result = try withArguments(op.pointee.p2, count) { (arguments) throws(FunctionError) -> Value in
                try body(&functionContext, arguments)
            }
        } catch {
            throw functionError(error, definition)
        }
        register(op.pointee.p3).pointee = result
    }

    /// AggStep P1 P2 P3 P4 P5: folds the P5 arguments from r[P2] into the aggregate whose
    /// accumulator is r[P3]. After a CollSeq with P1, min() and max() set r[P1] to 1 when the
    /// row does not become the result (bare columns are then not loaded).
    func aggregateStep(_ op: UnsafePointer<Instruction>) throws(DatabaseError) {
        let definition = function(at: pc)
        guard let step = definition.aggregateStepBody else {
            preconditionFailure("AggStep without an aggregate in P4")
        }
        let slot = Int(op.pointee.p3)
        precondition(slot >= 0 && slot < registerCount, "AggStep accumulator r[\(slot)] out of range")
        aggregatesInUse = true
        prepareContext(at: pc, for: definition)
        let state = aggregates + slot
        do throws(FunctionError) {
            try withArguments(op.pointee.p2, Int(op.pointee.p5)) { (arguments) throws(FunctionError) in
                try step(&state.pointee, &functionContext, arguments)
            }
        } catch {
            throw functionError(error, definition)
        }
        if functionContext.skipAccumulatorLoad, pc > 0 {
            let previous = op - 1
            if previous.pointee.opcode == .collSeq && previous.pointee.p1 != 0 {
                register(previous.pointee.p1).pointee = .integer(1)
            }
        }
    }

    /// AggFinal P1 P2 _ P4: r[P1] = the aggregate's result.
    func aggregateFinal(_ op: UnsafePointer<Instruction>) throws(DatabaseError) {
        let definition = function(at: pc)
        guard case .aggregate(let aggregate) = definition.body else {
            preconditionFailure("AggFinal without an aggregate in P4")
        }
        let slot = Int(op.pointee.p1)
        precondition(slot >= 0 && slot < registerCount, "AggFinal accumulator r[\(slot)] out of range")
        var state = aggregates[slot]
        aggregates[slot] = .empty
        prepareContext(at: pc, for: definition)
        do throws(FunctionError) {
            register(op.pointee.p1).pointee = try aggregate.final(&state, &functionContext)
        } catch {
            throw functionError(error, definition)
        }
    }
}
