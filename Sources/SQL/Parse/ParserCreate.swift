// CREATE INDEX, VIEW, TRIGGER and VIRTUAL TABLE; DROP; ALTER TABLE.

extension Parser {
    /// At CREATE.
    mutating func parseCreate() throws -> Statement {
        try advance()
        if try accept(.kwVirtual) {
            return .createVirtualTable(try parseCreateVirtualTable())
        }
        let unique = try accept(.kwUnique)
        if unique || tok.kind == .kwIndex {
            try expect(.kwIndex)
            return .createIndex(try parseCreateIndex(unique: unique))
        }
        let temporary = try accept(.temp)
        switch tok.kind {
        case .kwTable:
            try advance()
            return .createTable(try parseCreateTable(temporary: temporary))
        case .kwView:
            try advance()
            return .createView(try parseCreateView(temporary: temporary))
        case .kwTrigger:
            try advance()
            return .createTrigger(try parseCreateTrigger(temporary: temporary))
        default:
            throw syntaxError()
        }
    }

    /// After `CREATE [UNIQUE] INDEX`.
    private mutating func parseCreateIndex(unique: Bool) throws -> CreateIndexStatement {
        let ifNotExists = try parseIfNotExists()
        let name = try parseQualifiedName()
        try expect(.kwOn)
        guard tok.kind.isNm else { throw syntaxError() }
        let table = try takeName()
        try expect(.leftParen)
        let columns = try parseSortList()
        try expect(.rightParen)
        let condition = try parseOptionalWhere()
        rejectExplicitNulls(columns)
        return CreateIndexStatement(unique: unique, ifNotExists: ifNotExists, name: name, table: table,
                                    columns: columns, where: condition)
    }

    /// After `CREATE [TEMP] VIEW`.
    private mutating func parseCreateView(temporary: Bool) throws -> CreateViewStatement {
        let ifNotExists = try parseIfNotExists()
        let name = try parseQualifiedName()
        let columns = try parseColumnNameList(optional: true) ?? []
        try expect(.kwAs)
        guard startsSelect else { throw syntaxError() }
        let select = try parseSelect()
        if parameterCount > 0 { raise("parameters are not allowed in views", at: tok.start) }
        return CreateViewStatement(temporary: temporary, ifNotExists: ifNotExists, name: name,
                                   columns: columns, select: select)
    }

    /// After `CREATE [TEMP] TRIGGER`.
    private mutating func parseCreateTrigger(temporary: Bool) throws -> CreateTriggerStatement {
        let ifNotExists = try parseIfNotExists()
        let name = try parseQualifiedName()
        var timing: TriggerTiming?
        switch tok.kind {
        case .kwBefore:
            try advance()
            timing = .before
        case .kwAfter:
            try advance()
            timing = .after
        case .kwInstead:
            try advance()
            try expect(.kwOf)
            timing = .insteadOf
        default:
            break
        }
        let event: TriggerEvent
        switch tok.kind {
        case .kwDelete:
            try advance()
            event = .delete
        case .kwInsert:
            try advance()
            event = .insert
        case .kwUpdate:
            try advance()
            event = try accept(.kwOf) ? .update(columns: try parseNameList()) : .update(columns: nil)
        default:
            throw syntaxError()
        }
        try expect(.kwOn)
        let table = try parseQualifiedName()
        var forEachRow = false
        if try accept(.kwFor) {
            try expect(.kwEach)
            try expect(.kwRow)
            forEachRow = true
        }
        let condition = try parseOptionalWhen()
        if temporary && name.schema != nil {
            raise("temporary trigger may not have qualified name", at: name.name.range.start)
        }
        try expect(.kwBegin)
        var body: [TriggerStep] = []
        repeat {
            body.append(try parseTriggerStep())
            try expect(.semicolon)
        } while tok.kind != .kwEnd
        try advance()
        if parameterCount > 0 { raise("trigger cannot use variables", at: previousEnd) }
        return CreateTriggerStatement(temporary: temporary, ifNotExists: ifNotExists, name: name,
                                      timing: timing, event: event, table: table, forEachRow: forEachRow,
                                      when: condition, body: body)
    }

