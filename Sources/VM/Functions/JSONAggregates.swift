import BTree

// json_group_array(VALUE) and json_group_object(LABEL, VALUE) (json.c jsonArrayStep,
// jsonObjectStep and their finalizers). The state is the text so far without its closing
// bracket, as in json.c. There is no inverse: as a window function over a moving frame each
// row's frame is aggregated afresh, which gives what sqlite3's jsonGroupInverse gives.

enum JSONAggregates {
    private static func aggregate(_ name: String, _ argumentCount: Int, object: Bool,
                                  _ arguments: JSONArguments) -> FunctionDefinition {
        FunctionDefinition(name: name, argumentCount: argumentCount, flags: .deterministic,
                           body: .aggregate(group(object: object, arguments)))
    }

    static let all: [FunctionDefinition] = [
        aggregate("json_group_array", 1, object: false, JSONArguments()),
        aggregate("json_group_object", 2, object: true, JSONArguments()),
    ]

    static func isJSONAggregate(_ definition: FunctionDefinition) -> Bool {
        definition.name == "json_group_array" || definition.name == "json_group_object"
    }

    /// The value argument: json_group_array's only one, json_group_object's second.
    static func embeds(_ definition: FunctionDefinition, argument index: Int) -> Bool {
        switch definition.name {
        case "json_group_array": index == 0
        case "json_group_object": index == 1
        default: false
        }
    }

    static func specialised(_ definition: FunctionDefinition, arguments: JSONArguments) -> FunctionDefinition {
        precondition(isJSONAggregate(definition), "\(definition.name)() is not a JSON aggregate")
        let object = definition.name == "json_group_object"
        return aggregate(definition.name, definition.argumentCount, object: object, arguments)
    }

    private static func group(object: Bool, _ json: JSONArguments) -> AggregateFunction {
        let open = object ? UInt8(ascii: "{") : UInt8(ascii: "[")
        let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
        return AggregateFunction(
            step: { (state, context, arguments) throws(FunctionError) in
                var out = JSONText()
                if case .concat(let existing) = state {
                    out.bytes = existing
                    state = .empty
                    if out.bytes.count > 1 { out.append(UInt8(ascii: ",")) }
                } else {
                    out.append(open)
                }
                if object {
                    // The label is taken as text whatever its type; a NULL one adds nothing.
                    _ = arguments[0].withText { out.appendString($0) }
                    out.append(UInt8(ascii: ":"))
                    try out.appendValue(arguments[1], isJSON: json[1])
                } else {
                    try out.appendValue(arguments[0], isJSON: json[0])
                }
                guard out.bytes.count <= context.lengthLimit else { throw .tooBig }
                state = .concat(out.bytes)
            },
            final: { state, _ in
                guard case .concat(var text) = state else { return .text([open, close]) }
                text.append(close)
                return .text(text)
            })
    }
}
