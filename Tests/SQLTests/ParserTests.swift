import Foundation
import Testing
@testable import SQL

private func select(_ sql: String) throws -> SelectClause {
    guard case .select(let query) = try SQLParser.parseOne(sql).statement, case .select(let clause) = query.first else {
        throw SQLSyntaxError("not a simple SELECT", offset: 0)
    }
    return clause
}

private func firstColumn(_ sql: String) throws -> Expr {
    guard case .expr(let expr, _, _) = try select(sql).columns[0] else { throw SQLSyntaxError("not an expression", offset: 0) }
    return expr
}

@Suite struct LexerTests {
    private func kinds(_ sql: String) -> [TokenKind] {
        var parser = Parser(sql)
        var result: [TokenKind] = []
        while true {
            let token = parser.lexRaw(&parser.lexPosition)
            result.append(token.kind)
            if token.kind == .eof || token.kind == .illegal { return result }
        }
    }

    @Test func operators() {
        #expect(kinds("|| -> ->> == = != <> < <= > >= << >> & | ~ + - * / % , . ; ( )") == [
            .concat, .pointer, .pointer, .equal, .equal, .notEqual, .notEqual, .less, .lessEqual, .greater,
            .greaterEqual, .shiftLeft, .shiftRight, .bitAnd, .bitOr, .bitNot, .plus, .minus, .star, .slash,
            .percent, .comma, .dot, .semicolon, .leftParen, .rightParen, .eof,
        ])
    }

    @Test func literalsAndNames() {
        #expect(kinds("1 1.5 .5 5. 1e5 1.e5 0x1F x'AB' 'a''b' \"a\"\"b\" [a b] `a``b` abc _x $a::b(c) ? ?12 :a @a #a") == [
            .integer, .float, .float, .float, .float, .float, .integer, .blob, .string, .identifier, .identifier,
            .identifier, .identifier, .identifier, .variable, .variable, .variable, .variable, .variable,
            .variable, .eof,
        ])
        #expect(kinds("SELECT select SeLeCt selects") == [.kwSelect, .kwSelect, .kwSelect, .identifier, .eof])
        #expect(kinds("LEFT glob CURRENT_TIMESTAMP temporary") == [.joinKeyword, .likeKeyword, .ctimeKeyword, .temp, .eof])
        #expect(kinds("1e") == [.illegal])
        #expect(kinds("x'1'") == [.illegal])
        #expect(kinds("-- comment\n/* block */ 1") == [.integer, .eof])
        #expect(kinds("1 /* unterminated") == [.integer, .eof])
        #expect(kinds("\u{FEFF}1") == [.integer, .eof])
        #expect(kinds("naïve") == [.identifier, .eof])
    }

    @Test func keywordTable() {
        #expect(Keywords.all.count == 147)
        for (text, kind) in Keywords.all {
            #expect(Keywords.lookup(text) == kind)
            #expect(Keywords.lookup(text.lowercased()) == kind)
        }
        #expect(Keywords.lookup("selectx") == nil)
        #expect(Keywords.lookup("a") == nil)
    }
}

