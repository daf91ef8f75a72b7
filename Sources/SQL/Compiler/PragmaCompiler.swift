import BTree
import Pager
import VM

/// PRAGMA statements (pragma.c sqlite3Pragma): the ones Ringlite knows compile to what sqlite3
/// compiles them to, with its result column names; an unknown pragma does nothing, as in
/// sqlite3. Settings fixed when the database is opened (synchronous, busy_timeout, page_size of
/// an existing file, journal_mode) can be read; asking to change them to another value is an
/// error rather than a silent no-op. Foreign keys are never enforced, so foreign_keys reads 0 and
/// turning it on is refused.
enum PragmaCompiler {
    typealias Source = SchemaCompiler.Source

    static func compile(_ pragma: PragmaStatement, _ source: Source) throws(DatabaseError) -> Program {
        if let schema = pragma.name.schema, !schema.value.sqlEquals("main") {
            if schema.value.sqlEquals("temp") { throw SQLCompiler.notSupported("PRAGMA temp.\(pragma.name.name.value)") }
            throw DatabaseError(.SQLITE_ERROR, "unknown database \(schema.value)")
        }
        let argument: PragmaValue?
        switch pragma.argument {
        case nil: argument = nil
        case .assign(let value), .call(let value): argument = value
        }
        let request = Request(name: pragma.name.name.value.sqlKey, argument: argument, source: source)
        switch request.name {
        case "integrity_check", "quick_check": return try integrityCheck(request)
        case "page_count": return try request.readOnly { builder, register in builder.emit(.pagecount, 0, register) }
        case "max_page_count":
            guard argument == nil else { throw SQLCompiler.notSupported("setting max_page_count") }
            return try request.readOnly { builder, register in builder.emit(.maxPgcnt, 0, register, 0) }
        case "freelist_count": return try request.readOnly { builder, register in builder.emit(.readCookie, 0, register, 0) }
        case "user_version": return try cookie(request, number: 6)
        case "application_id": return try cookie(request, number: 8)
        case "schema_version": return try cookie(request, number: 1)
        case "page_size": return try pageSize(request)
        case "journal_mode": return try journalMode(request)
        case "wal_checkpoint": return try walCheckpoint(request)
        case "synchronous", "cache_size", "busy_timeout", "foreign_keys", "recursive_triggers": return try setting(request)
        case "table_info", "table_xinfo": return try tableInfo(request, extended: request.name == "table_xinfo")
        case "index_list": return try indexList(request)
        case "foreign_key_list": return try foreignKeyList(request)
        case "table_list": return try tableList(request)
        case "database_list": return try databaseList(request)
        case "index_info", "index_xinfo": return try indexInfo(request, extended: request.name == "index_xinfo")
        default:
            return try request.rows([], columns: [])
        }
    }

    /// One PRAGMA being compiled.
    struct Request {
        let name: String
        let argument: PragmaValue?
        let source: Source

        /// The argument as sqlite3 hands it to pragma code: the number's text or the name.
        var argumentText: String? {
            switch argument {
            case nil: nil
            case .number(let text): text
            case .name(let name): name.value
            }
        }

        func settings() throws(DatabaseError) -> PragmaSettings {
            guard let settings = source.context.pragmaSettings else {
                throw SQLCompiler.notSupported("PRAGMA \(name) without a connection")
            }
            return settings
        }

        /// A program returning constant rows (no database access).
        func rows(_ rows: [[Value]], columns: [String], access: StatementFrame.Access = .none) throws(DatabaseError) -> Program {
            var builder = ProgramBuilder()
            let frame = StatementFrame(&builder, cookie: source.schema.cookie)
            let first = builder.allocateRegisters(max(1, columns.count))
            for row in rows {
                precondition(row.count == columns.count, "a PRAGMA row of \(row.count) values for \(columns.count) columns")
                for (offset, value) in row.enumerated() {
                    PragmaCompiler.emitConstant(&builder, value, into: first + Int32(offset))
                }
                builder.emit(.resultRow, first, Int32(columns.count))
            }
            frame.finish(&builder, access: access)
            return try builder.finish(columnNames: columns, sql: source.sql)
        }

        /// A program that reads one value inside a read transaction and returns it as a row under
        /// the pragma's name.
        func readOnly(_ body: (inout ProgramBuilder, Int32) -> Void) throws(DatabaseError) -> Program {
            var builder = ProgramBuilder()
            let frame = StatementFrame(&builder, cookie: source.schema.cookie)
            let register = builder.allocateRegisters()
            body(&builder, register)
            builder.emit(.resultRow, register, 1)
            frame.finish(&builder, access: .read)
            return try builder.finish(columnNames: [name], sql: source.sql)
        }
    }

    static func emitConstant(_ builder: inout ProgramBuilder, _ value: Value, into register: Int32) {
        switch value {
        case .null: builder.emit(.null, 0, register)
        case .integer(let i):
            if let small = Int32(exactly: i) { builder.emit(.integer, small, register) } else { builder.emit(.int64, 0, register, 0, .int64(i)) }
        case .real(let r): builder.emit(.real, 0, register, 0, .real(r))
        case .text(let bytes): builder.emit(.string8, 0, register, 0, .text(String(decoding: bytes, as: UTF8.self)))
        case .blob(let bytes): builder.emit(.blob, Int32(bytes.count), register, 0, .blob(bytes))
        }
    }

