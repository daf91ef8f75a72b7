import BTree
import Pager

/// The comparison instructions (vdbe.c OP_Eq ... OP_Ge, OP_Compare, OP_IsType).
extension VirtualMachine {
    /// Eq, Ne, Lt, Le, Gt, Ge: compares r[P3] with r[P1] under the affinity and collation of the
    /// instruction and returns whether to jump. Sets `lastComparison` as SQLite's iCompare.
    func compare(_ instruction: Instruction) -> Bool {
        let opcode = instruction.opcode
        let left = register(instruction.p3).pointee
        let right = register(instruction.p1).pointee
        let p5 = instruction.p5
        var order: Int
        if case .integer(let a) = left, case .integer(let b) = right {
            order = a < b ? -1 : (a > b ? 1 : 0)
        } else if left.isNull || right.isNull {
            if p5 & CompareFlag.nullEq != 0 {
                let cleared = !clearedNulls.isEmpty && clearedNulls[Int(instruction.p3)]
                order = left.isNull && right.isNull && !cleared ? 0 : (left.isNull ? -1 : 1)
            } else {
                lastComparison = 1
                return p5 & CompareFlag.jumpIfNull != 0
            }
        } else {
            let affinity = UInt8(truncatingIfNeeded: p5 & CompareFlag.affinityMask)
            var collation = Collation.binary
            if case .collation(let named) = instruction.p4 { collation = named }
            order = compareWithAffinity(left, right, affinity, collation)
        }
        lastComparison = order
        switch opcode {
        case .eq: return order == 0
        case .ne: return order != 0
        case .lt: return order < 0
        case .le: return order <= 0
        case .gt: return order > 0
        default: return order >= 0
        }
    }

    /// sqlite3MemCompare after the comparison affinity is applied to copies of the operands.
    func compareWithAffinity(_ left: Value, _ right: Value, _ affinity: UInt8, _ collation: Collation) -> Int {
        withComparable(left, affinity) { l in
            withComparable(right, affinity) { r in
                ValueOperand.compare(l, r, collation: collation)
            }
        }
    }

    /// Lends `value` as it compares under `affinity`: NUMERIC/INTEGER/REAL read wholly numeric
    /// text as a number, TEXT reads numbers as their text.
    private func withComparable<R>(_ value: Value, _ affinity: UInt8, _ body: (ValueOperand) -> R) -> R {
        switch value {
        case .null: return body(.null)
        case .integer(let i):
            if affinity == AffinityCode.text {
                return ValueRef.integer(i).withText { body(.text(UnsafeRawBufferPointer($0))) }!
            }
            return body(.integer(i))
        case .real(let r):
            if affinity == AffinityCode.text {
                return ValueRef.real(r).withText { body(.text(UnsafeRawBufferPointer($0))) }!
            }
            return body(r.isNaN ? .null : .real(r))
        case .text(let bytes):
            return bytes.withUnsafeBufferPointer { pointer in
                if affinity >= AffinityCode.numeric, let number = numericAffinity(ofText: pointer, tryForInteger: false) {
                    switch number {
                    case .integer(let i): return body(.integer(i))
                    case .real(let r): return body(.real(r))
                    }
                }
                return body(.text(UnsafeRawBufferPointer(pointer)))
            }
        case .blob(let bytes):
            return bytes.withUnsafeBytes { body(.blob($0)) }
        }
    }

    /// Compare P1 P2 P3 P4 P5: r[P1...] against r[P2...] over P3 registers with the KeyInfo's
    /// collations and directions (and Permutation's order when P5 asks).
    func compareRanges(_ instruction: Instruction) {
        guard case .keyInfo(let key) = instruction.p4 else { preconditionFailure("Compare without a KeyInfo") }
        let permute = instruction.p5 & OpFlag.permute != 0 ? permutation : nil
        var result = 0
        for index in 0..<Int(instruction.p3) {
            let offset = Int32(permute.map { Int($0[index]) } ?? index)
            let column = key.keyInfo.column(index)
            let order = ValueOrdering.compare(register(instruction.p1 + offset).pointee,
                                              register(instruction.p2 + offset).pointee, collation: column.collation)
            if order != 0 {
                result = column.descending ? -order : order
                break
            }
        }
        lastComparison = result
    }

    /// IsType's type mask: SQLITE_INTEGER 0x01, FLOAT 0x02, TEXT 0x04, BLOB 0x08, NULL 0x10.
    func typeMask(_ instruction: Instruction) -> UInt16 {
        if instruction.p1 < 0 {
            switch register(instruction.p3).pointee {
            case .integer: return 0x01
            case .real: return 0x02
            case .text: return 0x04
            case .blob: return 0x08
            case .null: return 0x10
            }
        }
        let cursor = cursor(instruction.p1)
        if cursor.cacheValid, let serialType = cursor.header.serialType(ofColumn: Int(instruction.p3)) {
            if serialType >= 12 { return serialType & 1 == 1 ? 0x04 : 0x08 }
            let masks: [UInt16] = [0x10, 0x01, 0x01, 0x01, 0x01, 0x01, 0x01, 0x02, 0x01, 0x01, 0x10, 0x10]
            return masks[Int(serialType)]
        }
        if case .int32(let type) = instruction.p4, type >= 1 { return 1 << UInt16(type - 1) }
        return 0x10
    }
}
