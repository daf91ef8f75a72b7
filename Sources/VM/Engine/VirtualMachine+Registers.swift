import BTree
import Pager

/// Register access and the value conversions instructions apply to registers.
extension VirtualMachine {
    /// Register `index`. Operands are checked here rather than when the program is built, so a
    /// bad register number in a program stops the process instead of touching other memory.
    @inline(__always)
    func register(_ index: Int32) -> UnsafeMutablePointer<Value> {
        precondition(index >= 0 && Int(index) < registerCount, "register \(index) is outside the program's \(registerCount)")
        return registers + Int(index)
    }

    /// Registers `start ..< start + count`.
    @inline(__always)
    func registerRange(_ start: Int32, _ count: Int) -> UnsafeMutableBufferPointer<Value> {
        precondition(start >= 0 && count >= 0 && Int(start) + count <= registerCount,
                     "registers \(start)..<\(Int(start) + count) are outside the program's \(registerCount)")
        return UnsafeMutableBufferPointer(start: registers + Int(start), count: count)
    }

    @inline(__always)
    func cursor(_ index: Int32) -> CursorState {
        guard let cursor = cursors[Int(index)] else {
            preconditionFailure("cursor \(index) is used before it is opened (instruction \(pc))")
        }
        return cursor
    }

    /// sqlite3VdbeIntValue.
    @inline(__always)
    func integerValue(_ value: Value) -> Int64 {
        if case .integer(let i) = value { return i }
        return value.withRef { $0.int64Value }
    }

    /// sqlite3VdbeRealValue.
    func realValue(_ value: Value) -> Double {
        switch value {
        case .integer(let i): return Double(i)
        case .real(let r): return r
        default: return value.withRef { $0.doubleValue }
        }
    }

    /// sqlite3VdbeBooleanValue.
    @inline(__always)
    func booleanValue(_ value: Value, ifNull: Bool) -> Bool {
        switch value {
        case .null: return ifNull
        case .integer(let i): return i != 0
        default: return realValue(value) != 0
        }
    }

    /// applyAffinity as MakeRecord and Affinity apply it to a register (vdbe.c): NUMERIC,
    /// INTEGER and REAL turn numeric text into a number (integers where exact, so a REAL
    /// column stores 3.0 as the integer 3) and exact reals into integers; TEXT renders
    /// numbers as text; BLOB and '@' change nothing.
    func applyRegisterAffinity(_ value: UnsafeMutablePointer<Value>, _ affinity: UInt8) {
        switch affinity {
        case AffinityCode.numeric, AffinityCode.integer, AffinityCode.real:
            switch value.pointee {
            case .text(let bytes):
                let number = bytes.withUnsafeBufferPointer { numericAffinity(ofText: $0, tryForInteger: true) }
                if let number { value.pointee = number.sqlValue }
            case .real(let r):
                value.pointee = integerIfExact(r).sqlValue
            default:
                break
            }
        case AffinityCode.text:
            switch value.pointee {
            case .integer(let i): value.pointee = .text(NumberText.integerText(i))
            case .real(let r): value.pointee = .text(NumberText.realText(r))
            default: break
            }
        default:
            break
        }
    }

    /// applyNumericAffinity(pMem, 0) on a copy: the number text stands for, if it is wholly one.
    func numericView(_ value: Value) -> Value {
        if case .text(let bytes) = value {
            if let number = bytes.withUnsafeBufferPointer({ numericAffinity(ofText: $0, tryForInteger: false) }) {
                return number.sqlValue
            }
        }
        return value
    }

    /// Lends registers `start ..< start + count` as borrowed values (function arguments)
    /// through the argument slots: no array, no reference counting for numbers and NULLs.
    /// Inlined so that a call whose arguments are all numbers or NULL runs `body` in place, with
    /// no closure context to build and retain; a text or blob argument goes through `lend`.
    @inline(__always)
    func withArguments<R, E: Error>(_ start: Int32, _ count: Int, _ body: (FunctionArguments) throws(E) -> R) throws(E) -> R {
        let range = registerRange(start, count)
        reserveArgumentSlots(range.count)
        var index = 0
        while index < range.count {
            switch range[index] {
            case .null: (argumentSlots + index).initialize(to: .null)
            case .integer(let i): (argumentSlots + index).initialize(to: .integer(i))
            case .real(let r): (argumentSlots + index).initialize(to: .real(r))
            case .text, .blob: return try lend(range, index, body)
            }
            index += 1
        }
        return try body(FunctionArguments(start: argumentSlots, count: range.count))
    }

    /// Makes room for `count` argument slots (only before a call fills them: a reallocation
    /// would leave a call in progress reading freed memory).
    func reserveArgumentSlots(_ count: Int) {
        guard count > argumentSlotCapacity else { return }
        argumentSlots.deallocate()
        argumentSlotCapacity = max(count, argumentSlotCapacity * 2)
        argumentSlots = .allocate(capacity: argumentSlotCapacity)
    }

    /// Fills slots `index...` from `range` and calls `body`; text and blob registers lend their
    /// bytes for the rest of the call, which is why this recurses at each of them.
    private func lend<R, E: Error>(_ range: UnsafeMutableBufferPointer<Value>, _ from: Int,
                                   _ body: (FunctionArguments) throws(E) -> R) throws(E) -> R {
        var index = from
        while index < range.count {
            switch range[index] {
            case .null: (argumentSlots + index).initialize(to: .null)
            case .integer(let i): (argumentSlots + index).initialize(to: .integer(i))
            case .real(let r): (argumentSlots + index).initialize(to: .real(r))
            case .text(let bytes):
                return try bytes.withUnsafeBufferPointer { (pointer) throws(E) -> R in
                    (argumentSlots + index).initialize(to: .text(pointer))
                    return try lend(range, index + 1, body)
                }
            case .blob(let bytes):
                return try bytes.withUnsafeBufferPointer { (pointer) throws(E) -> R in
                    (argumentSlots + index).initialize(to: .blob(pointer))
                    return try lend(range, index + 1, body)
                }
            }
            index += 1
        }
        return try body(FunctionArguments(start: argumentSlots, count: range.count))
    }

    /// The B-tree cursors of this run on the main database let go of their pages.
    func releaseMainDatabasePages() throws(DatabaseError) {
        for cursor in cursors {
            guard let cursor, cursor.ephemeral == nil, let btree = cursor.btree else { continue }
            try btree.releasePages()
            cursor.invalidateRow()
        }
    }
}

extension Array where Element == UInt8 {
    /// `withUnsafeBufferPointer` for a body that throws `DatabaseError`.
    func withBuffer<R>(_ body: (UnsafeBufferPointer<UInt8>) throws(DatabaseError) -> R) throws(DatabaseError) -> R {
        let result = withUnsafeBufferPointer { pointer in
            Result { () throws(DatabaseError) -> R in try body(pointer) }
        }
        return try result.get()
    }
}
