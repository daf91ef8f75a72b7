/// One parsed statement with its prefix, location and parameters.
package struct ParsedStatement: Sendable, Equatable {
    package var explain: ExplainMode?
    package var statement: Statement
    /// From the first token (EXPLAIN included) to the end of the last, without the semicolon.
    package var range: SourceRange
    /// Like `range`, but starting after any EXPLAIN [QUERY PLAN] prefix.
    package var statementRange: SourceRange
    /// The largest parameter index used (SQLite's `sqlite3_bind_parameter_count`).
    package var parameterCount: Int
    /// Named and `?NNN` parameters by index, in order of first appearance.
    package var parameterNames: [ParameterName]

    package init(explain: ExplainMode? = nil, statement: Statement, range: SourceRange = .none,
                 statementRange: SourceRange = .none, parameterCount: Int = 0,
                 parameterNames: [ParameterName] = [])
    {
        self.explain = explain
        self.statement = statement
        self.range = range
        self.statementRange = statementRange
        self.parameterCount = parameterCount
        self.parameterNames = parameterNames
    }
}

package struct ParameterName: Sendable, Hashable {
    package var name: String
    package var index: Int

    package init(name: String, index: Int) {
        self.name = name
        self.index = index
    }
}

package enum ExplainMode: Sendable, Hashable {
    case explain, queryPlan
}

package indirect enum Statement: Sendable, Equatable {
    case select(Select)
    case insert(InsertStatement)
    case update(UpdateStatement)
    case delete(DeleteStatement)
    case createTable(CreateTableStatement)
    case createIndex(CreateIndexStatement)
    case createView(CreateViewStatement)
    case createTrigger(CreateTriggerStatement)
    case createVirtualTable(CreateVirtualTableStatement)
    case drop(DropStatement)
    case alterTable(AlterTableStatement)
    case begin(BeginStatement)
    /// COMMIT or END [TRANSACTION [name]]
    case commit(transactionName: Name?)
    case rollback(RollbackStatement)
    case savepoint(Name)
    case release(Name)
    case pragma(PragmaStatement)
    case vacuum(VacuumStatement)
    /// REINDEX [[schema.]name]
    case reindex(QualifiedName?)
    /// ANALYZE [[schema.]name]
    case analyze(QualifiedName?)
    case attach(AttachStatement)
    /// DETACH [DATABASE] schema-expr
    case detach(Expr)
}

// MARK: - DML

/// `SET column = value` or `SET (a, b) = value` (`parenthesized` keeps the second form, even
/// for one column).
package struct SetAssignment: Sendable, Equatable {
    package var columns: [Name]
    package var parenthesized: Bool
    package var value: Expr

    package init(columns: [Name], parenthesized: Bool = false, value: Expr) {
        self.columns = columns
        self.parenthesized = parenthesized
        self.value = value
    }
}

package enum InsertVerb: Sendable, Hashable {
    /// INSERT [OR resolution]
    case insert(ConflictResolution?)
    /// REPLACE
    case replace
}

package enum InsertSource: Sendable, Equatable {
    /// A query, VALUES included.
    case select(Select)
    case defaultValues
}

/// `ON CONFLICT [(target) [WHERE ...]] DO NOTHING | DO UPDATE SET ... [WHERE ...]`
package struct UpsertClause: Sendable, Equatable {
    package struct Target: Sendable, Equatable {
        package var columns: [OrderingTerm]
        package var `where`: Expr?

        package init(columns: [OrderingTerm], where: Expr? = nil) {
            self.columns = columns
            self.where = `where`
        }
    }

    package enum Action: Sendable, Equatable {
        case nothing
        case update(set: [SetAssignment], where: Expr?)
    }

    package var target: Target?
    package var action: Action

    package init(target: Target?, action: Action) {
        self.target = target
        self.action = action
    }
}

package struct InsertStatement: Sendable, Equatable {
    package var with: WithClause?
    package var verb: InsertVerb
    package var table: QualifiedName
    package var alias: Name?
    /// The column list, nil when absent.
    package var columns: [Name]?
    package var source: InsertSource
    package var upserts: [UpsertClause]
    /// The RETURNING list, nil when absent.
    package var returning: [ResultColumn]?

    package init(with: WithClause? = nil, verb: InsertVerb, table: QualifiedName, alias: Name? = nil,
                 columns: [Name]? = nil, source: InsertSource, upserts: [UpsertClause] = [],
                 returning: [ResultColumn]? = nil)
    {
        self.with = with
        self.verb = verb
        self.table = table
        self.alias = alias
        self.columns = columns
        self.source = source
        self.upserts = upserts
        self.returning = returning
    }
}

