// CREATE TABLE: column definitions, column and table constraints, table options.

extension Parser {
    /// After `CREATE [TEMP] TABLE`.
    mutating func parseCreateTable(temporary: Bool) throws -> CreateTableStatement {
        let ifNotExists = try parseIfNotExists()
        let name = try parseQualifiedName()
        if try accept(.kwAs) {
            guard startsSelect else { throw syntaxError() }
            return CreateTableStatement(temporary: temporary, ifNotExists: ifNotExists, name: name,
                                        definition: .select(try parseSelect()))
        }
        try expect(.leftParen)
        var columns: [ColumnDefinition] = []
        var constraints: [TableConstraint] = []
        var names: Set<String> = []
        repeat {
            // Table constraints follow the columns; there is at least one column.
            if !columns.isEmpty && startsTableConstraint {
                constraints = try parseTableConstraints()
                break
            }
            let column = try parseColumnDefinition(after: names)
            names.insert(column.name.value.lowercasedASCII)
            columns.append(column)
        } while try accept(.comma)
        try expect(.rightParen)
        let options = try parseTableOptions()
        return CreateTableStatement(temporary: temporary, ifNotExists: ifNotExists, name: name,
                                    definition: .columns(columns, constraints: constraints, options: options))
    }

    /// `IF NOT EXISTS`, or nothing.
    mutating func parseIfNotExists() throws -> Bool {
        guard try accept(.kwIf) else { return false }
        try expect(.kwNot)
        try expect(.kwExists)
        return true
    }

    private var startsTableConstraint: Bool {
        switch tok.kind {
        case .kwConstraint, .kwPrimary, .kwUnique, .kwCheck, .kwForeign: return true
        default: return false
        }
    }

    /// `WITHOUT ROWID`, `STRICT`, comma separated; SQLite's grammar also takes a comma before
    /// the first one.
    private mutating func parseTableOptions() throws -> TableOptions {
        var options: TableOptions = []
        guard tok.kind == .kwWithout || tok.kind.isNm || tok.kind == .comma else { return options }
        _ = try accept(.comma)
        repeat {
            if try accept(.kwWithout) {
                guard tok.kind.isNm else { throw syntaxError() }
                let option = tok
                let known = tokenIs("rowid")
                try advance()
                if !known { raise("unknown table option: \(text(option))", at: option.start) }
                options.insert(.withoutRowid)
            } else {
                guard tok.kind.isNm else { throw syntaxError() }
                let option = tok
                let known = tokenIs("strict")
                try advance()
                if !known { raise("unknown table option: \(text(option))", at: option.start) }
                options.insert(.strict)
            }
        } while try accept(.comma)
        return options
    }

    /// `name [type] [constraints]` (also ALTER TABLE ADD COLUMN). A name already among
    /// `earlier` is an error, raised where SQLite raises it: once the type is read.
    mutating func parseColumnDefinition(after earlierNames: Set<String> = []) throws -> ColumnDefinition {
        guard tok.kind.isNm else { throw syntaxError() }
        let start = tok.start
        let name = try takeName()
        let type = try parseTypeName()
        if earlierNames.contains(name.value.lowercasedASCII) {
            raise("duplicate column name: \(name.value)", at: name.range.start)
        }
        var constraints: [ColumnConstraint] = []
        var pendingName: Name?
        while true {
            let kind: ColumnConstraint.Kind
            switch tok.kind {
            case .kwConstraint:
                try advance()
                guard tok.kind.isNm else { throw syntaxError() }
                if let pendingName { constraints.append(ColumnConstraint(name: pendingName, nil)) }
                pendingName = try takeName()
                continue
            case .kwDefault:
                kind = try parseDefault()
            case .kwNull:
                try advance()
                kind = .null(onConflict: try parseOnConflict())
            case .kwNot:
                try advance()
                if try accept(.kwNull) {
                    kind = .notNull(onConflict: try parseOnConflict())
                } else if tok.kind == .kwDeferrable {
                    try advance()
                    kind = .deferrable(Deferrability(deferrable: false, initially: try parseInitially()))
                } else {
                    throw syntaxError()
                }
            case .kwPrimary:
                try advance()
                try expect(.kwKey)
                var order: SortOrder?
                if try accept(.kwAsc) {
                    order = .ascending
                } else if try accept(.kwDesc) {
                    order = .descending
                }
                let onConflict = try parseOnConflict()
                kind = .primaryKey(order: order, onConflict: onConflict, autoincrement: try accept(.kwAutoincrement))
            case .kwUnique:
                try advance()
                kind = .unique(onConflict: try parseOnConflict())
            case .kwCheck:
                try advance()
                try expect(.leftParen)
                let check = try parseExpr()
                try expect(.rightParen)
                kind = .check(check)
            case .kwReferences:
                try advance()
                kind = .references(try parseForeignKeyClause(withDeferrability: false))
            case .kwDeferrable:
                try advance()
                kind = .deferrable(Deferrability(deferrable: true, initially: try parseInitially()))
            case .kwCollate:
                try advance()
                guard tok.kind.isIds else { throw syntaxError() }
                kind = .collate(try takeName())
            case .kwGenerated:
                try advance()
                try expect(.kwAlways)
                guard tok.kind == .kwAs else { throw syntaxError() }
                kind = try parseGenerated(column: name)
            case .kwAs:
                kind = try parseGenerated(column: name)
            default:
                if let pendingName { constraints.append(ColumnConstraint(name: pendingName, nil)) }
                return ColumnDefinition(name: name, type: type, constraints: constraints,
                                        range: SourceRange(start: start, end: previousEnd))
            }
            constraints.append(ColumnConstraint(name: pendingName, kind))
            pendingName = nil
        }
    }

