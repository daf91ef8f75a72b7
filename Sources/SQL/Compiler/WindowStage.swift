import BTree
import Pager
import VM

/// Where a query's rows go once WHERE, GROUP BY and HAVING are done: straight to the output, or
/// first through the window passes.
protocol RowConsumer {
    func emitRow(_ gen: CodeGenerator, scope: ExprScope, skip: ProgramBuilder.Label) throws(DatabaseError)
}

extension OutputStage: RowConsumer {}

/// The window functions of a SELECT (window.c's rewrite, done on the code instead of the tree).
/// Each input row (after WHERE, or each group after HAVING) is reduced to the values the rest
/// of the query needs: the terms of the result columns and ORDER BY that hold no window call,
/// and the window calls' arguments, FILTERs, PARTITION BY and ORDER BY terms. The rows go into
/// the buffer of the last pass; each pass sorts its rows on its window's partition and order,
/// computes its window functions, and hands every row on to the next pass, the last to the
/// output. Windows with the same PARTITION BY and ORDER BY share a pass; the passes run in the
/// reverse of the order their first calls appear, so the output comes in the order of the
/// first window, as sqlite3's nested subqueries give it. The result columns and ORDER BY are
/// rewritten to read the row's columns, which carry the affinity and collation of the terms
/// they replace.
struct WindowStage: RowConsumer {
    struct Offset {
        var expr: Expr
        var register: Int32
        var isStart: Bool
        var isRange: Bool
    }

    struct Pass {
        var plan: WindowPlan
        var slot: Int32
        var offsets: [Offset]
    }

    /// The values each input row is reduced to (its first columns).
    let inputs: [Expr]
    /// The passes in the order they run.
    let passes: [Pass]
    /// Values per row: the inputs, then one result per window call.
    let width: Int
    /// The result columns and ORDER BY keys, rewritten to read the rows' columns.
    let columns: [SelectCompiler.OutputColumn]
    let sortKeys: [SelectCompiler.SortKey]
    /// The scope the rewritten expressions compile in: the row's columns in registers.
    let outputScope: ExprScope
    let firstLoaded: Int32

    private struct Call {
        var expr: Expr
        var spec: WindowSpec
        var kind: WindowPlan.Kind
        var arguments: [Expr]
        var filter: Expr?
        var usesFrame: Bool
    }

