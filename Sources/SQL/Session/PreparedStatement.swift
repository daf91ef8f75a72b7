import BTree
import Pager
import VM

/// A prepared statement (sqlite3_stmt): its program and one run of it. A program compiled
/// against a schema that has since changed fails its Transaction's cookie check with
/// SQLITE_SCHEMA before it does anything; the statement then reads the schema again, compiles
/// again and retries, as sqlite3_prepare_v2's statements do. `EXPLAIN` statements return the
/// program's listing instead of running it. Confined to its connection's thread.
package final class PreparedStatement {
    package unowned let connection: SQLConnection
    package let parsed: ParsedStatement
    /// The statement's text, EXPLAIN prefix included, without the trailing semicolon.
    package let sql: String
    /// The white space and comments after the statement, up to its semicolon (see
    /// `CompileContext.statementTrailer`).
    let trailer: String
    package private(set) var program: Program!
    private var machine: VirtualMachine!
    private var bindings: [Int: Value] = [:]
    /// EXPLAIN's rows and the next one to return.
    private var explainRows: [ExplainRow] = []
    private var explainPosition = 0
    private var explainRow: [Value] = []
    /// True once the current run has returned a row: a schema change is then an error, not a
    /// reason to recompile.
    private var producedRow = false

    private static let explainColumns = ["addr", "opcode", "p1", "p2", "p3", "p4", "p5", "comment"]
    private static let schemaRetries = 8

    init(connection: SQLConnection, parsed: ParsedStatement, sql: String, trailer: String = "") {
        self.connection = connection
        self.parsed = parsed
        self.sql = sql
        self.trailer = trailer
    }

    func compile() throws(DatabaseError) {
        try connection.refreshSchema()
        var context = connection.context
        context.statementTrailer = trailer
        program = try SQLCompiler.compile(parsed, source: sql, context: context)
        machine = VirtualMachine(program: program, connection: connection.state)
        for (index, value) in bindings { try machine.bind(index, value) }
        if parsed.explain == .explain {
            explainRows = program.explain()
        }
    }

    package var isExplain: Bool { parsed.explain == .explain }

    /// The result columns' names.
    package var columnNames: [String] { isExplain ? Self.explainColumns : program.columnNames }
    package var declaredTypes: [String?] {
        isExplain ? Array(repeating: nil, count: Self.explainColumns.count) : program.declaredTypes
    }
    package var columnCount: Int { columnNames.count }
    package var parameterCount: Int { program.parameterCount }
    package var parameterNames: [String?] { program.parameterNames }
    /// sqlite3_stmt_readonly.
    package var isReadOnly: Bool { isExplain || !program.writes }

    /// Binds parameter `index` (1-based) for the next run.
    package func bind(_ index: Int, _ value: Value) throws(DatabaseError) {
        guard index >= 1 && index <= program.parameterCount else {
            throw DatabaseError(.SQLITE_RANGE, "column index out of range")
        }
        bindings[index] = value
        try machine.bind(index, value)
    }

    package func clearBindings() {
        bindings.removeAll()
        machine.clearBindings()
    }

    /// Runs to the next row (`.row`) or the end (`.done`), waiting for IO as it goes.
    package func step() throws(DatabaseError) -> StepResult {
        if isExplain { return stepExplain() }
        var retries = 0
        while true {
            do {
                let result = try machine.stepBlocking()
                producedRow = result == .row
                return result
            } catch {
                guard error.resultCode == .SQLITE_SCHEMA, !producedRow, retries < Self.schemaRetries else {
                    producedRow = false
                    throw error
                }
                retries += 1
                machine.reset()
                connection.expireSchema()
                try compile()
            }
        }
    }

    private func stepExplain() -> StepResult {
        guard explainPosition < explainRows.count else {
            explainPosition = 0
            return .done
        }
        let row = explainRows[explainPosition]
        explainPosition += 1
        explainRow = [.integer(Int64(row.address)), .text(row.opcode), .integer(Int64(row.p1)), .integer(Int64(row.p2)),
                      .integer(Int64(row.p3)), row.p4.isEmpty ? .null : .text(row.p4), .integer(Int64(row.p5)),
                      row.comment.isEmpty ? .null : .text(row.comment)]
        return .row
    }

    /// Value `index` of the current row.
    package func column(_ index: Int) -> Value {
        isExplain ? explainRow[index] : machine.column(index)
    }

    /// Lends value `index` of the current row without copying its bytes.
    package func withColumn<R>(_ index: Int, _ body: (ValueRef) -> R) -> R {
        isExplain ? explainRow[index].withRef(body) : machine.withColumn(index, body)
    }

    /// Rows changed by the current run.
    package var changes: Int64 { isExplain ? 0 : machine.changes }

    /// Ends the current run (committing an autocommit statement's work) so the next step starts
    /// again; bindings are kept.
    package func reset() {
        producedRow = false
        explainPosition = 0
        machine.reset()
    }
}

@available(*, unavailable)
extension PreparedStatement: Sendable {}