@Suite struct ParserTests {
    @Test func literals() throws {
        #expect(try firstColumn("SELECT -9223372036854775808") == .literal(.integer(.min)))
        #expect(try firstColumn("SELECT -(9223372036854775808)") == .literal(.integer(.min)))
        #expect(try firstColumn("SELECT -009223372036854775808") == .literal(.integer(.min)))
        #expect(try firstColumn("SELECT 9223372036854775808") == .literal(.real(9223372036854775808.0)))
        #expect(try firstColumn("SELECT -9223372036854775809") == .unary(.negate, .literal(.real(9223372036854775809.0))))
        #expect(try firstColumn("SELECT -9223372036854775808.0") == .unary(.negate, .literal(.real(9223372036854775808.0))))
        #expect(try firstColumn("SELECT -+9223372036854775808") == .unary(.negate, .unary(.plus, .literal(.real(9223372036854775808.0)))))
        #expect(try firstColumn("SELECT 9223372036854775807") == .literal(.integer(.max)))
        #expect(try firstColumn("SELECT 0xFFFFFFFFFFFFFFFF") == .literal(.integer(-1)))
        #expect(try firstColumn("SELECT 0x000000000000000000ff") == .literal(.integer(255)))
        #expect(try firstColumn("SELECT 1e999") == .literal(.real(.infinity)))
        #expect(try firstColumn("SELECT 'it''s'") == .literal(.string("it's")))
        #expect(try firstColumn("SELECT x'0aFF'") == .literal(.blob([0x0A, 0xFF])))
        #expect(try firstColumn("SELECT CURRENT_DATE") == .literal(.currentDate))
        #expect(try firstColumn("SELECT true") == .column(ColumnReference(column: Name("true"))))
    }

