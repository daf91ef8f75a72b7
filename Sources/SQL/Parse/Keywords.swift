/// SQLite's keywords (version 3.40: 147 of them) and their lookup.
///
/// The lookup runs on every identifier-shaped token, so it works on the source bytes directly:
/// a small open-addressing hash table keyed on the first byte, last byte and length (SQLite's
/// own hash), with a case-insensitive byte comparison; no String is built per token.
package enum Keywords {
    /// Every keyword with its token kind, upper case.
    package static let all: [(text: String, kind: TokenKind)] = [
        ("ABORT", .kwAbort), ("ACTION", .kwAction), ("ADD", .kwAdd), ("AFTER", .kwAfter),
        ("ALL", .kwAll), ("ALTER", .kwAlter), ("ALWAYS", .kwAlways), ("ANALYZE", .kwAnalyze),
        ("AND", .kwAnd), ("AS", .kwAs), ("ASC", .kwAsc), ("ATTACH", .kwAttach),
        ("AUTOINCREMENT", .kwAutoincrement), ("BEFORE", .kwBefore), ("BEGIN", .kwBegin),
        ("BETWEEN", .kwBetween), ("BY", .kwBy), ("CASCADE", .kwCascade), ("CASE", .kwCase),
        ("CAST", .kwCast), ("CHECK", .kwCheck), ("COLLATE", .kwCollate), ("COLUMN", .kwColumn),
        ("COMMIT", .kwCommit), ("CONFLICT", .kwConflict), ("CONSTRAINT", .kwConstraint),
        ("CREATE", .kwCreate), ("CROSS", .joinKeyword), ("CURRENT", .kwCurrent),
        ("CURRENT_DATE", .ctimeKeyword), ("CURRENT_TIME", .ctimeKeyword),
        ("CURRENT_TIMESTAMP", .ctimeKeyword), ("DATABASE", .kwDatabase),
        ("DEFAULT", .kwDefault), ("DEFERRABLE", .kwDeferrable), ("DEFERRED", .kwDeferred),
        ("DELETE", .kwDelete), ("DESC", .kwDesc), ("DETACH", .kwDetach),
        ("DISTINCT", .kwDistinct), ("DO", .kwDo), ("DROP", .kwDrop), ("EACH", .kwEach),
        ("ELSE", .kwElse), ("END", .kwEnd), ("ESCAPE", .kwEscape), ("EXCEPT", .kwExcept),
        ("EXCLUDE", .kwExclude), ("EXCLUSIVE", .kwExclusive), ("EXISTS", .kwExists),
        ("EXPLAIN", .kwExplain), ("FAIL", .kwFail), ("FILTER", .kwFilter), ("FIRST", .kwFirst),
        ("FOLLOWING", .kwFollowing), ("FOR", .kwFor), ("FOREIGN", .kwForeign),
        ("FROM", .kwFrom), ("FULL", .joinKeyword), ("GENERATED", .kwGenerated),
        ("GLOB", .likeKeyword), ("GROUP", .kwGroup), ("GROUPS", .kwGroups),
        ("HAVING", .kwHaving), ("IF", .kwIf), ("IGNORE", .kwIgnore),
        ("IMMEDIATE", .kwImmediate), ("IN", .kwIn), ("INDEX", .kwIndex),
        ("INDEXED", .kwIndexed), ("INITIALLY", .kwInitially), ("INNER", .joinKeyword),
        ("INSERT", .kwInsert), ("INSTEAD", .kwInstead), ("INTERSECT", .kwIntersect),
        ("INTO", .kwInto), ("IS", .kwIs), ("ISNULL", .kwIsnull), ("JOIN", .kwJoin),
        ("KEY", .kwKey), ("LAST", .kwLast), ("LEFT", .joinKeyword), ("LIKE", .likeKeyword),
        ("LIMIT", .kwLimit), ("MATCH", .kwMatch), ("MATERIALIZED", .kwMaterialized),
        ("NATURAL", .joinKeyword), ("NO", .kwNo), ("NOT", .kwNot), ("NOTHING", .kwNothing),
        ("NOTNULL", .kwNotnull), ("NULL", .kwNull), ("NULLS", .kwNulls), ("OF", .kwOf),
        ("OFFSET", .kwOffset), ("ON", .kwOn), ("OR", .kwOr), ("ORDER", .kwOrder),
        ("OTHERS", .kwOthers), ("OUTER", .joinKeyword), ("OVER", .kwOver),
        ("PARTITION", .kwPartition), ("PLAN", .kwPlan), ("PRAGMA", .kwPragma),
        ("PRECEDING", .kwPreceding), ("PRIMARY", .kwPrimary), ("QUERY", .kwQuery),
        ("RAISE", .kwRaise), ("RANGE", .kwRange), ("RECURSIVE", .kwRecursive),
        ("REFERENCES", .kwReferences), ("REGEXP", .likeKeyword), ("REINDEX", .kwReindex),
        ("RELEASE", .kwRelease), ("RENAME", .kwRename), ("REPLACE", .kwReplace),
        ("RESTRICT", .kwRestrict), ("RETURNING", .kwReturning), ("RIGHT", .joinKeyword),
        ("ROLLBACK", .kwRollback), ("ROW", .kwRow), ("ROWS", .kwRows),
        ("SAVEPOINT", .kwSavepoint), ("SELECT", .kwSelect), ("SET", .kwSet),
        ("TABLE", .kwTable), ("TEMP", .temp), ("TEMPORARY", .temp), ("THEN", .kwThen),
        ("TIES", .kwTies), ("TO", .kwTo), ("TRANSACTION", .kwTransaction),
        ("TRIGGER", .kwTrigger), ("UNBOUNDED", .kwUnbounded), ("UNION", .kwUnion),
        ("UNIQUE", .kwUnique), ("UPDATE", .kwUpdate), ("USING", .kwUsing),
        ("VACUUM", .kwVacuum), ("VALUES", .kwValues), ("VIEW", .kwView),
        ("VIRTUAL", .kwVirtual), ("WHEN", .kwWhen), ("WHERE", .kwWhere),
        ("WINDOW", .kwWindow), ("WITH", .kwWith), ("WITHOUT", .kwWithout),
    ]

    /// The longest keyword (CURRENT_TIMESTAMP).
    static let maxLength = 17

    private static let table = KeywordTable(all)

    /// The keyword spelled by `count` bytes at `bytes`, ignoring ASCII case; nil for a name.
    /// The bytes must be ASCII letters or underscores (the tokenizer only asks about those).
    @inline(__always)
    package static func lookup(_ bytes: UnsafePointer<UInt8>, count: Int) -> TokenKind? {
        guard count >= 2 && count <= maxLength else { return nil }
        return table.find(bytes, count: count)
    }

    /// The keyword spelled by `text`, ignoring ASCII case (for renderers deciding on quotes).
    package static func lookup(_ text: String) -> TokenKind? {
        var bytes = Array(text.utf8)
        guard bytes.allSatisfy({ isKeywordByte($0) }) else { return nil }
        return bytes.withUnsafeMutableBufferPointer { buffer in
            lookup(buffer.baseAddress!, count: buffer.count)
        }
    }

    @inline(__always) static func isKeywordByte(_ c: UInt8) -> Bool {
        (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }
}

/// Open addressing over a power-of-two table; slots hold 1 + the index of a keyword.
private struct KeywordTable: Sendable {
    private let text: [UInt8]          // all keywords, upper case, back to back
    private let offsets: [Int32]       // start of keyword i in `text`
    private let lengths: [UInt8]
    private let kinds: [TokenKind]
    private let slots: [UInt8]
    private static let slotCount = 512

    init(_ keywords: [(text: String, kind: TokenKind)]) {
        var text: [UInt8] = []
        var offsets: [Int32] = []
        var lengths: [UInt8] = []
        var kinds: [TokenKind] = []
        var slots = [UInt8](repeating: 0, count: KeywordTable.slotCount)
        for (index, keyword) in keywords.enumerated() {
            let bytes = Array(keyword.text.utf8)
            offsets.append(Int32(text.count))
            lengths.append(UInt8(bytes.count))
            kinds.append(keyword.kind)
            text.append(contentsOf: bytes)
            var slot = KeywordTable.hash(first: bytes[0], last: bytes[bytes.count - 1], count: bytes.count)
            while slots[slot] != 0 { slot = (slot + 1) & (KeywordTable.slotCount - 1) }
            slots[slot] = UInt8(index + 1)
        }
        self.text = text
        self.offsets = offsets
        self.lengths = lengths
        self.kinds = kinds
        self.slots = slots
    }

    @inline(__always)
    private static func hash(first: UInt8, last: UInt8, count: Int) -> Int {
        let a = Int(first & 0xDF), b = Int(last & 0xDF)
        return ((a &* 4) ^ (b &* 3) ^ (count &* 61)) & (slotCount - 1)
    }

    func find(_ bytes: UnsafePointer<UInt8>, count: Int) -> TokenKind? {
        var slot = KeywordTable.hash(first: bytes[0], last: bytes[count - 1], count: count)
        return text.withUnsafeBufferPointer { text in
            while true {
                let entry = Int(slots[slot])
                if entry == 0 { return nil }
                let index = entry - 1
                if Int(lengths[index]) == count {
                    let start = Int(offsets[index])
                    var i = 0
                    // Keyword bytes are upper case letters or '_'; clearing bit 5 folds a-z to
                    // A-Z and leaves '_' alone.
                    while i < count && (bytes[i] & 0xDF) == text[start + i] { i += 1 }
                    if i == count { return kinds[index] }
                }
                slot = (slot + 1) & (KeywordTable.slotCount - 1)
            }
        }
    }
}
