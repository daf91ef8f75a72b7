import BTree
import Pager
import VM

/// The counter of an AUTOINCREMENT table while a statement inserts into it (insert.c
/// sqlite3AutoincrementBegin, autoIncStep, sqlite3AutoincrementEnd). Four registers, as
/// sqlite3 lays them out around `register` (its regCtr):
/// - `register - 1`: the table's name, the key of its sqlite_sequence row;
/// - `register`: the largest rowid handed out so far (NewRowid's P3, MemMax's P1);
/// - `register + 1`: the rowid of the table's sqlite_sequence row (NULL when it has none);
/// - `register + 2`: the counter as read, so the row is only written back when it grew.
///
/// The counter is loaded in the program's closing section, after Transaction (the code that
/// CodeGenerator.finish emits for each counter), and written back once the statement's rows
/// are in (`emitEnd`), so the table and its sqlite_sequence row change in one statement.
struct AutoincrementCounter {
    let table: TableSchema
    let sequence: TableSchema
    let register: Int32

    /// The counter of `table` for this statement (one per table, however many times the
    /// statement inserts into it), or nil when the table is not AUTOINCREMENT.
    static func counter(for table: TableSchema, _ gen: CodeGenerator) throws(DatabaseError) -> AutoincrementCounter? {
        guard table.autoincrement, !table.withoutRowid else { return nil }
        if let existing = gen.autoincrements.first(where: { $0.table.name.sqlEquals(table.name) }) { return existing }
        // sqlite3AutoincrementBegin's SQLITE_CORRUPT_SEQUENCE: an AUTOINCREMENT table without a
        // usable sqlite_sequence.
        guard let sequence = gen.schema.table(SchemaCompiler.sequenceTableName), !sequence.withoutRowid,
              sequence.columns.count == 2 else {
            throw DatabaseError(.SQLITE_CORRUPT, "database disk image is malformed")
        }
        let first = gen.builder.allocateRegisters(4)
        let counter = AutoincrementCounter(table: table, sequence: sequence, register: first + 1)
        gen.autoincrements.append(counter)
        return counter
    }

    /// sqlite3AutoincrementBegin: finds the table's row in sqlite_sequence and loads its counter
    /// (0 when it has none).
    func emitBegin(_ builder: inout ProgramBuilder) {
        let cursor = builder.allocateCursor()
        builder.emit(.openRead, cursor, Int32(bitPattern: sequence.rootPage), 0, .int32(2))
        builder.emit(.string8, 0, register - 1, 0, .text(table.name))
        builder.emit(.null, 0, register, register + 2)
        let rewind = builder.emit(.rewind, cursor, 0)
        let loop = builder.currentAddress
        let next = builder.makeLabel()
        let found = builder.makeLabel()
        builder.emit(.column, cursor, 0, register)
        builder.emit(.ne, register - 1, jumpTo: next, register, .none, UInt16(CompareFlag.jumpIfNull))
        builder.emit(.rowid, cursor, register + 1)
        builder.emit(.column, cursor, 1, register)
        builder.emit(.addImm, register, 0)
        builder.emit(.copy, register, register + 2)
        builder.emit(.goto, 0, jumpTo: found)
        builder.resolve(next)
        builder.emit(.next, cursor, loop)
        builder.jumpHere(rewind)
        builder.emit(.integer, 0, register)
        builder.resolve(found)
        builder.emit(.close, cursor)
    }

    /// autoIncStep: a rowid the statement chose or was given raises the counter.
    func emitStep(_ builder: inout ProgramBuilder, rowid: Int32) {
        builder.emit(.memMax, register, rowid)
    }

    /// sqlite3AutoincrementEnd: when the counter grew, writes the table's sqlite_sequence row
    /// (a new row when it had none).
    func emitEnd(_ builder: inout ProgramBuilder) {
        let record = builder.allocateRegisters()
        let unchanged = builder.makeLabel()
        builder.emit(.le, register + 2, jumpTo: unchanged, register)
        let cursor = builder.allocateCursor()
        builder.emit(.openWrite, cursor, Int32(bitPattern: sequence.rootPage), 0, .int32(2))
        let existing = builder.emit(.notNull, register + 1, 0)
        builder.emit(.newRowid, cursor, register + 1)
        builder.jumpHere(existing)
        builder.emit(.makeRecord, register - 1, 2, record)
        builder.emit(.insert, cursor, record, register + 1, .none, OpFlag.append)
        builder.emit(.close, cursor)
        builder.resolve(unchanged)
    }
}
