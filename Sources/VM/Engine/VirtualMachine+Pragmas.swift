import BTree
import Pager

/// The opcodes of PRAGMA journal_mode and PRAGMA wal_checkpoint (vdbe.c OP_JournalMode,
/// OP_Checkpoint).
extension VirtualMachine {
    /// SQLite's PAGER_JOURNALMODE_* numbers, JournalMode's P3.
    package enum JournalModeCode {
        package static let query: Int32 = -1
        package static let delete: Int32 = 0
        package static let persist: Int32 = 1
        package static let off: Int32 = 2
        package static let truncate: Int32 = 3
        package static let memory: Int32 = 4
        package static let wal: Int32 = 5

        package static func name(_ code: Int32) -> String {
            switch code {
            case delete: "delete"
            case persist: "persist"
            case off: "off"
            case truncate: "truncate"
            case memory: "memory"
            case wal: "wal"
            default: preconditionFailure("journal mode \(code)")
            }
        }
    }

    /// JournalMode P1 P2 P3: r[P2] = the journal mode's name after asking for mode P3 (-1 only
    /// asks). Ringlite's pager picks WAL or OFF when the database is opened and cannot switch an
    /// open database, so asking for another mode is an error rather than a silent no-op.
    func journalMode(_ instruction: Instruction) throws(DatabaseError) {
        let current = connection.pager.shared.journalMode == .wal ? JournalModeCode.wal : JournalModeCode.off
        let requested = instruction.p3
        if requested != JournalModeCode.query && requested != current {
            throw DatabaseError(.SQLITE_ERROR, "cannot change journal_mode from \(JournalModeCode.name(current)) to \(JournalModeCode.name(requested)): Ringlite sets it when the database is opened")
        }
        register(instruction.p2).pointee = .text(JournalModeCode.name(current))
    }

    /// Checkpoint P1 P2 P3: checkpoints the WAL in mode P2 (SQLITE_CHECKPOINT_PASSIVE = 0, FULL,
    /// RESTART, TRUNCATE) and writes busy (0 or 1), the log's frames and the frames checkpointed
    /// to r[P3], r[P3+1], r[P3+2]; -1 frames outside WAL mode. As in sqlite3, a checkpoint inside
    /// a transaction fails with SQLITE_LOCKED.
    func checkpoint(_ instruction: Instruction) throws(DatabaseError) {
        let modes: [CheckpointMode] = [.passive, .full, .restart, .truncate]
        precondition(instruction.p2 >= 0 && Int(instruction.p2) < modes.count, "checkpoint mode \(instruction.p2)")
        guard connection.pager.transaction == .none else {
            throw DatabaseError(.SQLITE_LOCKED, "database table is locked")
        }
        let result = try connection.pager.checkpoint(modes[Int(instruction.p2)])
        register(instruction.p3).pointee = .integer(result.busy ? 1 : 0)
        register(instruction.p3 + 1).pointee = .integer(Int64(result.logFrames))
        register(instruction.p3 + 2).pointee = .integer(Int64(result.checkpointedFrames))
    }
}
