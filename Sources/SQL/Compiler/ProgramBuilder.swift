import BTree
import Pager
import VM

/// Assembles one program the way SQLite's Vdbe* helpers do (sqlite3VdbeAddOp*, labels resolved
/// at the end, registers and cursors numbered as they are allocated). Register 0 is never handed
/// out: code generators number registers from 1, as SQLite's do.
package struct ProgramBuilder {
    /// A forward jump target: negative until resolved, as SQLite's labels are.
    package struct Label: Hashable, Sendable {
        fileprivate let id: Int
    }

    package private(set) var instructions: [Instruction] = []
    private var labelAddresses: [Int?] = []
    /// Instructions whose P2 names a label to patch at `finish`.
    private var pendingJumps: [(address: Int, label: Label)] = []
    package private(set) var registerCount = 0
    package private(set) var cursorCount = 0
    package var writes = false

    package init() {}

    /// The address the next instruction will have.
    package var currentAddress: Int32 { Int32(instructions.count) }

    /// Allocates `count` consecutive registers and returns the first.
    package mutating func allocateRegisters(_ count: Int = 1) -> Int32 {
        precondition(count >= 1, "allocating \(count) registers")
        let first = registerCount + 1
        registerCount += count
        return Int32(first)
    }

    package mutating func allocateCursor() -> Int32 {
        defer { cursorCount += 1 }
        return Int32(cursorCount)
    }

    package mutating func makeLabel() -> Label {
        labelAddresses.append(nil)
        return Label(id: labelAddresses.count - 1)
    }

    /// Makes `label` refer to the next instruction's address.
    package mutating func resolve(_ label: Label) {
        precondition(labelAddresses[label.id] == nil, "label \(label.id) resolved twice")
        labelAddresses[label.id] = instructions.count
    }

    @discardableResult
    package mutating func emit(_ opcode: Opcode, _ p1: Int32 = 0, _ p2: Int32 = 0, _ p3: Int32 = 0,
                               _ p4: P4 = .none, _ p5: UInt16 = 0, comment: String? = nil) -> Int32 {
        instructions.append(Instruction(opcode, p1, p2, p3, p4, p5, comment: comment))
        return Int32(instructions.count - 1)
    }

    /// Emits an instruction whose P2 is the address `label` resolves to.
    @discardableResult
    package mutating func emit(_ opcode: Opcode, _ p1: Int32 = 0, jumpTo label: Label, _ p3: Int32 = 0,
                               _ p4: P4 = .none, _ p5: UInt16 = 0, comment: String? = nil) -> Int32 {
        let address = emit(opcode, p1, -1, p3, p4, p5, comment: comment)
        pendingJumps.append((Int(address), label))
        return address
    }

    /// Copy r[from] to r[to]; when the last instruction copies the registers just before both
    /// and nothing jumps to the new instruction's address, that Copy is widened instead
    /// (sqlite3ExprCodeExprList's coalescing of OP_Copy).
    package mutating func emitCopy(from: Int32, to: Int32) {
        if let last = instructions.last, last.opcode == .copy, last.p1 + last.p3 + 1 == from, last.p2 + last.p3 + 1 == to,
           !isJumpTarget(currentAddress) {
            instructions[instructions.count - 1].p3 += 1
            return
        }
        emit(.copy, from, to)
    }

    /// Whether a label resolved to `address` or an emitted instruction's P2 is `address`
    /// (conservatively: P2 may be a register).
    private func isJumpTarget(_ address: Int32) -> Bool {
        labelAddresses.contains { $0 == Int(address) } || instructions.contains { $0.p2 == address }
    }

    /// Changes an emitted instruction (sqlite3VdbeChangeP*).
    package mutating func patch(_ address: Int32, _ change: (inout Instruction) -> Void) {
        change(&instructions[Int(address)])
    }

    /// Points the P2 of an already emitted instruction at the next instruction
    /// (sqlite3VdbeJumpHere).
    package mutating func jumpHere(_ address: Int32) {
        instructions[Int(address)].p2 = currentAddress
    }

    /// Resolves every jump and makes the program. Every label used must have been resolved.
    package func finish(columnNames: [String] = [], declaredTypes: [String?]? = nil, parameterCount: Int = 0,
                        parameterNames: [String?]? = nil, sql: String) throws(DatabaseError) -> Program {
        var instructions = self.instructions
        for jump in pendingJumps {
            guard let address = labelAddresses[jump.label.id] else {
                preconditionFailure("label \(jump.label.id) used at \(jump.address) was never resolved")
            }
            instructions[jump.address].p2 = Int32(address)
        }
        return try Program(instructions: instructions, registerCount: registerCount + 1, cursorCount: cursorCount,
                           columnNames: columnNames, declaredTypes: declaredTypes, parameterCount: parameterCount,
                           parameterNames: parameterNames, writes: writes, sql: sql)
    }
}
