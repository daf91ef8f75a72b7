import BTree
import Pager

/// Arithmetic, bitwise, logical and conversion instructions (vdbe.c OP_Add ... OP_Cast).
extension VirtualMachine {
    /// Add, Subtract, Multiply, Divide, Remainder: r[P3] = r[P2] op r[P1].
    @inline(__always)
    func arithmeticInstruction(_ opcode: Opcode, _ p1: Int32, _ p2: Int32, _ p3: Int32) {
        let right = register(p1).pointee
        let left = register(p2).pointee
        if case .integer(let a) = right, case .integer(let b) = left {
            switch opcode {
            case .add:
                let (r, o) = b.addingReportingOverflow(a)
                if !o { register(p3).pointee = .integer(r); return }
            case .subtract:
                let (r, o) = b.subtractingReportingOverflow(a)
                if !o { register(p3).pointee = .integer(r); return }
            case .multiply:
                let (r, o) = b.multipliedReportingOverflow(by: a)
                if !o { register(p3).pointee = .integer(r); return }
            default:
                break
            }
        }
        let op: ArithmeticOperator
        switch opcode {
        case .add: op = .add
        case .subtract: op = .subtract
        case .multiply: op = .multiply
        case .divide: op = .divide
        default: op = .remainder
        }
        register(p3).pointee = left.withRef { l in right.withRef { r in arithmetic(op, l, r) } }
    }

    /// Concat: r[P3] = r[P2] || r[P1]; NULL when either is NULL.
    func concatenate(_ p1: Int32, _ p2: Int32, _ p3: Int32) throws(DatabaseError) {
        let right = register(p1).pointee
        let left = register(p2).pointee
        if left.isNull || right.isNull {
            register(p3).pointee = .null
            return
        }
        var bytes: [UInt8] = []
        _ = left.withRef { $0.withText { bytes.append(contentsOf: $0) } }
        _ = right.withRef { $0.withText { bytes.append(contentsOf: $0) } }
        guard bytes.count <= connection.lengthLimit else { throw DatabaseError(.SQLITE_TOOBIG, "string or blob too big") }
        register(p3).pointee = .text(bytes)
    }

    /// BitAnd, BitOr, ShiftLeft, ShiftRight: r[P3] = r[P2] op r[P1], as integers.
    func bitInstruction(_ opcode: Opcode, _ p1: Int32, _ p2: Int32, _ p3: Int32) {
        let right = register(p1).pointee
        let left = register(p2).pointee
        if left.isNull || right.isNull {
            register(p3).pointee = .null
            return
        }
        var a = integerValue(left)
        var b = integerValue(right)
        switch opcode {
        case .bitAnd: a &= b
        case .bitOr: a |= b
        default:
            guard b != 0 else { break }
            var shiftLeft = opcode == .shiftLeft
            if b < 0 {
                shiftLeft.toggle()
                b = b > -64 ? -b : 64
            }
            if b >= 64 {
                a = (a >= 0 || shiftLeft) ? 0 : -1
            } else if shiftLeft {
                a = Int64(bitPattern: UInt64(bitPattern: a) << UInt64(b))
            } else {
                a = a >> b
            }
        }
        register(p3).pointee = .integer(a)
    }

    /// And, Or: three-valued logic; r[P3] = r[P1] op r[P2].
    func logicInstruction(_ opcode: Opcode, _ p1: Int32, _ p2: Int32, _ p3: Int32) {
        func truth(_ value: Value) -> Int { value.isNull ? 2 : (booleanValue(value, ifNull: false) ? 1 : 0) }
        let a = truth(register(p1).pointee)
        let b = truth(register(p2).pointee)
        let table: [Int] = opcode == .and ? [0, 0, 0, 0, 1, 2, 0, 2, 2] : [0, 1, 2, 1, 1, 1, 2, 1, 2]
        let result = table[a * 3 + b]
        register(p3).pointee = result == 2 ? .null : .integer(Int64(result))
    }

    /// MustBeInt: make r[P1] an integer (numeric affinity) or jump to P2 (error when P2 is 0).
    func mustBeInteger(_ p1: Int32, _ p2: Int32) throws(DatabaseError) -> Flow {
        let value = register(p1).pointee
        if case .integer = value { return .next }
        var converted = value
        switch value {
        case .text(let bytes):
            if let number = bytes.withUnsafeBufferPointer({ numericAffinity(ofText: $0, tryForInteger: true) }) {
                converted = number.sqlValue
            }
        case .real(let r):
            converted = integerIfExact(r).sqlValue
        default:
            break
        }
        if case .integer = converted {
            register(p1).pointee = converted
            return .next
        }
        if p2 == 0 { throw DatabaseError(.SQLITE_MISMATCH, "datatype mismatch") }
        return .jump(p2)
    }

    /// Cast to the affinity letter in P2.
    func castValue(_ value: ValueRef, _ affinity: UInt8) -> Value {
        switch affinity {
        case AffinityCode.text: return cast(value, to: .text)
        case AffinityCode.numeric: return cast(value, to: .numeric)
        case AffinityCode.integer: return cast(value, to: .integer)
        case AffinityCode.real: return cast(value, to: .real)
        default: return cast(value, to: .blob)
        }
    }
}
