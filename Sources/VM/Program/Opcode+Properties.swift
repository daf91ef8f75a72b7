/// What the program checker and EXPLAIN need to know about each opcode.
extension Opcode {
    /// Opcodes the interpreter does not run yet: triggers and foreign keys (Program, Param,
    /// FkCheck, FkCounter, FkIfZero), RowSets, window functions (AggValue, AggInverse), virtual
    /// tables, incremental vacuum, sqlite_offset() (Offset), RowCell and SqlExec.
    static let unimplemented: Set<Opcode> = [
        .fkCheck, .offset, .rowCell, .sqlExec, .rowSetAdd, .rowSetRead, .rowSetTest, .program, .param,
        .fkCounter, .fkIfZero, .aggInverse, .aggValue, .incrVacuum,
        .cursorLock, .cursorUnlock, .vBegin, .vCreate, .vDestroy, .vOpen, .vInitIn, .vFilter, .vColumn,
        .vNext, .vRename, .vUpdate,
    ]

    package var isImplemented: Bool { !Self.unimplemented.contains(self) }

    /// Opcodes whose P2 is a jump target (when they jump at all).
    var jumpsToP2: Bool {
        switch self {
        case .goto, .gosub, .initCoroutine, .once, .if, .ifNot, .isNull, .notNull, .ifNullRow, .eq, .ne, .lt,
             .le, .gt, .ge, .elseEq, .jump, .rewind, .last, .next, .prev, .sorterNext, .sorterSort, .sort,
             .seekLT, .seekLE, .seekGE, .seekGT, .idxLE, .idxGT, .idxLT, .idxGE, .found, .notFound,
             .noConflict, .ifNoHope, .notExists, .seekRowid, .ifPos, .ifNotZero, .decrJumpZero, .isType,
             .mustBeInt, .sequenceTest, .ifNotOpen, .`init`, .sorterCompare, .ifSmaller, .filter, .seekScan,
             .windowSort, .windowNext:
            true
        default:
            false
        }
    }

    /// The P4 kind the opcode cannot run without.
    var requiredP4: P4Kind? {
        switch self {
        case .sorterOpen, .compare: .keyInfo
        case .function, .pureFunc, .aggStep, .aggStep1, .aggFinal: .function
        case .integrityCk, .permutation: .intArray
        case .windowOpen: .window
        case .seekLT, .seekLE, .seekGE, .seekGT, .idxLE, .idxGT, .idxLT, .idxGE: nil
        default: nil
        }
    }

    /// Opcodes whose P1 is a cursor number.
    var usesCursorP1: Bool {
        switch self {
        case .openRead, .openWrite, .reopenIdx, .openDup, .openAutoindex, .openEphemeral, .sorterOpen,
             .openPseudo, .close, .columnsUsed, .seekLT, .seekLE, .seekGE, .seekGT, .seekHit, .ifNoHope,
             .noConflict, .notFound, .found, .seekRowid, .notExists, .sequence, .newRowid, .insert, .delete,
             .sorterCompare, .sorterData, .rowData, .rowid, .nullRow, .seekEnd, .last, .sorterSort, .sort,
             .rewind, .sorterNext, .prev, .next, .idxInsert, .sorterInsert, .idxDelete, .deferredSeek,
             .idxRowid, .finishSeek, .idxLE, .idxGT, .idxLT, .idxGE, .resetSorter, .count, .ifNullRow,
             .column, .sequenceTest, .ifSmaller, .ifNotOpen, .windowOpen, .windowAppend, .windowSort,
             .windowCompute, .windowColumn, .windowNext:
            true
        default:
            false
        }
    }
}
