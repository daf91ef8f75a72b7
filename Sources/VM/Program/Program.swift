import Pager

/// A compiled statement: its instructions and what running them needs (SQLite's prepared Vdbe
/// before its first step). Immutable and shareable; each run gets its own `VirtualMachine`.
package final class Program: Sendable {
    package let instructions: [Instruction]
    /// Registers 0...registerCount-1 exist (SQLite's nMem; code generators number from 1).
    package let registerCount: Int
    /// Cursors 0...cursorCount-1 exist.
    package let cursorCount: Int
    /// The result columns' names and declared types (sqlite3_column_name / _decltype).
    package let columnNames: [String]
    package let declaredTypes: [String?]
    /// Parameters ?1...?parameterCount; `parameterNames[i]` is the name of ?(i+1) (":a", "$b",
    /// "@c", "?5") or nil for a plain "?".
    package let parameterCount: Int
    package let parameterNames: [String?]
    /// False for programs that only read (sqlite3_stmt_readonly).
    package let writes: Bool
    package let sql: String
    /// Whether the run sets changes() (an Insert or Delete with OPFLAG_NCHANGE, as for SQLite's
    /// INSERT, UPDATE and DELETE statements).
    package let countsChanges: Bool

    /// Checks the program before it can run: every opcode must be implemented, every jump must
    /// land inside the program, and P4 must be of the kind the opcode reads. Operand registers and
    /// cursors are checked against the counts when used.
    package init(instructions: [Instruction], registerCount: Int, cursorCount: Int, columnNames: [String] = [],
                 declaredTypes: [String?]? = nil, parameterCount: Int = 0, parameterNames: [String?]? = nil,
                 writes: Bool, sql: String = "") throws(DatabaseError) {
        self.instructions = instructions
        self.registerCount = max(1, registerCount)
        self.cursorCount = cursorCount
        self.columnNames = columnNames
        self.declaredTypes = declaredTypes ?? Array(repeating: nil, count: columnNames.count)
        self.parameterCount = parameterCount
        self.parameterNames = parameterNames ?? Array(repeating: nil, count: parameterCount)
        self.writes = writes
        self.sql = sql
        self.countsChanges = instructions.contains {
            let counted = OpFlag.nChange | OpFlag.auxiliaryChange
            return ($0.opcode == .insert && $0.p5 & counted != 0)
                || ($0.opcode == .delete && UInt16(truncatingIfNeeded: $0.p2) & counted != 0)
        }
        try ProgramCheck.validate(self)
    }

    package var resultColumnCount: Int { columnNames.count }
}

/// The checks `Program.init` runs.
enum ProgramCheck {
    static func validate(_ program: Program) throws(DatabaseError) {
        let count = Int32(program.instructions.count)
        for (address, instruction) in program.instructions.enumerated() {
            let opcode = instruction.opcode
            guard opcode.isImplemented else {
                throw DatabaseError(.SQLITE_ERROR, "opcode \(opcode.rawValue) at \(address) is not supported")
            }
            if opcode.jumpsToP2 {
                guard instruction.p2 >= 0 && instruction.p2 < count else {
                    throw DatabaseError(.SQLITE_INTERNAL, "\(opcode.rawValue) at \(address) jumps to \(instruction.p2), outside the program")
                }
            }
            if let expected = opcode.requiredP4, !expected.matches(instruction.p4) {
                throw DatabaseError(.SQLITE_INTERNAL, "\(opcode.rawValue) at \(address) needs a \(expected) P4")
            }
            if opcode.usesCursorP1 {
                guard instruction.p1 >= 0 && Int(instruction.p1) < program.cursorCount else {
                    throw DatabaseError(.SQLITE_INTERNAL, "\(opcode.rawValue) at \(address) uses cursor \(instruction.p1) of \(program.cursorCount)")
                }
            }
        }
        guard !program.instructions.isEmpty else {
            throw DatabaseError(.SQLITE_INTERNAL, "a program has at least one instruction")
        }
    }
}

/// The kinds of P4 an opcode needs; `Program` refuses a program whose P4 is of another kind.
enum P4Kind: CustomStringConvertible {
    case keyInfo, function, text, intArray, int32, window

    func matches(_ p4: P4) -> Bool {
        switch (self, p4) {
        case (.keyInfo, .keyInfo), (.function, .function), (.text, .text), (.intArray, .intArray), (.int32, .int32), (.window, .window): true
        default: false
        }
    }

    var description: String {
        switch self {
        case .keyInfo: "KeyInfo"
        case .function: "function"
        case .text: "text"
        case .intArray: "integer array"
        case .window: "window plan"
        case .int32: "integer"
        }
    }
}
