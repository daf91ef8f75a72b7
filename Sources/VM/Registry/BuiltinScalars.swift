import BTree

/// The scalar built-ins (func.c's aBuiltinFunc and date.c's aDateTimeFuncs), glued to the
/// implementations in Functions/.
enum BuiltinScalars {
    static let sqliteVersion = "3.40.1"

    private static func scalar(_ name: String, _ argumentCount: Int, _ flags: FunctionFlags = .deterministic,
                               _ body: @escaping ScalarFunction) -> FunctionDefinition {
        FunctionDefinition(name: name, argumentCount: argumentCount, flags: flags, body: .scalar(body))
    }

    static let all: [FunctionDefinition] = text + numeric + dateTime + connection + misc

    private static let text: [FunctionDefinition] = [
        scalar("length", 1, [.deterministic, .lengthOrTypeof]) { _, a in TextFunctions.length(a[0]) },
        scalar("octet_length", 1) { _, a in TextFunctions.octetLength(a[0]) },
        scalar("typeof", 1, [.deterministic, .lengthOrTypeof]) { _, a in .text(typeName(a[0])) },
        scalar("instr", 2) { _, a in TextFunctions.instr(a[0], a[1]) },
        scalar("printf", -1) { c, a in Printf.function(a, maxLength: c.lengthLimit) },
        scalar("format", -1) { c, a in Printf.function(a, maxLength: c.lengthLimit) },
        scalar("unicode", 1) { _, a in TextFunctions.unicode(a[0]) },
        scalar("char", -1) { _, a in TextFunctions.char(a) },
        scalar("upper", 1) { _, a in TextFunctions.upper(a[0]) },
        scalar("lower", 1) { _, a in TextFunctions.lower(a[0]) },
        scalar("hex", 1) { _, a in QuoteHexFunctions.hex(a[0]) },
        scalar("unhex", 1) { _, a in QuoteHexFunctions.unhex(a[0]) },
        scalar("unhex", 2) { _, a in QuoteHexFunctions.unhex(a[0], a[1]) },
        scalar("quote", 1) { _, a in QuoteHexFunctions.quote(a[0]) },
        scalar("substr", 2) { c, a in TextFunctions.substr(a[0], a[1], nil, lengthLimit: c.lengthLimit) },
        scalar("substr", 3) { c, a in TextFunctions.substr(a[0], a[1], a[2], lengthLimit: c.lengthLimit) },
        scalar("substring", 2) { c, a in TextFunctions.substr(a[0], a[1], nil, lengthLimit: c.lengthLimit) },
        scalar("substring", 3) { c, a in TextFunctions.substr(a[0], a[1], a[2], lengthLimit: c.lengthLimit) },
        scalar("trim", 1) { _, a in TextFunctions.trim(a[0], nil, side: .both) },
        scalar("trim", 2) { _, a in TextFunctions.trim(a[0], a[1], side: .both) },
        scalar("ltrim", 1) { _, a in TextFunctions.trim(a[0], nil, side: .left) },
        scalar("ltrim", 2) { _, a in TextFunctions.trim(a[0], a[1], side: .left) },
        scalar("rtrim", 1) { _, a in TextFunctions.trim(a[0], nil, side: .right) },
        scalar("rtrim", 2) { _, a in TextFunctions.trim(a[0], a[1], side: .right) },
        scalar("replace", 3) { (c, a) throws(FunctionError) in try TextFunctions.replace(a[0], a[1], a[2], lengthLimit: c.lengthLimit) },
        scalar("concat", -3) { _, a in ConcatFunctions.concat(a) },
        scalar("concat_ws", -4) { _, a in ConcatFunctions.concatWS(a) },
        // Debian's sqlite3 is built with SQLITE_LIKE_DOESNT_MATCH_BLOBS.
        scalar("like", 2) { (_, a) throws(FunctionError) in try PatternMatch.like(pattern: a[0], string: a[1], blobsNeverMatch: true) },
        scalar("like", 3) { (_, a) throws(FunctionError) in try PatternMatch.like(pattern: a[0], string: a[1], escape: a[2], blobsNeverMatch: true) },
        scalar("glob", 2) { (_, a) throws(FunctionError) in try PatternMatch.glob(pattern: a[0], string: a[1], blobsNeverMatch: true) },
    ]

