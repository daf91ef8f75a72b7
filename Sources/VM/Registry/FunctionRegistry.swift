/// The functions a connection knows, by name and argument count (SQLite's function hash).
/// `builtin` holds every built-in of sqlite3 3.40.1 that Ringlite implements; a code generator
/// resolves calls with `lookup` and puts the definition in the instruction's P4.
package struct FunctionRegistry: Sendable {
    private var byName: [String: [FunctionDefinition]] = [:]

    package init() {}

    /// Adds or replaces the definition with the same name and argument count.
    package mutating func register(_ definition: FunctionDefinition) {
        let key = definition.name.lowercased()
        var list = byName[key] ?? []
        list.removeAll { $0.argumentCount == definition.argumentCount && $0.isAggregate == definition.isAggregate }
        list.append(definition)
        byName[key] = list
    }

    /// Every definition of a name, any arity.
    package func definitions(named name: String) -> [FunctionDefinition] {
        byName[name.lowercased()] ?? []
    }

    /// The definition a call with `argumentCount` arguments uses, chosen as sqlite3FindFunction
    /// does: an exact arity beats a variadic one; among definitions of equal arity a scalar and
    /// an aggregate are told apart by `aggregate` when given (min(x) the aggregate vs min(x, y)).
    package func lookup(_ name: String, argumentCount: Int, aggregate: Bool? = nil) -> FunctionDefinition? {
        guard let list = byName[name.lowercased()] else { return nil }
        var best: FunctionDefinition?
        var bestScore = 0
        for definition in list {
            if let aggregate, definition.isAggregate != aggregate { continue }
            let score: Int
            if definition.argumentCount == argumentCount {
                score = 6
            } else if definition.argumentCount < 0 && argumentCount >= definition.minimumArgumentCount {
                score = 1
            } else {
                continue
            }
            if score > bestScore {
                best = definition
                bestScore = score
            }
        }
        return best
    }

    /// The function EXPLAIN shows as `name(nArg)`, for programs read back from EXPLAIN output:
    /// the definition with exactly that name and nArg.
    package func definition(named name: String, declaredArgumentCount: Int, aggregate: Bool? = nil) -> FunctionDefinition? {
        definitions(named: name).first {
            $0.argumentCount == declaredArgumentCount && (aggregate == nil || $0.isAggregate == aggregate)
        }
    }

    /// sqlite3 3.40.1's built-in functions (those Ringlite has, JSON1's included), plus the later concat, concat_ws,
    /// octet_length, unhex and timediff.
    package static let builtin: FunctionRegistry = {
        var registry = FunctionRegistry()
        for definition in BuiltinScalars.all + BuiltinAggregates.all + MathFunctions.all + JSONRegistry.all {
            registry.register(definition)
        }
        return registry
    }()
}
