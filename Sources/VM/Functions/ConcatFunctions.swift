import BTree
// concat() and concat_ws() (SQLite 3.44+, as the documentation describes them): NULLs contribute
// nothing, not even a separator; an empty string is a value like any other, so concat_ws puts a
// separator beside it (SQLite 3.44-3.49 skipped empty strings, a bug fixed in 3.50, whose
// test/func9.test expects concat_ws(',',NULL,'',3) = ',3').

package enum ConcatFunctions {
    /// concat(X, ...).
    package static func concat(_ args: FunctionArguments) -> Value {
        .text(joined(args[...], separator: UnsafeBufferPointer(start: nil, count: 0)))
    }

    /// concat_ws(SEP, X, ...): NULL when SEP is NULL.
    package static func concatWS(_ args: FunctionArguments) -> Value {
        guard let sepArg = args.first else { return .null }
        let r = sepArg.withText { sep in joined(args.dropFirst(), separator: sep) }
        guard let r else { return .null }
        return .text(r)
    }

    private static func joined(_ args: Slice<FunctionArguments>, separator: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        var started = false
        for arg in args {
            arg.withText { v in
                if started { out.append(contentsOf: separator) }
                started = true
                out.append(contentsOf: v)
            }
        }
        return out
    }
}
