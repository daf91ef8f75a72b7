// Schema statements: CREATE, DROP, ALTER.
//
// SQLite stores a CREATE statement's text in its schema as "CREATE <kind> " followed by the
// source from the object's (unqualified) name token to the end of the statement; every name
// here carries its source range so that text, and the in-place edits of ALTER TABLE RENAME, can
// be made from the original source.

package enum ForeignKeyAction: Sendable, Hashable {
    case setNull, setDefault, cascade, restrict, noAction
}

/// One argument of a REFERENCES clause, in source order (later ones override earlier ones).
package enum ForeignKeyArgument: Sendable, Hashable {
    case onDelete(ForeignKeyAction)
    case onUpdate(ForeignKeyAction)
    /// `ON INSERT action`: accepted and ignored by SQLite.
    case onInsert(ForeignKeyAction)
    /// `MATCH name`: accepted and ignored by SQLite.
    case match(Name)
}

package enum InitialConstraintMode: Sendable, Hashable {
    case deferred, immediate
}

/// `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`
package struct Deferrability: Sendable, Hashable {
    package var deferrable: Bool
    package var initially: InitialConstraintMode?

    package init(deferrable: Bool, initially: InitialConstraintMode? = nil) {
        self.deferrable = deferrable
        self.initially = initially
    }
}

/// `REFERENCES table [(columns)] [arguments] [deferrability]`
package struct ForeignKeyClause: Sendable, Equatable {
    package var table: Name
    package var columns: [Name]
    package var arguments: [ForeignKeyArgument]
    /// Only a table constraint's clause carries it; in a column definition a following
    /// DEFERRABLE is a constraint of its own (`ColumnConstraint.Kind.deferrable`), as in SQLite.
    package var deferrability: Deferrability?

    package init(table: Name, columns: [Name] = [], arguments: [ForeignKeyArgument] = [],
                 deferrability: Deferrability? = nil)
    {
        self.table = table
        self.columns = columns
        self.arguments = arguments
        self.deferrability = deferrability
    }
}

package enum GeneratedColumnStorage: Sendable, Hashable {
    case stored, virtual
}

/// One column constraint, in source order.
///
/// `CONSTRAINT name` names the constraint written right after it; a name followed by nothing
/// (or by another CONSTRAINT) is kept with a nil kind. SQLite applies a constraint name to the
/// constraints after it until the next name, so a consumer must walk the list in order.
package struct ColumnConstraint: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case primaryKey(order: SortOrder?, onConflict: ConflictResolution?, autoincrement: Bool)
        case notNull(onConflict: ConflictResolution?)
        /// `NULL [ON CONFLICT ...]`: accepted and ignored by SQLite.
        case null(onConflict: ConflictResolution?)
        case unique(onConflict: ConflictResolution?)
        case check(Expr)
        /// `DEFAULT value`. `span` is the source range SQLite records as the default's text
        /// (inside the parentheses for `DEFAULT (expr)`); `DEFAULT +5` is 5 and `DEFAULT name`
        /// is the string 'name' (or a boolean for true/false), as in SQLite.
        case `default`(Expr, span: SourceRange)
        case collate(Name)
        case references(ForeignKeyClause)
        /// A DEFERRABLE clause standing alone; it applies to the latest REFERENCES.
        case deferrable(Deferrability)
        /// `[GENERATED ALWAYS] AS (expr) [STORED|VIRTUAL]`
        case generated(Expr, storage: GeneratedColumnStorage?)
    }

    package var name: Name?
    package var kind: Kind?

    package init(name: Name? = nil, _ kind: Kind?) {
        self.name = name
        self.kind = kind
    }
}

package struct ColumnDefinition: Sendable, Equatable {
    package var name: Name
    /// nil when the column has no declared type.
    package var type: TypeName?
    package var constraints: [ColumnConstraint]
    /// From the name to the end of the last constraint (ALTER TABLE ADD COLUMN stores this text).
    package var range: SourceRange

    package init(name: Name, type: TypeName? = nil, constraints: [ColumnConstraint] = [], range: SourceRange = .none) {
        self.name = name
        self.type = type
        self.constraints = constraints
        self.range = range
    }
}

/// One table constraint, in source order; naming works as for `ColumnConstraint`, except that
/// a comma ends a pending name.
package struct TableConstraint: Sendable, Equatable {
    package enum Kind: Sendable, Equatable {
        case primaryKey(columns: [OrderingTerm], autoincrement: Bool, onConflict: ConflictResolution?)
        case unique(columns: [OrderingTerm], onConflict: ConflictResolution?)
        /// `CHECK (expr) [ON CONFLICT ...]`: SQLite accepts and ignores the conflict clause.
        case check(Expr, onConflict: ConflictResolution?)
        case foreignKey(columns: [Name], ForeignKeyClause)
    }

    package var name: Name?
    package var kind: Kind?

    package init(name: Name? = nil, _ kind: Kind?) {
        self.name = name
        self.kind = kind
    }
}

