// Statements: DML, transactions and administration. Schema statements are in RenderSchema.swift.

extension ParsedStatement {
    /// The statement as SQL text, EXPLAIN prefix included, without a semicolon.
    package var sql: String {
        var renderer = SQLRenderer()
        switch explain {
        case .explain?: renderer.write("EXPLAIN ")
        case .queryPlan?: renderer.write("EXPLAIN QUERY PLAN ")
        case nil: break
        }
        renderer.statement(statement)
        return renderer.output
    }
}

extension Statement {
    /// The statement as SQL text, without a semicolon.
    package var sql: String {
        var renderer = SQLRenderer()
        renderer.statement(self)
        return renderer.output
    }
}

extension SQLRenderer {
    mutating func statement(_ statement: Statement) {
        switch statement {
        case .select(let select): self.select(select)
        case .insert(let insert): self.insert(insert)
        case .update(let update): self.update(update)
        case .delete(let delete): self.delete(delete)
        case .createTable(let create): createTable(create)
        case .createIndex(let create): createIndex(create)
        case .createView(let create): createView(create)
        case .createTrigger(let create): createTrigger(create)
        case .createVirtualTable(let create): createVirtualTable(create)
        case .drop(let drop): self.drop(drop)
        case .alterTable(let alter): alterTable(alter)
        case .begin(let begin):
            write("BEGIN")
            switch begin.mode {
            case .deferred?: write(" DEFERRED")
            case .immediate?: write(" IMMEDIATE")
            case .exclusive?: write(" EXCLUSIVE")
            case nil: break
            }
            transactionName(begin.transactionName)
        case .commit(let name):
            write("COMMIT")
            transactionName(name)
        case .rollback(let rollback):
            write("ROLLBACK")
            transactionName(rollback.transactionName)
            if let savepoint = rollback.savepoint {
                write(" TO SAVEPOINT ")
                name(savepoint)
            }
        case .savepoint(let savepoint):
            write("SAVEPOINT ")
            name(savepoint)
        case .release(let savepoint):
            write("RELEASE SAVEPOINT ")
            name(savepoint)
        case .pragma(let pragma):
            write("PRAGMA ")
            qualified(pragma.name)
            switch pragma.argument {
            case .assign(let value)?:
                write(" = ")
                pragmaValue(value)
            case .call(let value)?:
                write("(")
                pragmaValue(value)
                write(")")
            case nil:
                break
            }
        case .vacuum(let vacuum):
            write("VACUUM")
            if let schema = vacuum.schema {
                write(" ")
                name(schema)
            }
            if let into = vacuum.into {
                write(" INTO ")
                expr(into)
            }
        case .reindex(let target):
            write("REINDEX")
            if let target {
                write(" ")
                qualified(target)
            }
        case .analyze(let target):
            write("ANALYZE")
            if let target {
                write(" ")
                qualified(target)
            }
        case .attach(let attach):
            write("ATTACH DATABASE ")
            expr(attach.file)
            write(" AS ")
            expr(attach.schema)
            if let key = attach.key {
                write(" KEY ")
                expr(key)
            }
        case .detach(let schema):
            write("DETACH DATABASE ")
            expr(schema)
        }
    }

    private mutating func transactionName(_ transaction: Name?) {
        guard let transaction else { return }
        write(" TRANSACTION ")
        name(transaction)
    }

    private mutating func pragmaValue(_ value: PragmaValue) {
        switch value {
        case .number(let number): write(number)
        case .name(let value):
            // ON, DELETE and DEFAULT are keywords the grammar takes here as they are.
            let word = value.value.lowercasedASCII
            if value.quoting == .bare && (word == "on" || word == "delete" || word == "default") {
                write(value.value)
            } else {
                name(value)
            }
        }
    }

    private mutating func conflictKeyword(_ resolution: ConflictResolution) {
        switch resolution {
        case .rollback: write("ROLLBACK")
        case .abort: write("ABORT")
        case .fail: write("FAIL")
        case .ignore: write("IGNORE")
        case .replace: write("REPLACE")
        }
    }

    /// ` ON CONFLICT resolution` when there is one.
    mutating func onConflict(_ resolution: ConflictResolution?) {
        guard let resolution else { return }
        write(" ON CONFLICT ")
        conflictKeyword(resolution)
    }

    mutating func insert(_ insert: InsertStatement) {
        if let with = insert.with {
            self.with(with)
            write(" ")
        }
        switch insert.verb {
        case .replace:
            write("REPLACE")
        case .insert(let resolution):
            write("INSERT")
            if let resolution {
                write(" OR ")
                conflictKeyword(resolution)
            }
        }
        write(" INTO ")
        qualified(insert.table)
        if let alias = insert.alias {
            write(" AS ")
            name(alias)
        }
        if let columns = insert.columns {
            write(" (")
            list(columns) { $0.name($1) }
            write(")")
        }
        switch insert.source {
        case .defaultValues:
            write(" DEFAULT VALUES")
        case .select(let select):
            write(" ")
            self.select(select)
        }
        for upsert in insert.upserts {
            write(" ON CONFLICT")
            if let target = upsert.target {
                write(" (")
                orderingTerms(target.columns)
                write(")")
                whereClause(target.where)
            }
            switch upsert.action {
            case .nothing:
                write(" DO NOTHING")
            case .update(let set, let condition):
                write(" DO UPDATE SET ")
                assignments(set)
                whereClause(condition)
            }
        }
        returning(insert.returning)
    }

    mutating func update(_ update: UpdateStatement) {
        if let with = update.with {
            self.with(with)
            write(" ")
        }
        write("UPDATE ")
        if let resolution = update.orConflict {
            write("OR ")
            conflictKeyword(resolution)
            write(" ")
        }
        qualified(update.table)
        if let alias = update.alias {
            write(" AS ")
            name(alias)
        }
        indexHint(update.indexHint)
        write(" SET ")
        assignments(update.set)
        if let from = update.from {
            write(" FROM ")
            self.from(from)
        }
        whereClause(update.where)
        returning(update.returning)
        orderByAndLimit(update.orderBy, update.limit)
    }

    mutating func delete(_ delete: DeleteStatement) {
        if let with = delete.with {
            self.with(with)
            write(" ")
        }
        write("DELETE FROM ")
        qualified(delete.table)
        if let alias = delete.alias {
            write(" AS ")
            name(alias)
        }
        indexHint(delete.indexHint)
        whereClause(delete.where)
        returning(delete.returning)
        orderByAndLimit(delete.orderBy, delete.limit)
    }

    private mutating func orderByAndLimit(_ orderBy: [OrderingTerm], _ limit: Limit?) {
        if !orderBy.isEmpty {
            write(" ORDER BY ")
            orderingTerms(orderBy)
        }
        if let limit { self.limit(limit) }
    }

    private mutating func whereClause(_ condition: Expr?) {
        guard let condition else { return }
        write(" WHERE ")
        expr(condition)
    }

    private mutating func returning(_ columns: [ResultColumn]?) {
        guard let columns else { return }
        write(" RETURNING ")
        resultColumns(columns)
    }

    private mutating func assignments(_ set: [SetAssignment]) {
        list(set) { renderer, assignment in
            if assignment.parenthesized || assignment.columns.count != 1 {
                renderer.write("(")
                renderer.list(assignment.columns) { $0.name($1) }
                renderer.write(")")
            } else {
                renderer.name(assignment.columns[0])
            }
            renderer.write(" = ")
            renderer.expr(assignment.value)
        }
    }
}
