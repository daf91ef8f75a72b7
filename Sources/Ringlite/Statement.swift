import BTree
import Pager
import SQL
import VM

/// A prepared statement: bind parameters, step through rows, read columns, reset, run again.
///
/// Reading a column of the current row through the typed accessors (``int64(at:)``,
/// ``double(at:)``, ``withText(at:_:)``) does not copy or allocate; ``row`` copies the row out.
///
/// ```swift
/// let insert = try connection.prepare("INSERT INTO t(a, b) VALUES (?, ?)")
/// for i in 0..<1000 {
///     try insert.bind([i, "row \(i)"])
///     try insert.run()
/// }
/// let select = try connection.prepare("SELECT a, b FROM t WHERE a < ?")
/// try select.bind([10])
/// while try select.step() {
///     print(select.int64(at: 0), select.string(at: 1) ?? "NULL")
/// }
/// ```
public final class Statement {
    let prepared: PreparedStatement
    /// Keeps the connection (and its database) alive while the statement exists.
    let connection: Connection
    private var hasRow = false

    init(_ prepared: PreparedStatement, connection: Connection) {
        self.prepared = prepared
        self.connection = connection
    }

    deinit {
        // An unfinished statement ends like sqlite3_finalize: its autocommit transaction ends.
        prepared.reset()
    }

    /// The statement's SQL text.
    public var sql: String { prepared.sql }
    public var columnCount: Int { prepared.columnCount }
    public var columnNames: [String] { prepared.columnNames }
    /// The declared types of the result columns that come straight from a table column.
    public var declaredTypes: [String?] { prepared.declaredTypes }
    /// The largest parameter index (`?NNN` included).
    public var parameterCount: Int { prepared.parameterCount }
    /// True when the statement does not write (sqlite3_stmt_readonly).
    public var isReadOnly: Bool { prepared.isReadOnly }

    // MARK: Parameters

    /// Binds parameter `index` (1-based); nil binds NULL.
    public func bind(_ value: (any DatabaseValueConvertible)?, at index: Int) throws(DatabaseError) {
        try rethrowing { () throws(EngineError) in
            try prepared.bind(index, value?.databaseValue.storageValue ?? .null)
        }
    }

    /// Binds the named parameter (`:name`, `@name` or `$name`, prefix included).
    public func bind(_ value: (any DatabaseValueConvertible)?, named name: String) throws(DatabaseError) {
        guard let position = prepared.parameterNames.firstIndex(of: name) else {
            throw DatabaseError(resultCode: .range, message: "no parameter named \(name)", sql: sql)
        }
        try bind(value, at: position + 1)
    }

    /// Binds parameters 1...arguments.count in order.
    public func bind(_ arguments: [(any DatabaseValueConvertible)?]) throws(DatabaseError) {
        for (offset, argument) in arguments.enumerated() {
            try bind(argument, at: offset + 1)
        }
    }

    public func clearBindings() {
        prepared.clearBindings()
    }

    // MARK: Running

    /// Runs to the next row: true when a row is ready to read, false at the end (the next
    /// step then starts the statement again).
    @discardableResult
    public func step() throws(DatabaseError) -> Bool {
        do {
            hasRow = try prepared.step() == .row
            return hasRow
        } catch {
            hasRow = false
            prepared.reset()
            throw DatabaseError(error)
        }
    }

    /// Runs the statement to its end with the current bindings and resets it; returns the
    /// rows it changed.
    @discardableResult
    public func run() throws(DatabaseError) -> Int64 {
        while try step() {}
        let changes = prepared.changes
        reset()
        return changes
    }

    /// Ends the current run so the next step starts again (bindings are kept).
    public func reset() {
        hasRow = false
        prepared.reset()
    }

    // MARK: Columns of the current row

    private func checkedColumn(_ index: Int) {
        precondition(hasRow, "reading a column without a current row")
        precondition(index >= 0 && index < prepared.columnCount, "column \(index) of \(prepared.columnCount)")
    }

    public func value(at index: Int) -> DatabaseValue {
        checkedColumn(index)
        return DatabaseValue(prepared.column(index))
    }

    /// The column as an integer, converted as sqlite3_column_int64 converts.
    public func int64(at index: Int) -> Int64 {
        checkedColumn(index)
        return prepared.withColumn(index) { $0.int64Value }
    }

    /// The column as a double, converted as sqlite3_column_double converts.
    public func double(at index: Int) -> Double {
        checkedColumn(index)
        return prepared.withColumn(index) { $0.doubleValue }
    }

    /// The column as text (nil for NULL), converted as sqlite3_column_text converts.
    public func string(at index: Int) -> String? {
        checkedColumn(index)
        return prepared.withColumn(index) { $0.withText { String(decoding: $0, as: UTF8.self) } }
    }

    /// Lends the column's UTF-8 bytes (nil for NULL) without copying them when the column is
    /// text already.
    public func withText<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        checkedColumn(index)
        return prepared.withColumn(index) { value in
            if value.isNull { return body(nil) }
            return value.withText { body($0) }!
        }
    }

    public func isNull(at index: Int) -> Bool {
        checkedColumn(index)
        return prepared.withColumn(index) { $0.isNull }
    }

    /// The current row, copied.
    public var row: Row {
        precondition(hasRow, "reading a row without a current row")
        return Row(columnNames: prepared.columnNames, values: (0..<prepared.columnCount).map { DatabaseValue(prepared.column($0)) })
    }

    private func rethrowing(_ body: () throws(EngineError) -> Void) throws(DatabaseError) {
        do { try body() } catch { throw DatabaseError(error, sql: sql) }
    }
}

@available(*, unavailable)
extension Statement: Sendable {}
