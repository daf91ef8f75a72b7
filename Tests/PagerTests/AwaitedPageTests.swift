import Foundation
import Testing
@testable import Pager

/// A page that `fetch` returned `.io` for is kept from eviction until it is fetched again: the
/// restartable operation that waited for it runs again from the start, and what it reads on the
/// way back (a key's overflow chain longer than the cache) must not evict it, or the operation
/// waits for the same page forever.
@Suite struct AwaitedPageTests {
    @Test func theAwaitedEntrySurvivesEvictionUntilPinned() {
        let pool = BufferPool(pageSize: 4096, arenaBytes: 1 << 20)
        var cache = PageCache(pool: pool, capacity: 8)
        for pgno in UInt32(1)...8 { _ = cache.insert(pgno) }
        let awaited = cache.slot(of: 3)!
        cache.markAwaited(awaited)
        #expect(cache.awaitedPage == 3)
        // Many more pages than the cache holds: every other unpinned page goes, page 3 stays.
        for pgno in UInt32(9)...40 { _ = cache.insert(pgno) }
        #expect(cache.slot(of: 3) == awaited)
        #expect(cache.count == 8)
        // Once the operation has it (pinned), it is an ordinary page again.
        cache.pin(awaited)
        cache.unpin(awaited)
        #expect(cache.awaitedPage == nil)
        for pgno in UInt32(41)...80 { _ = cache.insert(pgno) }
        #expect(cache.slot(of: 3) == nil)
    }

    @Test func removingTheAwaitedEntryDropsTheProtection() {
        let pool = BufferPool(pageSize: 4096, arenaBytes: 1 << 20)
        var cache = PageCache(pool: pool, capacity: 8)
        for pgno in UInt32(1)...8 { _ = cache.insert(pgno) }
        cache.markAwaited(cache.slot(of: 5)!)
        cache.removeAllClean()
        #expect(cache.awaitedPage == nil)
        // The entry is reused for another page, which is not protected.
        for pgno in UInt32(1)...40 { _ = cache.insert(pgno) }
        #expect(cache.awaitedPage == nil)
        #expect(cache.count == 8)
    }

    /// Through the pager: on io_uring `fetch` returns `.io` for a page not cached, and reading
    /// (and waiting for) more pages than the cache holds with `page` neither evicts it nor takes
    /// its protection. Syscall reads finish at once, so `fetch` never returns `.io` there.
    @Test(arguments: TestBackends.realFile)
    func aFetchThatReturnedIOFindsItsPageAfterOtherReads(_ backend: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let path = directory.file("db")
        #expect(try runSQLite(path, "PRAGMA page_size=512; CREATE TABLE t(x); INSERT INTO t SELECT randomblob(400) FROM generate_series(1, 80);").status == 0)
        var options = PagerOptions()
        options.readOnly = true
        options.io = backend
        options.cachePages = 16
        let pager = Pager(shared: try PagerShared.open(path: path, options: options))
        pager.beginRead()
        defer { pager.endRead() }
        #expect(pager.databaseSize > 60)
        let target: UInt32 = 60
        switch try pager.fetch(target) {
        case .done(let page):
            #expect(backend != .uring, "an uncached page is read through io_uring asynchronously")
            pager.release(page)
            return
        case .io(let completion):
            #expect(pager.cache.awaitedPage == target)
            pager.backend.wait(for: completion)
        }
        for pgno in UInt32(2)...40 { pager.release(try pager.page(pgno)) }
        #expect(pager.cache.awaitedPage == target, "waiting reads through page() do not take the protection")
        guard case .done(let page) = try pager.fetch(target) else {
            Issue.record("page \(target) was evicted while its reader was away")
            return
        }
        #expect(page.pgno == target)
        pager.release(page)
        #expect(pager.cache.awaitedPage == nil)
        #expect(pager.cache.totalPins == 0)
    }
}
