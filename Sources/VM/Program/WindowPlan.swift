import BTree

/// What one WindowCompute computes (P4 of WindowOpen): how the buffered rows are sorted and cut
/// into partitions and peer groups, and for each window function its arguments, frame and the
/// column its result goes to. Ringlite computes a pass of window functions over rows held in
/// memory (see `WindowBuffer`) instead of SQLite's ephemeral tables and AggStep/AggInverse
/// bytecode; the results are the ones window.c gives.
package final class WindowPlan: Sendable {
    package enum FrameUnit: Sendable { case rows, range, groups }

    /// A frame boundary; offsets are registers holding the (already checked) offset value.
    package enum Bound: Sendable, Equatable {
        case unboundedPreceding
        case preceding(register: Int32)
        case currentRow
        case following(register: Int32)
        case unboundedFollowing
    }

    /// `none` is a frame without an EXCLUDE clause; an explicit EXCLUDE NO OTHERS makes sqlite3
    /// recompute each row's aggregate from scratch (windowFullScan), which `noOthers` mirrors.
    package enum Exclusion: Sendable { case none, noOthers, currentRow, group, ties }

    package struct Frame: Sendable {
        package var unit: FrameUnit
        package var start: Bound
        package var end: Bound
        package var exclusion: Exclusion

        package init(unit: FrameUnit, start: Bound, end: Bound, exclusion: Exclusion) {
            self.unit = unit
            self.start = start
            self.end = end
            self.exclusion = exclusion
        }
    }

    package enum Kind: Sendable {
        case rowNumber, rank, denseRank, percentRank, cumeDist, ntile
        case lag, lead, firstValue, lastValue, nthValue
        /// An aggregate used as a window function; the collation is min()/max()'s CollSeq.
        case aggregate(FunctionDefinition, Collation)
    }

    package struct Function: Sendable {
        package var kind: Kind
        /// The column of the first argument, and how many there are.
        package var firstArgument: Int
        package var argumentCount: Int
        /// The column of the FILTER condition, if any.
        package var filter: Int?
        /// The column the result is written to.
        package var result: Int
        package var frame: Frame

        package init(kind: Kind, firstArgument: Int, argumentCount: Int, filter: Int?, result: Int, frame: Frame) {
            self.kind = kind
            self.firstArgument = firstArgument
            self.argumentCount = argumentCount
            self.filter = filter
            self.result = result
            self.frame = frame
        }
    }

    /// The number of values in each row (inputs and results).
    package let width: Int
    /// The columns the rows are sorted on, in order: the partition keys, then the ORDER BY keys.
    package let sortColumns: [Int]
    /// Collation and direction of each sort column.
    package let sortKey: KeyDescription
    /// How many leading sort columns are the PARTITION BY keys.
    package let partitionKeyCount: Int
    /// For RANGE frames with an offset: the single ORDER BY value's column and how it sorts
    /// (`bigNull`: NULLs sort as larger than any value, NULLS LAST ascending or NULLS FIRST
    /// descending).
    package let rangeColumn: Int?
    package let rangeDescending: Bool
    package let rangeBigNull: Bool
    package let rangeCollation: Collation
    package let functions: [Function]

    package init(width: Int, sortColumns: [Int], sortKey: KeyDescription, partitionKeyCount: Int, rangeColumn: Int?,
                 rangeDescending: Bool, rangeBigNull: Bool, rangeCollation: Collation, functions: [Function]) {
        precondition(sortColumns.count == sortKey.columns.count, "a window sort column without its key description")
        precondition(partitionKeyCount <= sortColumns.count, "more partition keys than sort keys")
        self.width = width
        self.sortColumns = sortColumns
        self.sortKey = sortKey
        self.partitionKeyCount = partitionKeyCount
        self.rangeColumn = rangeColumn
        self.rangeDescending = rangeDescending
        self.rangeBigNull = rangeBigNull
        self.rangeCollation = rangeCollation
        self.functions = functions
    }
}
