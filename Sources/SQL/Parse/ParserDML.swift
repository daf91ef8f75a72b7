// INSERT, UPDATE and DELETE, as statements and as steps of a trigger body.
//
// In a trigger body SQLite 3.40's grammar has no WITH, no alias, no ORDER BY/LIMIT, no
// RETURNING on UPDATE/DELETE and no DEFAULT VALUES; a qualified target, INDEXED BY and an
// INSERT's RETURNING parse but are errors with messages of their own.

extension Parser {
    /// `INSERT [OR resolution] | REPLACE` ... at the verb.
    mutating func parseInsert(with: WithClause?, inTrigger: Bool) throws -> InsertStatement {
        let verb: InsertVerb
        if try accept(.kwReplace) {
            verb = .replace
        } else {
            try expect(.kwInsert)
            verb = .insert(try parseOrConflict())
        }
        try expect(.kwInto)
        let table = try parseTargetTable(inTrigger: inTrigger)
        var alias: Name?
        if !inTrigger, try accept(.kwAs) {
            guard tok.kind.isNm else { throw syntaxError() }
            alias = try takeName()
        }
        var columns: [Name]?
        if try accept(.leftParen) {
            columns = try parseNameList()
            try expect(.rightParen)
        }
        var statement = InsertStatement(with: with, verb: verb, table: table, alias: alias,
                                        columns: columns, source: .defaultValues)
        if !inTrigger, try accept(.kwDefault) {
            try expect(.kwValues)
            statement.returning = try parseReturning(inTrigger: inTrigger)
            return statement
        }
        guard startsSelect else { throw syntaxError() }
        statement.source = .select(try parseSelect())
        while tok.kind == .kwOn {
            let upsert = try parseUpsert()
            statement.upserts.append(upsert)
            if upsert.target == nil { break }
        }
        statement.returning = try parseReturning(inTrigger: inTrigger)
        return statement
    }

    /// `ON CONFLICT [(columns) [WHERE ...]] DO NOTHING | DO UPDATE SET ... [WHERE ...]`
    private mutating func parseUpsert() throws -> UpsertClause {
        try expect(.kwOn)
        try expect(.kwConflict)
        var target: UpsertClause.Target?
        if try accept(.leftParen) {
            let columns = try parseSortList()
            try expect(.rightParen)
            target = UpsertClause.Target(columns: columns, where: try parseOptionalWhere())
        }
        try expect(.kwDo)
        if try accept(.kwNothing) { return UpsertClause(target: target, action: .nothing) }
        try expect(.kwUpdate)
        try expect(.kwSet)
        let set = try parseSetList()
        return UpsertClause(target: target, action: .update(set: set, where: try parseOptionalWhere()))
    }

    /// `UPDATE [OR resolution] table ... SET ...`, at UPDATE.
    mutating func parseUpdate(with: WithClause?, inTrigger: Bool) throws -> UpdateStatement {
        try expect(.kwUpdate)
        let orConflict = try parseOrConflict()
        let table = try parseTargetTable(inTrigger: inTrigger)
        var statement = UpdateStatement(with: with, orConflict: orConflict, table: table, set: [])
        if !inTrigger {
            statement.alias = try parseTargetAlias()
            statement.indexHint = try parseIndexHint()
        } else {
            try rejectIndexHintInTrigger()
        }
        try expect(.kwSet)
        statement.set = try parseSetList()
        if try accept(.kwFrom) { statement.from = try parseFrom() }
        statement.where = try parseOptionalWhere()
        if !inTrigger {
            statement.returning = try parseReturning(inTrigger: false)
            statement.orderBy = try parseOrderBy()
            statement.limit = try parseLimit()
        }
        return statement
    }

