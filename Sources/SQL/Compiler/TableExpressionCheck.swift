import BTree
import Pager
import VM

/// The checks sqlite3EndTable makes on a new table's CHECK constraints and generated columns
/// when it resolves them against the table (sqlite3ResolveSelfReference): every column they name
/// exists, and they use no parameters, subqueries or unknown functions. What SQLite checks beyond
/// that (argument counts, aggregates) is left to the expression compiler, which refuses such
/// expressions when a statement evaluates them.
enum TableExpressionCheck {
    static func check(_ table: TableSchema, functions: FunctionRegistry) throws(DatabaseError) {
        for column in table.columns {
            if let generated = column.generated {
                try check(generated.expr, table, functions, context: "generated columns")
            }
        }
        for constraint in table.checks {
            try check(constraint.expr, table, functions, context: "CHECK constraints")
        }
    }

    private static func check(_ expr: Expr, _ table: TableSchema, _ functions: FunctionRegistry,
                              context: String) throws(DatabaseError) {
        switch expr {
        case .literal, .raise:
            return
        case .parameter:
            throw DatabaseError(.SQLITE_ERROR, "parameters prohibited in \(context)")
        case .exists, .subquery, .inSelect:
            throw DatabaseError(.SQLITE_ERROR, "subqueries prohibited in \(context)")
        case .inTable(_, let value, _, _):
            try check(value, table, functions, context: context)
            throw DatabaseError(.SQLITE_ERROR, "subqueries prohibited in \(context)")
        case .column(let reference):
            let qualifierMatches = reference.table.map { $0.value.sqlEquals(table.name) } ?? true
            let schemaMatches = reference.schema.map { $0.value.sqlEquals("main") } ?? true
            if qualifierMatches && schemaMatches && table.column(named: reference.column.value) != nil { return }
            // An unknown bare double-quoted name is a string, as everywhere in SQLite.
            if reference.table == nil && reference.column.quoting == .doubleQuoted { return }
            var written = reference.column.value
            if let qualifier = reference.table { written = "\(qualifier.value).\(written)" }
            if let schema = reference.schema { written = "\(schema.value).\(written)" }
            throw DatabaseError(.SQLITE_ERROR, "no such column: \(written)")
        case .unary(_, let inner), .isNull(let inner), .notNull(let inner), .collate(let inner, _), .cast(let inner, _):
            try check(inner, table, functions, context: context)
        case .binary(_, let left, let right):
            try check(left, table, functions, context: context)
            try check(right, table, functions, context: context)
        case .pattern(_, _, let value, let pattern, let escape):
            try check(value, table, functions, context: context)
            try check(pattern, table, functions, context: context)
            if let escape { try check(escape, table, functions, context: context) }
        case .between(_, let value, let low, let high):
            for part in [value, low, high] { try check(part, table, functions, context: context) }
        case .inList(_, let value, let list):
            try check(value, table, functions, context: context)
            for item in list { try check(item, table, functions, context: context) }
        case .case(let expression):
            if let operand = expression.operand { try check(operand, table, functions, context: context) }
            for branch in expression.branches {
                try check(branch.when, table, functions, context: context)
                try check(branch.then, table, functions, context: context)
            }
            if let otherwise = expression.otherwise { try check(otherwise, table, functions, context: context) }
        case .function(let call):
            if functions.definitions(named: call.name.value).isEmpty {
                throw DatabaseError(.SQLITE_ERROR, "no such function: \(call.name.value)")
            }
            if case .list(let arguments, _) = call.arguments {
                for argument in arguments { try check(argument, table, functions, context: context) }
            }
        case .vector(let terms):
            for term in terms { try check(term, table, functions, context: context) }
        }
    }
}
