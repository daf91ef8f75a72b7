import BTree

// The JSON parse of SQLite 3.40.1's json.c, ported node for node: a value is a flat array of
// nodes where an array or object node is followed by its descendants and counts them in `n`.
// Keeping json.c's representation (rather than a tree) keeps its quirks too: edits mark nodes
// (REMOVE, REPLACE, PATCH) and add nodes at the end (APPEND chains) instead of rebuilding, and
// path lookups walk the same structure, so results match sqlite3 byte for byte. JSON5 is not
// accepted (it arrived in 3.42).

/// JSON_NULL ... JSON_OBJECT of json.c, in its order (json_type() names them).
package enum JSONType: UInt8 {
    case null = 0, `true`, `false`, integer, real, string, array, object

    /// jsonType[]: the names json_type() returns.
    var name: String {
        switch self {
        case .null: "null"
        case .true: "true"
        case .false: "false"
        case .integer: "integer"
        case .real: "real"
        case .string: "text"
        case .array: "array"
        case .object: "object"
        }
    }
}

/// JsonNode.
struct JSONNode {
    static let raw: UInt8 = 0x01       // content is raw text, not JSON encoded (labels added by a path)
    static let escape: UInt8 = 0x02    // content has backslash escapes
    static let remove: UInt8 = 0x04    // not output
    static let replace: UInt8 = 0x08   // output argument `u` instead
    static let patch: UInt8 = 0x10     // output node `u` instead
    static let append: UInt8 = 0x20    // more entries at node index + `u`
    static let label: UInt8 = 0x40     // an object's label

    var type: JSONType
    var flags: UInt8 = 0
    /// Content bytes for scalars, the number of descendant nodes for arrays and objects.
    var n: Int
    /// Offset of the content in the parse's text, -1 when none.
    var content: Int
    /// iAppend (relative), iReplace (argument index) or the index of a patch node.
    var u: Int = 0

    /// jsonNodeSize: how many nodes to skip to the next sibling.
    var size: Int { type.rawValue >= JSONType.array.rawValue ? n + 1 : 1 }
}

/// JsonParse: the nodes and the text their content points into. The text ends with a NUL, as
/// the C code relies on; bytes after an embedded NUL are not part of the JSON (sqlite3 reads the
/// argument as a C string).
struct JSONParse {
    static let maxDepth = 2000

    var nodes: [JSONNode] = []
    var text: [UInt8]
    private var depth = 0

