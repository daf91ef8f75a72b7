import BTree
import Pager
import VM

/// VACUUM [schema] [INTO expr] (vacuum.c sqlite3Vacuum): Init, the INTO expression into a
/// register, Vacuum, Halt. No Transaction: the Vacuum opcode begins the transaction itself,
/// after checking that none is open.
enum VacuumCompiler {
    static func compile(_ statement: VacuumStatement, parsed: ParsedStatement, source: String,
                        context: CompileContext) throws(DatabaseError) -> Program {
        let gen = CodeGenerator(parsed: parsed, source: source, context: context)
        if let schema = statement.schema, !schema.value.sqlEquals("main") {
            // Ringlite has no temp database (TEMP objects are refused), so there is nothing to
            // vacuum there: sqlite3 succeeds on its empty temp database too.
            guard schema.value.sqlEquals("temp") else {
                throw DatabaseError(.SQLITE_ERROR, "unknown database \(schema.value)")
            }
            return try gen.finish()
        }
        var into: Int32 = 0
        if let expr = statement.into {
            // sqlite3ResolveSelfReference with no table: names are errors, as everywhere outside
            // a FROM clause.
            into = gen.builder.allocateRegisters()
            try gen.compileExpr(expr, ExprScope(table: nil), into: into)
        }
        gen.builder.emit(.vacuum, 0, into)
        return try gen.finish()
    }
}
