import BTree
import Pager
import VM

/// What the code generator compiles against: the schema as the connection last read it and the
/// functions it can call.
package struct CompileContext {
    package var schema: Schema
    package var functions: FunctionRegistry

    package init(schema: Schema, functions: FunctionRegistry = .builtin) {
        self.schema = schema
        self.functions = functions
    }
}

/// Turns a parsed statement into a program for the VM (SQLite's sqlite3FinishCoding and the
/// code generators it calls). Every program begins as SQLite's do: Init jumps to the end, where
/// Transaction opens the database (checking the schema cookie the program was compiled against)
/// and jumps back to the statement's first instruction.
package enum SQLCompiler {
    /// Compiles `parsed`, whose text is `source` (the statement's own SQL, for the program and
    /// for error messages). Throws `SQLITE_ERROR` with sqlite3's message for statements that
    /// name what does not exist or break a rule, and a "not supported" error for what the code
    /// generator does not compile yet: never a program that would give a wrong answer.
    package static func compile(_ parsed: ParsedStatement, source: String,
                                context: CompileContext) throws(DatabaseError) -> Program {
        do {
            return try compileStatement(parsed, source: source, context: context)
        } catch {
            var error = error
            if error.sql == nil { error.sql = source }
            throw error
        }
    }

    private static func compileStatement(_ parsed: ParsedStatement, source: String,
                                         context: CompileContext) throws(DatabaseError) -> Program {
        if parsed.explain == .queryPlan {
            throw notSupported("EXPLAIN QUERY PLAN")
        }
        switch parsed.statement {
        case .select(let select):
            let gen = CodeGenerator(parsed: parsed, source: source, context: context)
            return try SelectCompiler(gen, select).compile()
        case .insert: throw notSupported("INSERT")
        case .update: throw notSupported("UPDATE")
        case .delete: throw notSupported("DELETE")
        case .createTable: throw notSupported("CREATE TABLE")
        case .createIndex: throw notSupported("CREATE INDEX")
        case .createView: throw notSupported("CREATE VIEW")
        case .createTrigger: throw notSupported("CREATE TRIGGER")
        case .createVirtualTable: throw notSupported("CREATE VIRTUAL TABLE")
        case .drop: throw notSupported("DROP")
        case .alterTable: throw notSupported("ALTER TABLE")
        case .begin: throw notSupported("BEGIN")
        case .commit: throw notSupported("COMMIT")
        case .rollback: throw notSupported("ROLLBACK")
        case .savepoint: throw notSupported("SAVEPOINT")
        case .release: throw notSupported("RELEASE")
        case .pragma: throw notSupported("PRAGMA")
        case .vacuum: throw notSupported("VACUUM")
        case .reindex: throw notSupported("REINDEX")
        case .analyze: throw notSupported("ANALYZE")
        case .attach: throw notSupported("ATTACH")
        case .detach: throw notSupported("DETACH")
        }
    }

    /// The error for SQL that parses but that Ringlite does not execute yet.
    package static func notSupported(_ what: String) -> DatabaseError {
        DatabaseError(.SQLITE_ERROR, "\(what) is not supported by Ringlite yet")
    }
}
