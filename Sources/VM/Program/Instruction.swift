import BTree

/// One bytecode instruction, as SQLite's VdbeOp: an opcode, three integer operands, a fourth
/// operand of one of several kinds, a 16-bit flag operand and an optional comment for EXPLAIN.
/// Register numbers start at 1 (register 0 exists but code generators leave it unused, as
/// SQLite's do); jump targets are instruction addresses (indices into the program).
package struct Instruction: Sendable {
    package var opcode: Opcode
    package var p1: Int32
    package var p2: Int32
    package var p3: Int32
    package var p4: P4
    package var p5: UInt16
    package var comment: String?

    package init(_ opcode: Opcode, _ p1: Int32 = 0, _ p2: Int32 = 0, _ p3: Int32 = 0, _ p4: P4 = .none,
                 _ p5: UInt16 = 0, comment: String? = nil) {
        self.opcode = opcode
        self.p1 = p1
        self.p2 = p2
        self.p3 = p3
        self.p4 = p4
        self.p5 = p5
        self.comment = comment
    }
}

/// The fourth operand (SQLite's P4 union with its p4type).
package enum P4: Sendable {
    case none
    /// P4_INT32: SeekGE/IdxGE/Found key field counts, Transaction's schema generation, ...
    case int32(Int32)
    /// P4_INT64: Int64's value.
    case int64(Int64)
    /// P4_REAL: Real's value.
    case real(Double)
    /// A string (P4_DYNAMIC/P4_STATIC): String8's text, Halt's message, the affinity string of
    /// MakeRecord/Affinity (one letter per register, 'A'...'E' as SQLITE_AFF_*), ParseSchema's
    /// WHERE clause, Savepoint's name.
    case text(String)
    /// Blob's bytes (P4 of OP_Blob; SQLite keeps them in a P4_DYNAMIC buffer of P1 bytes).
    case blob([UInt8])
    /// P4_MEM: Column's default for a column the record does not have (ALTER TABLE ADD COLUMN).
    case value(Value)
    /// P4_KEYINFO: the key layout of an index cursor (OpenRead/OpenWrite of an index,
    /// OpenEphemeral/OpenAutoindex/SorterOpen) or of a Compare.
    case keyInfo(KeyDescription)
    /// P4_COLLSEQ: the collation of a comparison opcode, or of CollSeq for the next function.
    case collation(Collation)
    /// P4_FUNCDEF / P4_FUNCCTX: Function, PureFunc, AggStep, AggFinal, AggValue, AggInverse.
    case function(FunctionDefinition)
    /// P4_INTARRAY: Permutation's permutation, IntegrityCk's root pages, DeferredSeek's column
    /// map. Unlike SQLite's, the array does not start with its own length.
    case intArray([Int32])
    /// P4_TABLE: the table of Insert/Delete (its name, for EXPLAIN) or of TypeCheck (its columns).
    case table(TableDescription)
    /// WindowOpen's pass: sort keys, window functions and frames (Ringlite's own).
    case window(WindowPlan)
}

/// The key layout of an index or sort (SQLite's KeyInfo): per key column its collation and
/// direction. `collation == nil` is the default BINARY collation of an index column (EXPLAIN
/// shows it as an empty name); `.binary` is an explicit BINARY (EXPLAIN shows `B`).
package struct KeyDescription: Sendable {
    package struct Column: Sendable {
        package var collation: Collation?
        package var descending: Bool
        package init(collation: Collation? = nil, descending: Bool = false) {
            self.collation = collation
            self.descending = descending
        }
    }

    package var columns: [Column]
    /// The comparison rules BTree uses for these columns.
    package let keyInfo: KeyInfo

    package init(columns: [Column]) {
        self.columns = columns
        self.keyInfo = KeyInfo(columns: columns.map { KeyColumn(collation: $0.collation ?? .binary, descending: $0.descending) })
    }

    /// `count` columns, default collation, ascending.
    package init(binaryColumns count: Int) {
        self.init(columns: Array(repeating: Column(), count: count))
    }
}

