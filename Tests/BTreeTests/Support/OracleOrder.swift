@testable import BTree

/// SQLite's ordering of values, written out independently of the BTree module's comparison code,
/// for deciding where a seek must land in a list sqlite3 produced. The cursor tests first check
/// that sqlite3's own index order is sorted under it, so it cannot silently disagree with sqlite3.
enum OracleOrder {
    static func rank(_ value: Value) -> Int {
        switch value {
        case .null: 0
        case .integer, .real: 1
        case .text: 2
        case .blob: 3
        }
    }

    static func compare(_ lhs: Value, _ rhs: Value, collation: Collation) -> Int {
        let (l, r) = (rank(lhs), rank(rhs))
        if l != r { return l < r ? -1 : 1 }
        switch (lhs, rhs) {
        case (.null, .null): return 0
        case (.integer(let a), .integer(let b)): return a < b ? -1 : a > b ? 1 : 0
        case (.real(let a), .real(let b)): return a < b ? -1 : a > b ? 1 : 0
        case (.integer(let a), .real(let b)): return integer(a, real: b)
        case (.real(let a), .integer(let b)): return -integer(b, real: a)
        case (.text(let a), .text(let b)):
            switch collation {
            case .binary: return memcmp(a, b)
            case .nocase: return noCase(a, b)
            case .rtrim: return memcmp(trimmed(a), trimmed(b))
            }
        case (.blob(let a), .blob(let b)): return memcmp(a, b)
        default: fatalError("ranks matched but kinds did not")
        }
    }

    /// An integer against a real, exactly (no rounding of the integer to a double).
    static func integer(_ i: Int64, real r: Double) -> Int {
        if r < -9_223_372_036_854_775_808.0 { return 1 }
        if r >= 9_223_372_036_854_775_808.0 { return -1 }
        let whole = r.rounded(.towardZero)
        let w = Int64(whole)
        if i != w { return i < w ? -1 : 1 }
        let fraction = r - whole
        return fraction > 0 ? -1 : fraction < 0 ? 1 : 0
    }

    static func memcmp(_ a: [UInt8], _ b: [UInt8]) -> Int {
        for (x, y) in zip(a, b) where x != y { return x < y ? -1 : 1 }
        return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
    }

    static func fold(_ byte: UInt8) -> Int { Int(byte >= 65 && byte <= 90 ? byte + 32 : byte) }

    /// nocaseCollatingFunc: sqlite3StrNICmp over the shorter length (stopping at a NUL in the
    /// left operand), then the lengths.
    static func noCase(_ a: [UInt8], _ b: [UInt8]) -> Int {
        let n = min(a.count, b.count)
        var i = 0
        while i < n && a[i] != 0 && fold(a[i]) == fold(b[i]) { i += 1 }
        let r = i < n ? fold(a[i]) - fold(b[i]) : 0
        if r != 0 { return r < 0 ? -1 : 1 }
        return a.count < b.count ? -1 : a.count > b.count ? 1 : 0
    }

    static func trimmed(_ a: [UInt8]) -> [UInt8] {
        var end = a.count
        while end > 0 && a[end - 1] == 0x20 { end -= 1 }
        return Array(a[0..<end])
    }

    /// Compares the first `key.count` values of an entry with a key, column by column.
    static func compare(entry: [Value], key: [Value], columns: [KeyColumn]) -> Int {
        for i in 0..<min(key.count, entry.count) {
            let column = i < columns.count ? columns[i] : KeyColumn()
            let order = compare(entry[i], key[i], collation: column.collation)
            if order != 0 { return column.descending ? -order : order }
        }
        return 0
    }
}
