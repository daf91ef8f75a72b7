import BTree
import Pager
import VM

/// The affinity a declared type gives a column (sqlite3AffinityType): the first rule that
/// matches wins.
package func affinity(ofDeclaredType type: String?) -> Affinity {
    guard let type, !type.isEmpty else { return .blob }
    let upper = type.uppercased()
    if upper.contains("INT") { return .integer }
    if upper.contains("CHAR") || upper.contains("CLOB") || upper.contains("TEXT") { return .text }
    if upper.contains("BLOB") { return .blob }
    if upper.contains("REAL") || upper.contains("FLOA") || upper.contains("DOUB") { return .real }
    return .numeric
}

/// Turns a CREATE TABLE statement into a `TableSchema`, enforcing the rules SQLite enforces while
/// building a table (build.c), with its error messages. Automatic indexes come back with root
/// page 0; whoever creates the table allocates them (or, loading a schema, matches them to their
/// sqlite_schema rows).
package struct TableDefinitionBuilder {
    let name: String
    let sourceText: String?

    package init(name: String, sourceText: String?) {
        self.name = name
        self.sourceText = sourceText
    }

    package func build(_ columnDefinitions: [ColumnDefinition], constraints: [TableConstraint],
                       options: TableOptions) throws(DatabaseError) -> TableSchema {
        var table = TableSchema(name: name, rootPage: 0, columns: [], rowidAlias: nil, primaryKey: [],
                                autoincrement: false, withoutRowid: options.contains(.withoutRowid),
                                strict: options.contains(.strict), checks: [], foreignKeys: [], indexes: [], sql: sourceText)
        var primaryKeyTerms: [(column: Int, descending: Bool)]?
        var primaryKeyConflict: ConflictResolution?
        var primaryKeyFromColumnConstraint = false
        var primaryKeyDescendingInColumn = false
        // UNIQUE and PRIMARY KEY constraints in the order they appear: each becomes an automatic
        // index (a rowid table's non-alias PRIMARY KEY too), numbered in that order.
        var keyConstraints: [(terms: [(column: Int, descending: Bool)], onConflict: ConflictResolution?, primary: Bool)] = []

        for definition in columnDefinitions {
            let columnName = definition.name.value
            if table.column(named: columnName) != nil {
                throw DatabaseError(.SQLITE_ERROR, "duplicate column name: \(columnName)")
            }
            let declaredType = Self.declaredType(definition.type?.text, generated: definition.constraints.contains {
                if case .generated = $0.kind { return true } else { return false }
            })
            var column = ColumnSchema(
                name: columnName, declaredType: declaredType, affinity: affinity(ofDeclaredType: declaredType),
                notNull: nil, defaultValue: nil, defaultText: nil, collation: .binary, isPrimaryKey: false,
                generated: nil, recordIndex: nil)
            if table.strict {
                column.affinity = try strictAffinity(declaredType, column: columnName)
            }
            let index = table.columns.count
            for constraint in definition.constraints {
                guard let kind = constraint.kind else { continue }
                switch kind {
                case .primaryKey(let order, let onConflict, let autoincrement):
                    if primaryKeyTerms != nil {
                        throw DatabaseError(.SQLITE_ERROR, "table \"\(name)\" has more than one primary key")
                    }
                    primaryKeyTerms = [(index, order == .descending)]
                    primaryKeyConflict = onConflict
                    primaryKeyFromColumnConstraint = true
                    primaryKeyDescendingInColumn = order == .descending
                    table.autoincrement = autoincrement
                    keyConstraints.append(([(index, order == .descending)], onConflict, true))
                case .notNull(let onConflict):
                    column.notNull = onConflict ?? .abort
                case .null:
                    break
                case .unique(let onConflict):
                    keyConstraints.append(([(index, false)], onConflict, false))
                case .check(let expr):
                    table.checks.append(CheckConstraint(name: constraint.name?.value, expr: expr))
                case .default(let expr, let span):
                    try checkConstantDefault(expr, column: columnName)
                    column.defaultValue = expr
                    column.defaultText = text(of: span)
                case .collate(let collationName):
                    guard let collation = Collation(name: collationName.value) else {
                        throw DatabaseError(.SQLITE_ERROR, "no such collation sequence: \(collationName.value)")
                    }
                    column.collation = collation
                case .references(let clause):
                    table.foreignKeys.append(ForeignKeySchema(columns: [columnName], clause: clause))
                case .deferrable:
                    break
                case .generated(let expr, let storage):
                    if column.defaultValue != nil {
                        throw DatabaseError(.SQLITE_ERROR, "cannot use DEFAULT on a generated column")
                    }
                    column.generated = (expr, storage == .stored)
                }
            }
            if column.generated != nil && column.defaultValue != nil {
                throw DatabaseError(.SQLITE_ERROR, "cannot use DEFAULT on a generated column")
            }
            table.columns.append(column)
        }

        for constraint in constraints {
            guard let kind = constraint.kind else { continue }
            switch kind {
            case .primaryKey(let terms, let autoincrement, let onConflict):
                if primaryKeyTerms != nil {
                    throw DatabaseError(.SQLITE_ERROR, "table \"\(name)\" has more than one primary key")
                }
                let resolved = try resolveKeyColumns(terms, table)
                primaryKeyTerms = resolved
                primaryKeyConflict = onConflict
                table.autoincrement = autoincrement
                keyConstraints.append((resolved, onConflict, true))
            case .unique(let terms, let onConflict):
                keyConstraints.append((try resolveKeyColumns(terms, table), onConflict, false))
            case .check(let expr, _):
                table.checks.append(CheckConstraint(name: constraint.name?.value, expr: expr))
            case .foreignKey(let columns, let clause):
                for column in columns where table.column(named: column.value) == nil {
                    throw DatabaseError(.SQLITE_ERROR, "unknown column \"\(column.value)\" in foreign key definition")
                }
                table.foreignKeys.append(ForeignKeySchema(columns: columns.map(\.value), clause: clause))
            }
        }

        if table.autoincrement && table.withoutRowid {
            throw DatabaseError(.SQLITE_ERROR, "AUTOINCREMENT not allowed on WITHOUT ROWID tables")
        }
        if table.columns.allSatisfy({ $0.generated != nil }) {
            throw DatabaseError(.SQLITE_ERROR, "must have at least one non-generated column")
        }
        // The PRIMARY KEY: a single INTEGER column (declared exactly so, not DESC in a column
        // constraint: SQLite's long-standing quirk) is the rowid itself.
        if let terms = primaryKeyTerms {
            table.primaryKey = terms.map(\.column)
            for term in terms { table.columns[term.column].isPrimaryKey = true }
            if terms.count == 1, !table.withoutRowid,
               table.columns[terms[0].column].declaredType?.uppercased() == "INTEGER",
               !(primaryKeyFromColumnConstraint && primaryKeyDescendingInColumn) {
                table.rowidAlias = terms[0].column
                keyConstraints.removeAll { $0.primary }
            } else if table.autoincrement {
                throw DatabaseError(.SQLITE_ERROR, "AUTOINCREMENT is only allowed on an INTEGER PRIMARY KEY")
            }
            for term in terms where table.columns[term.column].generated != nil {
                throw DatabaseError(.SQLITE_ERROR, "generated columns cannot be part of the PRIMARY KEY")
            }
        } else if table.withoutRowid {
            throw DatabaseError(.SQLITE_ERROR, "PRIMARY KEY missing on table \(name)")
        }
        if table.withoutRowid {
            // The table's own B-tree is keyed by the primary key: its "index" (whose sqlite_schema
            // row names the table's root page) holds the whole row. Its columns are NOT NULL.
            for column in table.primaryKey where table.columns[column].notNull == nil {
                table.columns[column].notNull = .abort
            }
        }

        // Record fields: every column but the VIRTUAL generated ones, in order.
        var field = 0
        for index in table.columns.indices {
            if let generated = table.columns[index].generated, !generated.stored { continue }
            table.columns[index].recordIndex = field
            field += 1
        }

        // Automatic indexes, skipping a UNIQUE that repeats an earlier key exactly (SQLite does).
        var automatic = 0
        var seenKeys: [[Int]] = []
        for constraint in keyConstraints {
            let key = constraint.terms.map(\.column)
            if seenKeys.contains(key) { continue }
            seenKeys.append(key)
            automatic += 1
            table.indexes.append(IndexSchema(
                name: "sqlite_autoindex_\(name)_\(automatic)", tableName: name, rootPage: 0,
                columns: constraint.terms.map { IndexColumn(term: .column($0.column), collation: table.columns[$0.column].collation, descending: $0.descending) },
                unique: true, onConflict: constraint.primary ? primaryKeyConflict ?? constraint.onConflict : constraint.onConflict,
                origin: constraint.primary ? .primaryKey : .unique, predicate: nil, sql: nil))
        }
        return table
    }

    /// The type as SQLite keeps it: a trailing "GENERATED ALWAYS" (which the grammar reads as part
    /// of the type) removed, and the standard names of STRICT tables (INT, INTEGER, REAL, TEXT,
    /// BLOB, ANY) in upper case, as sqlite3 reports them.
    static func declaredType(_ text: String?, generated: Bool) -> String? {
        guard var type = text else { return nil }
        if generated {
            let words = type.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            if words.count >= 2, words[words.count - 1].lowercased() == "always", words[words.count - 2].lowercased() == "generated" {
                var trimmed = type.dropLast(0)
                for word in ["always", "generated"] {
                    while let last = trimmed.last, last == " " || last == "\t" || last == "\n" { trimmed = trimmed.dropLast() }
                    if trimmed.lowercased().hasSuffix(word) { trimmed = trimmed.dropLast(word.count) }
                }
                while let last = trimmed.last, last == " " || last == "\t" || last == "\n" { trimmed = trimmed.dropLast() }
                type = String(trimmed)
            }
        }
        if type.isEmpty { return nil }
        if ["INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"].contains(type.uppercased()) { return type.uppercased() }
        return type
    }

    private func resolveKeyColumns(_ terms: [OrderingTerm], _ table: TableSchema) throws(DatabaseError) -> [(column: Int, descending: Bool)] {
        var resolved: [(column: Int, descending: Bool)] = []
        for term in terms {
            var expr = term.expr
            while case .collate(let inner, _) = expr { expr = inner }
            guard case .column(let reference) = expr, reference.table == nil,
                  let column = table.column(named: reference.column.value) else {
                if case .column(let reference) = expr {
                    throw DatabaseError(.SQLITE_ERROR, "no such column: \(reference.column.value)")
                }
                throw DatabaseError(.SQLITE_ERROR, "expressions prohibited in PRIMARY KEY and UNIQUE constraints")
            }
            resolved.append((column, term.order == .descending))
        }
        return resolved
    }

    /// STRICT tables accept only INT, INTEGER, REAL, TEXT, BLOB and ANY.
    private func strictAffinity(_ type: String?, column: String) throws(DatabaseError) -> Affinity {
        guard let type else {
            throw DatabaseError(.SQLITE_ERROR, "missing datatype for \(name).\(column)")
        }
        switch type.uppercased() {
        case "INT", "INTEGER": return .integer
        case "REAL": return .real
        case "TEXT": return .text
        case "BLOB", "ANY": return .blob
        default: throw DatabaseError(.SQLITE_ERROR, "unknown datatype for \(name).\(column): \"\(type)\"")
        }
    }

    /// A DEFAULT must be constant: literals, and expressions of constants without column
    /// references, subqueries or parameters (sqlite3ExprIsConstantOrFunction).
    private func checkConstantDefault(_ expr: Expr, column: String) throws(DatabaseError) {
        guard ConstantCheck.isConstant(expr) else {
            throw DatabaseError(.SQLITE_ERROR, "default value of column [\(column)] is not constant")
        }
    }

    private func text(of range: SourceRange) -> String? {
        guard let sourceText, range.count > 0 else { return nil }
        let bytes = Array(sourceText.utf8)
        guard range.start >= 0, range.end <= bytes.count, range.start <= range.end else { return nil }
        return String(decoding: bytes[range.start..<range.end], as: UTF8.self)
    }
}

