import BTree
import Pager
import VM

/// `SELECT count(*) FROM t` (select.c isSimpleCount): the entries of the table's narrowest
/// b-tree are counted (OP_Count) instead of stepping its rows and an aggregate.
extension SelectCompiler {
    /// The table of a query sqlite3 answers with OP_Count: one result column that is count(*)
    /// (no DISTINCT, FILTER or OVER) of one ordinary rowid table, without WHERE, GROUP BY,
    /// HAVING or ORDER BY.
    func simpleCountTable(_ columns: [OutputColumn], sortKeys: [SortKey]) -> ScopeTable? {
        guard clause.where == nil, clause.groupBy.isEmpty, clause.having == nil, sortKeys.isEmpty,
              columns.count == 1, from.count == 1, from[0].derived == nil, from[0].stream == nil,
              // INDEXED BY goes through the planner, which checks that the index exists.
              from[0].indexHint == nil || from[0].indexHint == .notIndexed,
              !from[0].item.derived, !from[0].item.table.withoutRowid,
              case .function(let call) = columns[0].expr, call.name.value.sqlEquals("count"),
              call.filter == nil, call.over == nil else { return nil }
        switch call.arguments {
        case .star, .list([], distinct: false): return from[0].item
        default: return nil
        }
    }

    /// Opens the narrowest b-tree of `item`'s table, counts its entries and outputs the count.
    func emitSimpleCount(_ item: ScopeTable, _ columns: [OutputColumn], scope: ExprScope,
                         output: any RowConsumer) throws(DatabaseError) {
        let table = item.table
        let cursor = gen.builder.allocateCursor()
        let index = Self.narrowestIndex(table, notIndexed: from[0].indexHint == .notIndexed)
        if let index {
            gen.builder.emit(.openRead, cursor, Int32(bitPattern: index.rootPage), 0,
                             .keyInfo(gen.keyDescription(index, table)))
        } else {
            gen.builder.emit(.openRead, cursor, Int32(bitPattern: table.rootPage), 0, .int32(1))
        }
        let count = gen.builder.allocateRegisters()
        gen.builder.emit(.count, cursor, count)
        gen.builder.emit(.close, cursor)
        // explainSimpleCount: after the count, named by the table (not its alias).
        gen.explain("SCAN \(table.name)" + (index.map { " USING COVERING INDEX \($0.name)" } ?? ""))
        var outputScope = scope
        outputScope.aggregates = .results([(columns[0].expr, count)])
        let skip = gen.builder.makeLabel()
        try output.emitRow(gen, scope: outputScope, skip: skip)
        gen.builder.resolve(skip)
    }

    /// The index whose entries sqlite3 estimates narrower than the table's rows and than any
    /// other's (estimateIndexWidth, estimateTableWidth); partial indexes count fewer rows.
    static func narrowestIndex(_ table: TableSchema, notIndexed: Bool) -> IndexSchema? {
        guard !notIndexed else { return nil }
        let estimates = table.columns.map(sizeEstimate)
        let tableWidth = logEstimate(UInt64((estimates.reduce(0, +) + (table.rowidAlias == nil ? 1 : 0)) * 4))
        var best: (index: IndexSchema, width: Int)?
        for index in table.indexes where index.predicate == nil {
            // The entry's columns, then its rowid (an expression counts as one, as the rowid).
            var width = 1
            for column in index.columns {
                if case .column(let position) = column.term { width += estimates[position] } else { width += 1 }
            }
            let estimate = logEstimate(UInt64(width * 4))
            if estimate < tableWidth, best == nil || estimate < best!.width { best = (index, estimate) }
        }
        return best?.index
    }

    /// sqlite3's Column.szEst: a column's size in units of an integer's, from its declared type.
    private static func sizeEstimate(_ column: ColumnSchema) -> Int {
        guard let declared = column.declaredType, !declared.isEmpty else { return 1 }
        let upper = Array(declared.uppercased().utf8)
        // The standard type names (sqlite3StdType) set the estimate directly.
        if ["ANY", "BLOB", "INT", "INTEGER", "REAL", "TEXT"].contains(where: { Array($0.utf8) == upper }) {
            return column.affinity.code <= AffinityCode.text ? 5 : 1
        }
        guard column.affinity.code < AffinityCode.numeric else { return 1 }
        // sqlite3AffinityType: after CHAR (or "BLOB("), the first number is the size in bytes.
        var digitsFrom: Int?
        for start in upper.indices where start + 4 <= upper.count {
            let word = Array(upper[start..<start + 4])
            if word == Array("CHAR".utf8) { digitsFrom = start + 4; break }
            if word == Array("BLOB".utf8), start + 4 < upper.count, upper[start + 4] == UInt8(ascii: "(") {
                digitsFrom = start + 4
                break
            }
        }
        var size = 16
        if let digitsFrom {
            size = 0
            var position = digitsFrom
            while position < upper.count, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(upper[position]) { position += 1 }
            while position < upper.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(upper[position]), size < 1_000_000 {
                size = size * 10 + Int(upper[position] - UInt8(ascii: "0"))
                position += 1
            }
        }
        return min(size / 4 + 1, 255)
    }

    /// sqlite3LogEst: about 10 * log2(x).
    private static func logEstimate(_ value: UInt64) -> Int {
        let steps = [0, 2, 3, 5, 6, 7, 8, 9]
        var x = value
        var y = 40
        if x < 8 {
            if x < 2 { return 0 }
            while x < 8 { y -= 10; x <<= 1 }
        } else {
            let shift = 60 - x.leadingZeroBitCount
            if shift > 0 {
                y += shift * 10
                x >>= UInt64(shift)
            }
        }
        return steps[Int(x & 7)] + y - 10
    }
}
