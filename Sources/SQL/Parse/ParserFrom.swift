// FROM clauses: tables, table-valued functions, subqueries, parenthesized joins, join operators.

extension Parser {
    /// The list after FROM (SQLite's `seltablist`).
    mutating func parseFrom() throws -> FromClause {
        var from: FromClause
        switch try parseFromItem(isFirst: true) {
        case .merge(let inner):
            from = inner
        case .item(let source, let constraint):
            if let constraint {
                let keyword = if case .on = constraint { "ON" } else { "USING" }
                raise("a JOIN clause is required before \(keyword)", at: previousEnd)
            }
            from = FromClause(first: source)
        }
        while let op = try parseJoinOperator() {
            guard case .item(let source, let constraint) = try parseFromItem(isFirst: false) else {
                preconditionFailure("only a first item merges")
            }
            from.joins.append(Join(op: op, source: source, constraint: constraint))
        }
        return from
    }

    private enum FromItem {
        case item(TableSource, JoinConstraint?)
        /// A parenthesized list that, standing first without alias or constraint, becomes the
        /// start of the enclosing list.
        case merge(FromClause)
    }

    @inline(never)
    private mutating func parseFromItem(isFirst: Bool) throws -> FromItem {
        if tok.kind == .leftParen { return try parseParenthesizedFromItem(isFirst: isFirst) }
        guard tok.kind.isNm else { throw syntaxError() }
        let name = try parseQualifiedName()
        if try accept(.leftParen) {
            var arguments: [Expr] = []
            if tok.kind != .rightParen { arguments = try parseExprList() }
            try expect(.rightParen)
            let alias = try parseAlias()
            return .item(.function(name, arguments: arguments, alias: alias), try parseJoinConstraint())
        }
        let alias = try parseAlias()
        let hint = try parseIndexHint()
        return .item(.table(name, alias: alias, indexHint: hint), try parseJoinConstraint())
    }

    /// `(select) [alias] [constraint]` or `(from-list) [alias] [constraint]`, at the parenthesis.
    @inline(never)
    private mutating func parseParenthesizedFromItem(isFirst: Bool) throws -> FromItem {
        try advance()
        try enter(5)
        defer { leave(5) }
        if startsSelect { return try parseFromSubquery() }
        let inner = try parseFrom()
        try expect(.rightParen)
        let alias = try parseAlias()
        let constraint = try parseJoinConstraint()
        if isFirst && alias == nil && constraint == nil { return .merge(inner) }
        guard inner.joins.isEmpty else { return .item(.nested(inner, alias: alias), constraint) }
        // One parenthesized item: SQLite keeps the table, subquery or function under the
        // outer alias and drops the inner alias and index hint.
        let source: TableSource
        switch inner.first {
        case .table(let name, _, _): source = .table(name, alias: alias, indexHint: nil)
        case .function(let name, let arguments, _): source = .function(name, arguments: arguments, alias: alias)
        case .subquery(let select, _): source = .subquery(select, alias: alias)
        case .nested(let nested, _): source = .nested(nested, alias: alias)
        }
        return .item(source, constraint)
    }

    @inline(never)
    private mutating func parseFromSubquery() throws -> FromItem {
        let select = try parseSelect()
        try expect(.rightParen)
        let alias = try parseAlias()
        return .item(.subquery(select, alias: alias), try parseJoinConstraint())
    }

    /// `INDEXED BY name | NOT INDEXED`, or nothing.
    mutating func parseIndexHint() throws -> IndexHint? {
        if try accept(.kwIndexed) {
            try expect(.kwBy)
            guard tok.kind.isNm else { throw syntaxError() }
            return .indexedBy(try takeName())
        }
        if tok.kind == .kwNot {
            try advance()
            try expect(.kwIndexed)
            return .notIndexed
        }
        return nil
    }

    /// `ON expr | USING (names)`, or nothing.
    private mutating func parseJoinConstraint() throws -> JoinConstraint? {
        if try accept(.kwOn) { return .on(try parseExpr()) }
        if try accept(.kwUsing) {
            try expect(.leftParen)
            let names = try parseNameList()
            try expect(.rightParen)
            return .using(names)
        }
        return nil
    }

    /// `, | JOIN | join-keyword [name [name]] JOIN`, or nil when no join follows.
    private mutating func parseJoinOperator() throws -> JoinOperator? {
        switch tok.kind {
        case .comma:
            try advance()
            return .comma
        case .kwJoin:
            try advance()
            return .join(.inner, natural: false)
        case .joinKeyword:
            var words = [tok]
            try advance()
            while tok.kind != .kwJoin {
                guard words.count < 3, tok.kind.isNm else { throw syntaxError() }
                words.append(tok)
                try advance()
            }
            try advance()
            return joinType(words)
        default:
            return nil
        }
    }

