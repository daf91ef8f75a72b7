import BTree

// The JSON1 scalar functions of SQLite 3.40.1 (json.c), on the node arrays of JSONParse.
//
// sqlite3 marks the text a JSON function returns with a subtype, so that another JSON function
// given it as a value embeds it instead of quoting it (json_array(json('[1]')) is [[1]]).
// Ringlite's registers hold plain values, so the code generator decides it instead, from the
// expression: an argument in a value position that is itself a call of a JSON function is
// "JSON" (`JSONArguments`), and that inner call runs in its `asJSON` form, which returns what
// sqlite3 would embed (its JSON text, or its SQL value rendered as JSON). The subtype therefore
// travels only along direct nesting, not through CASE, COALESCE, subqueries or views, where
// sqlite3 would still carry it.

/// Which arguments of a call are JSON from a nested JSON function (sqlite3's JSON subtype).
package struct JSONArguments: Sendable, Equatable {
    package var positions: [Bool]

    package init(_ positions: [Bool] = []) { self.positions = positions }

    package subscript(_ index: Int) -> Bool { index < positions.count && positions[index] }
    package var isEmpty: Bool { !positions.contains(true) }
}

/// A JSON function's result and whether sqlite3 would give it the JSON subtype.
package struct JSONResult {
    package var value: Value
    package var isJSON: Bool

    static func json(_ value: Value) -> JSONResult { JSONResult(value: value, isJSON: true) }
    static func sql(_ value: Value) -> JSONResult { JSONResult(value: value, isJSON: false) }
    static let null = JSONResult(value: .null, isJSON: false)

    /// What a JSON function embeds for this result when it is an argument: JSON text as it is,
    /// NULL as NULL (embedded as null), anything else rendered as JSON (jsonAppendValue).
    func embedded() throws(FunctionError) -> Value {
        if isJSON || value == .null { return value }
        var out = JSONText()
        try value.withRef { (ref) throws(FunctionError) in try out.appendValue(ref, isJSON: false) }
        return .text(out.bytes)
    }
}

/// The body of a JSON scalar function.
package typealias JSONScalar = @Sendable (FunctionArguments, JSONArguments) throws(FunctionError) -> JSONResult

