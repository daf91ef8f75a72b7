/// The kinds of token SQLite's tokenizer produces, one per terminal of its grammar.
///
/// Keywords that SQLite folds into one terminal keep that grouping (`likeKeyword` is LIKE, GLOB
/// or REGEXP; `joinKeyword` is NATURAL, LEFT, ...; `ctimeKeyword` is CURRENT_DATE/TIME/TIMESTAMP;
/// `temp` is TEMP or TEMPORARY): the grammar treats the members alike and the parser reads the
/// token text where it must tell them apart.
package enum TokenKind: UInt8, Sendable {
    // End of input (the end of the buffer or its first NUL byte, as in SQLite).
    case eof
    case illegal
    case space

    // Punctuation and operators.
    case semicolon, leftParen, rightParen, comma, dot
    case plus, minus, star, slash, percent
    case concat          // ||
    case pointer         // -> and ->>
    case equal           // = and ==
    case notEqual        // != and <>
    case less, lessEqual, greater, greaterEqual
    case shiftLeft, shiftRight, bitAnd, bitOr, bitNot

    // Names and literals.
    case identifier      // bare or quoted with "", [], ``
    case string          // '...'
    case integer, float, blob
    case variable        // ?, ?NNN, :aaa, @aaa, $aaa, #aaa

    // Keywords.
    case kwAbort, kwAction, kwAdd, kwAfter, kwAll, kwAlter, kwAlways, kwAnalyze, kwAnd, kwAs
    case kwAsc, kwAttach, kwAutoincrement, kwBefore, kwBegin, kwBetween, kwBy, kwCascade
    case kwCase, kwCast, kwCheck, kwCollate, kwColumn, kwCommit, kwConflict, kwConstraint
    case kwCreate, kwCurrent, kwDatabase, kwDefault, kwDeferrable, kwDeferred, kwDelete
    case kwDesc, kwDetach, kwDistinct, kwDo, kwDrop, kwEach, kwElse, kwEnd, kwEscape
    case kwExcept, kwExclude, kwExclusive, kwExists, kwExplain, kwFail, kwFilter, kwFirst
    case kwFollowing, kwFor, kwForeign, kwFrom, kwGenerated, kwGroup, kwGroups, kwHaving
    case kwIf, kwIgnore, kwImmediate, kwIn, kwIndex, kwIndexed, kwInitially, kwInsert
    case kwInstead, kwIntersect, kwInto, kwIs, kwIsnull, kwJoin, kwKey, kwLast, kwLimit
    case kwMatch, kwMaterialized, kwNo, kwNot, kwNothing, kwNotnull, kwNull, kwNulls, kwOf
    case kwOffset, kwOn, kwOr, kwOrder, kwOthers, kwOver, kwPartition, kwPlan, kwPragma
    case kwPreceding, kwPrimary, kwQuery, kwRaise, kwRange, kwRecursive, kwReferences
    case kwReindex, kwRelease, kwRename, kwReplace, kwRestrict, kwReturning, kwRollback
    case kwRow, kwRows, kwSavepoint, kwSelect, kwSet, kwTable, kwThen, kwTies, kwTo
    case kwTransaction, kwTrigger, kwUnbounded, kwUnion, kwUnique, kwUpdate, kwUsing
    case kwVacuum, kwValues, kwView, kwVirtual, kwWhen, kwWhere, kwWindow, kwWith, kwWithout
    /// TEMP or TEMPORARY.
    case temp
    /// LIKE, GLOB or REGEXP.
    case likeKeyword
    /// CROSS, FULL, INNER, LEFT, NATURAL, OUTER or RIGHT.
    case joinKeyword
    /// CURRENT_DATE, CURRENT_TIME or CURRENT_TIMESTAMP.
    case ctimeKeyword
}

extension TokenKind {
    /// True for the keywords SQLite's grammar lets stand for an identifier (its `%fallback ID`
    /// list, version 3.40) when the keyword itself cannot be used where it appears.
    package var fallsBackToIdentifier: Bool {
        switch self {
        case .kwAbort, .kwAction, .kwAfter, .kwAnalyze, .kwAsc, .kwAttach, .kwBefore, .kwBegin,
             .kwBy, .kwCascade, .kwCast, .kwColumn, .kwConflict, .kwDatabase, .kwDeferred,
             .kwDesc, .kwDetach, .kwDo, .kwEach, .kwEnd, .kwExclusive, .kwExplain, .kwFail,
             .kwFor, .kwIgnore, .kwImmediate, .kwInitially, .kwInstead, .likeKeyword, .kwMatch,
             .kwNo, .kwPlan, .kwQuery, .kwKey, .kwOf, .kwOffset, .kwPragma, .kwRaise,
             .kwRecursive, .kwRelease, .kwReplace, .kwRestrict, .kwRow, .kwRows, .kwRollback,
             .kwSavepoint, .temp, .kwTrigger, .kwVacuum, .kwView, .kwVirtual, .kwWith,
             .kwWithout, .kwNulls, .kwFirst, .kwLast, .kwCurrent, .kwFollowing, .kwPartition,
             .kwPreceding, .kwRange, .kwUnbounded, .kwExclude, .kwGroups, .kwOthers, .kwTies,
             .kwGenerated, .kwAlways, .kwMaterialized, .kwReindex, .kwRename, .ctimeKeyword,
             .kwIf:
            return true
        default:
            return false
        }
    }

    /// The grammar's `ID` terminal: a plain or quoted identifier, or a keyword falling back to one.
    @inline(__always) package var isID: Bool { self == .identifier || fallsBackToIdentifier }

    /// The grammar's `id` class: ID or INDEXED.
    @inline(__always) package var isIdClass: Bool { isID || self == .kwIndexed }

    /// The grammar's `nm`: a name of a table, column, index, ... (id, a string, or a join keyword).
    @inline(__always) package var isNm: Bool { isIdClass || self == .string || self == .joinKeyword }

    /// The grammar's `ids`: ID or a string (type names, collation names, aliases without AS).
    @inline(__always) package var isIds: Bool { isID || self == .string }

    /// True when the keyword is any keyword at all (renderers quote such names).
    package var isKeyword: Bool { rawValue >= TokenKind.kwAbort.rawValue }
}