    /// sqlite3Atoi: "0x" and up to 8 hex digits, or an optional sign and leading digits ("12abc"
    /// is 12); 0 for anything else or for a value that does not fit 32 bits.
    static func atoi(_ text: String) -> Int32 {
        let hex = Array(text.utf8)
        if hex.count > 2, hex[0] == 0x30, hex[1] | 0x20 == UInt8(ascii: "x"), hexDigit(hex[2]) != nil {
            var value: UInt32 = 0
            var digits = hex[2...].drop { $0 == 0x30 }.prefix { hexDigit($0) != nil }
            guard digits.count <= 8 else { return 0 }
            while let digit = digits.popFirst() { value = value << 4 | UInt32(hexDigit(digit)!) }
            return Int32(bitPattern: value)
        }
        var bytes = Substring(text).utf8.drop { $0 == 0x20 || ($0 >= 0x09 && $0 <= 0x0D) }
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        let digits = bytes.prefix { $0 >= 0x30 && $0 <= 0x39 }.drop { $0 == 0x30 }
        guard digits.count <= 10 else { return 0 }
        var value: Int64 = 0
        for digit in digits { value = value * 10 + Int64(digit - 0x30) }
        if negative { value = -value }
        return Int32(exactly: value) ?? 0
    }

    private static func hexDigit(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x61...0x66: byte - 0x61 + 10
        case 0x41...0x46: byte - 0x41 + 10
        default: nil
        }
    }

    // MARK: Header cookies

    /// user_version, application_id, schema_version: ReadCookie, or SetCookie in a write
    /// transaction (sqlite3 emits these Transactions itself, without the schema check).
    private static func cookie(_ request: Request, number: Int32) throws(DatabaseError) -> Program {
        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: request.source.schema.cookie)
        var columns: [String] = []
        if let text = request.argumentText {
            builder.emit(.transaction, 0, 1, 0)
            builder.emit(.setCookie, 0, number, atoi(text), .none, 1)
            builder.writes = true
        } else {
            let register = builder.allocateRegisters()
            builder.emit(.transaction, 0, 0, 0)
            builder.emit(.readCookie, 0, register, number)
            builder.emit(.resultRow, register, 1)
            columns = [request.name]
        }
        frame.finish(&builder, access: .none)
        return try builder.finish(columnNames: columns, sql: request.source.sql)
    }

    // MARK: Journal and checkpoint

    private static let journalModes = ["delete", "persist", "off", "truncate", "memory", "wal"]

    /// journal_mode [= mode]: JournalMode 0 r mode. An unknown mode only asks, as in sqlite3
    /// (which matches mode names by prefix).
    private static func journalMode(_ request: Request) throws(DatabaseError) -> Program {
        var mode = VirtualMachine.JournalModeCode.query
        if let text = request.argumentText?.lowercased(), !text.isEmpty,
           let index = journalModes.firstIndex(where: { $0.hasPrefix(text) }) {
            mode = Int32(index)
        }
        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: request.source.schema.cookie)
        let register = builder.allocateRegisters()
        builder.emit(.journalMode, 0, register, mode)
        builder.emit(.resultRow, register, 1)
        frame.finish(&builder, access: .none)
        return try builder.finish(columnNames: ["journal_mode"], sql: request.source.sql)
    }

    /// wal_checkpoint[(PASSIVE|FULL|RESTART|TRUNCATE)]: Checkpoint 0 mode r; busy, log,
    /// checkpointed. Any other argument means PASSIVE, as in sqlite3.
    private static func walCheckpoint(_ request: Request) throws(DatabaseError) -> Program {
        let modes = ["passive", "full", "restart", "truncate"]
        let mode = request.argumentText.flatMap { text in modes.firstIndex { $0.sqlEquals(text) } } ?? 0
        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: request.source.schema.cookie)
        let first = builder.allocateRegisters(3)
        builder.emit(.checkpoint, 0, Int32(mode), first)
        builder.emit(.resultRow, first, 3)
        frame.finish(&builder, access: .none)
        return try builder.finish(columnNames: ["busy", "log", "checkpointed"], sql: request.source.sql)
    }

    // MARK: Integrity

    /// integrity_check[(N)] and quick_check[(N)]: IntegrityCk over every tree, its report as
    /// one row, or "ok". N (default 100) limits the problems reported.
    private static func integrityCheck(_ request: Request) throws(DatabaseError) -> Program {
        var limit: Int32 = 100
        if let text = request.argumentText {
            guard case .number = request.argument else {
                throw SQLCompiler.notSupported("PRAGMA \(request.name)(table)")
            }
            let value = atoi(text)
            if value > 0 { limit = value }
        }
        var roots: [Int32] = [Int32(TreeStore.schemaRoot)]
        for table in request.source.schema.tables.values.sorted(by: { $0.rootPage < $1.rootPage })
        where table.rootPage != TreeStore.schemaRoot {
            roots.append(Int32(bitPattern: table.rootPage))
            for index in table.indexes where index.rootPage != 0 && index.rootPage != table.rootPage {
                roots.append(Int32(bitPattern: index.rootPage))
            }
        }
        var builder = ProgramBuilder()
        let frame = StatementFrame(&builder, cookie: request.source.schema.cookie)
        let budget = builder.allocateRegisters()
        let result = builder.allocateRegisters()
        builder.emit(.integer, limit - 1, budget)
        let quick: UInt16 = request.name == "quick_check" ? 1 : 0
        builder.emit(.integrityCk, result, Int32(roots.count), budget, .intArray(roots), quick)
        let isOK = builder.emit(.isNull, result, 0)
        builder.emit(.resultRow, result, 1)
        let done = builder.emit(.goto, 0, 0)
        builder.jumpHere(isOK)
        builder.emit(.string8, 0, result, 0, .text("ok"))
        builder.emit(.resultRow, result, 1)
        builder.jumpHere(done)
        frame.finish(&builder, access: .read)
        return try builder.finish(columnNames: [request.name], sql: request.source.sql)
    }
}