package struct TableOptions: OptionSet, Sendable, Hashable {
    package let rawValue: UInt8
    package init(rawValue: UInt8) { self.rawValue = rawValue }

    package static let withoutRowid = TableOptions(rawValue: 1)
    package static let strict = TableOptions(rawValue: 2)
}

package enum TableDefinition: Sendable, Equatable {
    case columns([ColumnDefinition], constraints: [TableConstraint], options: TableOptions)
    case select(Select)
}

package struct CreateTableStatement: Sendable, Equatable {
    package var temporary: Bool
    package var ifNotExists: Bool
    package var name: QualifiedName
    package var definition: TableDefinition

    package init(temporary: Bool = false, ifNotExists: Bool = false, name: QualifiedName, definition: TableDefinition) {
        self.temporary = temporary
        self.ifNotExists = ifNotExists
        self.name = name
        self.definition = definition
    }
}

package struct CreateIndexStatement: Sendable, Equatable {
    package var unique: Bool
    package var ifNotExists: Bool
    package var name: QualifiedName
    package var table: Name
    package var columns: [OrderingTerm]
    package var `where`: Expr?

    package init(unique: Bool = false, ifNotExists: Bool = false, name: QualifiedName, table: Name,
                 columns: [OrderingTerm], where: Expr? = nil)
    {
        self.unique = unique
        self.ifNotExists = ifNotExists
        self.name = name
        self.table = table
        self.columns = columns
        self.where = `where`
    }
}

package struct CreateViewStatement: Sendable, Equatable {
    package var temporary: Bool
    package var ifNotExists: Bool
    package var name: QualifiedName
    package var columns: [Name]
    package var select: Select

    package init(temporary: Bool = false, ifNotExists: Bool = false, name: QualifiedName,
                 columns: [Name] = [], select: Select)
    {
        self.temporary = temporary
        self.ifNotExists = ifNotExists
        self.name = name
        self.columns = columns
        self.select = select
    }
}

package enum TriggerTiming: Sendable, Hashable {
    case before, after, insteadOf
}

package enum TriggerEvent: Sendable, Equatable {
    case delete
    case insert
    /// UPDATE [OF columns]
    case update(columns: [Name]?)
}

/// A statement in a trigger body. SQLite's grammar allows no WITH, no schema-qualified target,
/// no INDEXED BY, no RETURNING and no ORDER BY/LIMIT on these, and the parser enforces that.
package enum TriggerStep: Sendable, Equatable {
    case insert(InsertStatement)
    case update(UpdateStatement)
    case delete(DeleteStatement)
    case select(Select)
}

package struct CreateTriggerStatement: Sendable, Equatable {
    package var temporary: Bool
    package var ifNotExists: Bool
    package var name: QualifiedName
    /// nil when not written (SQLite's default is BEFORE).
    package var timing: TriggerTiming?
    package var event: TriggerEvent
    package var table: QualifiedName
    package var forEachRow: Bool
    package var when: Expr?
    package var body: [TriggerStep]

    package init(temporary: Bool = false, ifNotExists: Bool = false, name: QualifiedName,
                 timing: TriggerTiming? = nil, event: TriggerEvent, table: QualifiedName,
                 forEachRow: Bool = false, when: Expr? = nil, body: [TriggerStep])
    {
        self.temporary = temporary
        self.ifNotExists = ifNotExists
        self.name = name
        self.timing = timing
        self.event = event
        self.table = table
        self.forEachRow = forEachRow
        self.when = when
        self.body = body
    }
}

/// `CREATE VIRTUAL TABLE [IF NOT EXISTS] name USING module [(arguments)]`. Each argument is its
/// raw source text, from its first token to its last, as SQLite hands it to the module; empty
/// arguments are dropped, as SQLite drops them.
package struct CreateVirtualTableStatement: Sendable, Equatable {
    package var ifNotExists: Bool
    package var name: QualifiedName
    package var module: Name
    /// nil when the module name has no parentheses after it.
    package var arguments: [String]?

    package init(ifNotExists: Bool = false, name: QualifiedName, module: Name, arguments: [String]? = nil) {
        self.ifNotExists = ifNotExists
        self.name = name
        self.module = module
        self.arguments = arguments
    }
}

package enum DropKind: Sendable, Hashable {
    case table, index, view, trigger
}

package struct DropStatement: Sendable, Equatable {
    package var kind: DropKind
    package var ifExists: Bool
    package var name: QualifiedName

    package init(kind: DropKind, ifExists: Bool = false, name: QualifiedName) {
        self.kind = kind
        self.ifExists = ifExists
        self.name = name
    }
}

package struct AlterTableStatement: Sendable, Equatable {
    package enum Action: Sendable, Equatable {
        case renameTable(to: Name)
        case renameColumn(Name, to: Name)
        case addColumn(ColumnDefinition)
        case dropColumn(Name)
    }

    package var table: QualifiedName
    package var action: Action

    package init(table: QualifiedName, action: Action) {
        self.table = table
        self.action = action
    }
}