    /// nil when the query has no window calls.
    init?(_ gen: CodeGenerator, columns: [SelectCompiler.OutputColumn], sortKeys: [SelectCompiler.SortKey],
          scope: ExprScope) throws(DatabaseError) {
        var scope = scope
        // ORDER BY may name a result column's alias inside a larger term: inline it, since the
        // term is computed before the windows are.
        let orderKeys = try sortKeys.map { (key) throws(DatabaseError) -> SelectCompiler.SortKey in
            var key = key
            key.expr = try key.expr.rewritten { (node: Expr) throws(DatabaseError) -> Expr? in
                guard case .column(let reference) = node, case .alias(let aliased)? = try? gen.resolve(reference, in: scope) else { return nil }
                return aliased
            }
            return key
        }
        scope.aliases = []
        var calls: [Call] = []
        for expr in columns.map(\.expr) + orderKeys.map(\.expr) {
            try Self.collect(expr, gen, scope, into: &calls)
        }
        guard !calls.isEmpty else { return nil }

        // Passes: one per distinct PARTITION BY + ORDER BY, first seen first.
        var windows: [(partitionBy: [Expr], orderBy: [OrderingTerm])] = []
        var passOf: [Int] = []
        for call in calls {
            if let index = windows.firstIndex(where: { $0.partitionBy == call.spec.partitionBy && $0.orderBy == call.spec.orderBy }) {
                passOf.append(index)
            } else {
                windows.append((call.spec.partitionBy, call.spec.orderBy))
                passOf.append(windows.count - 1)
            }
        }

        var inputs: [Expr] = []
        func input(_ expr: Expr) -> Int {
            if let index = inputs.firstIndex(of: expr) { return index }
            inputs.append(expr)
            return inputs.count - 1
        }
        // Arguments are consecutive columns (the VM lends them as one list).
        var firstArgument: [Int] = []
        var filterColumn: [Int?] = []
        for call in calls {
            firstArgument.append(inputs.count)
            inputs += call.arguments
            filterColumn.append(call.filter.map { inputs.append($0); return inputs.count - 1 })
        }
        var sortColumns: [[Int]] = []
        var sortKeyColumns: [[KeyDescription.Column]] = []
        for window in windows {
            var columns: [Int] = []
            var keys: [KeyDescription.Column] = []
            for expr in window.partitionBy {
                columns.append(input(expr))
                keys.append(KeyDescription.Column(collation: Self.keyCollation(gen, expr, scope)))
            }
            for term in window.orderBy {
                for key in SelectCompiler.sortKeys(term.expr, term) {
                    columns.append(input(key.expr))
                    keys.append(KeyDescription.Column(collation: Self.keyCollation(gen, key.expr, scope), descending: key.descending))
                }
            }
            sortColumns.append(columns)
            sortKeyColumns.append(keys)
        }

        // The result columns and ORDER BY in terms of the rows' columns.
        var replacedCount = inputs.count
        var rewrittenColumns = columns
        var rewrittenKeys = orderKeys
        func rewrite(_ expr: Expr) -> Expr {
            expr.rewritten { (node: Expr) -> Expr? in
                if case .function(let call) = node, call.over != nil, let index = calls.firstIndex(where: { $0.expr == node }) {
                    return CodeGenerator.slotReference(ColumnSlot(table: 0, key: .column(-1 - index)), name: call.name.value)
                }
                switch node {
                case .literal, .parameter: return node
                default: break
                }
                guard !gen.containsWindowCall(node) else { return nil }
                return CodeGenerator.slotReference(ColumnSlot(table: 0, key: .column(input(node))), name: "")
            }
        }
        for index in rewrittenColumns.indices { rewrittenColumns[index].expr = rewrite(rewrittenColumns[index].expr) }
        for index in rewrittenKeys.indices { rewrittenKeys[index].expr = rewrite(rewrittenKeys[index].expr) }
        // A row needs at least one value to be a row (sqlite3 selects a constant 0 then).
        if inputs.isEmpty { inputs.append(.literal(.integer(0))) }
        replacedCount = inputs.count
        // Window results follow the inputs: renumber the placeholders (-1 - call).
        func renumber(_ expr: Expr) -> Expr {
            expr.rewritten { (node: Expr) -> Expr? in
                guard case .column(let reference) = node, let slot = CodeGenerator.referencedSlot(reference),
                      case .column(let column) = slot.key, column < 0 else { return nil }
                return CodeGenerator.slotReference(ColumnSlot(table: 0, key: .column(replacedCount + (-1 - column))), name: reference.column.value)
            }
        }
        for index in rewrittenColumns.indices { rewrittenColumns[index].expr = renumber(rewrittenColumns[index].expr) }
        for index in rewrittenKeys.indices { rewrittenKeys[index].expr = renumber(rewrittenKeys[index].expr) }
        let width = inputs.count + calls.count

        // The rows as a table: each column with the affinity and collation of its term.
        var affinities: [UInt8] = []
        var schemaColumns: [ColumnSchema] = []
        for index in 0..<width {
            let expr = index < inputs.count ? inputs[index] : calls[index - inputs.count].expr
            affinities.append(gen.exprAffinity(expr, scope))
            schemaColumns.append(ColumnSchema(name: "w\(index)", declaredType: nil, affinity: .blob, notNull: nil, defaultValue: nil,
                                              defaultText: nil, collation: gen.exprCollation(expr, scope) ?? .binary,
                                              isPrimaryKey: false, generated: nil, recordIndex: index))
        }
        let table = TableSchema(name: "", rootPage: 0, columns: schemaColumns, rowidAlias: nil, primaryKey: [],
                                autoincrement: false, withoutRowid: false, strict: false, checks: [], foreignKeys: [],
                                indexes: [], sql: nil)
        let firstLoaded = gen.builder.allocateRegisters(width)
        var loaded: [ColumnSlot: Int32] = [:]
        for index in 0..<width { loaded[ColumnSlot(table: 0, key: .column(index))] = firstLoaded + Int32(index) }
        var outputScope = ExprScope(tables: [ScopeTable(derived: table, affinities: affinities, exposedName: "", cursor: -1)],
                                    outer: scope.outer)
        outputScope.row = .loaded(loaded)

        // The passes' plans, the first window's pass last.
        var passes: [Pass] = []
        for windowIndex in windows.indices.reversed() {
            let window = windows[windowIndex]
            var functions: [WindowPlan.Function] = []
            var offsets: [Offset] = []
            var rangeColumn: Int?
            for (callIndex, call) in calls.enumerated() where passOf[callIndex] == windowIndex {
                let spec = call.usesFrame ? call.spec.frame : nil
                let unit = spec?.unit ?? .range
                func bound(_ bound: FrameBound, isStart: Bool) -> WindowPlan.Bound {
                    func offset(_ expr: Expr) -> Int32 {
                        let register = gen.builder.allocateRegisters()
                        offsets.append(Offset(expr: gen.isConstantOffset(expr) ? expr : .literal(.null), register: register,
                                              isStart: isStart, isRange: unit == .range))
                        return register
                    }
                    switch bound {
                    case .unboundedPreceding: return .unboundedPreceding
                    case .preceding(let expr): return .preceding(register: offset(expr))
                    case .currentRow: return .currentRow
                    case .following(let expr): return .following(register: offset(expr))
                    case .unboundedFollowing: return .unboundedFollowing
                    }
                }
                let frame = WindowPlan.Frame(
                    unit: unit == .rows ? .rows : unit == .groups ? .groups : .range,
                    start: bound(spec?.start ?? .unboundedPreceding, isStart: true),
                    end: bound(spec?.end ?? .currentRow, isStart: false),
                    exclusion: Self.exclusion(spec?.exclude))
                if unit == .range, let spec, CodeGenerator.hasOffset(spec) {
                    rangeColumn = input(window.orderBy[0].expr)
                }
                functions.append(WindowPlan.Function(kind: call.kind, firstArgument: firstArgument[callIndex],
                                                     argumentCount: call.arguments.count, filter: filterColumn[callIndex],
                                                     result: replacedCount + callIndex, frame: frame))
            }
            precondition(inputs.count == replacedCount, "a RANGE ORDER BY term that is not among the window's inputs")
            let order = window.orderBy.first
            let descending = order?.order == .descending
            let plan = WindowPlan(
                width: width, sortColumns: sortColumns[windowIndex], sortKey: KeyDescription(columns: sortKeyColumns[windowIndex]),
                partitionKeyCount: window.partitionBy.count, rangeColumn: rangeColumn, rangeDescending: descending,
                rangeBigNull: order.map { ($0.nulls == .last && !descending) || ($0.nulls == .first && descending) } ?? false,
                rangeCollation: order.flatMap { gen.exprCollation($0.expr, scope) } ?? .binary,
                functions: functions)
            passes.append(Pass(plan: plan, slot: gen.builder.allocateCursor(), offsets: offsets))
        }

        self.inputs = inputs
        self.passes = passes
        self.width = width
        self.columns = rewrittenColumns
        self.sortKeys = rewrittenKeys
        self.outputScope = outputScope
        self.firstLoaded = firstLoaded
    }

