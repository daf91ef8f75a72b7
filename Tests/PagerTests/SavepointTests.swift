import Foundation
import Testing
@testable import Pager

@Suite struct SavepointTests {
    func newPager() throws -> Pager {
        var options = PagerOptions()
        options.journalMode = .off
        options.io = .memory
        let pager = Pager(shared: try PagerShared.open(path: ":memory:", options: options))
        try pager.beginWrite()
        for _ in 1...10 {
            let page = try pager.allocateAtEnd()
            pager.release(page)
        }
        try pager.commit()
        return pager
    }

    func set(_ pager: Pager, _ pgno: UInt32, _ byte: UInt8) throws {
        let page = try pager.page(pgno)
        pager.makeWritable(page)
        page.bytes[200] = byte
        pager.release(page)
    }

    func get(_ pager: Pager, _ pgno: UInt32) throws -> UInt8 {
        let page = try pager.page(pgno)
        defer { pager.release(page) }
        return page.bytes[200]
    }

    @Test func rollbackToUndoesOnlyWhatFollowedTheSavepoint() throws {
        let pager = try newPager()
        try pager.beginWrite()
        try set(pager, 2, 1)
        pager.openSavepoint()
        try set(pager, 2, 2)
        try set(pager, 3, 3)
        let added = try pager.allocateAtEnd()
        pager.release(added)
        #expect(pager.databaseSize == 11)
        pager.rollbackToSavepoint(0)
        #expect(try get(pager, 2) == 1)
        #expect(try get(pager, 3) == 0)
        #expect(pager.databaseSize == 10)
        // The savepoint stays open and works again.
        try set(pager, 4, 4)
        pager.rollbackToSavepoint(0)
        #expect(try get(pager, 4) == 0)
        pager.releaseSavepoint()
        try pager.commit()
        pager.beginRead()
        #expect(try get(pager, 2) == 1)
        #expect(try get(pager, 3) == 0)
        pager.endRead()
    }

    @Test func nestedSavepoints() throws {
        let pager = try newPager()
        try pager.beginWrite()
        pager.openSavepoint()           // depth 0
        try set(pager, 5, 1)
        pager.openSavepoint()           // depth 1
        try set(pager, 5, 2)
        try set(pager, 6, 2)
        pager.openSavepoint()           // depth 2
        try set(pager, 6, 3)
        try set(pager, 7, 3)
        pager.releaseSavepoint()        // depth 2's changes now belong to depth 1
        #expect(pager.savepointDepth == 2)
        pager.rollbackToSavepoint(1)
        #expect(try get(pager, 5) == 1)
        #expect(try get(pager, 6) == 0)
        #expect(try get(pager, 7) == 0)
        try set(pager, 7, 9)
        pager.rollbackToSavepoint(0)
        #expect(pager.savepointDepth == 1)
        #expect(try get(pager, 5) == 0)
        #expect(try get(pager, 7) == 0)
        pager.rollback()
        pager.beginRead()
        #expect(try get(pager, 5) == 0)
        pager.endRead()
    }
}
