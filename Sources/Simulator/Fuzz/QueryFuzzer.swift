import Pager
import Ringlite

/// The differential query fuzzer: for each round, a random schema and data loaded into an
/// in-memory Ringlite database and an in-memory sqlite3 one, then random SELECTs run on both and
/// their outcomes compared (rows with their storage classes, in order when the query fixes the
/// order, else as multisets; or both failing).
struct QueryFuzzer {
    struct Mismatch: CustomStringConvertible {
        let round: Int
        let schema: [String]
        let query: String
        let ringlite: Outcome
        let sqlite: Outcome
        var description: String {
            "MISMATCH (round \(round))\n-- schema and data:\n" + schema.map { $0 + ";" }.joined(separator: "\n")
                + "\n-- query:\n\(query);\n-- Ringlite:\n\(ringlite)\n-- sqlite3:\n\(sqlite)"
        }
    }

    struct Statistics {
        var rounds = 0
        var queries = 0
        var bothFailed = 0
        var rowsCompared = 0
        var mismatches = 0
    }

    let seed: UInt64
    let queriesPerRound: Int
    var statistics = Statistics()

    init(seed: UInt64, queriesPerRound: Int = 200) {
        self.seed = seed
        self.queriesPerRound = queriesPerRound
    }

    /// Runs rounds until `count` queries were compared; calls `report` with each mismatch and
    /// stops after `maxMismatches` of them.
    mutating func run(count: Int, maxMismatches: Int = 20, report: (Mismatch) -> Void) throws {
        var round = 0
        while statistics.queries < count && statistics.mismatches < maxMismatches {
            try runRound(round, count: min(queriesPerRound, count - statistics.queries), maxMismatches: maxMismatches, report: report)
            round += 1
        }
    }

    mutating func runRound(_ round: Int, count: Int, maxMismatches: Int, report: (Mismatch) -> Void) throws {
        var random = SimulationRandom(seed: SimulationRandom.derive(seed, stream: UInt64(round)))
        let schema = FuzzSchema(random: &random)
        let database = try Database(path: ":memory:")
        let connection = try database.connection()
        let oracle = SQLiteHandle(path: ":memory:")
        for statement in schema.statements {
            let mine = Outcome.of(statement, on: connection)
            let theirs = oracle.run(statement)
            guard mine == theirs else {
                statistics.mismatches += 1
                report(Mismatch(round: round, schema: schema.statements, query: statement, ringlite: mine, sqlite: theirs))
                return
            }
        }
        statistics.rounds += 1
        var generator = QueryGenerator(schema: schema, random: random)
        for _ in 0..<count {
            let query = generator.query()
            let mine = Outcome.of(query.sql, on: connection)
            let theirs = oracle.run(query.sql)
            statistics.queries += 1
            if Self.agree(mine, theirs, ordered: query.ordered) {
                if let rows = theirs.rows { statistics.rowsCompared += rows.count } else { statistics.bothFailed += 1 }
                continue
            }
            statistics.mismatches += 1
            report(Mismatch(round: round, schema: schema.statements, query: query.sql, ringlite: mine, sqlite: theirs))
            if statistics.mismatches >= maxMismatches { return }
        }
    }

    /// Both return the same rows, or both fail (with the same message).
    static func agree(_ mine: Outcome, _ theirs: Outcome, ordered: Bool) -> Bool {
        switch (mine, theirs) {
        case (.rows(let a), .rows(let b)): return sameRows(a, b, ordered: ordered)
        case (.error(_, let a), .error(_, let b)): return a == b
        default: return false
        }
    }
}
