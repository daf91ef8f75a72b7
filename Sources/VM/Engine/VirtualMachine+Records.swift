import BTree
import Pager

/// Building records and applying column affinities (vdbe.c OP_MakeRecord, OP_Affinity,
/// OP_TypeCheck).
extension VirtualMachine {
    /// Affinity P1 P2 P4: applies the affinity letters of P4 to the P2 registers from P1.
    func applyAffinities(_ instruction: Instruction) {
        guard case .text(let letters) = instruction.p4 else { return }
        var index: Int32 = 0
        for letter in letters.utf8 where index < instruction.p2 {
            applyRegisterAffinity(register(instruction.p1 + index), letter)
            index += 1
        }
    }

    /// MakeRecord P1 P2 P3 P4: r[P3] = the record of the P2 registers from P1, after applying
    /// P4's affinity letters to those registers (in place, as SQLite does).
    func makeRecord(_ instruction: Instruction) {
        let fields = registerRange(instruction.p1, Int(instruction.p2))
        if case .text(let letters) = instruction.p4 {
            var index = 0
            for letter in letters.utf8 where index < fields.count {
                applyRegisterAffinity(fields.baseAddress! + index, letter)
                index += 1
            }
        }
        var typeBytes = 0
        var bodyBytes = 0
        for value in fields {
            let serialType = SerialType.of(value)
            typeBytes += Varint.encodedLength(serialType)
            bodyBytes += SerialType.contentSize(serialType)
        }
        let headerSize = RecordEncoder.headerSize(typeBytes: typeBytes)
        let record = [UInt8](unsafeUninitializedCapacity: headerSize + bodyBytes) { buffer, initialized in
            let bytes = UnsafeMutableRawBufferPointer(buffer)
            var typeOffset = Varint.write(UInt64(headerSize), into: bytes, at: 0)
            var bodyOffset = headerSize
            for value in fields {
                let serialType = SerialType.of(value)
                typeOffset += Varint.write(serialType, into: bytes, at: typeOffset)
                bodyOffset += SerialType.writeContent(value, as: serialType, into: bytes, at: bodyOffset)
            }
            precondition(typeOffset == headerSize && bodyOffset == headerSize + bodyBytes, "record size disagrees with its fields")
            initialized = bodyOffset
        }
        register(instruction.p3).pointee = .blob(record)
    }

    /// TypeCheck P1 P2 P3 P4: STRICT tables: applies each column's affinity to the registers
    /// from P1 and fails with SQLITE_CONSTRAINT_DATATYPE when a value does not fit its type.
    func typeCheck(_ instruction: Instruction) throws(DatabaseError) {
        guard case .table(let table) = instruction.p4 else { preconditionFailure("TypeCheck without a table") }
        var registerIndex = instruction.p1
        for column in table.columns {
            if column.generated == .virtual { continue }
            if column.generated == .stored && instruction.p3 != 0 {
                registerIndex += 1
                continue
            }
            let slot = register(registerIndex)
            applyRegisterAffinity(slot, column.affinity)
            let value = slot.pointee
            if !value.isNull {
                let fits: Bool
                switch column.strictType {
                case .blob: fits = value.storageClass == .blob
                case .int, .integer: fits = value.storageClass == .integer
                case .text: fits = value.storageClass == .text
                case .real:
                    if case .integer(let i) = value { slot.pointee = .real(Double(i)) }
                    fits = value.storageClass == .integer || value.storageClass == .real
                case .any: fits = true
                }
                if !fits {
                    throw DatabaseError(.SQLITE_CONSTRAINT_DATATYPE,
                                        "cannot store \(value.storageClass.name.uppercased()) value in \(column.strictType.rawValue) column \(table.name).\(column.name)")
                }
            }
            registerIndex += 1
        }
    }
}
