import BTree
import Pager
import VM

/// Aggregate queries (select.c, the AggInfo half of sqlite3Select). Without GROUP BY one pass
/// steps every aggregate and one row comes out; with GROUP BY the rows go through a sorter on
/// the group keys and a group's row comes out when the key changes. Columns read outside
/// aggregates ("bare" columns) take the values of the group's first row, or, when there is a
/// min() or max(), of the row that set it, as in sqlite3.
extension SelectCompiler {
    struct AggregateCall {
        var expr: Expr
        var call: FunctionCall
        var definition: FunctionDefinition
        var arguments: [Expr]
        var register: Int32
        var distinctCursor: Int32?
    }

    /// What an aggregate query reads: its aggregate calls, and the columns it reads outside them
    /// and inside them.
    struct AggregateAnalysis {
        var calls: [AggregateCall] = []
        var bareColumns: [ColumnSlot] = []
        var argumentColumns: [ColumnSlot] = []
    }

    /// The GROUP BY terms, a result column's number or alias replaced by its expression.
    func groupKeys(_ columns: [OutputColumn], _ scope: ExprScope) throws(DatabaseError) -> [Expr] {
        var groupKeys: [Expr] = []
        for (position, term) in clause.groupBy.enumerated() {
            let key = try resultColumnReference(term, columns, scope, clause: "GROUP", position: position) ?? term
            if gen.firstAggregate(in: key) != nil {
                throw DatabaseError(.SQLITE_ERROR, "aggregate functions are not allowed in the GROUP BY clause")
            }
            groupKeys.append(key)
        }
        return groupKeys
    }

