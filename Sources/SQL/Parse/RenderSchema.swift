// CREATE, DROP and ALTER statements.

extension SQLRenderer {
    mutating func createTable(_ create: CreateTableStatement) {
        write(create.temporary ? "CREATE TEMP TABLE " : "CREATE TABLE ")
        if create.ifNotExists { write("IF NOT EXISTS ") }
        qualified(create.name)
        switch create.definition {
        case .select(let select):
            write(" AS ")
            self.select(select)
        case .columns(let columns, let constraints, let options):
            write("(")
            list(columns) { $0.columnDefinition($1) }
            for constraint in constraints {
                write(", ")
                tableConstraint(constraint)
            }
            write(")")
            var optionWords: [String] = []
            if options.contains(.withoutRowid) { optionWords.append("WITHOUT ROWID") }
            if options.contains(.strict) { optionWords.append("STRICT") }
            if !optionWords.isEmpty { write(" " + optionWords.joined(separator: ", ")) }
        }
    }

    mutating func columnDefinition(_ column: ColumnDefinition) {
        name(column.name)
        if let type = column.type, !type.text.isEmpty {
            write(" ")
            typeName(type)
        }
        for constraint in column.constraints {
            if let constraintName = constraint.name {
                write(" CONSTRAINT ")
                name(constraintName)
            }
            guard let kind = constraint.kind else { continue }
            write(" ")
            columnConstraint(kind)
        }
    }

    private mutating func columnConstraint(_ kind: ColumnConstraint.Kind) {
        switch kind {
        case .primaryKey(let order, let resolution, let autoincrement):
            write("PRIMARY KEY")
            switch order {
            case .ascending?: write(" ASC")
            case .descending?: write(" DESC")
            case nil: break
            }
            onConflict(resolution)
            if autoincrement { write(" AUTOINCREMENT") }
        case .notNull(let resolution):
            write("NOT NULL")
            onConflict(resolution)
        case .null(let resolution):
            write("NULL")
            onConflict(resolution)
        case .unique(let resolution):
            write("UNIQUE")
            onConflict(resolution)
        case .check(let condition):
            write("CHECK (")
            expr(condition)
            write(")")
        case .default(let value, _):
            write("DEFAULT ")
            defaultValue(value)
        case .collate(let collation):
            write("COLLATE ")
            name(collation)
        case .references(let clause):
            foreignKey(clause)
        case .deferrable(let deferrability):
            self.deferrability(deferrability)
        case .generated(let value, let storage):
            write("AS (")
            expr(value)
            write(")")
            switch storage {
            case .stored?: write(" STORED")
            case .virtual?: write(" VIRTUAL")
            case nil: break
            }
        }
    }

    /// A DEFAULT value in the form SQLite reads back as the same tree: a literal or a negated
    /// literal as it is, anything else in parentheses.
    private mutating func defaultValue(_ value: Expr) {
        switch value {
        case .literal(let literal):
            if case .integer(let number) = literal, number == .min {
                write(String(number))   // DEFAULT -9223372036854775808 folds to this
            } else {
                self.literal(literal)
            }
            return
        case .unary(.negate, .literal(let literal)):
            var term = SQLRenderer()
            term.literal(literal)
            if !term.output.hasPrefix("("), literal != .boolean(true), literal != .boolean(false) {
                write("-" + term.output)
                return
            }
        default:
            break
        }
        write("(")
        expr(value)
        write(")")
    }

    private mutating func foreignKey(_ clause: ForeignKeyClause) {
        write("REFERENCES ")
        name(clause.table)
        if !clause.columns.isEmpty {
            write("(")
            list(clause.columns) { $0.name($1) }
            write(")")
        }
        for argument in clause.arguments {
            switch argument {
            case .onDelete(let action):
                write(" ON DELETE ")
                foreignKeyAction(action)
            case .onUpdate(let action):
                write(" ON UPDATE ")
                foreignKeyAction(action)
            case .onInsert(let action):
                write(" ON INSERT ")
                foreignKeyAction(action)
            case .match(let name):
                write(" MATCH ")
                self.name(name)
            }
        }
        if let deferrability = clause.deferrability {
            write(" ")
            self.deferrability(deferrability)
        }
    }

    private mutating func foreignKeyAction(_ action: ForeignKeyAction) {
        switch action {
        case .setNull: write("SET NULL")
        case .setDefault: write("SET DEFAULT")
        case .cascade: write("CASCADE")
        case .restrict: write("RESTRICT")
        case .noAction: write("NO ACTION")
        }
    }

