import BTree
import Pager
import SQL
import VM

/// A prepared statement: bind parameters, step through rows, read columns, reset, run again.
///
/// Reading a column of the current row through the typed accessors (``int64(at:)``,
/// ``double(at:)``, ``withText(at:_:)``) does not copy or allocate; ``row`` copies the row out.
/// A statement belongs to its ``Connection`` and, like it, is used by one thread at a time
/// (it is not `Sendable`).
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

    /// The statement's SQL text (sqlite3_sql), without its trailing semicolon.
    ///
    /// ```swift
    /// try connection.prepare("SELECT 1;").sql   // "SELECT 1"
    /// ```
    public var sql: String { prepared.sql }

    /// The number of result columns (0 for statements that return no rows).
    ///
    /// ```swift
    /// try connection.prepare("SELECT 1, 2").columnCount   // 2
    /// ```
    public var columnCount: Int { prepared.columnCount }

    /// The result columns' names (sqlite3_column_name): the AS name, else the column's name for
    /// a column of a table, else the expression's text.
    ///
    /// ```swift
    /// try connection.prepare("SELECT a, b + 1 AS c FROM t").columnNames   // ["a", "c"]
    /// ```
    public var columnNames: [String] { prepared.columnNames }

    /// The result columns' declared types (sqlite3_column_decltype): for a result column that
    /// is a column of a table, the type its CREATE TABLE gave it (as written, nil when it gave
    /// none); nil for every other expression.
    ///
    /// ```swift
    /// // CREATE TABLE t(a INTEGER, b varchar(10), c)
    /// try connection.prepare("SELECT a, b, c, a + 1 FROM t").declaredTypes   // ["INTEGER", "varchar(10)", nil, nil]
    /// ```
    public var declaredTypes: [String?] { prepared.declaredTypes }

    /// The name of result column `index` (0-based).
    ///
    /// ```swift
    /// try connection.prepare("SELECT 1 AS one").columnName(at: 0)   // "one"
    /// ```
    public func columnName(at index: Int) -> String {
        precondition(index >= 0 && index < prepared.columnCount, "column \(index) of \(prepared.columnCount)")
        return prepared.columnNames[index]
    }

    /// The declared type of result column `index` (0-based); see ``declaredTypes``.
    ///
    /// ```swift
    /// try connection.prepare("SELECT a FROM t").declaredType(at: 0)   // "INTEGER"
    /// ```
    public func declaredType(at index: Int) -> String? {
        precondition(index >= 0 && index < prepared.columnCount, "column \(index) of \(prepared.columnCount)")
        return prepared.declaredTypes[index]
    }

    /// The largest parameter index (`?NNN` included), sqlite3_bind_parameter_count.
    ///
    /// ```swift
    /// try connection.prepare("SELECT ?, ?5").parameterCount   // 5
    /// ```
    public var parameterCount: Int { prepared.parameterCount }

    /// True when the statement does not write (sqlite3_stmt_readonly).
    ///
    /// ```swift
    /// try connection.prepare("SELECT 1").isReadOnly   // true
    /// ```
    public var isReadOnly: Bool { prepared.isReadOnly }

    // MARK: Parameters

    /// Binds parameter `index` (1-based); nil binds NULL. The value stays bound across
    /// ``reset()`` until it is bound again or ``clearBindings()`` runs.
    ///
    /// ```swift
    /// let statement = try connection.prepare("SELECT ?1 + ?2")
    /// try statement.bind(40, at: 1)
    /// try statement.bind(2.5, at: 2)
    /// ```
    ///
    /// - Throws: ``DatabaseError`` with `.range` for an index outside 1...``parameterCount``.
    public func bind(_ value: (any DatabaseValueConvertible)?, at index: Int) throws(DatabaseError) {
        try rethrowing { () throws(EngineError) in
            try prepared.bind(index, value?.databaseValue.storageValue ?? .null)
        }
    }

    /// Binds the named parameter (`:name`, `@name` or `$name`, prefix included).
    ///
    /// ```swift
    /// let statement = try connection.prepare("SELECT * FROM t WHERE a = :a")
    /// try statement.bind(7, named: ":a")
    /// ```
    ///
    /// - Throws: ``DatabaseError`` with `.range` when the statement has no such parameter.
    public func bind(_ value: (any DatabaseValueConvertible)?, named name: String) throws(DatabaseError) {
        guard let position = prepared.parameterNames.firstIndex(of: name) else {
            throw DatabaseError(resultCode: .range, message: "no parameter named \(name)", sql: sql)
        }
        try bind(value, at: position + 1)
    }

    /// Binds parameters 1...arguments.count in order.
    ///
    /// ```swift
    /// try statement.bind([1, "two", nil, [UInt8]([3])])
    /// ```
    public func bind(_ arguments: [(any DatabaseValueConvertible)?]) throws(DatabaseError) {
        for (offset, argument) in arguments.enumerated() {
            try bind(argument, at: offset + 1)
        }
    }

    /// Sets every parameter back to NULL (sqlite3_clear_bindings).
    ///
    /// ```swift
    /// statement.clearBindings()
    /// ```
    public func clearBindings() {
        prepared.clearBindings()
    }

    // MARK: Running

    /// Runs to the next row: true when a row is ready to read, false at the end (the next
    /// step then starts the statement again). An error resets the statement.
    ///
    /// ```swift
    /// while try statement.step() { print(statement.row) }
    /// ```
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
    ///
    /// ```swift
    /// let deleted = try connection.prepare("DELETE FROM t WHERE a > 10").run()
    /// ```
    @discardableResult
    public func run() throws(DatabaseError) -> Int64 {
        while try step() {}
        let changes = prepared.changes
        reset()
        return changes
    }

    /// Ends the current run so the next step starts again (bindings are kept). A statement
    /// reset while it was reading ends its autocommit read transaction.
    ///
    /// ```swift
    /// statement.reset()
    /// ```
    public func reset() {
        hasRow = false
        prepared.reset()
    }

    /// The remaining rows, read one at a time as ``RowCursor/next()`` asks for them.
    ///
    /// ```swift
    /// let cursor = try connection.prepare("SELECT a FROM big").rows()
    /// while let row = try cursor.next() { print(row[0]) }
    /// ```
    public func rows() -> RowCursor {
        RowCursor(statement: self)
    }

    // MARK: Columns of the current row

    private func checkedColumn(_ index: Int) {
        precondition(hasRow, "reading a column without a current row")
        precondition(index >= 0 && index < prepared.columnCount, "column \(index) of \(prepared.columnCount)")
    }

    /// Column `index` (0-based) of the current row, copied.
    ///
    /// ```swift
    /// if case .text(let name) = statement.value(at: 1) { print(name) }
    /// ```
    public func value(at index: Int) -> DatabaseValue {
        checkedColumn(index)
        return DatabaseValue(prepared.column(index))
    }

    /// The storage class of column `index` of the current row (sqlite3_column_type).
    ///
    /// ```swift
    /// if statement.storageClass(at: 0) == .null { print("NULL") }
    /// ```
    public func storageClass(at index: Int) -> StorageClass {
        checkedColumn(index)
        return prepared.withColumn(index) { value in
            switch value {
            case .null: .null
            case .integer: .integer
            case .real: .real
            case .text: .text
            case .blob: .blob
            }
        }
    }

    /// The column as an integer, converted as sqlite3_column_int64 converts.
    ///
    /// ```swift
    /// let id = statement.int64(at: 0)
    /// ```
    public func int64(at index: Int) -> Int64 {
        checkedColumn(index)
        return prepared.withColumn(index) { $0.int64Value }
    }

    /// The column as a double, converted as sqlite3_column_double converts.
    ///
    /// ```swift
    /// let price = statement.double(at: 2)
    /// ```
    public func double(at index: Int) -> Double {
        checkedColumn(index)
        return prepared.withColumn(index) { $0.doubleValue }
    }

    /// The column as text (nil for NULL), converted as sqlite3_column_text converts (a REAL
    /// as "%!.15g", a blob's bytes as they are).
    ///
    /// ```swift
    /// let name = statement.string(at: 1) ?? "(none)"
    /// ```
    public func string(at index: Int) -> String? {
        checkedColumn(index)
        return prepared.withColumn(index) { $0.withText { String(decoding: $0, as: UTF8.self) } }
    }

    /// The column as bytes (nil for NULL): a blob's bytes, or text's UTF-8 (numbers converted
    /// as for ``string(at:)``), as sqlite3_column_blob gives them.
    ///
    /// ```swift
    /// let digest = statement.bytes(at: 3) ?? []
    /// ```
    public func bytes(at index: Int) -> [UInt8]? {
        withText(at: index) { $0.map { Array($0) } }
    }

    /// Lends the column's UTF-8 bytes (nil for NULL) without copying them when the column is
    /// text or a blob already; the buffer is valid only inside `body`.
    ///
    /// ```swift
    /// let length = statement.withText(at: 0) { $0?.count ?? 0 }
    /// ```
    public func withText<R>(at index: Int, _ body: (UnsafeBufferPointer<UInt8>?) -> R) -> R {
        checkedColumn(index)
        return prepared.withColumn(index) { value in
            if value.isNull { return body(nil) }
            return value.withText { body($0) }!
        }
    }

    /// True when column `index` of the current row is NULL.
    ///
    /// ```swift
    /// if statement.isNull(at: 2) { print("no value") }
    /// ```
    public func isNull(at index: Int) -> Bool {
        checkedColumn(index)
        return prepared.withColumn(index) { $0.isNull }
    }

    /// The current row, copied.
    ///
    /// ```swift
    /// while try statement.step() { rows.append(statement.row) }
    /// ```
    public var row: Row {
        precondition(hasRow, "reading a row without a current row")
        return Row(columnNames: prepared.columnNames, values: (0..<prepared.columnCount).map { DatabaseValue(prepared.column($0)) })
    }

    private func rethrowing(_ body: () throws(EngineError) -> Void) throws(DatabaseError) {
        do { try body() } catch { throw DatabaseError(error, sql: sql) }
    }
}

@available(*, unavailable, message: "a Statement is used by one thread at a time, as its Connection is")
extension Statement: Sendable {}

/// The rows of a statement, stepped one at a time: for results too large to hold at once.
/// `next()` throws, so this is not a Swift `Sequence`; ``Connection/query(_:arguments:)``
/// returns the rows as an array when they fit in memory.
///
/// ```swift
/// let cursor = try connection.cursor("SELECT id, body FROM notes ORDER BY id")
/// while let row = try cursor.next() {
///     print(row["id"]!, row["body"]!)
/// }
/// ```
public final class RowCursor {
    /// The statement being stepped.
    public let statement: Statement
    private var finished = false

    init(statement: Statement) {
        self.statement = statement
    }

    /// The next row, or nil after the last one (the statement is then reset, and further
    /// calls return nil).
    ///
    /// ```swift
    /// while let row = try cursor.next() { print(row) }
    /// ```
    public func next() throws(DatabaseError) -> Row? {
        guard !finished else { return nil }
        guard try statement.step() else {
            finished = true
            statement.reset()
            return nil
        }
        return statement.row
    }
}

@available(*, unavailable, message: "a RowCursor is used by one thread at a time, as its Connection is")
extension RowCursor: Sendable {}
