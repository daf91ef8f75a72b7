import Foundation
import Testing
@testable import Pager

@Suite struct DatabaseHeaderTests {
    @Test func roundTripsANewHeader() throws {
        let header = DatabaseHeader.new(pageSize: 65536, wal: true)
        let bytes = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 8)
        defer { bytes.deallocate() }
        header.write(to: bytes)
        #expect(bytes.loadBigEndianUInt16At16 == 1, "65536 is stored as 1")
        let parsed = try DatabaseHeader(parsing: UnsafeRawBufferPointer(bytes))
        #expect(parsed == header)
        #expect(parsed.usableSize == 65536)
    }

    @Test func readsAHeaderWrittenBySQLite() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db")
        #expect(try runSQLite(path, "PRAGMA page_size=1024; PRAGMA user_version=7; PRAGMA application_id=99; CREATE TABLE t(x); INSERT INTO t VALUES(1);").status == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let header = try data.withUnsafeBytes { try DatabaseHeader(parsing: $0) }
        #expect(header.pageSize == 1024)
        #expect(header.userVersion == 7)
        #expect(header.applicationID == 99)
        #expect(header.schemaFormat == 4)
        #expect(header.textEncoding == 1)
        #expect(header.trustedDatabaseSize == UInt32(data.count / 1024))
    }

    @Test func refusesWhatIsNotAUTF8Database() throws {
        var bytes = [UInt8](repeating: 0, count: 100)
        #expect(throws: DatabaseError.self) { try bytes.withUnsafeBytes { try DatabaseHeader(parsing: $0) } }
        let directory = TemporaryDirectory()
        let path = directory.file("utf16")
        #expect(try runSQLite(path, "PRAGMA encoding='UTF-16le'; CREATE TABLE t(x);").status == 0)
        bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(100))
        do {
            _ = try bytes.withUnsafeBytes { try DatabaseHeader(parsing: $0) }
            Issue.record("a UTF-16 database was accepted")
        } catch let error as DatabaseError {
            #expect(error.resultCode == .SQLITE_NOTADB)
            #expect(error.message.contains("UTF-16"))
        }
        // Bad page size, bad payload fractions.
        var good = [UInt8](repeating: 0, count: 100)
        good.withUnsafeMutableBytes { DatabaseHeader.new(wal: false).write(to: $0) }
        var badSize = good
        badSize[16] = 0x03; badSize[17] = 0x00
        #expect(throws: DatabaseError.self) { try badSize.withUnsafeBytes { try DatabaseHeader(parsing: $0) } }
        var badFraction = good
        badFraction[21] = 65
        #expect(throws: DatabaseError.self) { try badFraction.withUnsafeBytes { try DatabaseHeader(parsing: $0) } }
    }
}

extension UnsafeMutableRawBufferPointer {
    var loadBigEndianUInt16At16: UInt16 { UInt16(self[16]) << 8 | UInt16(self[17]) }
}

@Suite struct PagerTests {
    func options(_ kind: IOBackendKind, cachePages: Int? = nil, direct: Bool = false) -> PagerOptions {
        var options = PagerOptions()
        options.io = kind
        options.cachePages = cachePages
        options.direct = direct
        options.journalMode = .off
        return options
    }

    @Test(arguments: TestBackends.realFile)
    func readsPagesOfASQLiteDatabase(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db")
        #expect(try runSQLite(path, "PRAGMA journal_mode=DELETE; CREATE TABLE t(x); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<2000) INSERT INTO t SELECT randomblob(100) FROM c;").status == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let shared = try PagerShared.open(path: path, options: options(kind, cachePages: 16))
        #expect(shared.pageSize == 4096)
        let pager = Pager(shared: shared)
        #expect(pager.backend.kind == kind)
        pager.beginRead()
        #expect(Int(pager.databaseSize) == data.count / 4096)
        // More pages than the cache holds, twice over: eviction must keep contents right.
        for round in 0..<2 {
            for pgno in 1...pager.databaseSize {
                let page = try pager.page(pgno)
                let expected = data[Int(pgno - 1) * 4096 ..< Int(pgno) * 4096]
                #expect(page.bytes.elementsEqual(expected), "page \(pgno), round \(round)")
                pager.release(page)
            }
        }
        #expect(pager.cache.count <= 16)
        #expect(throws: DatabaseError.self) { try pager.page(pager.databaseSize + 1) }
        #expect(throws: DatabaseError.self) { try pager.page(0) }
        pager.endRead()
    }

    @Test func uringFetchYieldsThenCompletes() throws {
        guard URingAvailability.current == .available else { return }
        let directory = TemporaryDirectory()
        let path = directory.file("db")
        #expect(try runSQLite(path, "CREATE TABLE t(x); INSERT INTO t VALUES(1);").status == 0)
        let pager = Pager(shared: try PagerShared.open(path: path, options: options(.uring)))
        pager.beginRead()
        guard case .io(let completion) = try pager.fetch(2) else {
            Issue.record("an uncached page on io_uring should need IO")
            return
        }
        // Fetching again before the read finishes yields the same read, not a second one.
        guard case .io(let again) = try pager.fetch(2) else { Issue.record("expected IO"); return }
        #expect(again === completion)
        pager.backend.wait(for: completion)
        guard case .done(let page) = try pager.fetch(2) else { Issue.record("expected the page"); return }
        #expect(page.bytes[0] == 0x0d, "page 2 is a table leaf")
        pager.release(page)
        pager.endRead()
    }

