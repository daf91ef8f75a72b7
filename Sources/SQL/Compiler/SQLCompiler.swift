import BTree
import Pager
import VM

/// What the code generator compiles against: the schema as the connection last read it and the
/// functions it can call.
package struct CompileContext {
    package var schema: Schema
    package var functions: FunctionRegistry
    /// The connection's settings that PRAGMAs read and change while they compile, as sqlite3's
    /// do; nil where there is no connection (PRAGMAs that need one are then refused).
    package var pragmaSettings: PragmaSettings?
    /// What follows the statement's last token up to its terminating semicolon (or the end of the
    /// text): white space and comments, which sqlite3 keeps in the SQL it stores for CREATE INDEX
    /// and for CREATE TABLE with WITHOUT ROWID or STRICT.
    package var statementTrailer = ""

    package init(schema: Schema, functions: FunctionRegistry = .builtin, pragmaSettings: PragmaSettings? = nil) {
        self.schema = schema
        self.functions = functions
        self.pragmaSettings = pragmaSettings
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
            guard case .select(let select) = parsed.statement else {
                throw notSupported("EXPLAIN QUERY PLAN of statements other than SELECT")
            }
            let gen = CodeGenerator(parsed: parsed, source: source, context: context)
            let recorder = QueryPlanRecorder(select)
            gen.queryPlan = recorder
            _ = try gen.compileQuery(select, outer: nil, destination: .resultRow)
            return try gen.queryPlanProgram(recorder)
        }
        switch parsed.statement {
        case .select(let select):
            let gen = CodeGenerator(parsed: parsed, source: source, context: context)
            gen.hoistsConstants = true
            return try SelectCompiler(gen, select).compile()
        case .insert(let insert):
            let gen = CodeGenerator(parsed: parsed, source: source, context: context)
            gen.hoistsConstants = true
            var compiler = InsertCompiler(gen: gen, statement: insert)
            return try compiler.compile()
        case .update(let update):
            let gen = CodeGenerator(parsed: parsed, source: source, context: context)
            gen.hoistsConstants = true
            return try UpdateDeleteCompiler(gen: gen).compileUpdate(update)
        case .delete(let delete):
            let gen = CodeGenerator(parsed: parsed, source: source, context: context)
            gen.hoistsConstants = true
            return try UpdateDeleteCompiler(gen: gen).compileDelete(delete)
        case .createTable(let create):
            return try SchemaCompiler.createTable(create, .init(parsed: parsed, sql: source, context: context))
        case .createIndex(let create):
            return try SchemaCompiler.createIndex(create, .init(parsed: parsed, sql: source, context: context))
        case .createView(let create):
            return try ViewCompiler.create(create, .init(parsed: parsed, sql: source, context: context))
        case .createTrigger(let create):
            return try TriggerCompiler.create(create, .init(parsed: parsed, sql: source, context: context))
        case .createVirtualTable: throw notSupported("CREATE VIRTUAL TABLE")
        case .drop(let drop):
            return try SchemaCompiler.drop(drop, .init(parsed: parsed, sql: source, context: context))
        case .alterTable(let alter):
            return try SchemaCompiler.alterTable(alter, .init(parsed: parsed, sql: source, context: context))
        case .begin(let begin): return try TransactionCompiler.begin(begin, sql: source)
        case .commit: return try TransactionCompiler.commit(sql: source)
        case .rollback(let rollback): return try TransactionCompiler.rollback(rollback, sql: source)
        case .savepoint(let name): return try TransactionCompiler.savepoint(name, sql: source)
        case .release(let name): return try TransactionCompiler.release(name, sql: source)
        case .pragma(let pragma):
            return try PragmaCompiler.compile(pragma, .init(parsed: parsed, sql: source, context: context))
        case .vacuum(let vacuum):
            return try VacuumCompiler.compile(vacuum, parsed: parsed, source: source, context: context)
        case .reindex(let name):
            return try SchemaCompiler.reindex(name, .init(parsed: parsed, sql: source, context: context))
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