    private mutating func deferrability(_ deferrability: Deferrability) {
        write(deferrability.deferrable ? "DEFERRABLE" : "NOT DEFERRABLE")
        switch deferrability.initially {
        case .deferred?: write(" INITIALLY DEFERRED")
        case .immediate?: write(" INITIALLY IMMEDIATE")
        case nil: break
        }
    }

    private mutating func tableConstraint(_ constraint: TableConstraint) {
        if let constraintName = constraint.name {
            write("CONSTRAINT ")
            name(constraintName)
            if constraint.kind != nil { write(" ") }
        }
        switch constraint.kind {
        case nil:
            break
        case .primaryKey(let columns, let autoincrement, let resolution)?:
            write("PRIMARY KEY (")
            orderingTerms(columns)
            if autoincrement { write(" AUTOINCREMENT") }
            write(")")
            onConflict(resolution)
        case .unique(let columns, let resolution)?:
            write("UNIQUE (")
            orderingTerms(columns)
            write(")")
            onConflict(resolution)
        case .check(let condition, let resolution)?:
            write("CHECK (")
            expr(condition)
            write(")")
            onConflict(resolution)
        case .foreignKey(let columns, let clause)?:
            write("FOREIGN KEY (")
            list(columns) { $0.name($1) }
            write(") ")
            foreignKey(clause)
        }
    }

    mutating func createIndex(_ create: CreateIndexStatement) {
        write(create.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ")
        if create.ifNotExists { write("IF NOT EXISTS ") }
        qualified(create.name)
        write(" ON ")
        name(create.table)
        write(" (")
        orderingTerms(create.columns)
        write(")")
        if let condition = create.where {
            write(" WHERE ")
            expr(condition)
        }
    }

    mutating func createView(_ create: CreateViewStatement) {
        write(create.temporary ? "CREATE TEMP VIEW " : "CREATE VIEW ")
        if create.ifNotExists { write("IF NOT EXISTS ") }
        qualified(create.name)
        if !create.columns.isEmpty {
            write("(")
            list(create.columns) { $0.name($1) }
            write(")")
        }
        write(" AS ")
        select(create.select)
    }

    mutating func createTrigger(_ create: CreateTriggerStatement) {
        write(create.temporary ? "CREATE TEMP TRIGGER " : "CREATE TRIGGER ")
        if create.ifNotExists { write("IF NOT EXISTS ") }
        qualified(create.name)
        switch create.timing {
        case .before?: write(" BEFORE")
        case .after?: write(" AFTER")
        case .insteadOf?: write(" INSTEAD OF")
        case nil: break
        }
        switch create.event {
        case .delete: write(" DELETE")
        case .insert: write(" INSERT")
        case .update(let columns):
            write(" UPDATE")
            if let columns {
                write(" OF ")
                list(columns) { $0.name($1) }
            }
        }
        write(" ON ")
        qualified(create.table)
        if create.forEachRow { write(" FOR EACH ROW") }
        if let condition = create.when {
            write(" WHEN ")
            expr(condition)
        }
        write(" BEGIN ")
        for step in create.body {
            switch step {
            case .insert(let insert): self.insert(insert)
            case .update(let update): self.update(update)
            case .delete(let delete): self.delete(delete)
            case .select(let select): self.select(select)
            }
            write("; ")
        }
        write("END")
    }

    mutating func createVirtualTable(_ create: CreateVirtualTableStatement) {
        write("CREATE VIRTUAL TABLE ")
        if create.ifNotExists { write("IF NOT EXISTS ") }
        qualified(create.name)
        write(" USING ")
        name(create.module)
        if let arguments = create.arguments {
            write("(" + arguments.joined(separator: ", ") + ")")
        }
    }

    mutating func drop(_ drop: DropStatement) {
        switch drop.kind {
        case .table: write("DROP TABLE ")
        case .index: write("DROP INDEX ")
        case .view: write("DROP VIEW ")
        case .trigger: write("DROP TRIGGER ")
        }
        if drop.ifExists { write("IF EXISTS ") }
        qualified(drop.name)
    }

    mutating func alterTable(_ alter: AlterTableStatement) {
        write("ALTER TABLE ")
        qualified(alter.table)
        switch alter.action {
        case .renameTable(let newName):
            write(" RENAME TO ")
            name(newName)
        case .renameColumn(let column, let newName):
            write(" RENAME COLUMN ")
            name(column)
            write(" TO ")
            name(newName)
        case .addColumn(let column):
            write(" ADD COLUMN ")
            columnDefinition(column)
        case .dropColumn(let column):
            write(" DROP COLUMN ")
            name(column)
        }
    }
}