package enum JSONFunctions {
    static let malformed = FunctionError("malformed JSON")

    /// jsonParse of an argument's text: nil for NULL, an error when malformed.
    static func parse(_ value: ValueRef) throws(FunctionError) -> JSONParse? {
        guard let parse = value.withText({ JSONParse($0) }) else { return nil }
        guard let parse else { throw malformed }
        return parse
    }

    static func path(_ value: ValueRef) -> JSONPathText? {
        value.withText { JSONPathText($0) }
    }

    /// json(X), json_remove(X, PATH...).
    static func remove(_ a: FunctionArguments, _: JSONArguments) throws(FunctionError) -> JSONResult {
        guard !a.isEmpty, var x = try parse(a[0]) else { return .null }
        for argument in a.dropFirst() {
            guard let path = path(argument) else { return .null }
            if let node = try x.lookup(path) { x.nodes[node].flags |= JSONNode.remove }
        }
        if x.nodes[0].flags & JSONNode.remove != 0 { return .null }
        return .json(try x.json(0))
    }

    /// json_valid(X): 0 for NULL too, as jsonParseCached gives no parse for it.
    static func valid(_ a: FunctionArguments, _: JSONArguments) throws(FunctionError) -> JSONResult {
        let ok = a[0].withText { JSONParse($0) != nil } ?? false
        return .sql(.integer(ok ? 1 : 0))
    }

    /// json_quote(X).
    static func quote(_ a: FunctionArguments, _ json: JSONArguments) throws(FunctionError) -> JSONResult {
        var out = JSONText()
        try out.appendValue(a[0], isJSON: json[0])
        return .json(.text(out.bytes))
    }

    /// json_array(X...).
    static func array(_ a: FunctionArguments, _ json: JSONArguments) throws(FunctionError) -> JSONResult {
        var out = JSONText()
        out.append(UInt8(ascii: "["))
        for (index, argument) in a.enumerated() {
            out.appendSeparator()
            try out.appendValue(argument, isJSON: json[index])
        }
        out.append(UInt8(ascii: "]"))
        return .json(.text(out.bytes))
    }

    /// json_object(LABEL, VALUE, ...).
    static func object(_ a: FunctionArguments, _ json: JSONArguments) throws(FunctionError) -> JSONResult {
        if a.count % 2 != 0 { throw FunctionError("json_object() requires an even number of arguments") }
        var out = JSONText()
        out.append(UInt8(ascii: "{"))
        for index in stride(from: 0, to: a.count, by: 2) {
            guard case .text(let label) = a[index] else { throw FunctionError("json_object() labels must be TEXT") }
            out.appendSeparator()
            out.appendString(label)
            out.append(UInt8(ascii: ":"))
            try out.appendValue(a[index + 1], isJSON: json[index + 1])
        }
        out.append(UInt8(ascii: "}"))
        return .json(.text(out.bytes))
    }

    /// json_array_length(X [, PATH]): 0 for anything but an array.
    static func arrayLength(_ a: FunctionArguments, _: JSONArguments) throws(FunctionError) -> JSONResult {
        guard var x = try parse(a[0]) else { return .null }
        var node = 0
        if a.count == 2 {
            guard let path = path(a[1]), let found = try x.lookup(path) else { return .null }
            node = found
        }
        var count: Int64 = 0
        if x.nodes[node].type == .array {
            var i = 1
            while i <= x.nodes[node].n {
                i += x.nodes[node + i].size
                count += 1
            }
        }
        return .sql(.integer(count))
    }

    /// json_type(X [, PATH]).
    static func type(_ a: FunctionArguments, _: JSONArguments) throws(FunctionError) -> JSONResult {
        guard var x = try parse(a[0]) else { return .null }
        var node = 0
        if a.count == 2 {
            guard let path = path(a[1]), let found = try x.lookup(path) else { return .null }
            node = found
        }
        return .sql(.text(Array(x.nodes[node].type.name.utf8)))
    }

    /// json_extract(X, PATH...): one path gives the SQL value (JSON text for arrays and objects),
    /// several a JSON array of the values (null for missing ones).
    static func extract(_ a: FunctionArguments, _: JSONArguments) throws(FunctionError) -> JSONResult {
        guard a.count >= 2, var x = try parse(a[0]) else { return .null }
        if a.count == 2 {
            guard let path = path(a[1]), let node = try x.lookup(path) else { return .null }
            let type = x.nodes[node].type
            return JSONResult(value: try x.sqlValue(node), isJSON: type == .array || type == .object)
        }
        var out = JSONText()
        out.append(UInt8(ascii: "["))
        for argument in a.dropFirst() {
            let node: Int?
            if let path = path(argument) { node = try x.lookup(path) } else { node = nil }
            out.appendSeparator()
            if let node { try x.render(node, into: &out, nil) } else { out.append("null") }
        }
        out.append(UInt8(ascii: "]"))
        return .json(.text(out.bytes))
    }

    /// The -> (`asSQL` false) and ->> operators: json_extract with one path that may be
    /// abbreviated (NUMBER for $[NUMBER], LABEL for $.LABEL, [NUMBER] for $[NUMBER]); -> always
    /// returns JSON text.
    static func arrow(asSQL: Bool) -> JSONScalar {
        { (a, _) throws(FunctionError) -> JSONResult in
            guard var x = try parse(a[0]), var path = path(a[1]) else { return .null }
            if path.at(0) != UInt8(ascii: "$") {
                var full: [UInt8]
                if ASCII.isDigit(path.at(0)) {
                    full = Array("$[".utf8) + path.bytes.dropLast() + [UInt8(ascii: "]")]
                } else {
                    full = path.at(0) == UInt8(ascii: "[") ? [UInt8(ascii: "$")] : Array("$.".utf8)
                    full += path.bytes.dropLast()
                }
                path = JSONPathText(bytes: full)
            }
            guard let node = try x.lookup(path) else { return .null }
            if asSQL { return .sql(try x.sqlValue(node)) }
            return .json(try x.json(node))
        }
    }

    /// json_insert (`overwrite` false, `create` true), json_replace (true, false) and json_set
    /// (true, true): each PATH, VALUE pair in turn, later paths seeing earlier edits.
    static func edit(_ name: String, overwrite: Bool, create: Bool) -> JSONScalar {
        { (a, json) throws(FunctionError) -> JSONResult in
            guard !a.isEmpty else { return .null }
            if a.count % 2 == 0 { throw FunctionError("json_\(name)() needs an odd number of arguments") }
            guard var x = try parse(a[0]) else { return .null }
            for index in stride(from: 1, to: a.count, by: 2) {
                guard let path = path(a[index]) else { continue }
                var appended = false
                guard let node = try x.lookup(path, appending: create, appended: &appended) else { continue }
                if appended ? create : overwrite {
                    x.nodes[node].flags |= JSONNode.replace
                    x.nodes[node].u = index + 1
                }
            }
            if x.nodes[0].flags & JSONNode.replace != 0 {
                let argument = x.nodes[0].u
                return JSONResult(value: Value(a[argument]), isJSON: json[argument])
            }
            return .json(try x.json(0, JSONReplacements(arguments: a, isJSON: { json[$0] })))
        }
    }

    /// json_patch(TARGET, PATCH): RFC 7396 MergePatch as json.c does it.
    static func patch(_ a: FunctionArguments, _: JSONArguments) throws(FunctionError) -> JSONResult {
        guard var x = try parse(a[0]), let y = try parse(a[1]) else { return .null }
        let patchRoot = x.absorb(y)
        let result = x.mergePatch(0, patchRoot)
        return .json(try x.json(result))
    }
}

