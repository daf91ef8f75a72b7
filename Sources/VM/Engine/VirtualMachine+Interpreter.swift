import BTree
import Pager

/// The interpreter loop: one `switch` over the opcode of the instruction at `pc`. Instructions
/// that fall through advance `pc`; jumps set it. An instruction that needs IO returns `.io`
/// before it has changed anything, with `pc` still on it, so the next step runs it again.
extension VirtualMachine {
    /// What an instruction implemented outside the loop tells it to do next.
    enum Flow {
        case next
        case jump(Int32)
        case io(Completion)
    }

    func run(_ instructions: UnsafeBufferPointer<Instruction>) throws(DatabaseError) -> IOResult<StepResult> {
        while true {
            let op = instructions.baseAddress! + pc
            let p1 = op.pointee.p1
            let p2 = op.pointee.p2
            let p3 = op.pointee.p3
            var flow = Flow.next
            switch op.pointee.opcode {
            // MARK: Control flow
            case .`init`:
                if p2 != 0 { flow = .jump(p2) }
            case .goto:
                try checkInterrupt()
                flow = .jump(p2)
            case .gosub:
                register(p1).pointee = .integer(Int64(pc))
                flow = .jump(p2)
            case .`return`:
                if case .integer(let address) = register(p1).pointee {
                    flow = .jump(Int32(truncatingIfNeeded: address + 1))
                }
            case .initCoroutine:
                register(p1).pointee = .integer(Int64(p3 - 1))
                if p2 != 0 { flow = .jump(p2) }
            case .endCoroutine:
                let caller = Int(integerValue(register(p1).pointee))
                precondition(caller >= 0 && caller < instructions.count, "EndCoroutine returns to a bad address")
                register(p1).pointee = .null
                flow = .jump(instructions[caller].p2)
            case .yield:
                let destination = integerValue(register(p1).pointee)
                register(p1).pointee = .integer(Int64(pc))
                flow = .jump(Int32(truncatingIfNeeded: destination + 1))
            case .once:
                if onceDone[pc] { flow = .jump(p2) } else { onceDone[pc] = true }
            case .jump:
                flow = .jump(lastComparison < 0 ? p1 : lastComparison == 0 ? p2 : p3)
            case .elseEq:
                if lastComparison == 0 { flow = .jump(p2) }
            case .halt:
                return try halt(op.pointee)
            case .haltIfNull:
                if case .null = register(p3).pointee { return try halt(op.pointee) }
            case .resultRow:
                try checkInterrupt()
                precondition(p2 >= 0 && Int(p1) + Int(p2) <= registerCount, "ResultRow registers out of range")
                resultStart = Int(p1)
                resultCount = Int(p2)
                pc += 1
                return .done(.row)
            case .noop, .explain, .cursorHint, .abortable, .releaseReg, .trace, .tableLock, .loadAnalysis,
                 .columnsUsed, .seekEnd, .clrSubtype, .seekScan, .filterAdd, .filter, .ifSmaller:
                // Hints and optimizations that may always be skipped: Filter may always fall
                // through (a bloom filter only ever rules rows out), SeekScan may always defer to
                // the seek after it, IfSmaller may always fall through.
                break

            // MARK: Constants and register moves
            case .integer:
                register(p2).pointee = .integer(Int64(p1))
            case .int64:
                guard case .int64(let value) = op.pointee.p4 else { preconditionFailure("Int64 without an integer P4") }
                register(p2).pointee = .integer(value)
            case .real:
                guard case .real(let value) = op.pointee.p4 else { preconditionFailure("Real without a real P4") }
                register(p2).pointee = .real(value)
            case .string8, .string:
                register(p2).pointee = stringConstant(op.pointee.p4)
            case .blob:
                guard case .blob(let bytes) = op.pointee.p4 else { preconditionFailure("Blob without a blob P4") }
                register(p2).pointee = .blob(bytes)
            case .null, .beginSubrtn:
                let last = max(p2, p3)
                for index in p2...last { register(index).pointee = .null }
                clearAggregates(p2, last)
                if p1 != 0 || !clearedNulls.isEmpty { markCleared(p2, last, p1 != 0) }
            case .softNull:
                register(p1).pointee = .null
            case .variable:
                precondition(p1 >= 1 && Int(p1) <= parameters.count, "Variable ?\(p1) of \(parameters.count)")
                register(p2).pointee = parameters[Int(p1) - 1]
            case .move:
                for offset in 0..<p3 {
                    register(p2 + offset).pointee = register(p1 + offset).pointee
                    register(p1 + offset).pointee = .null
                }
                if !clearedNulls.isEmpty { markCleared(p2, p2 + p3 - 1, false) }
            case .copy:
                for offset in 0...max(0, p3) { register(p2 + offset).pointee = register(p1 + offset).pointee }
                if !clearedNulls.isEmpty { markCleared(p2, p2 + max(0, p3), false) }
            case .sCopy:
                register(p2).pointee = register(p1).pointee
                if !clearedNulls.isEmpty { markCleared(p2, p2, false) }
            case .intCopy:
                register(p2).pointee = .integer(integerValue(register(p1).pointee))

            // MARK: Arithmetic, logic, comparison
            case .add, .subtract, .multiply, .divide, .remainder:
                arithmeticInstruction(op.pointee.opcode, p1, p2, p3)
            case .concat:
                try concatenate(p1, p2, p3)
            case .bitAnd, .bitOr, .shiftLeft, .shiftRight:
                bitInstruction(op.pointee.opcode, p1, p2, p3)
            case .addImm:
                register(p1).pointee = .integer(integerValue(register(p1).pointee) &+ Int64(p2))
            case .mustBeInt:
                flow = try mustBeInteger(p1, p2)
            case .realAffinity:
                if case .integer(let i) = register(p1).pointee { register(p1).pointee = .real(Double(i)) }
            case .cast:
                let value = register(p1).pointee
                register(p1).pointee = value.withRef { castValue($0, UInt8(truncatingIfNeeded: p2)) }
            case .eq, .ne, .lt, .le, .gt, .ge:
                if compare(op.pointee) { flow = .jump(p2) }
            case .and, .or:
                logicInstruction(op.pointee.opcode, p1, p2, p3)
            case .not:
                let value = register(p1).pointee
                register(p2).pointee = value.isNull ? .null : .integer(booleanValue(value, ifNull: false) ? 0 : 1)
            case .bitNot:
                let value = register(p1).pointee
                register(p2).pointee = value.isNull ? .null : .integer(~integerValue(value))
            case .isTrue:
                var truth = booleanValue(register(p1).pointee, ifNull: p3 != 0)
                if case .int32(let invert) = op.pointee.p4, invert != 0 { truth.toggle() }
                register(p2).pointee = .integer(truth ? 1 : 0)
            case .if:
                if booleanValue(register(p1).pointee, ifNull: p3 != 0) { flow = .jump(p2) }
            case .ifNot:
                if !booleanValue(register(p1).pointee, ifNull: p3 == 0) { flow = .jump(p2) }
            case .isNull:
                if register(p1).pointee.isNull { flow = .jump(p2) }
            case .notNull:
                if !register(p1).pointee.isNull { flow = .jump(p2) }
            case .zeroOrNull:
                register(p2).pointee = register(p1).pointee.isNull || register(p3).pointee.isNull ? .null : .integer(0)
            case .isType:
                if typeMask(op.pointee) & op.pointee.p5 != 0 { flow = .jump(p2) }
            case .permutation:
                guard case .intArray(let values) = op.pointee.p4 else { preconditionFailure("Permutation without an array") }
                permutation = values
            case .compare:
                compareRanges(op.pointee)
            case .collSeq:
                if p1 != 0 { register(p1).pointee = .integer(0) }
            case .ifPos:
                if case .integer(let i) = register(p1).pointee, i > 0 {
                    register(p1).pointee = .integer(i - Int64(p3))
                    flow = .jump(p2)
                } else if integerValue(register(p1).pointee) > 0 {
                    register(p1).pointee = .integer(integerValue(register(p1).pointee) - Int64(p3))
                    flow = .jump(p2)
                }
            case .ifNotZero:
                let value = integerValue(register(p1).pointee)
                if value != 0 {
                    if value > 0 { register(p1).pointee = .integer(value - 1) }
                    flow = .jump(p2)
                }
            case .decrJumpZero:
                var value = integerValue(register(p1).pointee)
                if value > Int64.min { value -= 1 }
                register(p1).pointee = .integer(value)
                if value == 0 { flow = .jump(p2) }
            case .offsetLimit:
                let limit = integerValue(register(p1).pointee)
                let offset = integerValue(register(p3).pointee)
                let (sum, overflow) = limit.addingReportingOverflow(offset > 0 ? offset : 0)
                register(p2).pointee = .integer(limit <= 0 || overflow ? -1 : sum)
            case .memMax:
                let current = integerValue(register(p1).pointee)
                let other = integerValue(register(p2).pointee)
                register(p1).pointee = .integer(max(current, other))

            // MARK: Records and columns
            case .column:
                flow = try column(op.pointee)
                if !clearedNulls.isEmpty { markCleared(p3, p3, false) }
            case .affinity:
                applyAffinities(op.pointee)
            case .typeCheck:
                try typeCheck(op.pointee)
            case .makeRecord:
                makeRecord(op.pointee)
            case .count:
                flow = try count(p1, p2)
            case .rowid:
                flow = try rowid(p1, p2)
            case .idxRowid:
                flow = try indexRowid(p1, p2)
            case .rowData, .sorterData:
                flow = try rowData(op.pointee)
            case .nullRow:
                nullRow(p1)
            case .ifNullRow:
                if let cursor = cursors[Int(p1)], cursor.nullRow {
                    register(p3).pointee = .null
                    flow = .jump(p2)
                }
            case .sequence:
                let cursor = cursor(p1)
                register(p2).pointee = .integer(cursor.sequence)
                cursor.sequence += 1
            case .sequenceTest:
                let cursor = cursor(p1)
                if cursor.sequence == 0 { flow = .jump(p2) }
                cursor.sequence += 1

            // MARK: Cursors
            case .openRead, .openWrite, .reopenIdx:
                try openBTree(op.pointee)
            case .openEphemeral, .openAutoindex:
                try openEphemeral(op.pointee)
            case .openDup:
                try openDuplicate(p1, p2)
            case .sorterOpen:
                openSorter(op.pointee)
            case .openPseudo:
                cursors[Int(p1)]?.close()
                cursors[Int(p1)] = CursorState(source: .pseudo(register: p2), isTable: false, key: nil)
            case .close:
                cursors[Int(p1)]?.close()
                cursors[Int(p1)] = nil
            case .ifNotOpen:
                if cursors[Int(p1)] == nil { flow = .jump(p2) }
            case .rewind, .sort, .sorterSort:
                flow = try rewind(p1, p2)
            case .last:
                flow = try last(p1, p2)
            case .next, .sorterNext:
                flow = try next(p1, p2)
            case .prev:
                flow = try previous(p1, p2)
            case .seekRowid, .notExists:
                flow = try seekRowid(op.pointee)
            case .seekGE, .seekGT, .seekLE, .seekLT:
                flow = try seek(op.pointee)
            case .idxGE, .idxGT, .idxLE, .idxLT:
                flow = try indexCompare(op.pointee)
            case .found, .notFound, .noConflict, .ifNoHope:
                flow = try found(op.pointee)
            case .seekHit:
                let cursor = cursor(p1)
                if cursor.seekHit < p2 { cursor.seekHit = p2 } else if cursor.seekHit > p3 { cursor.seekHit = p3 }
            case .deferredSeek:
                flow = try deferredSeek(p1, p3)
            case .finishSeek:
                flow = try finishSeek(cursor(p1))
            case .sorterCompare:
                flow = try sorterCompare(op.pointee)

            // MARK: Writes
            case .newRowid:
                flow = try newRowid(p1, p2, p3)
            case .insert:
                try insert(op.pointee)
            case .delete:
                try delete(op.pointee)
            case .idxInsert:
                try indexInsert(op.pointee)
            case .sorterInsert:
                sorterInsert(p1, p2)
            case .idxDelete:
                flow = try indexDelete(op.pointee)
            case .resetSorter:
                try resetSorter(p1)
            case .resetCount:
                connection.changes = changeCount
                connection.totalChanges += changeCount
                changeCount = 0

            // MARK: Functions
            case .function, .pureFunc:
                try callFunction(op)
            case .aggStep, .aggStep1:
                try aggregateStep(op)
            case .aggFinal:
                try aggregateFinal(op)

            // MARK: Window functions
            case .windowOpen:
                windowOpen(op)
            case .windowAppend:
                windowBuffer(p1).append(registerRange(p2, Int(p3)))
            case .windowSort:
                flow = windowSort(p1, p2)
            case .windowCompute:
                try windowCompute(p1)
            case .windowColumn:
                let buffer = windowBuffer(p1)
                register(p3).pointee = buffer.value(buffer.position, Int(p2))
            case .windowNext:
                flow = windowNext(p1, p2)

            // MARK: Transactions and schema
            case .transaction:
                try transaction(op.pointee)
            case .autoCommit:
                try connection.setAutocommit(p1 != 0, rollback: p2 != 0, by: self)
                return try halt(Instruction(.halt))
            case .savepoint:
                try savepoint(op.pointee)
            case .readCookie:
                try readCookie(p2, p3)
            case .setCookie:
                try setCookie(p2, p3)
            case .createBtree:
                let root = try connection.store.createTree(table: p3 == 1)
                register(p2).pointee = .integer(Int64(root))
            case .destroy:
                try connection.store.dropTree(root: UInt32(truncatingIfNeeded: p1))
                register(p2).pointee = .integer(0)
            case .clear:
                let rows = try connection.store.clearTree(root: UInt32(truncatingIfNeeded: p1))
                if p3 > 0 {
                    register(p3).pointee = .integer(integerValue(register(p3).pointee) &+ Int64(rows))
                }
            case .parseSchema:
                if case .text(let clause) = op.pointee.p4 {
                    try connection.schemaChanged(.parse(whereClause: clause))
                } else {
                    try connection.schemaChanged(.parse(whereClause: nil))
                }
            case .dropTable, .dropIndex, .dropTrigger:
                try dropSchemaObject(op.pointee)
            case .expire:
                try connection.schemaChanged(.expire)
            case .integrityCk:
                try integrityCheck(op.pointee)
            case .pagecount:
                register(p2).pointee = .integer(Int64(connection.pager.databaseSize))
            case .maxPgcnt:
                register(p2).pointee = .integer(1_073_741_823)
            case .journalMode:
                try journalMode(op.pointee)
            case .checkpoint:
                try checkpoint(op.pointee)
            case .vacuum:
                try vacuum(op.pointee)

            case .fkCheck, .offset, .rowCell, .sqlExec, .rowSetAdd, .rowSetRead, .rowSetTest, .program, .param,
                 .fkCounter, .fkIfZero, .aggInverse, .aggValue, .incrVacuum,
                 .cursorLock, .cursorUnlock, .vBegin, .vCreate, .vDestroy, .vOpen, .vInitIn, .vFilter, .vColumn,
                 .vNext, .vRename, .vUpdate:
                preconditionFailure("\(op.pointee.opcode.rawValue) passed the program check but is not implemented")
            }
            switch flow {
            case .next:
                pc += 1
            case .jump(let target):
                precondition(target >= 0 && Int(target) < instructions.count, "jump to \(target) outside the program")
                pc = Int(target)
            case .io(let completion):
                return .io(completion)
            }
        }
    }

