import BTree

// Turning parses and SQL values into JSON text, and JSON nodes into SQL values (json.c's
// JsonString helpers, jsonRenderNode and jsonReturn). Output is minified: no whitespace, and
// strings and numbers are copied as they were written (escapes and exponents kept).

/// JsonString: JSON text under construction.
struct JSONText {
    var bytes: [UInt8] = []

    mutating func append(_ c: UInt8) { bytes.append(c) }
    mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// jsonAppendSeparator: a comma unless the text is empty or just opened a container.
    mutating func appendSeparator() {
        guard let last = bytes.last else { return }
        if last != UInt8(ascii: "[") && last != UInt8(ascii: "{") { bytes.append(UInt8(ascii: ",")) }
    }

    /// jsonAppendString: `s` as a JSON string; '"' and '\' escaped, control characters as \b \t
    /// \n \f \r or \u00XX.
    mutating func appendString<S: Collection>(_ s: S) where S.Element == UInt8 {
        bytes.append(UInt8(ascii: "\""))
        for c in s {
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                bytes.append(UInt8(ascii: "\\"))
                bytes.append(c)
            case 0x08: append("\\b")
            case 0x09: append("\\t")
            case 0x0A: append("\\n")
            case 0x0C: append("\\f")
            case 0x0D: append("\\r")
            case 0..<0x20:
                append("\\u00")
                bytes.append(UInt8(ascii: "0") + (c >> 4))
                bytes.append(Array("0123456789abcdef".utf8)[Int(c & 0xF)])
            default:
                bytes.append(c)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// jsonAppendValue: NULL as null, numbers as their SQL text, text as a JSON string unless it
    /// is JSON already (`isJSON`, SQLite's JSON subtype), blobs refused.
    mutating func appendValue(_ value: ValueRef, isJSON: Bool) throws(FunctionError) {
        switch value {
        case .null:
            append("null")
        case .integer, .real:
            _ = value.withText { bytes.append(contentsOf: $0) }
        case .text(let p):
            if isJSON {
                bytes.append(contentsOf: p)
            } else {
                appendString(p)
            }
        case .blob:
            throw FunctionError("JSON cannot hold BLOB values")
        }
    }
}

/// What to render in place of nodes that json_set()/json_replace() marked: the call's arguments
/// and which of them carry JSON.
struct JSONReplacements {
    var arguments: FunctionArguments
    var isJSON: (Int) -> Bool
}

extension JSONParse {
    /// jsonRenderNode.
    func render(_ index: Int, into out: inout JSONText, _ replacements: JSONReplacements?) throws(FunctionError) {
        var index = index
        let flags = nodes[index].flags
        if flags & (JSONNode.replace | JSONNode.patch) != 0 {
            if flags & JSONNode.replace != 0, let replacements {
                let argument = nodes[index].u
                try out.appendValue(replacements.arguments[argument], isJSON: replacements.isJSON(argument))
                return
            }
            index = nodes[index].u
        }
        let node = nodes[index]
        switch node.type {
        case .null: out.append("null")
        case .true: out.append("true")
        case .false: out.append("false")
        case .string where node.flags & JSONNode.raw != 0:
            out.appendString(text[node.content..<(node.content + node.n)])
        case .string, .real, .integer:
            out.bytes.append(contentsOf: text[node.content..<(node.content + node.n)])
        case .array, .object:
            let isObject = node.type == .object
            out.append(isObject ? UInt8(ascii: "{") : UInt8(ascii: "["))
            var base = index
            while true {
                var j = 1
                while j <= nodes[base].n {
                    let valueIndex = isObject ? base + j + 1 : base + j
                    if nodes[valueIndex].flags & JSONNode.remove == 0 {
                        out.appendSeparator()
                        if isObject {
                            try render(base + j, into: &out, replacements)
                            out.append(UInt8(ascii: ":"))
                        }
                        try render(valueIndex, into: &out, replacements)
                    }
                    j += isObject ? 1 + nodes[valueIndex].size : nodes[valueIndex].size
                }
                if nodes[base].flags & JSONNode.append == 0 { break }
                base += nodes[base].u
            }
            out.append(isObject ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }
    }

    /// The node rendered as JSON text (jsonReturnJson's text).
    func json(_ index: Int, _ replacements: JSONReplacements? = nil) throws(FunctionError) -> Value {
        var out = JSONText()
        try render(index, into: &out, replacements)
        return .text(out.bytes)
    }

    /// jsonReturn: the node as an SQL value -- null as NULL, true and false as 1 and 0, numbers
    /// as integers (reals when too large) or reals, strings unescaped, containers as JSON text.
    func sqlValue(_ index: Int) throws(FunctionError) -> Value {
        let node = nodes[index]
        switch node.type {
        case .null: return .null
        case .true: return .integer(1)
        case .false: return .integer(0)
        case .integer:
            if let i = integerValue(node) { return .integer(i) }
            return realValue(node)
        case .real:
            return realValue(node)
        case .string:
            let start = node.content + 1
            let end = node.content + node.n - 1
            if node.flags & JSONNode.escape == 0 { return .text(Array(text[start..<end])) }
            return .text(unescape(start, end))
        case .array, .object:
            return try json(index)
        }
    }

    /// The JSON_INT branch of jsonReturn: nil when the digits do not fit (the value is then a
    /// real), as json.c decides it digit by digit.
    private func integerValue(_ node: JSONNode) -> Int64? {
        var k = node.content
        let negative = text[k] == UInt8(ascii: "-")
        if negative { k += 1 }
        var i: Int64 = 0
        let limit = Int64.max / 10
        while ASCII.isDigit(byte(k)) {
            let v = Int64(text[k] - UInt8(ascii: "0"))
            k += 1
            if i >= limit {
                if i > limit || ASCII.isDigit(byte(k)) || v == 9 { return nil }
                if v == 8 {
                    if negative { return Int64.min }
                    return nil
                }
            }
            i = i * 10 + v
        }
        return negative ? -i : i
    }

    private func realValue(_ node: JSONNode) -> Value {
        let r = text.withUnsafeBufferPointer { p in
            parseReal(UnsafeBufferPointer(rebasing: p[node.content..<(node.content + node.n)])).value
        }
        return .real(r)
    }

    /// Decodes the escapes of a string's content; a \u0000 ends the text, as in json.c.
    private func unescape(_ start: Int, _ end: Int) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(end - start)
        var i = start
        func hex4(_ at: Int) -> UInt32 {
            (0..<4).reduce(UInt32(0)) { $0 << 4 | UInt32(ASCII.hexValue(text[at + $1])) }
        }
        while i < end {
            var c = text[i]
            if c != UInt8(ascii: "\\") {
                out.append(c)
                i += 1
                continue
            }
            i += 1
            c = text[i]
            if c == UInt8(ascii: "u") {
                var v = hex4(i + 1)
                i += 4
                if v == 0 { break }
                if v <= 0x7F {
                    out.append(UInt8(v))
                } else if v <= 0x7FF {
                    out.append(UInt8(0xC0 | (v >> 6)))
                    out.append(UInt8(0x80 | (v & 0x3F)))
                } else if v & 0xFC00 == 0xD800, i < end - 5, text[i + 1] == UInt8(ascii: "\\"),
                          text[i + 2] == UInt8(ascii: "u"), hex4(i + 3) & 0xFC00 == 0xDC00 {
                    v = ((v & 0x3FF) << 10) + (hex4(i + 3) & 0x3FF) + 0x10000
                    i += 6
                    out.append(UInt8(0xF0 | (v >> 18)))
                    out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
                    out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                    out.append(UInt8(0x80 | (v & 0x3F)))
                } else {
                    out.append(UInt8(0xE0 | (v >> 12)))
                    out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
                    out.append(UInt8(0x80 | (v & 0x3F)))
                }
            } else {
                switch c {
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                default: out.append(c)
                }
            }
            i += 1
        }
        return out
    }
}