    /// SQLite's `sqlite3JoinType`.
    private mutating func joinType(_ words: [Token]) -> JoinOperator {
        let natural = 1, left = 2, outer = 4, right = 8, inner = 16, cross = 32, invalid = 64
        var flags = 0
        for word in words {
            let code: Int
            switch text(word).lowercasedASCII {
            case "natural": code = natural
            case "left": code = left | outer
            case "outer": code = outer
            case "right": code = right | outer
            case "full": code = left | right | outer
            case "inner": code = inner
            case "cross": code = inner | cross
            default: code = invalid
            }
            flags |= code
            if code == invalid { break }
        }
        if flags & (inner | outer) == inner | outer || flags & invalid != 0
            || flags & (outer | left | right) == outer
        {
            let spelled = words.map { text($0) }.joined(separator: " ")
            raise("unknown join type: \(spelled)", at: words[0].start)
        }
        let kind: JoinKind
        if flags & (left | right) == left | right {
            kind = .full
        } else if flags & left != 0 {
            kind = .left
        } else if flags & right != 0 {
            kind = .right
        } else if flags & cross != 0 {
            kind = .cross
        } else {
            kind = .inner
        }
        return .join(kind, natural: flags & natural != 0)
    }

    // MARK: - Windows

    /// `WINDOW name AS (spec), ...`. As SQLite does while parsing, a later window naming an
    /// earlier one as its base must exist and may not override what the base fixes.
    mutating func parseWindowClause() throws -> [NamedWindow] {
        try advance()
        var windows: [NamedWindow] = []
        // What each window means once its base is folded in, as SQLite folds it.
        var effective: [WindowSpec] = []
        repeat {
            guard tok.kind.isNm else { throw syntaxError() }
            let name = try takeName()
            try expect(.kwAs)
            try expect(.leftParen)
            let spec = try parseWindowSpec()
            try expect(.rightParen)
            var resolved = spec
            if !windows.isEmpty, let base = spec.base {
                guard let index = windows.firstIndex(where: { equalsIgnoringCase($0.name.value, base.value) }) else {
                    raise("no such window: \(base.value)", at: base.range.start)
                    continue
                }
                let existing = effective[index]
                var overridden: String?
                if !spec.partitionBy.isEmpty {
                    overridden = "PARTITION clause"
                } else if !existing.orderBy.isEmpty && !spec.orderBy.isEmpty {
                    overridden = "ORDER BY clause"
                } else if existing.frame != nil {
                    overridden = "frame specification"
                }
                if let overridden {
                    raise("cannot override \(overridden) of window: \(base.value)", at: base.range.start)
                }
                resolved.base = nil
                resolved.partitionBy = existing.partitionBy
                if !existing.orderBy.isEmpty { resolved.orderBy = existing.orderBy }
            }
            windows.append(NamedWindow(name: name, spec: spec))
            effective.append(resolved)
        } while try accept(.comma)
        return windows
    }

    /// The inside of `OVER (...)` or `AS (...)`: `[base] [PARTITION BY ...] [ORDER BY ...] [frame]`.
    mutating func parseWindowSpec() throws -> WindowSpec {
        try enter(2)
        defer { leave(2) }
        var spec = WindowSpec()
        var h = 0
        switch tok.kind {
        case .kwPartition, .kwRange, .kwRows, .kwGroups:
            break
        default:
            if tok.kind.isNm { spec.base = try takeName() }
        }
        if try accept(.kwPartition) {
            try expect(.kwBy)
            spec.partitionBy = try parseExprList()
            h = height
        }
        if tok.kind == .kwOrder {
            spec.orderBy = try parseOrderBy()
            h = max(h, height)
        }
        switch tok.kind {
        case .kwRange, .kwRows, .kwGroups:
            spec.frame = try parseFrame()
            h = max(h, height)
        default:
            break
        }
        height = h
        return spec
    }

    private mutating func parseFrame() throws -> FrameSpec {
        let start = tok.start
        let unit: FrameUnit = tok.kind == .kwRows ? .rows : tok.kind == .kwRange ? .range : .groups
        try advance()
        var h = 0
        var frame: FrameSpec
        if try accept(.kwBetween) {
            let lower = try parseFrameBound(isStart: true, height: &h)
            try expect(.kwAnd)
            frame = FrameSpec(unit: unit, start: lower, end: try parseFrameBound(isStart: false, height: &h))
        } else {
            frame = FrameSpec(unit: unit, start: try parseFrameBound(isStart: true, height: &h))
        }
        if try accept(.kwExclude) {
            switch tok.kind {
            case .kwNo:
                try advance()
                try expect(.kwOthers)
                frame.exclude = .noOthers
            case .kwCurrent:
                try advance()
                try expect(.kwRow)
                frame.exclude = .currentRow
            case .kwGroup:
                try advance()
                frame.exclude = .group
            case .kwTies:
                try advance()
                frame.exclude = .ties
            default:
                throw syntaxError()
            }
        }
        switch (frame.start, frame.end) {
        case (.currentRow, .preceding), (.following, .preceding), (.following, .currentRow):
            raise("unsupported frame specification", at: start)
        default:
            break
        }
        height = h
        return frame
    }

    private mutating func parseFrameBound(isStart: Bool, height h: inout Int) throws -> FrameBound {
        if try accept(.kwUnbounded) {
            if isStart {
                try expect(.kwPreceding)
                return .unboundedPreceding
            }
            try expect(.kwFollowing)
            return .unboundedFollowing
        }
        if try accept(.kwCurrent) {
            try expect(.kwRow)
            return .currentRow
        }
        let offset = try parseExpr()
        h = max(h, height)
        if try accept(.kwPreceding) { return .preceding(offset) }
        try expect(.kwFollowing)
        return .following(offset)
    }
}

extension String {
    /// ASCII lower case, leaving other characters alone (SQLite folds only ASCII).
    var lowercasedASCII: String {
        String(decoding: utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}