    @Test(arguments: TestBackends.all)
    func writesCommitAndReopen(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let path = kind == .memory ? ":memory:" : directory.file("db")
        let shared = try PagerShared.open(path: path, options: options(kind, cachePages: 16))
        do {
            let pager = Pager(shared: shared)
            try pager.beginWrite()
            let page1 = try pager.allocateAtEnd()
            pager.writeNewDatabaseHeader(page1)
            pager.release(page1)
            for i in 2...100 {
                let page = try pager.allocateAtEnd()
                page.bytes.storeBytes(of: UInt32(i).bigEndian, toByteOffset: 1000, as: UInt32.self)
                pager.release(page)
            }
            try pager.commit()
            #expect(pager.cache.dirtyCount == 0)
        }
        // A second connection sees the commit.
        let reader = Pager(shared: shared)
        reader.beginRead()
        #expect(reader.databaseSize == 100)
        for i in 2...100 {
            let page = try reader.page(UInt32(i))
            #expect(UInt32(bigEndian: page.bytes.load(fromByteOffset: 1000, as: UInt32.self)) == UInt32(i))
            reader.release(page)
        }
        reader.endRead()
        if kind != .memory {
            #expect(try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int == 100 * 4096)
            let header = try Data(contentsOf: URL(fileURLWithPath: path)).prefix(100).withUnsafeBytes { try DatabaseHeader(parsing: $0) }
            #expect(header.trustedDatabaseSize == 100)
            #expect(header.fileChangeCounter == 2)
        }
    }

    @Test(arguments: TestBackends.realFile)
    func rollbackDiscardsChanges(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db")
        let shared = try PagerShared.open(path: path, options: options(kind))
        let pager = Pager(shared: shared)
        try pager.beginWrite()
        let page1 = try pager.allocateAtEnd()
        pager.writeNewDatabaseHeader(page1)
        pager.release(page1)
        try pager.commit()
        try pager.beginWrite()
        let page = try pager.page(1)
        pager.makeWritable(page)
        page.bytes[500] = 0xEE
        pager.release(page)
        _ = try pager.allocateAtEnd().pgno
        pager.release(PageRef(slot: pager.cache.slot(of: 2)!, pgno: 2, bytes: pager.cache.buffer(pager.cache.slot(of: 2)!).bytes))
        pager.rollback()
        pager.beginRead()
        #expect(pager.databaseSize == 1)
        let reread = try pager.page(1)
        #expect(reread.bytes[500] == 0)
        pager.release(reread)
        pager.endRead()
    }

    @Test func secondProcessSeesTheDatabaseLocked() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db")
        #expect(try runSQLite(path, "CREATE TABLE t(x);").status == 0)
        let shared = try PagerShared.open(path: path, options: options(.syscall))
        let again = try PagerShared.open(path: path, options: options(.syscall))
        #expect(shared === again, "one process, one shared state per file")
        let result = try runSQLite(path, "SELECT * FROM t;")
        #expect(result.stderr.contains("database is locked"))
    }

    @Test(arguments: TestBackends.realFile)
    func directIOPager(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db")
        #expect(try runSQLite(path, "PRAGMA journal_mode=DELETE; CREATE TABLE t(x); INSERT INTO t VALUES(randomblob(10000));").status == 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let pager = Pager(shared: try PagerShared.open(path: path, options: options(kind, direct: true)))
        #expect(pager.shared.databaseFile.options.direct)
        pager.beginRead()
        for pgno in 1...pager.databaseSize {
            let page = try pager.page(pgno)
            #expect(page.bytes.elementsEqual(data[Int(pgno - 1) * 4096 ..< Int(pgno) * 4096]))
            pager.release(page)
        }
        pager.endRead()
    }
}

/// Found through the sql-parser fuzzer's out-of-memory stop: the process-wide table of open
/// databases kept an entry for every file ever opened, so a process opening many files (each
/// fuzz input is a new one) grew without end. Closed databases' entries are pruned now.
@Suite struct OpenDatabasesTests {
    @Test func closedDatabasesLeaveNoEntries() throws {
        for seed in 0..<300 as Range<UInt64> {
            var options = PagerOptions()
            options.environment = SimulatedEnvironment(seed: seed)
            options.journalMode = .off
            let shared = try PagerShared.open(path: "db", options: options)
            withExtendedLifetime(shared) {}
        }
        // Other tests running at the same time may hold a few databases open.
        #expect(OpenDatabases.shared.count < 100, "\(OpenDatabases.shared.count) entries after 300 databases opened and closed")
    }
}
