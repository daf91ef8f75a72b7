import BTree

// JSON paths (json.c jsonLookup, jsonLookupStep, jsonLookupAppend): `$` then any number of
// `.key`, `."quoted key"`, `[N]`, `[#]` and `[#-N]`. As in sqlite3 the path is read while the
// JSON is walked, so the part after a missing key is never checked (json_extract('{}',
// '$.a.[') is NULL, not an error). Keys compare with the label as written in the JSON (escapes
// are not decoded), and the first of duplicate labels wins.

/// A path being looked up: its bytes with a NUL after them (sqlite3 reads it as a C string).
struct JSONPathText {
    var bytes: [UInt8]

    init(_ p: UnsafeBufferPointer<UInt8>) {
        let end = p.firstIndex(of: 0) ?? p.count
        bytes = Array(p[0..<end])
        bytes.append(0)
    }

    init(bytes s: [UInt8]) {
        let end = s.firstIndex(of: 0) ?? s.count
        bytes = Array(s[0..<end])
        bytes.append(0)
    }

    @inline(__always)
    func at(_ i: Int) -> UInt8 { i < bytes.count ? bytes[i] : 0 }

    /// jsonPathSyntaxError: "JSON path error near '...'" with the rest of the path from `i`,
    /// single quotes doubled as %q does.
    func error(near i: Int) -> FunctionError {
        var rest: [UInt8] = []
        for c in bytes[i..<(bytes.count - 1)] {
            rest.append(c)
            if c == UInt8(ascii: "'") { rest.append(c) }
        }
        return FunctionError("JSON path error near '\(String(decoding: rest, as: UTF8.self))'")
    }
}

extension JSONParse {
    /// jsonLookup: the node `path` names, nil when there is none. With `appending`, missing
    /// objects entries and array elements at the end are created (json_set, json_insert) and
    /// `appended` reports it.
    mutating func lookup(_ path: JSONPathText, appending: Bool = false,
                         appended: inout Bool) throws(FunctionError) -> Int? {
        guard path.at(0) == UInt8(ascii: "$") else { throw path.error(near: 0) }
        var errorAt: Int?
        let node = lookupStep(0, path, 1, appending, &appended, &errorAt)
        if let errorAt { throw path.error(near: errorAt) }
        return node
    }

    mutating func lookup(_ path: JSONPathText) throws(FunctionError) -> Int? {
        var appended = false
        return try lookup(path, appended: &appended)
    }

    /// Whether the label node at `index` is `key` (jsonLabelCompare).
    private func labelMatches(_ index: Int, _ path: JSONPathText, _ key: Range<Int>) -> Bool {
        let node = nodes[index]
        if node.flags & JSONNode.raw != 0 {
            return node.n == key.count && text[node.content..<(node.content + node.n)].elementsEqual(path.bytes[key])
        }
        return node.n == key.count + 2
            && text[(node.content + 1)..<(node.content + 1 + key.count)].elementsEqual(path.bytes[key])
    }