    @Test func parameters() throws {
        let statement = try SQLParser.parseOne("SELECT ?, ?5, ?, :a, @b, :a, ?2, $c::d(e)")
        guard case .select(let query) = statement.statement, case .select(let clause) = query.first else {
            Issue.record("not a select")
            return
        }
        let indexes = clause.columns.compactMap { column -> Int? in
            if case .expr(.parameter(let p), _, _) = column { return p.index }
            return nil
        }
        #expect(indexes == [1, 5, 6, 7, 8, 7, 2, 9])
        #expect(statement.parameterCount == 9)
        #expect(statement.parameterNames == [
            ParameterName(name: "?5", index: 5), ParameterName(name: ":a", index: 7),
            ParameterName(name: "@b", index: 8), ParameterName(name: "?2", index: 2),
            ParameterName(name: "$c::d(e)", index: 9),
        ])
        #expect(parseError("SELECT ?32767") == "variable number must be between ?1 and ?32766")
    }

    @Test func statementRangesAndTails() throws {
        let sql = "  ;; SELECT 1 ; EXPLAIN QUERY PLAN SELECT 2;;  "
        let (first, next) = try SQLParser.parseStatement(sql)
        #expect(first?.range == SourceRange(start: 5, end: 13))
        #expect(first.map { $0.range.isSameLocation(as: SourceRange(start: 5, end: 13)) } == true)
        #expect(next == 15)
        let (second, next2) = try SQLParser.parseStatement(sql, at: next)
        #expect(second?.explain == .queryPlan)
        #expect(second.map { $0.range.isSameLocation(as: SourceRange(start: 16, end: 43)) } == true)
        #expect(second.map { $0.statementRange.isSameLocation(as: SourceRange(start: 35, end: 43)) } == true)
        let (third, end) = try SQLParser.parseStatement(sql, at: next2)
        #expect(third == nil)
        #expect(end == sql.utf8.count)
        // The text ends at a NUL byte, as in SQLite.
        let statements = try SQLParser.parseAll(bytes: Array("SELECT 1;".utf8) + [0] + Array("SELECT (".utf8))
        #expect(statements.count == 1)
    }

    @Test func createTableKeepsNamesTypesAndRanges() throws {
        let sql = "CREATE TABLE main.\"T 1\"(a VARCHAR ( 10 ) NOT NULL DEFAULT (1 + 2), b DEFAULT hello, c DEFAULT -5, d DEFAULT +5, e DEFAULT \"true\", f DEFAULT TRUE, CONSTRAINT pk PRIMARY KEY (a)) WITHOUT ROWID, STRICT"
        guard case .createTable(let create) = try SQLParser.parseOne(sql).statement,
              case .columns(let columns, let constraints, let options) = create.definition
        else {
            Issue.record("not a CREATE TABLE")
            return
        }
        func text(_ range: SourceRange) -> String {
            String(decoding: Array(sql.utf8)[range.start..<range.end], as: UTF8.self)
        }
        #expect(create.name.schema?.value == "main")
        #expect(create.name.name.value == "T 1")
        #expect(create.name.name.quoting == .doubleQuoted)
        #expect(text(create.name.name.range) == "\"T 1\"")
        #expect(columns.map(\.name.value) == ["a", "b", "c", "d", "e", "f"])
        #expect(columns[0].type == TypeName("VARCHAR ( 10 )"))
        #expect(text(columns[0].range) == "a VARCHAR ( 10 ) NOT NULL DEFAULT (1 + 2)")
        let defaults = columns.map { column -> (Expr, String)? in
            for constraint in column.constraints {
                if case .default(let value, let span)? = constraint.kind { return (value, text(span)) }
            }
            return nil
        }
        #expect(defaults[0]?.0 == .binary(.add, .literal(.integer(1)), .literal(.integer(2))))
        #expect(defaults[0]?.1 == "1 + 2")
        #expect(defaults[1]?.0 == .literal(.string("hello")))
        #expect(defaults[2]?.0 == .unary(.negate, .literal(.integer(5))))
        #expect(defaults[2]?.1 == "-5")
        #expect(defaults[3]?.0 == .literal(.integer(5)))
        #expect(defaults[4]?.0 == .literal(.string("true")))
        #expect(defaults[5]?.0 == .literal(.boolean(true)))
        #expect(constraints.count == 1)
        #expect(constraints[0].name?.value == "pk")
        #expect(options == [.withoutRowid, .strict])
    }

    @Test func alterTableNameRanges() throws {
        let sql = "ALTER TABLE main.t RENAME COLUMN [old] TO new_name"
        guard case .alterTable(let alter) = try SQLParser.parseOne(sql).statement,
              case .renameColumn(let from, let to) = alter.action
        else {
            Issue.record("not an ALTER TABLE RENAME COLUMN")
            return
        }
        #expect(alter.table.name.range.isSameLocation(as: SourceRange(start: 17, end: 18)))
        #expect(from.value == "old" && from.quoting == .bracketed)
        #expect(from.range.isSameLocation(as: SourceRange(start: 33, end: 38)))
        #expect(to.range.isSameLocation(as: SourceRange(start: 42, end: 50)))
    }

    @Test func resultColumnSpans() throws {
        let sql = "SELECT a+1, b AS x, * FROM t"
        let clause = try select(sql)
        guard case .expr(_, nil, let span) = clause.columns[0], case .expr(_, let alias?, _) = clause.columns[1] else {
            Issue.record("unexpected columns")
            return
        }
        #expect(span.isSameLocation(as: SourceRange(start: 7, end: 10)))
        #expect(alias.value == "x")
        #expect(clause.columns[2] == .all)
    }

    @Test func joins() throws {
        let from = try select("SELECT * FROM a NATURAL LEFT OUTER JOIN b, c CROSS JOIN d RIGHT JOIN e USING (x) FULL OUTER JOIN f ON 1").from
        #expect(from?.joins.map(\.op) == [
            .join(.left, natural: true), .comma, .join(.cross, natural: false), .join(.right, natural: false),
            .join(.full, natural: false),
        ])
        #expect(from?.joins[3].constraint == .using([Name("x")]))
        // A parenthesized join standing first merges into the list, as in SQLite.
        let merged = try select("SELECT * FROM (a JOIN b ON 1) JOIN c").from
        #expect(merged?.joins.count == 2)
        // A parenthesized single table takes the outer alias; its own alias and hint go.
        let single = try select("SELECT * FROM x, (t AS inner_alias INDEXED BY i) AS outer_alias").from
        #expect(single?.joins.first?.source == .table(QualifiedName(name: Name("t")), alias: Name("outer_alias"), indexHint: nil))
        let nested = try select("SELECT * FROM x, (a, b) AS n").from
        if case .nested(let inner, let alias)? = nested?.joins.first?.source {
            #expect(inner.joins.count == 1)
            #expect(alias?.value == "n")
        } else {
            Issue.record("expected a nested join")
        }
    }

    @Test func windows() throws {
        let clause = try select("SELECT sum(x) FILTER (WHERE x > 0) OVER (w ORDER BY y ROWS 2 PRECEDING EXCLUDE TIES) FROM t WINDOW w AS (PARTITION BY z)")
        guard case .expr(.function(let call), _, _) = clause.columns[0] else {
            Issue.record("not a call")
            return
        }
        #expect(call.filter != nil)
        guard case .spec(let spec)? = call.over else {
            Issue.record("no window")
            return
        }
        #expect(spec.base?.value == "w")
        #expect(spec.frame == FrameSpec(unit: .rows, start: .preceding(.literal(.integer(2))), end: .currentRow, exclude: .ties))
        #expect(clause.windows.map(\.name.value) == ["w"])
        // Without a following "(" or name, OVER and WINDOW are plain names.
        #expect(try select("SELECT over FROM window").columns.count == 1)
    }

    @Test func triggerAndVirtualTable() throws {
        guard case .createTrigger(let trigger) = try SQLParser.parseOne(
            "CREATE TRIGGER r INSTEAD OF UPDATE OF a, b ON v FOR EACH ROW WHEN new.a > 0 BEGIN INSERT INTO t VALUES (new.a); DELETE FROM t; END"
        ).statement else {
            Issue.record("not a trigger")
            return
        }
        #expect(trigger.timing == .insteadOf)
        #expect(trigger.event == .update(columns: [Name("a"), Name("b")]))
        #expect(trigger.forEachRow)
        #expect(trigger.body.count == 2)
        guard case .createVirtualTable(let table) = try SQLParser.parseOne(
            "CREATE VIRTUAL TABLE f USING fts5(a, b UNINDEXED, tokenize = 'porter ascii', x(y, z))"
        ).statement else {
            Issue.record("not a virtual table")
            return
        }
        #expect(table.module.value == "fts5")
        #expect(table.arguments == ["a", "b UNINDEXED", "tokenize = 'porter ascii'", "x(y, z)"])
    }

    @Test func legacySchemaColumnLists() throws {
        let sql = "CREATE VIEW v(a COLLATE nocase, b DESC) AS SELECT 1, 2"
        #expect(parseError(sql) == "syntax error after column name \"a\"")
        var options = ParserOptions()
        options.isLoadingSchema = true
        #expect(parseError(sql, options: options) == nil)
    }

    @Test func semanticErrorsGiveWayToSyntaxErrorsAtTheSameToken() {
        // SQLite raises the grammar-action error when the next token arrives; if that token is
        // itself a syntax error, its message wins.
        #expect(parseError("INSERT INTO t SELECT * FROM u ON CONFLICT DO NOTHING") == "near \"DO\": syntax error")
        #expect(parseError("SELECT * FROM (SELECT 1) ON 1") == "a JOIN clause is required before ON")
        #expect(parseError("SELECT ?0 )") == "near \")\": syntax error")
        #expect(parseError("SELECT ?0 + 1") == "variable number must be between ?1 and ?32766")
        #expect(parseError("SELECT 0x10000000000000000 garbage garbage") == "near \"garbage\": syntax error")
    }

    @Test func parsesQuickly() throws {
        let script = (0..<20_000).map { "INSERT INTO t(a, b, c) VALUES (\($0), 'text \($0)', x'00ff') ON CONFLICT DO NOTHING;" }
            .joined(separator: "\n")
        let start = Date()
        let statements = try SQLParser.parseAll(script)
        let elapsed = Date().timeIntervalSince(start)
        #expect(statements.count == 20_000)
        print("parsed \(script.utf8.count) bytes, \(statements.count) statements in \(elapsed) s")
        // About 1.6 MB; generous bound for a debug build on a shared machine.
        #expect(elapsed < 20, "took \(elapsed) s")
    }
}