/// P4_TABLE: a table's name, and for TypeCheck (STRICT tables) its stored columns.
package struct TableDescription: Sendable {
    package struct Column: Sendable {
        package var name: String
        /// The column's affinity letter ('A'...'E').
        package var affinity: UInt8
        /// The STRICT type: INT, INTEGER, REAL, TEXT, BLOB or ANY.
        package var strictType: StrictType
        /// GENERATED ALWAYS ... VIRTUAL columns are not stored and are skipped by TypeCheck;
        /// STORED ones are skipped when TypeCheck's P3 is non-zero.
        package var generated: Generated

        package init(name: String, affinity: UInt8, strictType: StrictType, generated: Generated = .no) {
            self.name = name
            self.affinity = affinity
            self.strictType = strictType
            self.generated = generated
        }
    }

    package enum StrictType: String, Sendable {
        case any = "ANY", blob = "BLOB", int = "INT", integer = "INTEGER", real = "REAL", text = "TEXT"
    }

    package enum Generated: Sendable { case no, stored, virtual }

    package var name: String
    package var columns: [Column]

    package init(name: String, columns: [Column] = []) {
        self.name = name
        self.columns = columns
    }
}

/// Operand flag values, as sqliteInt.h defines them.
package enum OpFlag {
    /// Insert/Delete P5: count the row in changes().
    package static let nChange: UInt16 = 0x01
    /// Insert/Delete/IdxInsert P5 (Delete: P2): count the row in total_changes() only: a write
    /// of a trigger program, which sqlite3 counts in its frame and not in the statement's
    /// changes() (Ringlite compiles trigger programs inline instead of as sub-programs).
    package static let auxiliaryChange: UInt16 = 0x100
    /// Insert P5: this Insert is an UPDATE.
    package static let isUpdate: UInt16 = 0x04
    /// Insert P5: likely an append (a hint; Ringlite ignores it).
    package static let append: UInt16 = 0x08
    /// Insert/IdxInsert P5: the cursor is positioned by a prior seek (a hint; ignored).
    package static let useSeekResult: UInt16 = 0x10
    /// Insert P5: set last_insert_rowid().
    package static let lastRowid: UInt16 = 0x20
    /// Insert/Delete P5: only the pre-update hook would run; nothing is written.
    package static let isNoop: UInt16 = 0x40
    /// Delete/Insert P5: keep the cursor's position (Ringlite always keeps it).
    package static let savePosition: UInt16 = 0x02
    /// Compare P5: use the permutation of the preceding Permutation.
    package static let permute: UInt16 = 0x01
    /// Open* P5: P2 is a register holding the root page.
    package static let p2IsRegister: UInt16 = 0x10
    /// Column P5: only length() or typeof() will look at the value (a hint; ignored).
    package static let lengthArg: UInt16 = 0x40
    package static let typeofArg: UInt16 = 0x80
}

/// P5 of the comparison opcodes (Eq, Ne, Lt, Le, Gt, Ge): the affinity letter in the low bits.
package enum CompareFlag {
    package static let affinityMask: UInt16 = 0x47
    /// Jump when either operand is NULL.
    package static let jumpIfNull: UInt16 = 0x10
    /// Eq/Ne only: NULL equals NULL (IS / IS NOT).
    package static let nullEq: UInt16 = 0x80
}

/// SQLITE_AFF_* letters, as affinity strings and comparison P5 carry them.
package enum AffinityCode {
    package static let none: UInt8 = 0x40   // '@'
    package static let blob: UInt8 = 0x41   // 'A'
    package static let text: UInt8 = 0x42   // 'B'
    package static let numeric: UInt8 = 0x43  // 'C'
    package static let integer: UInt8 = 0x44  // 'D'
    package static let real: UInt8 = 0x45   // 'E'
}

/// The conflict resolution of Halt's P2 (SQLite's OE_*).
package enum ConflictAction: Int32, Sendable {
    case none = 0
    /// The whole transaction is rolled back.
    case rollback = 1
    /// The statement's changes are undone; the transaction goes on. The default.
    case abort = 2
    /// The statement stops; its changes so far stay.
    case fail = 3
    case ignore = 4
    case replace = 5
}

/// Halt's P5: which constraint failed, for the message prefix.
package enum ConstraintKind: UInt16 {
    case notNull = 1, unique = 2, check = 3, foreignKey = 4

    var prefix: String {
        switch self {
        case .notNull: "NOT NULL"
        case .unique: "UNIQUE"
        case .check: "CHECK"
        case .foreignKey: "FOREIGN KEY"
        }
    }
}