    /// `groupedScan`: a scan that brings each group's rows together (in the group keys' order),
    /// so groups are formed as the rows come, without a sorter (sqlite3's GROUP BY by index).
    func compileAggregate(_ columns: [OutputColumn], sortKeys: [SortKey], scope: ExprScope,
                          output: any RowConsumer, groupedScan: OrderedScan? = nil) throws(DatabaseError) {
        var groupScope = scope
        groupScope.aggregates = .forbidden(clause: "GROUP BY")
        let groupKeys = try self.groupKeys(columns, scope)
        var analysis = AggregateAnalysis()
        let noAliases = scope.withoutAliases
        for column in columns { try analyze(column.expr, noAliases, &analysis, insideAggregate: false) }
        if let having = clause.having { try analyze(having, scope, &analysis, insideAggregate: false) }
        for key in sortKeys { try analyze(key.expr, scope, &analysis, insideAggregate: false) }

        let accumulators = analysis.calls.isEmpty ? 0 : gen.builder.allocateRegisters(analysis.calls.count)
        for index in analysis.calls.indices {
            analysis.calls[index].register = accumulators + Int32(index)
            if case .list(_, distinct: true) = analysis.calls[index].call.arguments {
                analysis.calls[index].distinctCursor = gen.builder.allocateCursor()
            }
        }
        var bareRegisters: [ColumnSlot: Int32] = [:]
        for key in analysis.bareColumns { bareRegisters[key] = gen.builder.allocateRegisters() }
        let useFlag = gen.builder.allocateRegisters()
        let hitFlag = analysis.calls.contains { $0.definition.flags.contains(.needsCollation) && !$0.arguments.isEmpty }
            ? gen.builder.allocateRegisters() : nil

        var outputScope = scope
        outputScope.row = .loaded(bareRegisters)
        outputScope.aggregates = .results(analysis.calls.map { ($0.expr, $0.register) })

        if groupKeys.isEmpty {
            // Without GROUP BY the flag only says whether the bare columns were loaded yet.
            let flagged = !analysis.bareColumns.isEmpty && hitFlag == nil
            try resetAccumulators(analysis, bareRegisters, flagged ? useFlag : nil, scope)
            try forEachRow(scope) { (_) throws(DatabaseError) in
                try updateAccumulators(analysis, scope, hitFlag: hitFlag)
                loadBareColumns(analysis, scope, bareRegisters, flag: hitFlag ?? useFlag)
                if flagged { gen.builder.emit(.integer, 1, useFlag) }
            }
            let skip = gen.builder.makeLabel()
            try emitGroupRow(analysis, outputScope, output: output, skip: skip)
            gen.builder.resolve(skip)
            return
        }

        if let groupedScan {
            try compileGroupsInScanOrder(groupKeys, groupScope: groupScope, scan: groupedScan, analysis: analysis,
                                         bareRegisters: bareRegisters, useFlag: useFlag, hitFlag: hitFlag,
                                         outputScope: outputScope, output: output, scope: scope)
            return
        }

        // Sort the rows on the group keys, carrying the columns the aggregation reads.
        let carried = analysis.bareColumns + analysis.argumentColumns.filter { !analysis.bareColumns.contains($0) }
        let sorter = gen.builder.allocateCursor()
        let keyColumns = groupKeys.map { KeyDescription.Column(collation: gen.exprCollation($0, groupScope).flatMap { $0 == .binary ? nil : $0 }) }
        let keyInfo = KeyDescription(columns: keyColumns)
        gen.builder.emit(.sorterOpen, sorter, Int32(groupKeys.count + carried.count), 0, .keyInfo(keyInfo))
        try forEachRow(scope) { (_) throws(DatabaseError) in
            let first = gen.builder.allocateRegisters(groupKeys.count + carried.count)
            for (index, key) in groupKeys.enumerated() {
                try gen.compileExpr(key, groupScope, into: first + Int32(index))
            }
            for (index, key) in carried.enumerated() {
                gen.emitColumn(key, scope, into: first + Int32(groupKeys.count + index))
            }
            let record = gen.builder.allocateRegisters()
            gen.builder.emit(.makeRecord, first, Int32(groupKeys.count + carried.count), record)
            gen.builder.emit(.sorterInsert, sorter, record)
        }
        gen.explain("USE TEMP B-TREE FOR GROUP BY")
        var fields: [ColumnSlot: Int32] = [:]
        for (index, key) in carried.enumerated() { fields[key] = Int32(groupKeys.count + index) }
        var sortedScope = scope
        sortedScope.row = .sorter(cursor: sorter, fields: fields)

        let keyCount = Int32(groupKeys.count)
        let previousKeys = gen.builder.allocateRegisters(groupKeys.count)
        let currentKeys = gen.builder.allocateRegisters(groupKeys.count)
        gen.builder.emit(.null, 0, previousKeys, previousKeys + keyCount - 1)
        let outputReturn = gen.builder.allocateRegisters()
        let resetReturn = gen.builder.allocateRegisters()
        let outputRoutine = gen.builder.makeLabel()
        let resetRoutine = gen.builder.makeLabel()
        let end = gen.builder.makeLabel()
        gen.builder.emit(.gosub, resetReturn, jumpTo: resetRoutine)
        gen.builder.emit(.sorterSort, sorter, jumpTo: end)
        let top = gen.builder.currentAddress
        for index in 0..<keyCount { gen.builder.emit(.column, sorter, index, currentKeys + index) }
        gen.builder.emit(.compare, previousKeys, currentKeys, keyCount, .keyInfo(keyInfo))
        let sameGroup = gen.builder.makeLabel()
        let newGroup = gen.builder.currentAddress + 1
        gen.builder.emit(.jump, newGroup, jumpTo: sameGroup, newGroup)
        gen.builder.emit(.copy, currentKeys, previousKeys, keyCount - 1)
        gen.builder.emit(.gosub, outputReturn, jumpTo: outputRoutine)
        gen.builder.emit(.gosub, resetReturn, jumpTo: resetRoutine)
        gen.builder.resolve(sameGroup)
        try updateAccumulators(analysis, sortedScope, hitFlag: hitFlag)
        loadBareColumns(analysis, sortedScope, bareRegisters, flag: hitFlag ?? useFlag)
        gen.builder.emit(.integer, 1, useFlag)
        gen.builder.emit(.sorterNext, sorter, top)
        gen.builder.emit(.gosub, outputReturn, jumpTo: outputRoutine)
        gen.builder.emit(.goto, 0, jumpTo: end)

        // The output subroutine: the group's row, if the group has rows.
        gen.builder.resolve(outputRoutine)
        let finished = gen.builder.makeLabel()
        gen.builder.emit(.ifPos, useFlag, gen.builder.currentAddress + 2)
        gen.builder.emit(.return, outputReturn)
        try emitGroupRow(analysis, outputScope, output: output, skip: finished)
        gen.builder.resolve(finished)
        gen.builder.emit(.return, outputReturn)

        gen.builder.resolve(resetRoutine)
        try resetAccumulators(analysis, bareRegisters, useFlag, scope)
        gen.builder.emit(.return, resetReturn)
        gen.builder.resolve(end)
    }