    private mutating func parseOptionalWhen() throws -> Expr? {
        guard try accept(.kwWhen) else { return nil }
        return try parseExpr()
    }

    private mutating func parseTriggerStep() throws -> TriggerStep {
        switch tok.kind {
        case .kwUpdate: return .update(try parseUpdate(with: nil, inTrigger: true))
        case .kwInsert, .kwReplace: return .insert(try parseInsert(with: nil, inTrigger: true))
        case .kwDelete: return .delete(try parseDelete(with: nil, inTrigger: true))
        case .kwSelect, .kwValues, .kwWith: return .select(try parseSelect())
        default: throw syntaxError()
        }
    }

    /// After `CREATE VIRTUAL`. The arguments are kept as raw text: tokens up to a comma or the
    /// closing parenthesis at the outer level, nested parentheses balanced.
    private mutating func parseCreateVirtualTable() throws -> CreateVirtualTableStatement {
        try expect(.kwTable)
        let ifNotExists = try parseIfNotExists()
        let name = try parseQualifiedName()
        try expect(.kwUsing)
        guard tok.kind.isNm else { throw syntaxError() }
        var statement = CreateVirtualTableStatement(ifNotExists: ifNotExists, name: name, module: try takeName())
        guard try accept(.leftParen) else { return statement }
        var arguments: [String] = []
        var argumentStart = -1
        var nesting = 0
        while true {
            switch tok.kind {
            case .eof:
                throw syntaxError()
            case .leftParen:
                nesting += 1
            case .rightParen, .comma:
                if tok.kind == .rightParen && nesting > 0 {
                    nesting -= 1
                    break
                }
                if nesting > 0 { break }
                if argumentStart >= 0 { arguments.append(source.text(argumentStart, previousEnd)) }
                argumentStart = -1
                let done = tok.kind == .rightParen
                try advance()
                if done {
                    statement.arguments = arguments
                    return statement
                }
                continue
            default:
                break
            }
            if argumentStart < 0 { argumentStart = tok.start }
            try advance()
        }
    }

    /// At DROP.
    mutating func parseDrop() throws -> DropStatement {
        try advance()
        let kind: DropKind
        switch tok.kind {
        case .kwTable: kind = .table
        case .kwIndex: kind = .index
        case .kwView: kind = .view
        case .kwTrigger: kind = .trigger
        default: throw syntaxError()
        }
        try advance()
        var ifExists = false
        if try accept(.kwIf) {
            try expect(.kwExists)
            ifExists = true
        }
        return DropStatement(kind: kind, ifExists: ifExists, name: try parseQualifiedName())
    }

    /// At ALTER.
    mutating func parseAlterTable() throws -> AlterTableStatement {
        try advance()
        try expect(.kwTable)
        let table = try parseQualifiedName()
        switch tok.kind {
        case .kwRename:
            try advance()
            if try accept(.kwTo) {
                guard tok.kind.isNm else { throw syntaxError() }
                return AlterTableStatement(table: table, action: .renameTable(to: try takeName()))
            }
            _ = try accept(.kwColumn)
            guard tok.kind.isNm else { throw syntaxError() }
            let column = try takeName()
            try expect(.kwTo)
            guard tok.kind.isNm else { throw syntaxError() }
            return AlterTableStatement(table: table, action: .renameColumn(column, to: try takeName()))
        case .kwAdd:
            try advance()
            _ = try accept(.kwColumn)
            return AlterTableStatement(table: table, action: .addColumn(try parseColumnDefinition()))
        case .kwDrop:
            try advance()
            _ = try accept(.kwColumn)
            guard tok.kind.isNm else { throw syntaxError() }
            return AlterTableStatement(table: table, action: .dropColumn(try takeName()))
        default:
            throw syntaxError()
        }
    }
}
