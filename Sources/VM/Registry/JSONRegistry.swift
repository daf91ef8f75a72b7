import BTree

/// The JSON1 functions of sqlite3 3.40.1 (json.c's aJsonFunc, without the debug-only json_parse
/// and json_test1, and without the json_each/json_tree table-valued functions, which need
/// table-valued FROM terms Ringlite lacks), and what the code generator needs to know to carry
/// JSON between nested calls (see JSONFunctions.swift).
package enum JSONRegistry {
    private struct Scalar {
        var name: String
        var argumentCount: Int
        var body: JSONScalar
        /// Whether sqlite3 may give the result the JSON subtype.
        var producesJSON: Bool
        /// Whether argument `index` of `count` is a value the function embeds (where JSON from a
        /// nested call is embedded, not quoted).
        var embeds: @Sendable (_ index: Int, _ count: Int) -> Bool
    }

    private static let never: @Sendable (Int, Int) -> Bool = { _, _ in false }
    private static let settings: @Sendable (Int, Int) -> Bool = { index, _ in index >= 2 && index % 2 == 0 }

    private static let scalars: [Scalar] = [
        Scalar(name: "json", argumentCount: 1, body: JSONFunctions.remove, producesJSON: true, embeds: never),
        Scalar(name: "json_array", argumentCount: -1, body: JSONFunctions.array, producesJSON: true, embeds: { _, _ in true }),
        Scalar(name: "json_array_length", argumentCount: 1, body: JSONFunctions.arrayLength, producesJSON: false, embeds: never),
        Scalar(name: "json_array_length", argumentCount: 2, body: JSONFunctions.arrayLength, producesJSON: false, embeds: never),
        Scalar(name: "json_extract", argumentCount: -1, body: JSONFunctions.extract, producesJSON: true, embeds: never),
        Scalar(name: "->", argumentCount: 2, body: JSONFunctions.arrow(asSQL: false), producesJSON: true, embeds: never),
        Scalar(name: "->>", argumentCount: 2, body: JSONFunctions.arrow(asSQL: true), producesJSON: false, embeds: never),
        Scalar(name: "json_insert", argumentCount: -1, body: JSONFunctions.edit("insert", overwrite: false, create: true),
               producesJSON: true, embeds: settings),
        Scalar(name: "json_object", argumentCount: -1, body: JSONFunctions.object, producesJSON: true,
               embeds: { index, _ in index % 2 == 1 }),
        Scalar(name: "json_patch", argumentCount: 2, body: JSONFunctions.patch, producesJSON: true, embeds: never),
        Scalar(name: "json_quote", argumentCount: 1, body: JSONFunctions.quote, producesJSON: true, embeds: { _, _ in true }),
        Scalar(name: "json_remove", argumentCount: -1, body: JSONFunctions.remove, producesJSON: true, embeds: never),
        Scalar(name: "json_replace", argumentCount: -1, body: JSONFunctions.edit("replace", overwrite: true, create: false),
               producesJSON: true, embeds: settings),
        Scalar(name: "json_set", argumentCount: -1, body: JSONFunctions.edit("set", overwrite: true, create: true),
               producesJSON: true, embeds: settings),
        Scalar(name: "json_type", argumentCount: 1, body: JSONFunctions.type, producesJSON: false, embeds: never),
        Scalar(name: "json_type", argumentCount: 2, body: JSONFunctions.type, producesJSON: false, embeds: never),
        Scalar(name: "json_valid", argumentCount: 1, body: JSONFunctions.valid, producesJSON: false, embeds: never),
    ]

    private static func scalar(named name: String, argumentCount: Int) -> Scalar? {
        scalars.first { $0.name == name && $0.argumentCount == argumentCount }
    }

    /// A definition of `scalar` whose calls see `arguments` as JSON and, with `asJSON`, return
    /// what an enclosing JSON function would embed (JSONResult.embedded).
    private static func definition(_ scalar: Scalar, _ arguments: JSONArguments, asJSON: Bool) -> FunctionDefinition {
        let body = scalar.body
        return FunctionDefinition(
            name: scalar.name, argumentCount: scalar.argumentCount, flags: .deterministic,
            body: .scalar({ (_, a) throws(FunctionError) -> Value in
                let result = try body(a, arguments)
                return asJSON ? try result.embedded() : result.value
            }))
    }

    static let all: [FunctionDefinition] = scalars.map { definition($0, JSONArguments(), asJSON: false) } + JSONAggregates.all

    /// Whether a call of `definition` (one of these functions) may return JSON that an enclosing
    /// JSON function embeds: the scalars sqlite3 gives the JSON subtype, and the aggregates.
    package static func producesJSON(_ definition: FunctionDefinition) -> Bool {
        if definition.isAggregate { return JSONAggregates.isJSONAggregate(definition) }
        return scalar(named: definition.name, argumentCount: definition.argumentCount)?.producesJSON ?? false
    }

    /// Whether argument `index` of a `count`-argument call of `definition` is a value it embeds.
    package static func embeds(_ definition: FunctionDefinition, argument index: Int, of count: Int) -> Bool {
        if definition.isAggregate { return JSONAggregates.embeds(definition, argument: index) }
        return scalar(named: definition.name, argumentCount: definition.argumentCount)?.embeds(index, count) ?? false
    }

    /// `definition` specialised for a call site: `arguments` are JSON, and with `asJSON` the call
    /// returns what its enclosing JSON function embeds. Same name and argument count, so EXPLAIN
    /// shows it as sqlite3 does.
    package static func specialised(_ definition: FunctionDefinition, arguments: JSONArguments,
                                    asJSON: Bool) -> FunctionDefinition {
        if definition.isAggregate { return JSONAggregates.specialised(definition, arguments: arguments) }
        guard let scalar = scalar(named: definition.name, argumentCount: definition.argumentCount) else {
            preconditionFailure("\(definition.name)() is not a JSON function")
        }
        return self.definition(scalar, arguments, asJSON: asJSON)
    }
}