    /// GROUP BY over rows that arrive grouped: a new key ends the previous group (its row goes
    /// out) and starts the next.
    private func compileGroupsInScanOrder(_ groupKeys: [Expr], groupScope: ExprScope, scan: OrderedScan,
                                          analysis: AggregateAnalysis, bareRegisters: [ColumnSlot: Int32],
                                          useFlag: Int32, hitFlag: Int32?, outputScope: ExprScope,
                                          output: any RowConsumer, scope: ExprScope) throws(DatabaseError) {
        let keyCount = Int32(groupKeys.count)
        let keyColumns = groupKeys.map { KeyDescription.Column(collation: gen.exprCollation($0, groupScope).flatMap { $0 == .binary ? nil : $0 }) }
        let keyInfo = KeyDescription(columns: keyColumns)
        let previousKeys = gen.builder.allocateRegisters(groupKeys.count)
        let currentKeys = gen.builder.allocateRegisters(groupKeys.count)
        gen.builder.emit(.null, 0, previousKeys, previousKeys + keyCount - 1)
        let outputReturn = gen.builder.allocateRegisters()
        let resetReturn = gen.builder.allocateRegisters()
        let outputRoutine = gen.builder.makeLabel()
        let resetRoutine = gen.builder.makeLabel()
        let end = gen.builder.makeLabel()
        gen.builder.emit(.gosub, resetReturn, jumpTo: resetRoutine)
        try forEachRow(scope, ordered: scan) { (_) throws(DatabaseError) in
            for (index, key) in groupKeys.enumerated() {
                try gen.compileExpr(key, groupScope, into: currentKeys + Int32(index))
            }
            gen.builder.emit(.compare, previousKeys, currentKeys, keyCount, .keyInfo(keyInfo))
            let sameGroup = gen.builder.makeLabel()
            let newGroup = gen.builder.currentAddress + 1
            gen.builder.emit(.jump, newGroup, jumpTo: sameGroup, newGroup)
            gen.builder.emit(.copy, currentKeys, previousKeys, keyCount - 1)
            gen.builder.emit(.gosub, outputReturn, jumpTo: outputRoutine)
            gen.builder.emit(.gosub, resetReturn, jumpTo: resetRoutine)
            gen.builder.resolve(sameGroup)
            try updateAccumulators(analysis, scope, hitFlag: hitFlag)
            loadBareColumns(analysis, scope, bareRegisters, flag: hitFlag ?? useFlag)
            gen.builder.emit(.integer, 1, useFlag)
        }
        gen.builder.emit(.gosub, outputReturn, jumpTo: outputRoutine)
        gen.builder.emit(.goto, 0, jumpTo: end)

        gen.builder.resolve(outputRoutine)
        let finished = gen.builder.makeLabel()
        gen.builder.emit(.ifPos, useFlag, gen.builder.currentAddress + 2)
        gen.builder.emit(.return, outputReturn)
        try emitGroupRow(analysis, outputScope, output: output, skip: finished)
        gen.builder.resolve(finished)
        gen.builder.emit(.return, outputReturn)

        gen.builder.resolve(resetRoutine)
        try resetAccumulators(analysis, bareRegisters, useFlag, scope)
        gen.builder.emit(.return, resetReturn)
        gen.builder.resolve(end)
    }

    /// Finishes the aggregates and emits the row when HAVING holds.
    private func emitGroupRow(_ analysis: AggregateAnalysis, _ outputScope: ExprScope, output: any RowConsumer,
                              skip: ProgramBuilder.Label) throws(DatabaseError) {
        for call in analysis.calls {
            gen.builder.emit(.aggFinal, call.register, Int32(call.arguments.count), 0, .function(call.definition))
        }
        if let having = clause.having {
            try gen.jumpIfFalse(having, outputScope, to: skip, jumpIfNull: true)
        }
        try output.emitRow(gen, scope: outputScope, skip: skip)
    }

    private func resetAccumulators(_ analysis: AggregateAnalysis, _ bareRegisters: [ColumnSlot: Int32],
                                   _ useFlag: Int32?, _ scope: ExprScope) throws(DatabaseError) {
        if let useFlag { gen.builder.emit(.integer, 0, useFlag) }
        if let first = analysis.calls.first?.register {
            gen.builder.emit(.null, 0, first, first + Int32(analysis.calls.count) - 1)
        }
        for register in bareRegisters.values.sorted() { gen.builder.emit(.null, 0, register) }
        for call in analysis.calls {
            guard let cursor = call.distinctCursor else { continue }
            let collation = gen.exprCollation(call.arguments[0], scope.withoutAliases)
            gen.builder.emit(.openEphemeral, cursor, 0, 0,
                             .keyInfo(KeyDescription(columns: [KeyDescription.Column(collation: collation == .binary ? nil : collation)])))
        }
    }

