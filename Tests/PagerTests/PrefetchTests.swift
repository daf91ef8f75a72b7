import Foundation
import Testing
@testable import Pager

/// Read-ahead fills free cache room only. When it could evict, a restartable cursor move over a
/// deep tree with a small cache never finished on io_uring: each attempt's read-ahead evicted the
/// page the previous attempt had just read for it.
@Suite struct PrefetchTests {
    @Test(arguments: TestBackends.realFile)
    func prefetchNeverEvictsCachedPages(_ backend: IOBackendKind) throws {
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
        for pgno in UInt32(1)...16 { pager.release(try pager.page(pgno)) }
        #expect(pager.cache.count == 16)
        pager.prefetch(UInt32(17)...24)
        pager.backend.drain()
        for pgno in UInt32(1)...16 { #expect(pager.cache.slot(of: pgno) != nil, "page \(pgno) was evicted by read-ahead") }
        #expect(pager.cache.count == 16)
        // With room, read-ahead reads.
        pager.cache.setCapacity(20)
        pager.prefetch(UInt32(17)...24)
        pager.backend.drain()
        #expect(pager.cache.count == 20)
    }
}