    /// jsonParse: nil when the text is not well-formed JSON.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        let end = bytes.firstIndex(of: 0) ?? bytes.count
        text = Array(bytes[0..<end])
        text.append(0)
        nodes.reserveCapacity(8)
        var i = parseValue(0)
        if i > 0 {
            while JSONParse.isSpace(byte(i)) { i += 1 }
            if byte(i) != 0 { i = -1 }
        }
        if i <= 0 { return nil }
    }

    /// The byte at `i`, or NUL past the end (the C code reads the terminator).
    @inline(__always)
    func byte(_ i: Int) -> UInt8 { i < text.count ? text[i] : 0 }

    /// jsonIsSpace: tab, newline, carriage return and space only.
    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D }

    @discardableResult
    mutating func addNode(_ type: JSONType, _ n: Int, _ content: Int) -> Int {
        nodes.append(JSONNode(type: type, n: n, content: content))
        return nodes.count - 1
    }

    /// Adds `bytes` to the text (for labels a path adds) and returns their offset.
    mutating func addText(_ bytes: ArraySlice<UInt8>) -> Int {
        let start = text.count
        text.append(contentsOf: bytes)
        return start
    }

    private func startsWith(_ i: Int, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        for k in 0..<count where byte(i + k) != word.utf8Start[k] { return false }
        let next = byte(i + count)
        return !(ASCII.isDigit(next) || (next | 0x20 >= 0x61 && next | 0x20 <= 0x7A))
    }

    /// jsonParseValue: the index just past the value at `i`; -1 for a syntax error, -2 at a
    /// '}' and -3 at a ']' (the ends of empty or trailing containers), 0 at the end of the text.
    private mutating func parseValue(_ start: Int) -> Int {
        var i = start
        while JSONParse.isSpace(byte(i)) { i += 1 }
        let c = byte(i)
        switch c {
        case UInt8(ascii: "{"):
            let this = addNode(.object, 0, -1)
            var j = i + 1
            while true {
                while JSONParse.isSpace(byte(j)) { j += 1 }
                depth += 1
                if depth > JSONParse.maxDepth { return -1 }
                var x = parseValue(j)
                if x < 0 {
                    depth -= 1
                    if x == -2 && nodes.count == this + 1 { return j + 1 }
                    return -1
                }
                // As json.c: the last node added must be a string, whatever the label was.
                guard nodes[nodes.count - 1].type == .string else { return -1 }
                nodes[nodes.count - 1].flags |= JSONNode.label
                j = x
                while JSONParse.isSpace(byte(j)) { j += 1 }
                if byte(j) != UInt8(ascii: ":") { return -1 }
                j += 1
                x = parseValue(j)
                depth -= 1
                if x < 0 { return -1 }
                j = x
                while JSONParse.isSpace(byte(j)) { j += 1 }
                let d = byte(j)
                if d == UInt8(ascii: ",") { j += 1; continue }
                if d != UInt8(ascii: "}") { return -1 }
                break
            }
            nodes[this].n = nodes.count - this - 1
            return j + 1
        case UInt8(ascii: "["):
            let this = addNode(.array, 0, -1)
            var j = i + 1
            while true {
                while JSONParse.isSpace(byte(j)) { j += 1 }
                depth += 1
                if depth > JSONParse.maxDepth { return -1 }
                let x = parseValue(j)
                depth -= 1
                if x < 0 {
                    if x == -3 && nodes.count == this + 1 { return j + 1 }
                    return -1
                }
                j = x
                while JSONParse.isSpace(byte(j)) { j += 1 }
                let d = byte(j)
                if d == UInt8(ascii: ",") { j += 1; continue }
                if d != UInt8(ascii: "]") { return -1 }
                break
            }
            nodes[this].n = nodes.count - this - 1
            return j + 1
        case UInt8(ascii: "\""):
            var flags: UInt8 = 0
            var j = i + 1
            while true {
                var d = byte(j)
                if d & ~0x1F == 0 { return -1 }  // control characters (and the end) are not allowed
                if d == UInt8(ascii: "\\") {
                    j += 1
                    d = byte(j)
                    switch d {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                         UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        flags = JSONNode.escape
                    case UInt8(ascii: "u") where (1...4).allSatisfy({ ASCII.isHexDigit(byte(j + $0)) }):
                        flags = JSONNode.escape
                    default:
                        return -1
                    }
                } else if d == UInt8(ascii: "\"") {
                    break
                }
                j += 1
            }
            let node = addNode(.string, j + 1 - i, i)
            nodes[node].flags = flags
            return j + 1
        case UInt8(ascii: "n") where startsWith(i, "null"):
            addNode(.null, 0, -1)
            return i + 4
        case UInt8(ascii: "t") where startsWith(i, "true"):
            addNode(.true, 0, -1)
            return i + 4
        case UInt8(ascii: "f") where startsWith(i, "false"):
            addNode(.false, 0, -1)
            return i + 5
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return parseNumber(i)
        case UInt8(ascii: "}"): return -2
        case UInt8(ascii: "]"): return -3
        case 0: return 0
        default: return -1
        }
    }

    /// The number branch of jsonParseValue: no leading zeros, digits around '.', an exponent
    /// with digits; a '.' or an exponent makes it a real.
    private mutating func parseNumber(_ i: Int) -> Int {
        let c = byte(i)
        var seenDP = false
        var seenE = false
        if c <= UInt8(ascii: "0") {
            let k = c == UInt8(ascii: "-") ? i + 1 : i
            if byte(k) == UInt8(ascii: "0") && ASCII.isDigit(byte(k + 1)) { return -1 }
        }
        var j = i + 1
        while true {
            let d = byte(j)
            if ASCII.isDigit(d) { j += 1; continue }
            if d == UInt8(ascii: ".") {
                if byte(j - 1) == UInt8(ascii: "-") || seenDP { return -1 }
                seenDP = true
                j += 1
                continue
            }
            if d == UInt8(ascii: "e") || d == UInt8(ascii: "E") {
                if byte(j - 1) < UInt8(ascii: "0") || seenE { return -1 }
                seenDP = true
                seenE = true
                var e = byte(j + 1)
                if e == UInt8(ascii: "+") || e == UInt8(ascii: "-") {
                    j += 1
                    e = byte(j + 1)
                }
                if !ASCII.isDigit(e) { return -1 }
                j += 1
                continue
            }
            break
        }
        if byte(j - 1) < UInt8(ascii: "0") { return -1 }
        addNode(seenDP ? .real : .integer, j - i, i)
        return j
    }

    /// Appends the nodes and text of `other` (a patch) and returns the index of its root.
    mutating func absorb(_ other: JSONParse) -> Int {
        let base = nodes.count
        let shift = text.count
        text.append(contentsOf: other.text)
        for var node in other.nodes {
            if node.content >= 0 { node.content += shift }
            nodes.append(node)
        }
        return base
    }
}