/// Whether an expression is constant: no column, parameter, subquery or aggregate in it.
package enum ConstantCheck {
    package static func isConstant(_ expr: Expr) -> Bool {
        switch expr {
        case .literal: return true
        case .parameter, .column, .exists, .subquery, .inSelect, .inTable, .raise: return false
        case .unary(_, let inner), .isNull(let inner), .notNull(let inner), .collate(let inner, _), .cast(let inner, _):
            return isConstant(inner)
        case .binary(_, let left, let right): return isConstant(left) && isConstant(right)
        case .pattern(_, _, let value, let pattern, let escape):
            return isConstant(value) && isConstant(pattern) && (escape.map(isConstant) ?? true)
        case .between(_, let value, let low, let high): return isConstant(value) && isConstant(low) && isConstant(high)
        case .inList(_, let value, let list): return isConstant(value) && list.allSatisfy(isConstant)
        case .case(let expression):
            return (expression.operand.map(isConstant) ?? true) && (expression.otherwise.map(isConstant) ?? true)
                && expression.branches.allSatisfy { isConstant($0.when) && isConstant($0.then) }
        case .function(let call):
            guard call.over == nil, call.filter == nil else { return false }
            switch call.arguments {
            case .star: return false
            case .list(let arguments, _): return arguments.allSatisfy(isConstant)
            }
        case .vector(let terms): return terms.allSatisfy(isConstant)
        }
    }
}