extension JSONParse {
    /// jsonMergePatch: returns the node that holds the result, editing the target in place.
    mutating func mergePatch(_ target: Int, _ patch: Int) -> Int {
        guard nodes[patch].type == .object else { return patch }
        guard nodes[target].type == .object else {
            removeAllNulls(patch)
            return patch
        }
        var appendRoot = target
        var i = 1
        while i < nodes[patch].n {
            let key = nodes[patch + i]
            var j = 1
            while j < nodes[target].n {
                let label = nodes[target + j]
                if label.n == key.n && text[label.content..<(label.content + label.n)]
                    .elementsEqual(text[key.content..<(key.content + key.n)]) {
                    if nodes[target + j + 1].flags & (JSONNode.remove | JSONNode.patch) != 0 { break }
                    if nodes[patch + i + 1].type == .null {
                        nodes[target + j + 1].flags |= JSONNode.remove
                    } else {
                        let merged = mergePatch(target + j + 1, patch + i + 1)
                        if merged != target + j + 1 {
                            nodes[target + j + 1].u = merged
                            nodes[target + j + 1].flags |= JSONNode.patch
                        }
                    }
                    break
                }
                j += nodes[target + j + 1].size + 1
            }
            if j >= nodes[target].n && nodes[patch + i + 1].type != .null {
                let start = addNode(.object, 2, -1)
                addNode(.string, key.n, key.content)
                let placeholder = addNode(.true, 0, -1)
                removeAllNulls(patch)
                nodes[appendRoot].flags |= JSONNode.append
                nodes[appendRoot].u = start - appendRoot
                appendRoot = start
                nodes[placeholder].flags |= JSONNode.patch
                nodes[placeholder].u = patch + i + 1
            }
            i += nodes[patch + i + 1].size + 1
        }
        return target
    }

    /// jsonRemoveAllNulls: marks the null members of an object, and of objects within it.
    mutating func removeAllNulls(_ object: Int) {
        var i = 2
        while i <= nodes[object].n {
            switch nodes[object + i].type {
            case .null: nodes[object + i].flags |= JSONNode.remove
            case .object: removeAllNulls(object + i)
            default: break
            }
            i += nodes[object + i].size + 1
        }
    }
}