package struct UpdateStatement: Sendable, Equatable {
    package var with: WithClause?
    package var orConflict: ConflictResolution?
    package var table: QualifiedName
    package var alias: Name?
    package var indexHint: IndexHint?
    package var set: [SetAssignment]
    package var from: FromClause?
    package var `where`: Expr?
    package var returning: [ResultColumn]?
    package var orderBy: [OrderingTerm]
    package var limit: Limit?

    package init(with: WithClause? = nil, orConflict: ConflictResolution? = nil, table: QualifiedName,
                 alias: Name? = nil, indexHint: IndexHint? = nil, set: [SetAssignment],
                 from: FromClause? = nil, where: Expr? = nil, returning: [ResultColumn]? = nil,
                 orderBy: [OrderingTerm] = [], limit: Limit? = nil)
    {
        self.with = with
        self.orConflict = orConflict
        self.table = table
        self.alias = alias
        self.indexHint = indexHint
        self.set = set
        self.from = from
        self.where = `where`
        self.returning = returning
        self.orderBy = orderBy
        self.limit = limit
    }
}

package struct DeleteStatement: Sendable, Equatable {
    package var with: WithClause?
    package var table: QualifiedName
    package var alias: Name?
    package var indexHint: IndexHint?
    package var `where`: Expr?
    package var returning: [ResultColumn]?
    package var orderBy: [OrderingTerm]
    package var limit: Limit?

    package init(with: WithClause? = nil, table: QualifiedName, alias: Name? = nil,
                 indexHint: IndexHint? = nil, where: Expr? = nil, returning: [ResultColumn]? = nil,
                 orderBy: [OrderingTerm] = [], limit: Limit? = nil)
    {
        self.with = with
        self.table = table
        self.alias = alias
        self.indexHint = indexHint
        self.where = `where`
        self.returning = returning
        self.orderBy = orderBy
        self.limit = limit
    }
}

// MARK: - Transactions and administration

package enum TransactionMode: Sendable, Hashable {
    case deferred, immediate, exclusive
}

package struct BeginStatement: Sendable, Equatable {
    package var mode: TransactionMode?
    /// BEGIN TRANSACTION name: the name is accepted and ignored, as in SQLite.
    package var transactionName: Name?

    package init(mode: TransactionMode? = nil, transactionName: Name? = nil) {
        self.mode = mode
        self.transactionName = transactionName
    }
}

/// ROLLBACK [TRANSACTION [name]] [TO [SAVEPOINT] savepoint]
package struct RollbackStatement: Sendable, Equatable {
    package var transactionName: Name?
    package var savepoint: Name?

    package init(transactionName: Name? = nil, savepoint: Name? = nil) {
        self.transactionName = transactionName
        self.savepoint = savepoint
    }
}

package enum PragmaValue: Sendable, Equatable {
    /// A number with its sign as SQLite passes it: `-5` keeps the minus, `+5` is `5`.
    case number(String)
    /// A name or string (ON, DELETE and DEFAULT are names here, spelled as written).
    case name(Name)
}

package struct PragmaStatement: Sendable, Equatable {
    package enum Argument: Sendable, Equatable {
        /// `PRAGMA name = value`
        case assign(PragmaValue)
        /// `PRAGMA name(value)`
        case call(PragmaValue)
    }

    package var name: QualifiedName
    package var argument: Argument?

    package init(name: QualifiedName, argument: Argument? = nil) {
        self.name = name
        self.argument = argument
    }
}

package struct VacuumStatement: Sendable, Equatable {
    package var schema: Name?
    package var into: Expr?

    package init(schema: Name? = nil, into: Expr? = nil) {
        self.schema = schema
        self.into = into
    }
}

/// ATTACH [DATABASE] file AS schema [KEY key]; SQLite takes expressions for all three.
package struct AttachStatement: Sendable, Equatable {
    package var file: Expr
    package var schema: Expr
    package var key: Expr?

    package init(file: Expr, schema: Expr, key: Expr? = nil) {
        self.file = file
        self.schema = schema
        self.key = key
    }
}