    private static func keyCollation(_ gen: CodeGenerator, _ expr: Expr, _ scope: ExprScope) -> Collation? {
        gen.exprCollation(expr, scope).flatMap { $0 == .binary ? nil : $0 }
    }

    private static func exclusion(_ exclude: FrameExclusion?) -> WindowPlan.Exclusion {
        switch exclude {
        case nil: .none
        case .noOthers: .noOthers
        case .currentRow: .currentRow
        case .group: .group
        case .ties: .ties
        }
    }

    /// Finds the window calls of `expr` in order, with sqlite3's errors for window calls where
    /// they may not be: inside another window call or inside an aggregate's arguments.
    private static func collect(_ expr: Expr, _ gen: CodeGenerator, _ scope: ExprScope,
                                into calls: inout [Call]) throws(DatabaseError) {
        var failure: DatabaseError?
        var found: [Call] = []
        func misuseInside(_ inner: Expr) {
            gen.walk(inner) { (node: Expr) -> Bool in
                guard failure == nil else { return false }
                if case .function(let call) = node, call.over != nil || WindowBuiltin(call.name.value) != nil {
                    do throws(DatabaseError) {
                        try gen.checkWindowCall(call)
                        failure = DatabaseError(.SQLITE_ERROR, "misuse of window function \(call.name.value)()")
                    } catch {
                        failure = error
                    }
                }
                return failure == nil
            }
        }
        gen.walk(expr) { (node: Expr) -> Bool in
            guard failure == nil, case .function(let call) = node else { return failure == nil }
            if call.over != nil {
                do throws(DatabaseError) {
                    let (kind, arguments) = try gen.windowFunction(call, scope)
                    guard case .spec(let spec)? = call.over else { return false }
                    for argument in arguments { misuseInside(argument) }
                    if let filter = call.filter { misuseInside(filter) }
                    for term in spec.partitionBy { misuseInside(term) }
                    for term in spec.orderBy { misuseInside(term.expr) }
                    var usesFrame = true
                    if let builtin = WindowBuiltin(call.name.value) { usesFrame = builtin.usesFrame }
                    found.append(Call(expr: node, spec: spec, kind: kind, arguments: arguments, filter: call.filter,
                                      usesFrame: usesFrame))
                } catch {
                    failure = error
                }
                return false
            }
            if gen.isAggregateCall(call) {
                if case .list(let arguments, _) = call.arguments { for argument in arguments { misuseInside(argument) } }
                if let filter = call.filter { misuseInside(filter) }
                return false
            }
            return true
        }
        if let failure { throw failure }
        for call in found where !calls.contains(where: { $0.expr == call.expr }) { calls.append(call) }
    }