    /// `DEFAULT value`, at DEFAULT. SQLite takes a literal, a signed literal, a parenthesized
    /// expression, or a bare name (a string, or a boolean for true/false).
    private mutating func parseDefault() throws -> ColumnConstraint.Kind {
        try advance()
        switch tok.kind {
        case .leftParen:
            let open = tok
            try advance()
            let value = try parseExpr()
            guard tok.kind == .rightParen else { throw syntaxError() }
            let span = trimmedSpan(open.end, tok.start)
            try advance()
            return .default(value, span: span)
        case .plus:
            let start = tok.start
            try advance()
            let value = try parseDefaultTerm()
            return .default(value, span: SourceRange(start: start, end: previousEnd))
        case .minus:
            let start = tok.start
            try advance()
            let termToken = tok
            var value = try parseDefaultTerm()
            if case .literal(.real) = value, termToken.kind == .integer, text(termToken).drop(while: { $0 == "0" }) == "9223372036854775808" {
                value = .literal(.integer(.min))
            } else {
                value = .unary(.negate, value)
            }
            return .default(value, span: SourceRange(start: start, end: previousEnd))
        case .kwNull, .integer, .float, .string, .blob, .ctimeKeyword:
            let start = tok.start
            let value = try parseDefaultTerm()
            return .default(value, span: SourceRange(start: start, end: previousEnd))
        default:
            if tok.kind.isIdClass {
                let word = tok
                let name = try takeName()
                var value = Expr.literal(.string(name.value))
                if name.quoting == .bare {
                    if equalsIgnoringCase(name.value, "true") { value = .literal(.boolean(true)) }
                    if equalsIgnoringCase(name.value, "false") { value = .literal(.boolean(false)) }
                }
                return .default(value, span: SourceRange(start: word.start, end: word.end))
            }
            throw syntaxError()
        }
    }

    /// SQLite's `term`: NULL, a number, a string, a blob or CURRENT_TIME/DATE/TIMESTAMP.
    private mutating func parseDefaultTerm() throws -> Expr {
        switch tok.kind {
        case .kwNull, .integer, .float, .string, .blob, .ctimeKeyword:
            let savedMinus = lastUnaryMinusEnd
            lastUnaryMinusEnd = previousKind == .minus ? previousEnd : -1
            defer { lastUnaryMinusEnd = savedMinus }
            return try parsePrimary()
        default:
            throw syntaxError()
        }
    }

    /// The source range between two offsets without the white space at either end (SQLite's
    /// `sqlite3DbSpanDup`).
    private func trimmedSpan(_ start: Int, _ end: Int) -> SourceRange {
        var s = start, e = end
        while s < e && Lexer.isSpace(z[s]) { s += 1 }
        while e > s && Lexer.isSpace(z[e - 1]) { e -= 1 }
        return SourceRange(start: s, end: e)
    }

    /// `AS (expr) [STORED|VIRTUAL]`, at AS.
    private mutating func parseGenerated(column: Name) throws -> ColumnConstraint.Kind {
        try expect(.kwAs)
        try expect(.leftParen)
        let expr = try parseExpr()
        try expect(.rightParen)
        guard tok.kind.isID else { return .generated(expr, storage: nil) }
        let storage: GeneratedColumnStorage = tokenIs("stored") ? .stored : .virtual
        let known = tokenIs("virtual") || tokenIs("stored")
        let start = tok.start
        try advance()
        if !known { raise("error in generated column \"\(column.value)\"", at: start) }
        return .generated(expr, storage: storage)
    }

    /// `ON CONFLICT resolution`, or nothing.
    private mutating func parseOnConflict() throws -> ConflictResolution? {
        guard try accept(.kwOn) else { return nil }
        try expect(.kwConflict)
        return try parseResolution()
    }