    private static let numeric: [FunctionDefinition] = [
        scalar("abs", 1) { (_, a) throws(FunctionError) in try NumericFunctions.abs(a[0]) },
        scalar("round", 1) { _, a in NumericFunctions.round(a[0]) },
        scalar("round", 2) { _, a in NumericFunctions.round(a[0], a[1]) },
        scalar("sign", 1) { _, a in NumericFunctions.sign(a[0]) },
        scalar("random", 0, .volatile) { _, _ in
            var r = Int64.random(in: Int64.min...Int64.max)
            if r < 0 { r = -(r & Int64.max) }
            return .integer(r)
        },
        scalar("randomblob", 1, .volatile) { (c, a) throws(FunctionError) in
            var n = a[0].int64Value
            if n < 1 { n = 1 }
            guard n <= Int64(c.lengthLimit) else { throw .tooBig }
            var generator = SystemRandomNumberGenerator()
            return .blob((0..<Int(n)).map { _ in UInt8.random(in: 0...255, using: &generator) })
        },
        scalar("zeroblob", 1) { (c, a) throws(FunctionError) in
            let n = max(0, a[0].int64Value)
            guard n <= Int64(c.lengthLimit) else { throw .tooBig }
            return .blob([UInt8](repeating: 0, count: Int(n)))
        },
        scalar("min", -1, [.deterministic, .needsCollation]) { c, a in minMax(a, max: false, c.collation) },
        scalar("max", -1, [.deterministic, .needsCollation]) { c, a in minMax(a, max: true, c.collation) },
    ]

    private static let dateTime: [FunctionDefinition] = [
        scalar("julianday", -1, .volatile) { (c, a) throws(FunctionError) in try DateTimeFunctions.julianday(a, c.dateTime) },
        scalar("unixepoch", -1, .volatile) { (c, a) throws(FunctionError) in try DateTimeFunctions.unixepoch(a, c.dateTime) },
        scalar("date", -1, .volatile) { (c, a) throws(FunctionError) in try DateTimeFunctions.date(a, c.dateTime) },
        scalar("time", -1, .volatile) { (c, a) throws(FunctionError) in try DateTimeFunctions.time(a, c.dateTime) },
        scalar("datetime", -1, .volatile) { (c, a) throws(FunctionError) in try DateTimeFunctions.datetime(a, c.dateTime) },
        scalar("strftime", -1, .volatile) { (c, a) throws(FunctionError) in try DateTimeFunctions.strftime(a, c.dateTime) },
        scalar("timediff", 2, .volatile) { (c, a) throws(FunctionError) in try DateTimeFunctions.timediff(a, c.dateTime) },
    ]

    private static let connection: [FunctionDefinition] = [
        scalar("last_insert_rowid", 0, .volatile) { c, _ in .integer(c.lastInsertRowid) },
        scalar("changes", 0, .volatile) { c, _ in .integer(c.changes) },
        scalar("total_changes", 0, .volatile) { c, _ in .integer(c.totalChanges) },
        scalar("sqlite_version", 0) { _, _ in .text(sqliteVersion) },
    ]

    private static let misc: [FunctionDefinition] = [
        scalar("nullif", 2, [.deterministic, .needsCollation]) { c, a in
            compare(a[0], a[1], c.collation) != 0 ? Value(a[0]) : .null
        },
        scalar("coalesce", -1, [.deterministic, .inline]) { _, a in
            for argument in a where !argument.isNull { return Value(argument) }
            return .null
        },
        scalar("ifnull", 2, [.deterministic, .inline]) { _, a in a[0].isNull ? Value(a[1]) : Value(a[0]) },
        scalar("iif", 3, [.deterministic, .inline]) { _, a in isTrue(a[0]) ? Value(a[1]) : Value(a[2]) },
        scalar("likely", 1, [.deterministic, .inline]) { _, a in Value(a[0]) },
        scalar("unlikely", 1, [.deterministic, .inline]) { _, a in Value(a[0]) },
        scalar("likelihood", 2, [.deterministic, .inline]) { _, a in Value(a[0]) },
    ]

    /// typeof().
    static func typeName(_ value: ValueRef) -> String {
        switch value {
        case .null: "null"
        case .integer: "integer"
        case .real: "real"
        case .text: "text"
        case .blob: "blob"
        }
    }

    /// sqlite3VdbeBooleanValue with NULL false.
    static func isTrue(_ value: ValueRef) -> Bool {
        switch value {
        case .null: false
        case .integer(let i): i != 0
        default: value.doubleValue != 0
        }
    }

    /// minmaxFunc: NULL if any argument is NULL; ties go to the later argument for min() and the
    /// earlier for max().
    private static func minMax(_ arguments: FunctionArguments, max: Bool, _ collation: Collation) -> Value {
        guard !arguments[0].isNull else { return .null }
        var best = 0
        for index in 1..<arguments.count {
            if arguments[index].isNull { return .null }
            let order = compare(arguments[best], arguments[index], collation)
            if max ? order < 0 : order >= 0 { best = index }
        }
        return Value(arguments[best])
    }

    /// sqlite3MemCompare for borrowed values.
    static func compare(_ lhs: ValueRef, _ rhs: ValueRef, _ collation: Collation) -> Int {
        ValueOperand.compare(operand(lhs), operand(rhs), collation: collation)
    }

    static func operand(_ value: ValueRef) -> ValueOperand {
        switch value {
        case .null: .null
        case .integer(let i): .integer(i)
        case .real(let r): r.isNaN ? .null : .real(r)
        case .text(let p): .text(UnsafeRawBufferPointer(p))
        case .blob(let p): .blob(UnsafeRawBufferPointer(p))
        }
    }
}