    // MARK: Code

    /// Opens the passes' buffers.
    func open(_ gen: CodeGenerator) {
        for pass in passes { gen.builder.emit(.windowOpen, pass.slot, 0, 0, .window(pass.plan)) }
    }

    /// An input row: its values into the first pass's buffer.
    func emitRow(_ gen: CodeGenerator, scope: ExprScope, skip: ProgramBuilder.Label) throws(DatabaseError) {
        var rowScope = scope
        rowScope.aliases = []
        let first = gen.builder.allocateRegisters(inputs.count)
        for (index, expr) in inputs.enumerated() {
            try gen.compileExpr(expr, rowScope, into: first + Int32(index))
        }
        gen.builder.emit(.windowAppend, passes[0].slot, first, Int32(inputs.count))
    }

    /// Runs the passes, the last one's rows going to `output`.
    func finish(_ gen: CodeGenerator, output: OutputStage) throws(DatabaseError) {
        for (index, pass) in passes.enumerated() {
            let end = gen.builder.makeLabel()
            gen.builder.emit(.windowSort, pass.slot, jumpTo: end)
            for offset in pass.offsets { try emitOffset(gen, offset) }
            gen.builder.emit(.windowCompute, pass.slot)
            let top = gen.builder.currentAddress
            if index + 1 < passes.count {
                let row = gen.builder.allocateRegisters(width)
                for column in 0..<width { gen.builder.emit(.windowColumn, pass.slot, Int32(column), row + Int32(column)) }
                gen.builder.emit(.windowAppend, passes[index + 1].slot, row, Int32(width))
                gen.builder.emit(.windowNext, pass.slot, top)
            } else {
                for column in 0..<width {
                    gen.builder.emit(.windowColumn, pass.slot, Int32(column), firstLoaded + Int32(column))
                }
                let next = gen.builder.makeLabel()
                try output.emitRow(gen, scope: outputScope, skip: next)
                gen.builder.resolve(next)
                gen.builder.emit(.windowNext, pass.slot, top)
            }
            gen.builder.resolve(end)
        }
    }

    /// A frame offset, checked as windowCheckValue checks it.
    private func emitOffset(_ gen: CodeGenerator, _ offset: Offset) throws(DatabaseError) {
        try gen.compileExpr(offset.expr, ExprScope(table: nil), into: offset.register)
        let message = "frame \(offset.isStart ? "starting" : "ending") offset must be a non-negative \(offset.isRange ? "number" : "integer")"
        let zero = gen.builder.allocateRegisters()
        gen.builder.emit(.integer, 0, zero)
        if offset.isRange {
            let empty = gen.builder.allocateRegisters()
            gen.builder.emit(.string8, 0, empty, 0, .text(""))
            gen.builder.emit(.ge, empty, gen.builder.currentAddress + 2, offset.register, .none,
                             UInt16(AffinityCode.numeric) | CompareFlag.jumpIfNull)
        } else {
            gen.builder.emit(.mustBeInt, offset.register, gen.builder.currentAddress + 2)
        }
        gen.builder.emit(.ge, zero, gen.builder.currentAddress + 2, offset.register, .none, UInt16(AffinityCode.numeric))
        gen.builder.emit(.halt, ResultCode.SQLITE_ERROR.rawValue, ConflictAction.abort.rawValue, 0, .text(message))
    }
}