    /// `INITIALLY DEFERRED|IMMEDIATE`, or nothing.
    private mutating func parseInitially() throws -> InitialConstraintMode? {
        guard try accept(.kwInitially) else { return nil }
        if try accept(.kwDeferred) { return .deferred }
        try expect(.kwImmediate)
        return .immediate
    }

    /// `table [(columns)] [MATCH name | ON DELETE|UPDATE|INSERT action]...`, after REFERENCES,
    /// then (for a table constraint) an optional DEFERRABLE clause.
    private mutating func parseForeignKeyClause(withDeferrability: Bool) throws -> ForeignKeyClause {
        guard tok.kind.isNm else { throw syntaxError() }
        var clause = ForeignKeyClause(table: try takeName())
        clause.columns = try parseColumnNameList(optional: true) ?? []
        while true {
            if try accept(.kwMatch) {
                guard tok.kind.isNm else { throw syntaxError() }
                clause.arguments.append(.match(try takeName()))
            } else if tok.kind == .kwOn {
                try advance()
                switch tok.kind {
                case .kwDelete:
                    try advance()
                    clause.arguments.append(.onDelete(try parseForeignKeyAction()))
                case .kwUpdate:
                    try advance()
                    clause.arguments.append(.onUpdate(try parseForeignKeyAction()))
                case .kwInsert:
                    try advance()
                    clause.arguments.append(.onInsert(try parseForeignKeyAction()))
                default:
                    throw syntaxError()
                }
            } else {
                break
            }
        }
        if withDeferrability {
            if tok.kind == .kwNot && peek(0) == .kwDeferrable {
                try advance()
                try advance()
                clause.deferrability = Deferrability(deferrable: false, initially: try parseInitially())
            } else if try accept(.kwDeferrable) {
                clause.deferrability = Deferrability(deferrable: true, initially: try parseInitially())
            }
        }
        return clause
    }

    private mutating func parseForeignKeyAction() throws -> ForeignKeyAction {
        switch tok.kind {
        case .kwSet:
            try advance()
            if try accept(.kwNull) { return .setNull }
            try expect(.kwDefault)
            return .setDefault
        case .kwCascade:
            try advance()
            return .cascade
        case .kwRestrict:
            try advance()
            return .restrict
        case .kwNo:
            try advance()
            try expect(.kwAction)
            return .noAction
        default:
            throw syntaxError()
        }
    }

    /// Table constraints, separated by optional commas, up to the closing parenthesis.
    private mutating func parseTableConstraints() throws -> [TableConstraint] {
        var constraints: [TableConstraint] = []
        var pendingName: Name?
        while true {
            let kind: TableConstraint.Kind
            switch tok.kind {
            case .kwConstraint:
                try advance()
                guard tok.kind.isNm else { throw syntaxError() }
                if let pendingName { constraints.append(TableConstraint(name: pendingName, nil)) }
                pendingName = try takeName()
                continue
            case .kwPrimary:
                try advance()
                try expect(.kwKey)
                try expect(.leftParen)
                let columns = try parseSortList()
                let autoincrement = try accept(.kwAutoincrement)
                try expect(.rightParen)
                let onConflict = try parseOnConflict()
                rejectExplicitNulls(columns)
                kind = .primaryKey(columns: columns, autoincrement: autoincrement, onConflict: onConflict)
            case .kwUnique:
                try advance()
                try expect(.leftParen)
                let columns = try parseSortList()
                try expect(.rightParen)
                let onConflict = try parseOnConflict()
                rejectExplicitNulls(columns)
                kind = .unique(columns: columns, onConflict: onConflict)
            case .kwCheck:
                try advance()
                try expect(.leftParen)
                let check = try parseExpr()
                try expect(.rightParen)
                kind = .check(check, onConflict: try parseOnConflict())
            case .kwForeign:
                try advance()
                try expect(.kwKey)
                guard let columns = try parseColumnNameList(optional: false) else { throw syntaxError() }
                try expect(.kwReferences)
                kind = .foreignKey(columns: columns, try parseForeignKeyClause(withDeferrability: true))
            case .comma:
                // A comma between table constraints is optional, and ends a pending name.
                try advance()
                if let pendingName { constraints.append(TableConstraint(name: pendingName, nil)) }
                pendingName = nil
                guard startsTableConstraint else { throw syntaxError() }
                continue
            default:
                if let pendingName { constraints.append(TableConstraint(name: pendingName, nil)) }
                return constraints
            }
            constraints.append(TableConstraint(name: pendingName, kind))
            pendingName = nil
        }
    }

    /// SQLite refuses NULLS FIRST/LAST in index definitions (`sqlite3HasExplicitNulls`).
    mutating func rejectExplicitNulls(_ columns: [OrderingTerm]) {
        for column in columns {
            guard let nulls = column.nulls else { continue }
            raise("unsupported use of NULLS \(nulls == .first ? "FIRST" : "LAST")", at: previousEnd)
            return
        }
    }
}
