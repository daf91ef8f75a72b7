import BTree
import Pager
import VM

/// The state one statement's code generators share: the program being built, the schema and
/// functions it is compiled against, and the statement's parameters. Every program has SQLite's
/// frame: Init jumps to the end, where Transaction checks the schema cookie and jumps back.
final class CodeGenerator {
    var builder = ProgramBuilder()
    let context: CompileContext
    let parsed: ParsedStatement
    let source: String
    /// Whether the program opens the database (SQLite omits Transaction for `SELECT 1`).
    var usesDatabase = false
    /// The WITH clauses in force, innermost last: FROM names look here before the schema.
    var commonTables: [[CommonTableExpression]] = []
    /// The common table expressions being expanded, against circular references.
    var expandingTables: [String] = []
    /// The recursive CTEs whose recursive cores are being compiled: their name reads the queue's
    /// current row.
    var recursiveReferences: [RecursiveReference] = []
    /// Views being expanded: their tables are named "main.t" in errors, as sqlite3 qualifies a
    /// view's tables.
    var viewDepth = 0
    /// EXPLAIN QUERY PLAN's rows, while such a statement compiles.
    var queryPlan: QueryPlanRecorder?
    /// Tables read through a covering index: their columns come from the index's entries
    /// (table cursor: index cursor and each column's field in its entries).
    var coveringIndexes: [Int32: (cursor: Int32, fields: [ColumnKey: Int32])] = [:]
    /// The triggers whose programs are being compiled inline, innermost last (see
    /// CodeGenerator+Triggers.swift).
    var triggerFrames: [TriggerFrame] = []
    /// The AUTOINCREMENT counters the statement keeps: `finish` loads them after Transaction.
    var autoincrements: [AutoincrementCounter] = []
    /// Whether constant operands may be computed once in the Init section (sqlite3's
    /// okConstFactor): set for top-level statements whose program `finish` ends.
    var hoistsConstants = false
    /// The constants `compileTemp` moved to the Init section, and their registers.
    private var hoistedConstants: [(expr: Expr, register: Int32)] = []
    private let initAddress: Int32

    init(parsed: ParsedStatement, source: String, context: CompileContext) {
        self.parsed = parsed
        self.source = source
        self.context = context
        initAddress = builder.emit(.`init`, 0, 0)
    }

    var schema: Schema { context.schema }

    /// The table `name` names, or sqlite3's "no such table" error (a view is not a table here:
    /// only FROM expands views). Other schemas are not supported yet.
    func table(_ name: QualifiedName) throws(DatabaseError) -> TableSchema {
        if let schemaName = name.schema, !schemaName.value.sqlEquals("main") {
            if schemaName.value.sqlEquals("temp") { throw SQLCompiler.notSupported("the temp schema") }
            throw DatabaseError(.SQLITE_ERROR, "unknown database \(schemaName.value)")
        }
        if let table = schema.table(name.name.value) {
            usesDatabase = true
            return table
        }
        if let view = schema.view(name.name.value) {
            // FROM expands views itself: a view here is the target of a write.
            throw DatabaseError(.SQLITE_ERROR, "cannot modify \(view.name) because it is a view")
        }
        let qualified = name.schema.map { "\($0.value).\(name.name.value)" }
            ?? (viewDepth > 0 || !triggerFrames.isEmpty ? "main.\(name.name.value)" : name.name.value)
        throw DatabaseError(.SQLITE_ERROR, "no such table: \(qualified)")
    }

    /// Ends the program: Halt, then the Transaction (write or read, checking the cookie) that
    /// Init jumps to, then back to the first instruction after Init.
    func finish(columnNames: [String] = [], declaredTypes: [String?]? = nil) throws(DatabaseError) -> Program {
        builder.emit(.halt)
        builder.patch(initAddress) { $0.p2 = builder.currentAddress }
        if usesDatabase || builder.writes {
            builder.emit(.transaction, 0, builder.writes ? 1 : 0, Int32(bitPattern: schema.cookie), .int32(0), 1)
        }
        for counter in autoincrements { counter.emitBegin(&builder) }
        // The factored-out constants, after Transaction and the AUTOINCREMENT loads
        // (sqlite3FinishCoding's pConstExpr).
        let constants = ExprScope(table: nil)
        for constant in hoistedConstants { try compileExpr(constant.expr, constants, into: constant.register) }
        hoistedConstants = []
        builder.emit(.goto, 0, initAddress + 1)
        let names: [String?] = parsed.parameterNames.isEmpty ? [] : Self.parameterNameList(parsed)
        return try builder.finish(columnNames: columnNames, declaredTypes: declaredTypes,
                                  parameterCount: parsed.parameterCount,
                                  parameterNames: names.isEmpty ? nil : names, sql: source)
    }

