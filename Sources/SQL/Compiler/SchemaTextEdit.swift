import BTree
import Pager
import VM

/// Edits of stored CREATE statements for ALTER TABLE, made as sqlite3's sqlite_rename_table,
/// sqlite_rename_column and sqlite_drop_column make them: the statement is parsed, the tokens
/// that name the renamed object are found through the names' source ranges, and only those bytes
/// of the original text change (alter.c renameEditSql).
enum SchemaTextEdit {
    /// The replacement text of one renamed token: the new name as it is when neither the ALTER
    /// statement quoted it (`alwaysQuote`) nor the old token was quoted, else `"new"`.
    static func replacement(for token: Name, newName: String, alwaysQuote: Bool) -> String {
        if !alwaysQuote && token.quoting == .bare { return newName }
        return "\"" + newName.doubling("\"") + "\""
    }

    /// `sql` with each range replaced (ranges index `sql`'s UTF-8 bytes and do not overlap).
    static func apply(_ edits: [(range: SourceRange, text: String)], to sql: String) -> String {
        var bytes = Array(sql.utf8)
        var seen = Set<Int>()
        for edit in edits.sorted(by: { $0.range.start > $1.range.start }) where seen.insert(edit.range.start).inserted {
            precondition(edit.range.start >= 0 && edit.range.end <= bytes.count && edit.range.start <= edit.range.end,
                         "edit \(edit.range) outside the statement of \(bytes.count) bytes")
            bytes.replaceSubrange(edit.range.start..<edit.range.end, with: Array(edit.text.utf8))
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Every column reference in `expr` (outside subqueries).
    static func columnReferences(in expr: Expr) -> [ColumnReference] {
        var found: [ColumnReference] = []
        visit(expr) { if case .column(let reference) = $0 { found.append(reference) } }
        return found
    }

    private static func visit(_ expr: Expr, _ body: (Expr) -> Void) {
        body(expr)
        switch expr {
        case .literal, .parameter, .column, .raise, .exists, .subquery: break
        case .unary(_, let e), .cast(let e, _), .isNull(let e), .notNull(let e), .collate(let e, _): visit(e, body)
        case .binary(_, let l, let r): visit(l, body); visit(r, body)
        case .pattern(_, _, let l, let p, let e): visit(l, body); visit(p, body); if let e { visit(e, body) }
        case .between(_, let x, let l, let h): visit(x, body); visit(l, body); visit(h, body)
        case .inList(_, let x, let list): visit(x, body); for e in list { visit(e, body) }
        case .inSelect(_, let x, _), .inTable(_, let x, _, _): visit(x, body)
        case .vector(let list): for e in list { visit(e, body) }
        case .function(let call):
            if case .list(let arguments, _) = call.arguments { for e in arguments { visit(e, body) } }
            if let filter = call.filter { visit(filter, body) }
        case .case(let c):
            if let operand = c.operand { visit(operand, body) }
            for branch in c.branches { visit(branch.when, body); visit(branch.then, body) }
            if let otherwise = c.otherwise { visit(otherwise, body) }
        }
    }

    /// The expressions of a CREATE TABLE's columns and constraints (CHECK, generated, DEFAULT).
    static func expressions(of columns: [ColumnDefinition], _ constraints: [TableConstraint]) -> [Expr] {
        var exprs: [Expr] = []
        for column in columns {
            for constraint in column.constraints {
                switch constraint.kind {
                case .check(let e)?, .generated(let e, _)?: exprs.append(e)
                default: break
                }
            }
        }
        for constraint in constraints {
            switch constraint.kind {
            case .check(let e, _)?: exprs.append(e)
            case .primaryKey(let terms, _, _)?, .unique(let terms, _)?: exprs += terms.map(\.expr)
            default: break
            }
        }
        return exprs
    }

    /// Every REFERENCES clause of a CREATE TABLE, with the child columns a FOREIGN KEY table
    /// constraint names (none for a column's own REFERENCES: its child is the column itself).
    static func foreignKeys(of columns: [ColumnDefinition], _ constraints: [TableConstraint])
        -> [(childColumns: [Name], clause: ForeignKeyClause)]
    {
        var keys: [(childColumns: [Name], clause: ForeignKeyClause)] = []
        for column in columns {
            for constraint in column.constraints {
                if case .references(let clause)? = constraint.kind { keys.append(([], clause)) }
            }
        }
        for constraint in constraints {
            if case .foreignKey(let children, let clause)? = constraint.kind { keys.append((children, clause)) }
        }
        return keys
    }

    /// Whether an identifier or string token of `sql` spells `name` (case-insensitively).
    static func mentions(_ sql: String, name: String) -> Bool {
        let bytes = Array(sql.utf8) + [0]
        return bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            var offset = 0
            while offset < bytes.count - 1 {
                let (kind, length) = Lexer.scan(base + offset, 0)
                if kind == .eof || length <= 0 { break }
                if kind == .identifier || kind == .string {
                    var text = String(decoding: bytes[offset..<(offset + length)], as: UTF8.self)
                    if let first = text.first, "\"'`[".contains(first), text.count >= 2 {
                        text = String(text.dropFirst().dropLast())
                    }
                    if text.sqlEquals(name) { return true }
                }
                offset += length
            }
            return false
        }
    }

    /// sqlite3's addColOffset: where ADD COLUMN inserts ", <definition>" and where DROP COLUMN of
    /// the last column ends its cut: the comma before the first table constraint, or the closing
    /// parenthesis of the column list.
    static func columnListEnd(_ sql: String, after lastColumn: ColumnDefinition) -> Int {
        let bytes = Array(sql.utf8) + [0]
        var offset = lastColumn.range.end
        return bytes.withUnsafeBufferPointer { buffer in
            let base = buffer.baseAddress!
            while offset < bytes.count - 1 {
                let (kind, length) = Lexer.scan(base + offset, 0)
                if kind == .eof || length <= 0 { break }
                if kind != .space { return offset }
                offset += length
            }
            return offset
        }
    }
}

extension String {
    /// The string with every `character` doubled (sqlite3's %w and %q escaping).
    func doubling(_ character: Character) -> String {
        var result = ""
        for c in self {
            result.append(c)
            if c == character { result.append(c) }
        }
        return result
    }
}
