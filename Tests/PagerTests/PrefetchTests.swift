import Foundation
import Synchronization
import Testing
@testable import Pager

/// Read-ahead with a full cache takes the places of cold pages, a quarter of the cache at most
/// per call, never a pinned page's and never past capacity. (It once could evict anything, and a
/// restartable cursor move over a deep tree with a small cache never finished on io_uring; then it
/// never evicted, and a cold scan with a cache smaller than the table read one page at a time.
/// CursorProgressTests cover the restartable moves.)
@Suite struct PrefetchTests {
    @Test(arguments: TestBackends.realFile)
    func prefetchEvictsOnlyColdUnpinnedPages(_ backend: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db")
        #expect(try runSQLite(path, "PRAGMA page_size=512; CREATE TABLE t(x); INSERT INTO t SELECT randomblob(400) FROM generate_series(1, 60);").status == 0)
        var options = PagerOptions()
        options.readOnly = true
        options.io = backend
        options.cachePages = 16
        let pager = Pager(shared: try PagerShared.open(path: path, options: options))
        pager.beginRead()
        defer { pager.endRead() }
        #expect(pager.databaseSize > 40)
        var pinned: [PageRef] = []
        for pgno in UInt32(1)...16 {
            let page = try pager.page(pgno)
            if pgno <= 4 { pinned.append(page) } else { pager.release(page) }
        }
        #expect(pager.cache.count == 16)
        pager.prefetch(UInt32(17)...40)
        pager.backend.drain()
        #expect(pager.cache.count == 16, "read-ahead never grows the cache past its capacity")
        for pgno in UInt32(1)...4 { #expect(pager.cache.slot(of: pgno) != nil, "pinned page \(pgno) was evicted by read-ahead") }
        for pgno in UInt32(17)...20 { #expect(pager.cache.slot(of: pgno) != nil, "page \(pgno) was not read ahead") }
        for pgno in UInt32(21)...40 { #expect(pager.cache.slot(of: pgno) == nil, "page \(pgno) read past the quarter-cache budget") }
        // Every page pinned: read-ahead has no room and reads nothing.
        for pgno in UInt32(5)...16 where pager.cache.slot(of: pgno) != nil { pinned.append(try pager.page(pgno)) }
        for pgno in UInt32(17)...20 { pinned.append(try pager.page(pgno)) }
        #expect(pager.cache.count == 16)
        pager.prefetch(UInt32(30)...40)
        pager.backend.drain()
        #expect(pager.cache.count == 16)
        for pgno in UInt32(30)...40 { #expect(pager.cache.slot(of: pgno) == nil) }
        for page in pinned { pager.release(page) }
    }

    /// Found by the simulator (mix seed 214): read-ahead whose read failed (EIO) before anything
    /// asked for the page stayed cached as a failed load, and the next statement to want the
    /// page, with the disk healthy again, failed with the old error. Now it reads the page again;
    /// a demand read's own failure is still the caller's error.
    @Test(arguments: TestBackends.realFile)
    func failedReadAheadIsReadAgainOnDemand(_ backend: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db")
        #expect(try runSQLite(path, "PRAGMA page_size=512; CREATE TABLE t(x); INSERT INTO t SELECT randomblob(400) FROM generate_series(1, 30);").status == 0)
        let failing = Mutex(false)
        var options = PagerOptions()
        options.readOnly = true
        options.io = backend
        options.faultInjector = { point in
            point.kind == .read && failing.withLock { $0 } ? .fail(Errno(rawValue: EIO)) : nil
        }
        let pager = Pager(shared: try PagerShared.open(path: path, options: options))
        pager.beginRead()
        defer { pager.endRead() }
        failing.withLock { $0 = true }
        pager.prefetch(UInt32(5)...8)
        pager.backend.drain()
        for pgno in UInt32(5)...8 { #expect(pager.cache.loading(pager.cache.slot(of: pgno)!)?.error != nil) }
        // Still failing: the demand read fails, and says which page.
        do {
            let page = try pager.page(5)
            pager.release(page)
            Issue.record("page 5 read with every read failing")
        } catch {
            #expect(error.resultCode == .SQLITE_IOERR_READ)
            #expect(error.message.contains("reading page 5 "), "\(error.message)")
        }
        failing.withLock { $0 = false }
        for pgno in UInt32(5)...8 {
            let page = try pager.page(pgno)
            #expect(page.bytes[0] == 0x0D, "page \(pgno) is a table leaf")
            pager.release(page)
        }
    }
}
