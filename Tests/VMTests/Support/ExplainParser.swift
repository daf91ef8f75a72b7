import BTree
import Pager
@testable import VM

/// Reads sqlite3's `EXPLAIN` output (list mode: `addr|opcode|p1|p2|p3|p4|p5|comment`) back into
/// a Program. P4 text is turned back into values by what each opcode's P4 means; statements whose
/// P4 cannot be recovered from the text (Blob's bytes, TypeCheck's table) are refused.
enum ExplainParser {
    struct Unsupported: Error, CustomStringConvertible {
        var description: String
    }

    static func parse(_ text: String, sql: String, columnCount: Int, parameterCount: Int = 0) throws -> Program {
        var instructions: [Instruction] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let fields = line.split(separator: "|", maxSplits: 7, omittingEmptySubsequences: false).map(String.init)
            guard fields.count >= 7 else { throw Unsupported(description: "bad EXPLAIN line: \(line)") }
            guard let opcode = Opcode(rawValue: fields[1]) else { throw Unsupported(description: "unknown opcode \(fields[1])") }
            guard opcode.isImplemented else { throw Unsupported(description: "opcode \(fields[1])") }
            guard let p1 = Int32(fields[2]), let p2 = Int32(fields[3]), let p3 = Int32(fields[4]), let p5 = UInt16(fields[6]) else {
                throw Unsupported(description: "bad operands: \(line)")
            }
            let p4 = try parseP4(opcode, fields[5])
            instructions.append(Instruction(opcode, p1, p2, p3, p4, p5))
        }
        inferArgumentCounts(&instructions)
        var maxRegister: Int32 = 0
        var maxCursor: Int32 = 0
        for instruction in instructions {
            // Some operands are not registers (Init's P1 counter, Function's constant mask...);
            // registers stay small.
            for operand in [instruction.p1, instruction.p2, instruction.p3] where operand < 10_000 {
                maxRegister = max(maxRegister, operand)
            }
            if instruction.opcode.usesCursorP1 { maxCursor = max(maxCursor, instruction.p1) }
            if instruction.opcode == .deferredSeek { maxCursor = max(maxCursor, instruction.p3) }
        }
        let writes = instructions.contains { $0.opcode == .transaction && $0.p2 != 0 }
        return try Program(instructions: instructions, registerCount: Int(maxRegister) + 64, cursorCount: Int(maxCursor) + 1,
                           columnNames: (0..<columnCount).map { "c\($0)" }, parameterCount: parameterCount,
                           writes: writes, sql: sql)
    }

    static func parseP4(_ opcode: Opcode, _ text: String) throws -> P4 {
        switch opcode {
        case .int64:
            guard let value = Int64(text) else { throw Unsupported(description: "Int64 \(text)") }
            return .int64(value)
        case .real:
            guard let value = Double(text) else { throw Unsupported(description: "Real \(text)") }
            return .real(value)
        case .string8, .string, .halt, .haltIfNull, .affinity, .makeRecord, .savepoint, .parseSchema, .dropTable,
             .dropIndex, .dropTrigger, .variable, .explain, .noop:
            return text.isEmpty && opcode != .string8 && opcode != .string ? .none : .text(text)
        case .blob:
            throw Unsupported(description: "Blob's bytes are not in EXPLAIN output")
        case .typeCheck:
            throw Unsupported(description: "TypeCheck's table is not in EXPLAIN output")
        case .insert, .delete:
            return text.isEmpty ? .none : .table(TableDescription(name: text))
        case .column:
            if text.isEmpty { return .none }
            if text == "NULL" { return .value(.null) }
            if let integer = Int64(text) { return .value(.integer(integer)) }
            if let real = Double(text) { return .value(.real(real)) }
            return .value(.text(text))
        case .function, .pureFunc, .aggStep, .aggStep1, .aggFinal, .aggValue, .aggInverse:
            return .function(try function(text, aggregate: opcode != .function && opcode != .pureFunc))
        case .permutation, .integrityCk:
            return .intArray(try intArray(text))
        default:
            if text.isEmpty { return .none }
            if text.hasPrefix("k(") { return .keyInfo(try keyInfo(text)) }
            if text.hasSuffix("-8"), let collation = Collation(name: String(text.dropLast(2))) { return .collation(collation) }
            if let value = Int32(text) { return .int32(value) }
            throw Unsupported(description: "P4 \(text) of \(opcode.rawValue)")
        }
    }

    static func keyInfo(_ text: String) throws -> KeyDescription {
        let inner = text.dropFirst(2).dropLast()
        var parts = inner.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        guard let count = Int(parts.removeFirst()), count == parts.count else { throw Unsupported(description: "KeyInfo \(text)") }
        var columns: [KeyDescription.Column] = []
        for var part in parts {
            var column = KeyDescription.Column()
            if part.hasPrefix("-") {
                column.descending = true
                part.removeFirst()
            }
            if part.hasPrefix("N.") { throw Unsupported(description: "NULLS FIRST/LAST key \(text)") }
            if part == "B" {
                column.collation = .binary
            } else if !part.isEmpty {
                guard let collation = Collation(name: part) else { throw Unsupported(description: "collation \(part)") }
                column.collation = collation
            }
            columns.append(column)
        }
        return KeyDescription(columns: columns)
    }

    static func function(_ text: String, aggregate: Bool) throws -> FunctionDefinition {
        guard let open = text.lastIndex(of: "("), let count = Int(text[text.index(after: open)...].dropLast()) else {
            throw Unsupported(description: "function \(text)")
        }
        let name = String(text[..<open])
        guard let definition = FunctionRegistry.builtin.definition(named: name, declaredArgumentCount: count, aggregate: aggregate) else {
            throw Unsupported(description: "function \(text)")
        }
        return definition
    }

    static func intArray(_ text: String) throws -> [Int32] {
        guard text.hasPrefix("["), text.hasSuffix("]") else { throw Unsupported(description: "array \(text)") }
        return try text.dropFirst().dropLast().split(separator: ",").map { part in
            guard let value = UInt32(part) else { throw Unsupported(description: "array \(text)") }
            return Int32(bitPattern: value)
        }
    }

    /// sqlite3 keeps a variadic function's argument count in its sqlite3_context, which EXPLAIN
    /// does not show; Ringlite takes it from P5. It is recovered here from the registers the
    /// instructions just before the call wrote: the run of consecutive registers from P2.
    static func inferArgumentCounts(_ instructions: inout [Instruction]) {
        for index in instructions.indices {
            let instruction = instructions[index]
            guard instruction.opcode == .function || instruction.opcode == .pureFunc,
                  case .function(let definition) = instruction.p4, definition.argumentCount < 0 else { continue }
            // Constant arguments are loaded once, in the section Init jumps to at the end.
            var written = Set<Int32>()
            let constants = Int(instructions.first?.p2 ?? 0)
            for previous in instructions[max(0, index - 40)..<index] + instructions[min(constants, instructions.count)...] {
                written.formUnion(outputs(previous))
            }
            if instruction.p3 > instruction.p2 {
                written = written.filter { $0 < instruction.p3 }
            }
            var count: Int32 = 0
            while written.contains(instruction.p2 + count) { count += 1 }
            instructions[index].p5 = UInt16(count)
        }
    }

    static func outputs(_ instruction: Instruction) -> [Int32] {
        let (p1, p2, p3) = (instruction.p1, instruction.p2, instruction.p3)
        switch instruction.opcode {
        case .integer, .int64, .real, .string8, .string, .variable, .sCopy, .intCopy, .not, .bitNot, .rowid, .idxRowid, .blob:
            return [p2]
        case .null:
            return Array(p2...max(p2, p3))
        case .copy:
            return Array(p2...(p2 + max(0, p3)))
        case .move:
            return Array(p2..<(p2 + p3))
        case .column, .function, .pureFunc, .add, .subtract, .multiply, .divide, .remainder, .concat, .bitAnd, .bitOr,
             .shiftLeft, .shiftRight, .and, .or:
            return [p3]
        case .cast, .realAffinity:
            return [p1]
        default:
            return []
        }
    }
}