    /// Steps every aggregate with the current row (updateAccumulator).
    private func updateAccumulators(_ analysis: AggregateAnalysis, _ rowScope: ExprScope,
                                    hitFlag: Int32?) throws(DatabaseError) {
        var argumentScope = rowScope
        argumentScope.aliases = []
        argumentScope.aggregates = .forbidden(clause: nil)
        for call in analysis.calls {
            let skip = gen.builder.makeLabel()
            if let filter = call.call.filter {
                try gen.jumpIfFalse(filter, argumentScope, to: skip, jumpIfNull: true)
            }
            let (first, stepped) = try gen.compileCallArguments(call.arguments, call.definition, argumentScope)
            if let cursor = call.distinctCursor {
                gen.builder.emit(.found, cursor, jumpTo: skip, first, .int32(1))
                let record = gen.builder.allocateRegisters()
                gen.builder.emit(.makeRecord, first, 1, record)
                gen.builder.emit(.idxInsert, cursor, record, first, .int32(1))
            }
            if call.definition.flags.contains(.needsCollation) && !call.arguments.isEmpty {
                let collation = call.arguments.lazy.compactMap { self.gen.exprCollation($0, argumentScope) }.first ?? .binary
                gen.builder.emit(.collSeq, hitFlag ?? 0, 0, 0, .collation(collation))
            }
            gen.builder.emit(.aggStep, 0, first, call.register, .function(stepped), UInt16(call.arguments.count))
            gen.builder.resolve(skip)
        }
    }

    /// Copies the bare columns of the current row unless `flag` says to keep the ones held.
    private func loadBareColumns(_ analysis: AggregateAnalysis, _ rowScope: ExprScope,
                                 _ bareRegisters: [ColumnSlot: Int32], flag: Int32) {
        guard !analysis.bareColumns.isEmpty else { return }
        let skip = gen.builder.emit(.if, flag, 0)
        for key in analysis.bareColumns { gen.emitColumn(key, rowScope, into: bareRegisters[key]!) }
        gen.builder.jumpHere(skip)
    }

    /// Collects the aggregate calls and the columns `expr` reads (analyzeAggregate).
    private func analyze(_ expr: Expr, _ scope: ExprScope, _ analysis: inout AggregateAnalysis,
                         insideAggregate: Bool) throws(DatabaseError) {
        var failure: DatabaseError?
        var pending: [(Expr, Bool)] = []
        gen.walk(expr) { (node: Expr) -> Bool in
            guard failure == nil else { return false }
            switch node {
            case .exists(let select), .subquery(let select), .inSelect(_, _, let select):
                // A correlated subquery reads this query's columns where it is evaluated: they
                // must be loaded too (any name in it that could be one counts).
                for reference in SubqueryNames.columnReferences(in: select) {
                    guard case .column(let column)? = try? gen.resolve(reference, in: scope), column.depth == 0 else { continue }
                    let key = column.slot
                    if insideAggregate {
                        if !analysis.argumentColumns.contains(key) { analysis.argumentColumns.append(key) }
                    } else if !analysis.bareColumns.contains(key) {
                        analysis.bareColumns.append(key)
                    }
                }
                if case .inSelect(_, let subject, _) = node { pending.append((subject, insideAggregate)) }
                return false
            case .column(let reference):
                switch try? gen.resolve(reference, in: scope) {
                case .column(let column) where column.depth == 0:
                    let key = column.slot
                    if insideAggregate {
                        if !analysis.argumentColumns.contains(key) { analysis.argumentColumns.append(key) }
                    } else if !analysis.bareColumns.contains(key) {
                        analysis.bareColumns.append(key)
                    }
                case .alias(let aliased):
                    pending.append((aliased, insideAggregate))
                default:
                    break
                }
                return false
            case .function(let call) where gen.isAggregateCall(call):
                if insideAggregate {
                    failure = DatabaseError(.SQLITE_ERROR, "misuse of aggregate function \(call.name.value)()")
                    return false
                }
                do throws(DatabaseError) {
                    let definition = try gen.functionDefinition(call)
                    var arguments: [Expr] = []
                    if case .list(let list, _) = call.arguments { arguments = list }
                    if !analysis.calls.contains(where: { $0.expr == node }) {
                        analysis.calls.append(AggregateCall(expr: node, call: call, definition: definition,
                                                            arguments: arguments, register: 0))
                    }
                    for argument in arguments { pending.append((argument, true)) }
                    if let filter = call.filter { pending.append((filter, true)) }
                } catch {
                    failure = error
                }
                return false
            default:
                return true
            }
        }
        if let failure { throw failure }
        for (inner, inside) in pending {
            try analyze(inner, inside ? scope.withoutAliases : scope.withoutAliases, &analysis, insideAggregate: inside)
        }
    }
}
