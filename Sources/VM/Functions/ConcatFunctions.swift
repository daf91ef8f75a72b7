import BTree
// concat() and concat_ws() (SQLite 3.44+; implemented as that release's func.c and documentation
// describe them): NULLs and empty strings contribute nothing, not even a separator.

package enum ConcatFunctions {
    /// concat(X, ...).
    package static func concat(_ args: [ValueRef]) -> Value {
        .text(joined(args[...], separator: UnsafeBufferPointer(start: nil, count: 0)))
    }

    /// concat_ws(SEP, X, ...): NULL when SEP is NULL.
    package static func concatWS(_ args: [ValueRef]) -> Value {
        guard let sepArg = args.first else { return .null }
        let r = sepArg.withText { sep in joined(args.dropFirst(), separator: sep) }
        guard let r else { return .null }
        return .text(r)
    }

    private static func joined(_ args: ArraySlice<ValueRef>, separator: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        for arg in args {
            arg.withText { v in
                if v.isEmpty { return }
                if !out.isEmpty && !separator.isEmpty { out.append(contentsOf: separator) }
                out.append(contentsOf: v)
            }
        }
        return out
    }
}
