import BTree

/// The rows of one window pass (WindowOpen ... WindowNext), held in memory as a flat array of
/// `plan.width` values per row: appended unsorted, sorted once on the partition and ORDER BY
/// keys (stably, as sqlite3's sorter keeps rows with equal keys in input order), then read back
/// with the window functions' results filled in.
final class WindowBuffer {
    let plan: WindowPlan
    private(set) var values: [Value] = []
    private(set) var rowCount = 0
    /// The row WindowColumn reads.
    var position = 0

    init(plan: WindowPlan) {
        self.plan = plan
    }

    func reset() {
        values.removeAll(keepingCapacity: true)
        rowCount = 0
        position = 0
    }

    /// Appends a row: `source` gives its first values, the rest (the results) start NULL.
    func append(_ source: UnsafeMutableBufferPointer<Value>) {
        precondition(source.count <= plan.width, "a window row of \(source.count) values in a buffer \(plan.width) wide")
        values.append(contentsOf: source)
        for _ in source.count..<plan.width { values.append(.null) }
        rowCount += 1
    }

    @inline(__always)
    func value(_ row: Int, _ column: Int) -> Value {
        values[row &* plan.width &+ column]
    }

    @inline(__always)
    func set(_ row: Int, _ column: Int, _ value: Value) {
        values[row &* plan.width &+ column] = value
    }

    /// Sorts the rows on the sort columns; equal keys keep their order.
    func sort() {
        let columns = plan.sortColumns
        guard !columns.isEmpty, rowCount > 1 else { return }
        let keyInfo = plan.sortKey.keyInfo
        let width = plan.width
        let order = (0..<rowCount).sorted { left, right in
            for (index, column) in columns.enumerated() {
                let key = keyInfo.column(index)
                let result = ValueOrdering.compare(values[left * width + column], values[right * width + column],
                                                   collation: key.collation)
                if result != 0 { return key.descending ? result > 0 : result < 0 }
            }
            return left < right
        }
        var sorted: [Value] = []
        sorted.reserveCapacity(values.count)
        for row in order { sorted.append(contentsOf: values[(row * width)..<((row + 1) * width)]) }
        values = sorted
    }

    /// Whether rows `a` and `b` agree on sort columns `range` (by the columns' collations).
    func sameKeys(_ a: Int, _ b: Int, _ range: Range<Int>) -> Bool {
        let keyInfo = plan.sortKey.keyInfo
        for index in range {
            let column = plan.sortColumns[index]
            if ValueOrdering.compare(value(a, column), value(b, column), collation: keyInfo.column(index).collation) != 0 {
                return false
            }
        }
        return true
    }
}

@available(*, unavailable)
extension WindowBuffer: Sendable {}

/// One partition's rows [start, end) and its peer groups (rows equal on every ORDER BY key;
/// without ORDER BY the whole partition is one group).
struct WindowPartition {
    let start: Int
    let end: Int
    /// The group of each row, by row - start.
    var groupOf: [Int] = []
    /// The first row of each group; `groupFirst[g + 1]` (or `end`) is past its last.
    var groupFirst: [Int] = []

    init(_ buffer: WindowBuffer, start: Int, end: Int) {
        self.start = start
        self.end = end
        let peers = buffer.plan.partitionKeyCount..<buffer.plan.sortColumns.count
        groupOf.reserveCapacity(end - start)
        for row in start..<end {
            if row == start || !buffer.sameKeys(row - 1, row, peers) { groupFirst.append(row) }
            groupOf.append(groupFirst.count - 1)
        }
    }

    var count: Int { end - start }
    var groupCount: Int { groupFirst.count }

    func group(_ row: Int) -> Int { groupOf[row - start] }

    /// Past the last row of group `g`.
    func groupEnd(_ g: Int) -> Int { g + 1 < groupFirst.count ? groupFirst[g + 1] : end }
}
