import Testing

/// Every binary operator over a matrix of values of each storage class (overflow to real,
/// division by zero, text and blob operands, NULLs), as literals and as columns of each
/// affinity, compared with sqlite3.
@Suite struct OperatorMatrixConformanceTests {
    static let values = ["NULL", "0", "1", "-1", "2.5", "'3'", "'abc'", "x'01'", "9223372036854775807",
                         "-9223372036854775808", "' 4 '", "1e308"]
    static let operators = ["+", "-", "*", "/", "%", "<", "=", "<>", ">=", "||", "AND", "OR", "IS", "&", "<<", ">>"]

    /// `SELECT v op w1, v op w2, ...` for each operator and left value.
    static var literalCases: ConformanceCase {
        var statements: [String] = []
        for op in operators {
            for left in values {
                statements.append("SELECT " + values.map { "\(left) \(op) \($0)" }.joined(separator: ", "))
            }
        }
        return ConformanceCase("operator-literals", statements)
    }

    static let columns = """
        CREATE TABLE v(id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, n NUMERIC, b BLOB, x);
        INSERT INTO v VALUES (1, 5, 5.0, '5', 5, x'35', 5);
        INSERT INTO v VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL);
        INSERT INTO v VALUES (3, -9223372036854775808, -1e300, 'abc', '12.0', 'txt', 2.5);
        INSERT INTO v VALUES (4, 9223372036854775807, 0.5, '  7', '0', x'', '8');
        INSERT INTO v VALUES (5, 0, 0.0, '', '1e2', 0, x'ff');
        """

    /// Each operator between every pair of columns of different affinities.
    static var columnCases: ConformanceCase {
        let names = ["i", "r", "t", "n", "b", "x"]
        var statements: [String] = []
        for op in operators {
            for left in names {
                statements.append("SELECT id, " + names.map { "\(left) \(op) \($0)" }.joined(separator: ", ") + " FROM v ORDER BY id")
            }
        }
        return ConformanceCase("operator-columns", setup: columns, statements)
    }

    @Test func operatorsAgreeWithSQLite() throws {
        let (failures, compared) = try Conformance.check([Self.literalCases, Self.columnCases])
        print("operator matrix conformance: \(compared) statements compared")
        #expect(failures.isEmpty, "\(failures.count) disagreements:\n\(failures.prefix(20).joined(separator: "\n"))")
    }
}
