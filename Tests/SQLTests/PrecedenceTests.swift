import Foundation
import Testing
@testable import SQL

@Suite struct PrecedenceTests {
    /// Each expression with the shape SQLite gives it, every operation in parentheses.
    static let shapes: [(String, String)] = [
        ("1 + 2 * 3", "1 + (2 * 3)"),
        ("1 * 2 + 3", "(1 * 2) + 3"),
        ("1 - 2 - 3", "(1 - 2) - 3"),
        ("1 / 2 / 3", "(1 / 2) / 3"),
        ("a OR b AND c", "a OR (b AND c)"),
        ("a AND b OR c", "(a AND b) OR c"),
        ("NOT a AND b", "(NOT a) AND b"),
        ("NOT a = b", "NOT (a = b)"),
        ("NOT a OR b", "(NOT a) OR b"),
        ("NOT NOT a", "NOT (NOT a)"),
        ("a = b = c", "(a = b) = c"),
        ("a < b = c", "(a < b) = c"),
        ("a = b < c", "a = (b < c)"),
        ("a < b < c", "(a < b) < c"),
        ("a & b | c", "(a & b) | c"),
        ("a << b + c", "a << (b + c)"),
        ("a + b << c", "(a + b) << c"),
        ("a || b * c", "(a || b) * c"),
        ("a * b || c", "a * (b || c)"),
        ("a -> b || c", "(a -> b) || c"),
        ("a ->> b -> c", "(a ->> b) -> c"),
        ("-a * b", "(-a) * b"),
        ("-a || b", "(-a) || b"),
        ("- a COLLATE x", "(-a) COLLATE x"),
        ("a || b COLLATE x", "a || (b COLLATE x)"),
        ("~a + ~b", "(~a) + (~b)"),
        ("a IS NULL = b", "(a ISNULL) = b"),
        ("a = b IS NULL", "(a = b) ISNULL"),
        ("a = b NOT NULL", "(a = b) NOTNULL"),
        ("a AND b NOT NULL", "a AND (b NOTNULL)"),
        ("NOT a NOT NULL", "NOT (a NOTNULL)"),
        ("NOT a ISNULL", "NOT (a ISNULL)"),
        ("a IS b = c", "(a IS b) = c"),
        ("a = b IS c", "(a = b) IS c"),
        ("a IS NOT b + c", "a IS NOT (b + c)"),
        ("a IS NOT DISTINCT FROM b", "a IS b"),
        ("a IS DISTINCT FROM b", "a IS NOT b"),
        ("a LIKE b = c", "(a LIKE b) = c"),
        ("a = b LIKE c", "(a = b) LIKE c"),
        ("a LIKE b || c ESCAPE d || e", "a LIKE (b || c) ESCAPE (d || e)"),
        ("a NOT LIKE b AND c", "(a NOT LIKE b) AND c"),
        ("a LIKE b < c", "a LIKE (b < c)"),
        ("a BETWEEN b AND c AND d", "(a BETWEEN b AND c) AND d"),
        ("a BETWEEN b + 1 AND c * 2", "a BETWEEN (b + 1) AND (c * 2)"),
        ("a BETWEEN b = c AND d", "a BETWEEN (b = c) AND d"),
        ("a BETWEEN NOT b AND c", "a BETWEEN (NOT b) AND c"),
        ("a BETWEEN b AND c = d", "(a BETWEEN b AND c) = d"),
        ("a = b BETWEEN c AND d", "(a = b) BETWEEN c AND d"),
        ("a BETWEEN b AND c < d", "a BETWEEN b AND (c < d)"),
        ("a NOT BETWEEN b AND c OR d", "(a NOT BETWEEN b AND c) OR d"),
        ("a IN (1, 2) = b", "(a IN (1, 2)) = b"),
        ("a = b IN (1)", "(a = b) IN (1)"),
        ("a + b IN (1)", "(a + b) IN (1)"),
        ("a IN (1) + 2", "(a IN (1)) + 2"),
        ("a < b IN (1)", "(a < b) IN (1)"),
        ("- - a", "-(-a)"),
        ("-(1 + 2)", "-(1 + 2)"),
        ("a COLLATE x COLLATE y", "(a COLLATE x) COLLATE y"),
        ("a ISNULL ISNULL", "(a ISNULL) ISNULL"),
        ("1 = 1 AND 2 = 2 OR 3 = 3", "((1 = 1) AND (2 = 2)) OR (3 = 3)"),
        ("a & b = c", "(a & b) = c"),
        ("a = b & c", "a = (b & c)"),
        ("a > b & c", "a > (b & c)"),
        ("a % b * c", "(a % b) * c"),
    ]

    @Test(arguments: shapes)
    func shape(_ input: String, _ expected: String) throws {
        let expr = try SQLParser.parseExpression(input)
        #expect(fullyParenthesized(expr) == expected)
        // The fully parenthesized text and the plain rendering both read back as the same tree.
        #expect(try SQLParser.parseExpression(fullyParenthesized(expr)) == expr)
        #expect(try SQLParser.parseExpression(expr.sql) == expr)
    }

    /// Random expressions over small numbers: sqlite3 must compute the same value for the
    /// original text and for this parser's fully parenthesized reading of it.
    @Test(.enabled(if: Oracle.isAvailable))
    func randomExpressionsEvaluateAlike() throws {
        var generator = SeededGenerator(seed: 20240601)
        var script = ""
        var count = 0
        for _ in 0..<1500 {
            let text = randomExpression(depth: 0, &generator)
            guard let expr = try? SQLParser.parseExpression(text) else { continue }
            script += "SELECT (\(text)) IS (\(fullyParenthesized(expr)));\n"
            count += 1
        }
        #expect(count > 1000)
        let (stdout, stderr) = Oracle.run("", input: script)
        let lines = stdout.split(separator: "\n")
        let scriptLines = script.split(separator: "\n")
        #expect(stderr.isEmpty, "\(stderr.prefix(2000))")
        #expect(lines.count == count)
        for (index, line) in lines.enumerated() where line != "1" {
            Issue.record("different value: \(scriptLines[index])")
            if index > 20 { break }
        }
    }

    private func randomExpression(depth: Int, _ g: inout SeededGenerator) -> String {
        let atoms = ["0", "1", "2", "3", "-1", "NULL", "'1'", "'a'", "5"]
        if depth > 4 || Int.random(in: 0..<10, using: &g) < 3 {
            return atoms.randomElement(using: &g)!
        }
        let binary = ["+", "-", "*", "/", "%", "||", "&", "|", "<<", ">>", "=", "==", "!=", "<>", "<",
                      "<=", ">", ">=", "AND", "OR", "IS", "IS NOT", "LIKE", "NOT LIKE", "GLOB",
                      "IS DISTINCT FROM", "IS NOT DISTINCT FROM"]
        let a = randomExpression(depth: depth + 1, &g)
        let b = randomExpression(depth: depth + 1, &g)
        switch Int.random(in: 0..<14, using: &g) {
        case 0: return "- \(a)"
        case 1: return "NOT \(a)"
        case 2: return "~\(a)"
        case 3: return "\(a) BETWEEN \(b) AND \(randomExpression(depth: depth + 1, &g))"
        case 4: return "\(a) NOT BETWEEN \(b) AND \(randomExpression(depth: depth + 1, &g))"
        case 5: return "\(a) IN (\(b), 1)"
        case 6: return "\(a) ISNULL"
        case 7: return "\(a) NOT NULL"
        case 8: return "(\(a))"
        case 9: return "\(a) COLLATE nocase"
        default: return "\(a) \(binary.randomElement(using: &g)!) \(b)"
        }
    }
}