    /// jsonLookupStep: follows the path from byte `p` starting at node `rootIndex`.
    private mutating func lookupStep(_ rootIndex: Int, _ path: JSONPathText, _ p: Int, _ appending: Bool,
                                     _ appended: inout Bool, _ errorAt: inout Int?) -> Int? {
        var root = rootIndex
        if path.at(p) == 0 { return root }
        if nodes[root].flags & JSONNode.replace != 0 { return nil }
        if path.at(p) == UInt8(ascii: ".") {
            guard nodes[root].type == .object else { return nil }
            let q = p + 1
            let key: Range<Int>
            var i: Int
            if path.at(q) == UInt8(ascii: "\"") {
                i = q + 1
                while path.at(i) != 0 && path.at(i) != UInt8(ascii: "\"") { i += 1 }
                key = (q + 1)..<i
                guard path.at(i) != 0 else {
                    errorAt = q
                    return nil
                }
                i += 1
            } else {
                i = q
                while path.at(i) != 0 && path.at(i) != UInt8(ascii: ".") && path.at(i) != UInt8(ascii: "[") { i += 1 }
                key = q..<i
                guard !key.isEmpty else {
                    errorAt = q
                    return nil
                }
            }
            var j = 1
            while true {
                while j <= nodes[root].n {
                    if labelMatches(root + j, path, key) {
                        return lookupStep(root + j + 1, path, i, appending, &appended, &errorAt)
                    }
                    j += 1
                    j += nodes[root + j].size
                }
                if nodes[root].flags & JSONNode.append == 0 { break }
                root += nodes[root].u
                j = 1
            }
            guard appending else { return nil }
            let start = addNode(.object, 2, -1)
            let label = addNode(.string, key.count, addText(path.bytes[key]))
            let node = lookupAppend(path, i, &appended, &errorAt)
            if node != nil {
                precondition(nodes[root].flags & JSONNode.append == 0, "JSON append chain already ends at \(root)")
                nodes[root].u = start - root
                nodes[root].flags |= JSONNode.append
                nodes[label].flags |= JSONNode.raw
            }
            return node
        }
        if path.at(p) == UInt8(ascii: "[") {
            var i = 0
            var j = p + 1
            while ASCII.isDigit(path.at(j)) {
                i = i &* 10 &+ Int(path.at(j) - UInt8(ascii: "0"))
                j += 1
            }
            if j < p + 2 || path.at(j) != UInt8(ascii: "]") {
                guard path.at(p + 1) == UInt8(ascii: "#") else {
                    errorAt = p
                    return nil
                }
                guard nodes[root].type == .array else { return nil }
                i = elementCount(root)
                j = p + 2
                if path.at(p + 2) == UInt8(ascii: "-") && ASCII.isDigit(path.at(p + 3)) {
                    var x = 0
                    j = p + 3
                    repeat {
                        x = x &* 10 &+ Int(path.at(j) - UInt8(ascii: "0"))
                        j += 1
                    } while ASCII.isDigit(path.at(j))
                    if x > i { return nil }
                    i -= x
                }
                guard path.at(j) == UInt8(ascii: "]") else {
                    errorAt = p
                    return nil
                }
            }
            guard nodes[root].type == .array else { return nil }
            let rest = j + 1
            var k = 1
            while true {
                while k <= nodes[root].n && (i > 0 || nodes[root + k].flags & JSONNode.remove != 0) {
                    if nodes[root + k].flags & JSONNode.remove == 0 { i -= 1 }
                    k += nodes[root + k].size
                }
                if nodes[root].flags & JSONNode.append == 0 { break }
                root += nodes[root].u
                k = 1
            }
            if k <= nodes[root].n {
                return lookupStep(root + k, path, rest, appending, &appended, &errorAt)
            }
            if i == 0 && appending {
                let start = addNode(.array, 1, -1)
                let node = lookupAppend(path, rest, &appended, &errorAt)
                if node != nil {
                    precondition(nodes[root].flags & JSONNode.append == 0, "JSON append chain already ends at \(root)")
                    nodes[root].u = start - root
                    nodes[root].flags |= JSONNode.append
                }
                return node
            }
            return nil
        }
        errorAt = p
        return nil
    }

    /// The elements of the array at `root` that are not removed, across its append chain.
    private func elementCount(_ rootIndex: Int) -> Int {
        var base = rootIndex
        var count = 0
        var j = 1
        while true {
            while j <= nodes[base].n {
                if nodes[base + j].flags & JSONNode.remove == 0 { count += 1 }
                j += nodes[base + j].size
            }
            if nodes[base].flags & JSONNode.append == 0 { break }
            base += nodes[base].u
            j = 1
        }
        return count
    }

    /// jsonLookupAppend: adds the nodes the rest of the path needs (a null at its end).
    private mutating func lookupAppend(_ path: JSONPathText, _ p: Int, _ appended: inout Bool,
                                       _ errorAt: inout Int?) -> Int? {
        appended = true
        if path.at(p) == 0 {
            return addNode(.null, 0, -1)
        }
        if path.at(p) == UInt8(ascii: ".") {
            addNode(.object, 0, -1)
        } else if path.at(p) == UInt8(ascii: "[") && path.at(p + 1) == UInt8(ascii: "0") && path.at(p + 2) == UInt8(ascii: "]") {
            addNode(.array, 0, -1)
        } else {
            return nil
        }
        return lookupStep(nodes.count - 1, path, p, true, &appended, &errorAt)
    }
}
