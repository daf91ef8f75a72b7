// Statement dispatch, and the statements that are a line or two of grammar: transactions,
// savepoints, PRAGMA, VACUUM, REINDEX, ANALYZE, ATTACH and DETACH.

extension Parser {
    /// SQLite's `cmd`.
    mutating func parseCommand() throws -> Statement {
        switch tok.kind {
        case .kwSelect, .kwValues:
            return .select(try parseSelect())
        case .kwWith:
            return try parseWithStatement()
        case .kwInsert, .kwReplace:
            return .insert(try parseInsert(with: nil, inTrigger: false))
        case .kwUpdate:
            return .update(try parseUpdate(with: nil, inTrigger: false))
        case .kwDelete:
            return .delete(try parseDelete(with: nil, inTrigger: false))
        case .kwCreate:
            return try parseCreate()
        case .kwDrop:
            return .drop(try parseDrop())
        case .kwAlter:
            return .alterTable(try parseAlterTable())
        case .kwBegin:
            try advance()
            var begin = BeginStatement()
            switch tok.kind {
            case .kwDeferred: begin.mode = .deferred
            case .kwImmediate: begin.mode = .immediate
            case .kwExclusive: begin.mode = .exclusive
            default: break
            }
            if begin.mode != nil { try advance() }
            begin.transactionName = try parseTransactionName()
            return .begin(begin)
        case .kwCommit, .kwEnd:
            try advance()
            return .commit(transactionName: try parseTransactionName())
        case .kwRollback:
            try advance()
            var rollback = RollbackStatement(transactionName: try parseTransactionName())
            if try accept(.kwTo) {
                _ = try accept(.kwSavepoint)
                guard tok.kind.isNm else { throw syntaxError() }
                rollback.savepoint = try takeName()
            }
            return .rollback(rollback)
        case .kwSavepoint:
            try advance()
            guard tok.kind.isNm else { throw syntaxError() }
            return .savepoint(try takeName())
        case .kwRelease:
            try advance()
            _ = try accept(.kwSavepoint)
            guard tok.kind.isNm else { throw syntaxError() }
            return .release(try takeName())
        case .kwPragma:
            return .pragma(try parsePragma())
        case .kwVacuum:
            try advance()
            var vacuum = VacuumStatement()
            if tok.kind.isNm { vacuum.schema = try takeName() }
            if try accept(.kwInto) { vacuum.into = try parseExpr() }
            return .vacuum(vacuum)
        case .kwReindex:
            try advance()
            return .reindex(tok.kind.isNm ? try parseQualifiedName() : nil)
        case .kwAnalyze:
            try advance()
            return .analyze(tok.kind.isNm ? try parseQualifiedName() : nil)
        case .kwAttach:
            try advance()
            _ = try accept(.kwDatabase)
            let file = try parseExpr()
            try expect(.kwAs)
            let schema = try parseExpr()
            var key: Expr?
            if try accept(.kwKey) { key = try parseExpr() }
            return .attach(AttachStatement(file: file, schema: schema, key: key))
        case .kwDetach:
            try advance()
            _ = try accept(.kwDatabase)
            return .detach(try parseExpr())
        default:
            throw syntaxError()
        }
    }

    /// A statement that starts with WITH: a query, or an INSERT, UPDATE or DELETE.
    private mutating func parseWithStatement() throws -> Statement {
        // A query parses its own WITH; look past the common table expressions to see which.
        let with = try parseWith()
        switch tok.kind {
        case .kwSelect, .kwValues:
            var select = try parseSelect()
            select.with = with
            return .select(select)
        case .kwInsert, .kwReplace:
            return .insert(try parseInsert(with: with, inTrigger: false))
        case .kwUpdate:
            return .update(try parseUpdate(with: with, inTrigger: false))
        case .kwDelete:
            return .delete(try parseDelete(with: with, inTrigger: false))
        default:
            throw syntaxError()
        }
    }

    /// `[TRANSACTION [name]]`
    private mutating func parseTransactionName() throws -> Name? {
        guard try accept(.kwTransaction) else { return nil }
        return tok.kind.isNm ? try takeName() : nil
    }

    /// `PRAGMA [schema.]name [= value | (value)]`
    private mutating func parsePragma() throws -> PragmaStatement {
        try advance()
        var pragma = PragmaStatement(name: try parseQualifiedName())
        if try accept(.equal) {
            pragma.argument = .assign(try parsePragmaValue())
        } else if try accept(.leftParen) {
            pragma.argument = .call(try parsePragmaValue())
            try expect(.rightParen)
        }
        return pragma
    }

    /// SQLite's `nmnum` or `minus_num`: a signed number, a name or string, ON, DELETE or DEFAULT.
    private mutating func parsePragmaValue() throws -> PragmaValue {
        switch tok.kind {
        case .plus, .minus, .integer, .float:
            return .number(try parseSignedNumber())
        case .kwOn, .kwDelete, .kwDefault:
            return .name(try takeName())
        default:
            guard tok.kind.isNm else { throw syntaxError() }
            return .name(try takeName())
        }
    }
}