    /// `DELETE FROM table ...`, at DELETE.
    mutating func parseDelete(with: WithClause?, inTrigger: Bool) throws -> DeleteStatement {
        try expect(.kwDelete)
        try expect(.kwFrom)
        let table = try parseTargetTable(inTrigger: inTrigger)
        var statement = DeleteStatement(with: with, table: table)
        if !inTrigger {
            statement.alias = try parseTargetAlias()
            statement.indexHint = try parseIndexHint()
        } else {
            try rejectIndexHintInTrigger()
        }
        statement.where = try parseOptionalWhere()
        if !inTrigger {
            statement.returning = try parseReturning(inTrigger: false)
            statement.orderBy = try parseOrderBy()
            statement.limit = try parseLimit()
        }
        return statement
    }

    /// `OR ROLLBACK|ABORT|FAIL|IGNORE|REPLACE`, or nothing.
    private mutating func parseOrConflict() throws -> ConflictResolution? {
        guard try accept(.kwOr) else { return nil }
        return try parseResolution()
    }

    /// `ROLLBACK | ABORT | FAIL | IGNORE | REPLACE`
    mutating func parseResolution() throws -> ConflictResolution {
        let resolution: ConflictResolution
        switch tok.kind {
        case .kwRollback: resolution = .rollback
        case .kwAbort: resolution = .abort
        case .kwFail: resolution = .fail
        case .kwIgnore: resolution = .ignore
        case .kwReplace: resolution = .replace
        default: throw syntaxError()
        }
        try advance()
        return resolution
    }

    /// The table an INSERT, UPDATE or DELETE writes: `[schema.]name`, unqualified in a trigger.
    private mutating func parseTargetTable(inTrigger: Bool) throws -> QualifiedName {
        let name = try parseQualifiedName()
        if inTrigger && name.schema != nil {
            raise("qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within triggers",
                  at: name.name.range.end)
        }
        return name
    }

    /// `AS name`, or nothing (UPDATE and DELETE take no alias without AS).
    private mutating func parseTargetAlias() throws -> Name? {
        guard try accept(.kwAs) else { return nil }
        guard tok.kind.isNm else { throw syntaxError() }
        return try takeName()
    }

    private mutating func rejectIndexHintInTrigger() throws {
        let start = tok.start
        guard let hint = try parseIndexHint() else { return }
        let clause = if case .notIndexed = hint { "NOT INDEXED" } else { "INDEXED BY" }
        raise("the \(clause) clause is not allowed on UPDATE or DELETE statements within triggers", at: start)
    }

    /// `WHERE expr`, or nothing.
    mutating func parseOptionalWhere() throws -> Expr? {
        guard try accept(.kwWhere) else { return nil }
        return try parseExpr()
    }

    /// `RETURNING columns`, or nothing. In a trigger SQLite parses it and then refuses it.
    private mutating func parseReturning(inTrigger: Bool) throws -> [ResultColumn]? {
        guard tok.kind == .kwReturning else { return nil }
        let start = tok.start
        try advance()
        let columns = try parseResultColumns()
        if inTrigger { raise("cannot use RETURNING in a trigger", at: start) }
        return columns
    }

    /// `name = expr | (name, ...) = expr`, comma separated.
    private mutating func parseSetList() throws -> [SetAssignment] {
        var list: [SetAssignment] = []
        repeat {
            if try accept(.leftParen) {
                let columns = try parseNameList()
                try expect(.rightParen)
                try expect(.equal)
                let value = try parseExpr()
                var width = 1
                switch value {
                case .subquery: width = columns.count
                case .vector(let terms): width = terms.count
                default: break
                }
                if width != columns.count {
                    raise("\(columns.count) columns assigned \(width) values", at: previousEnd)
                }
                list.append(SetAssignment(columns: columns, parenthesized: true, value: value))
            } else {
                guard tok.kind.isNm else { throw syntaxError() }
                let column = try takeName()
                try expect(.equal)
                list.append(SetAssignment(columns: [column], value: try parseExpr()))
            }
        } while try accept(.comma)
        return list
    }
}
