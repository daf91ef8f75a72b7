// Queries and their clauses.

extension Select {
    /// The query as SQL text.
    package var sql: String {
        var renderer = SQLRenderer()
        renderer.select(self)
        return renderer.output
    }
}

extension SQLRenderer {
    mutating func select(_ select: Select) {
        if let with = select.with {
            self.with(with)
            write(" ")
        }
        selectCore(select.first)
        for term in select.compounds {
            switch term.op {
            case .union: write(" UNION ")
            case .unionAll: write(" UNION ALL ")
            case .intersect: write(" INTERSECT ")
            case .except: write(" EXCEPT ")
            }
            selectCore(term.core)
        }
        if !select.orderBy.isEmpty {
            write(" ORDER BY ")
            orderingTerms(select.orderBy)
        }
        if let limit = select.limit { self.limit(limit) }
    }

    mutating func with(_ with: WithClause) {
        write(with.recursive ? "WITH RECURSIVE " : "WITH ")
        list(with.tables) { renderer, table in
            renderer.name(table.name)
            if !table.columns.isEmpty {
                renderer.write("(")
                renderer.list(table.columns) { $0.name($1) }
                renderer.write(")")
            }
            switch table.materialization {
            case .materialized?: renderer.write(" AS MATERIALIZED (")
            case .notMaterialized?: renderer.write(" AS NOT MATERIALIZED (")
            case nil: renderer.write(" AS (")
            }
            renderer.select(table.select)
            renderer.write(")")
        }
    }

    private mutating func selectCore(_ core: SelectCore) {
        switch core {
        case .values(let rows):
            write("VALUES ")
            list(rows) { renderer, row in
                renderer.write("(")
                renderer.list(row) { $0.expr($1) }
                renderer.write(")")
            }
        case .select(let clause):
            write("SELECT ")
            switch clause.quantifier {
            case .distinct?: write("DISTINCT ")
            case .all?: write("ALL ")
            case nil: break
            }
            resultColumns(clause.columns)
            if let from = clause.from {
                write(" FROM ")
                self.from(from)
            }
            if let condition = clause.where {
                write(" WHERE ")
                expr(condition)
            }
            if !clause.groupBy.isEmpty {
                write(" GROUP BY ")
                list(clause.groupBy) { $0.expr($1) }
            }
            if let having = clause.having {
                write(" HAVING ")
                expr(having)
            }
            if !clause.windows.isEmpty {
                write(" WINDOW ")
                list(clause.windows) { renderer, window in
                    renderer.name(window.name)
                    renderer.write(" AS (")
                    renderer.windowSpec(window.spec)
                    renderer.write(")")
                }
            }
        }
    }

    mutating func resultColumns(_ columns: [ResultColumn]) {
        list(columns) { renderer, column in
            switch column {
            case .all:
                renderer.write("*")
            case .allFrom(let table):
                renderer.name(table)
                renderer.write(".*")
            case .expr(let expr, let alias, _):
                renderer.expr(expr)
                if let alias {
                    renderer.write(" AS ")
                    renderer.name(alias)
                }
            }
        }
    }

    mutating func limit(_ limit: Limit) {
        write(" LIMIT ")
        if limit.commaForm, let offset = limit.offset {
            expr(offset)
            write(", ")
            expr(limit.count)
        } else {
            expr(limit.count)
            if let offset = limit.offset {
                write(" OFFSET ")
                expr(offset)
            }
        }
    }

    mutating func from(_ from: FromClause) {
        tableSource(from.first)
        for join in from.joins {
            switch join.op {
            case .comma:
                write(", ")
            case .join(let kind, let natural):
                write(natural ? " NATURAL " : " ")
                switch kind {
                case .inner: write("JOIN ")
                case .left: write("LEFT JOIN ")
                case .right: write("RIGHT JOIN ")
                case .full: write("FULL JOIN ")
                case .cross: write("CROSS JOIN ")
                }
            }
            tableSource(join.source)
            switch join.constraint {
            case .on(let condition)?:
                write(" ON ")
                expr(condition)
            case .using(let columns)?:
                write(" USING (")
                list(columns) { $0.name($1) }
                write(")")
            case nil:
                break
            }
        }
    }

    private mutating func alias(_ alias: Name?) {
        guard let alias else { return }
        write(" AS ")
        name(alias)
    }

    private mutating func tableSource(_ source: TableSource) {
        switch source {
        case .table(let table, let alias, let hint):
            qualified(table)
            self.alias(alias)
            indexHint(hint)
        case .function(let function, let arguments, let alias):
            qualified(function)
            write("(")
            list(arguments) { $0.expr($1) }
            write(")")
            self.alias(alias)
        case .subquery(let select, let alias):
            write("(")
            self.select(select)
            write(")")
            self.alias(alias)
        case .nested(let from, let alias):
            write("(")
            self.from(from)
            write(")")
            self.alias(alias)
        }
    }

    mutating func indexHint(_ hint: IndexHint?) {
        switch hint {
        case .indexedBy(let index)?:
            write(" INDEXED BY ")
            name(index)
        case .notIndexed?:
            write(" NOT INDEXED")
        case nil:
            break
        }
    }
}
