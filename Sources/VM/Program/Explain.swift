import BTree

/// One row of `EXPLAIN` output, with sqlite3's columns.
package struct ExplainRow: Sendable, Equatable {
    package var address: Int
    package var opcode: String
    package var p1: Int32
    package var p2: Int32
    package var p3: Int32
    package var p4: String
    package var p5: UInt16
    package var comment: String

    /// The row as the sqlite3 shell prints it in list mode: `addr|opcode|p1|p2|p3|p4|p5|comment`.
    package var listText: String {
        "\(address)|\(opcode)|\(p1)|\(p2)|\(p3)|\(p4)|\(p5)|\(comment)"
    }
}

extension Program {
    /// What `EXPLAIN` returns for this program: one row per instruction, P4 rendered as
    /// sqlite3VdbeDisplayP4 does. Comments are the code generator's (sqlite3 builds without
    /// SQLITE_ENABLE_EXPLAIN_COMMENTS, Debian's included, show none).
    package func explain() -> [ExplainRow] {
        instructions.enumerated().map { address, instruction in
            ExplainRow(address: address, opcode: instruction.opcode.rawValue, p1: instruction.p1, p2: instruction.p2,
                       p3: instruction.p3, p4: instruction.p4.displayText, p5: instruction.p5,
                       comment: instruction.comment ?? "")
        }
    }
}

extension P4 {
    /// sqlite3VdbeDisplayP4.
    package var displayText: String {
        switch self {
        case .none: return ""
        case .int32(let value): return String(value)
        case .int64(let value): return String(value)
        case .real(let value): return Self.render16g(value)
        case .text(let text): return text
        case .blob(let bytes):
            // A P4_DYNAMIC buffer shows as a C string: up to its first NUL.
            let prefix = bytes.prefix { $0 != 0 }
            return String(decoding: prefix, as: UTF8.self)
        case .value(let value):
            switch value {
            case .text(let bytes): return String(decoding: bytes, as: UTF8.self)
            case .integer(let i): return String(i)
            case .real(let r): return Self.render16g(r)
            case .null: return "NULL"
            case .blob: return "(blob)"
            }
        case .keyInfo(let key):
            var text = "k(\(key.columns.count)"
            for column in key.columns {
                text += ","
                if column.descending { text += "-" }
                if let collation = column.collation {
                    text += collation == .binary ? "B" : collation.name
                }
            }
            return text + ")"
        case .collation(let collation):
            return "\(collation.name)-8"
        case .function(let function):
            return "\(function.name)(\(function.argumentCount))"
        case .intArray(let values):
            return "[" + values.map { String(UInt32(bitPattern: $0)) }.joined(separator: ",") + "]"
        case .table(let table):
            return table.name
        case .window(let plan):
            return "window(\(plan.functions.count))"
        }
    }

    /// printf("%.16g").
    static func render16g(_ value: Double) -> String {
        var spec = FloatFormatSpec(conversion: .generic(uppercase: false))
        spec.precision = 16
        return FloatFormatting.withFormatted(value, spec) { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
