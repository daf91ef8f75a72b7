import BTree
import Pager
import VM

/// The JSON operators and how JSON passes between JSON functions. sqlite3 gives the results of
/// JSON functions a subtype that tells an enclosing JSON function to embed them rather than
/// quote them; Ringlite decides it here, from the expression (see JSONFunctions.swift): an
/// argument a JSON function embeds that is itself a call of a JSON-returning function (or ->)
/// is compiled in its embedded form, and the enclosing call is told which arguments are JSON.
/// JSON that reaches a function any other way (CASE, COALESCE, a subquery, a view's column, or
/// the arguments of a window call, which the window stage compiles) is plain text here, where
/// sqlite3 would still embed it.
extension CodeGenerator {
    /// `left -> right` and `left ->> right`: parse.y turns them into calls of the functions
    /// named "->" and "->>" with two arguments, which is what EXPLAIN shows.
    func compileArrow(_ op: BinaryOperator, _ left: Expr, _ right: Expr, _ scope: ExprScope,
                      into target: Int32, embeddedJSON: Bool = false) throws(DatabaseError) {
        let name = op == .extract ? "->" : "->>"
        guard let definition = context.functions.lookup(name, argumentCount: 2, aggregate: false) else {
            throw DatabaseError(.SQLITE_ERROR, "no such function: \(name)")
        }
        let (first, called) = try compileCallArguments([left, right], definition, scope, embeddedJSON: embeddedJSON)
        builder.emit(.function, 0, first, target, .function(called), 2)
    }

    /// Compiles a call's arguments into consecutive registers and returns the first with the
    /// definition to call: for a JSON function, one told which arguments are embedded JSON and,
    /// with `embeddedJSON`, returning what its enclosing JSON function embeds.
    func compileCallArguments(_ arguments: [Expr], _ definition: FunctionDefinition, _ scope: ExprScope,
                              embeddedJSON: Bool = false) throws(DatabaseError) -> (Int32, FunctionDefinition) {
        let isJSON = JSONRegistry.producesJSON(definition)
            || (0..<arguments.count).contains { JSONRegistry.embeds(definition, argument: $0, of: arguments.count) }
        guard isJSON else {
            precondition(!embeddedJSON, "\(definition.name)() compiled as embedded JSON")
            return (try compileExprList(arguments, scope), definition)
        }
        if arguments.isEmpty {
            // json_array() or json_object() inside another JSON call: no arguments to embed,
            // but its result is still JSON the enclosing call embeds ([[]], not ["[]"]).
            let first = try compileExprList(arguments, scope)
            guard embeddedJSON else { return (first, definition) }
            return (first, JSONRegistry.specialised(definition, arguments: JSONArguments([]), asJSON: true))
        }
        let first = builder.allocateRegisters(arguments.count)
        var positions = [Bool](repeating: false, count: arguments.count)
        for (index, argument) in arguments.enumerated() {
            let register = first + Int32(index)
            if JSONRegistry.embeds(definition, argument: index, of: arguments.count),
               try compileEmbeddedJSON(argument, scope, into: register) {
                positions[index] = true
            } else {
                try compileExpr(argument, scope, into: register)
            }
        }
        let jsonArguments = JSONArguments(positions)
        if jsonArguments.isEmpty && !embeddedJSON { return (first, definition) }
        return (first, JSONRegistry.specialised(definition, arguments: jsonArguments, asJSON: embeddedJSON))
    }

    /// Compiles `expr` into `target` as embedded JSON and returns true when it is a call of a
    /// JSON-returning function or ->; returns false, compiling nothing, otherwise.
    private func compileEmbeddedJSON(_ expr: Expr, _ scope: ExprScope, into target: Int32) throws(DatabaseError) -> Bool {
        switch expr {
        case .binary(.extract, let left, let right):
            try compileArrow(.extract, left, right, scope, into: target, embeddedJSON: true)
            return true
        case .function(let call) where call.over == nil && WindowBuiltin(call.name.value) == nil:
            let count: Int
            switch call.arguments {
            case .star: return false
            case .list(let arguments, _): count = arguments.count
            }
            guard let definition = context.functions.lookup(call.name.value, argumentCount: count),
                  JSONRegistry.producesJSON(definition) else { return false }
            if definition.isAggregate {
                // json_group_array/object always return JSON text; their result register holds it.
                try compileExpr(expr, scope, into: target)
            } else {
                try compileFunction(call, expr, scope, into: target, embeddedJSON: true)
            }
            return true
        default:
            return false
        }
    }
}