    @inline(__always)
    func checkInterrupt() throws(DatabaseError) {
        if connection.interrupt.isSet { throw DatabaseError(.SQLITE_INTERRUPT, "interrupted") }
    }

    func stringConstant(_ p4: P4) -> Value {
        switch p4 {
        case .text(let text): return .text(text)
        case .blob(let bytes): return .text(bytes)
        case .none: return .text([])
        default: preconditionFailure("String8 with a P4 that is not text")
        }
    }

    /// Null with P1 set makes NULLs that Eq/Ne with SQLITE_NULLEQ do not count as equal to
    /// NULL (SQLite's MEM_Cleared); the moves and loads a code generator uses on such registers
    /// turn the mark off again.
    func markCleared(_ first: Int32, _ last: Int32, _ cleared: Bool) {
        guard first <= last else { return }
        if clearedNulls.isEmpty { clearedNulls = Array(repeating: false, count: registerCount) }
        for index in Int(first)...Int(last) { clearedNulls[index] = cleared }
    }

    /// Accumulators reset by Null lose their aggregate context.
    @inline(__always)
    func clearAggregates(_ first: Int32, _ last: Int32) {
        guard aggregatesInUse else { return }
        for index in Int(first)...Int(last) { aggregates[index] = .empty }
    }
}
