import BTree
import Pager
import VM

/// The checks sqlite3CreateIndex makes on an index's expressions and a partial index's WHERE
/// when it resolves them against the table (resolve.c with NC_IdxExpr / NC_PartIdx): no
/// parameters, subqueries, aggregates or non-deterministic functions, and every column and
/// function they name exists. Nodes are visited parent first, as sqlite3's walker reports them.
enum IndexExpressionCheck {
    enum Context {
        case expression
        case predicate

        var wording: String {
            switch self {
            case .expression: "index expressions"
            case .predicate: "partial index WHERE clauses"
            }
        }
    }

    /// The date and time functions: SQLITE_FUNC_SLOCHNG in sqlite3, allowed in indexes (their
    /// 'now' is refused only when evaluated), though Ringlite marks them volatile for the clock.
    private static let dateTimeFunctions: Set<String> = ["date", "time", "datetime", "julianday", "strftime", "unixepoch"]

    static func check(_ expr: Expr, _ table: TableSchema, _ source: SchemaCompiler.Source,
                      context: Context) throws(DatabaseError) {
        var failure: DatabaseError?
        let functions = source.context.functions
        let scratch = CodeGenerator(parsed: source.parsed, source: source.sql, context: source.context)
        scratch.walk(expr) { node in
            guard failure == nil else { return false }
            switch node {
            case .parameter:
                failure = DatabaseError(.SQLITE_ERROR, "parameters prohibited in \(context.wording)")
            case .exists, .subquery, .inSelect, .inTable:
                failure = DatabaseError(.SQLITE_ERROR, "subqueries prohibited in \(context.wording)")
            case .column(let reference) where reference.table != nil && context == .expression:
                failure = DatabaseError(.SQLITE_ERROR, "the \".\" operator prohibited in index expressions")
            case .function(let call):
                let count: Int
                switch call.arguments {
                case .star: count = 0
                case .list(let arguments, _): count = arguments.count
                }
                // Unknown names and wrong argument counts are the expression compiler's to report.
                if let first = functions.lookup(call.name.value, argumentCount: count) {
                    if first.isAggregate {
                        failure = DatabaseError(.SQLITE_ERROR, "misuse of aggregate function \(call.name.value)()")
                    } else if !first.flags.contains(.deterministic)
                                && !dateTimeFunctions.contains(call.name.value.sqlKey) {
                        failure = DatabaseError(.SQLITE_ERROR, "non-deterministic functions prohibited in \(context.wording)")
                    }
                }
            default:
                break
            }
            return failure == nil
        }
        if let failure { throw failure }
        // The names (columns, functions, argument counts) resolve as in any expression on the table.
        let scope = ExprScope(table: ScopeTable(table: table, exposedName: table.name, cursor: scratch.builder.allocateCursor()))
        _ = try scratch.compileExpr(expr, scope)
    }
}