    private static func parameterNameList(_ parsed: ParsedStatement) -> [String?] {
        var names = [String?](repeating: nil, count: parsed.parameterCount)
        for name in parsed.parameterNames where name.index >= 1 && name.index <= names.count {
            names[name.index - 1] = name.name
        }
        return names
    }

    // MARK: Emitting values

    /// Loads a LIMIT's counter (select.c computeLimitRegisters): a 32-bit integer literal is
    /// loaded as it is (LIMIT 0 skips the query), anything else must be an integer at run
    /// time, and a zero or NULL count skips the query.
    func emitLimitCounter(_ count: Expr, _ scope: ExprScope, into register: Int32,
                          done: ProgramBuilder.Label) throws(DatabaseError) {
        if let constant = Self.smallIntegerLiteral(count) {
            builder.emit(.integer, constant, register)
            if constant == 0 { builder.emit(.goto, 0, jumpTo: done) }
            return
        }
        try compileExpr(count, scope, into: register)
        builder.emit(.mustBeInt, register, 0)
        builder.emit(.ifNot, register, jumpTo: done)
    }

    /// sqlite3ExprIsInteger: an integer literal that fits 32 bits, with unary + or - applied.
    static func smallIntegerLiteral(_ expr: Expr) -> Int32? {
        switch expr {
        case .literal(.integer(let value)): return Int32(exactly: value)
        case .unary(.plus, let operand): return smallIntegerLiteral(operand)
        case .unary(.negate, let operand):
            guard let value = smallIntegerLiteral(operand), value != Int32.min else { return nil }
            return -value
        default: return nil
        }
    }

    /// The register holding `expr` for an operand (sqlite3ExprCodeTemp): a literal or a bound
    /// parameter is loaded once in the Init section when the statement allows it, anything
    /// else is computed here into a new register.
    func compileTemp(_ expr: Expr, _ scope: ExprScope) throws(DatabaseError) -> Int32 {
        guard hoistsConstants, triggerFrames.isEmpty, Self.isHoistable(expr) else { return try compileExpr(expr, scope) }
        let register = builder.allocateRegisters()
        hoistedConstants.append((expr, register))
        return register
    }

    /// Computes `expr` into `target`, or, when it is a constant `compileTemp` would factor out,
    /// loads it there once in the Init section (sqlite3ExprCodeFactorable). Nothing else may
    /// write `target` then.
    func compileFactorable(_ expr: Expr, _ scope: ExprScope, into target: Int32) throws(DatabaseError) {
        guard hoistsConstants, triggerFrames.isEmpty, Self.isHoistable(expr) else {
            try compileExpr(expr, scope, into: target)
            return
        }
        hoistedConstants.append((expr, target))
    }

    /// A value that is the same on every row and every run of the program's loops, whose code
    /// cannot fail: a literal (not CURRENT_TIME and the like), a parameter, a negated number.
    private static func isHoistable(_ expr: Expr) -> Bool {
        switch expr {
        case .literal(.null), .literal(.integer), .literal(.real), .literal(.string), .literal(.blob), .parameter:
            return true
        case .unary(.negate, .literal(.integer(let value))): return value != Int64.min
        case .unary(.negate, .literal(.real)): return true
        default: return false
        }
    }

    /// Loads an integer constant as SQLite does: Integer when it fits 32 bits, Int64 otherwise.
    func emitInteger(_ value: Int64, into target: Int32) {
        if let small = Int32(exactly: value) {
            builder.emit(.integer, small, target)
        } else {
            builder.emit(.int64, 0, target, 0, .int64(value))
        }
    }

    func emitValue(_ value: Value, into target: Int32) {
        switch value {
        case .null: builder.emit(.null, 0, target)
        case .integer(let i): emitInteger(i, into: target)
        case .real(let r): builder.emit(.real, 0, target, 0, .real(r))
        case .text(let bytes): builder.emit(.string8, 0, target, 0, .text(String(decoding: bytes, as: UTF8.self)))
        case .blob(let bytes): builder.emit(.blob, Int32(bytes.count), target, 0, .blob(bytes))
        }
    }
}

/// SQLITE_AFF_* letters of the schema's affinities.
extension Affinity {
    var code: UInt8 {
        switch self {
        case .blob: AffinityCode.blob
        case .text: AffinityCode.text
        case .numeric: AffinityCode.numeric
        case .integer: AffinityCode.integer
        case .real: AffinityCode.real
        }
    }
}
