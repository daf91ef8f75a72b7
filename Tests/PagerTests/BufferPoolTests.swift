import Synchronization
import Testing
@testable import Pager

@Suite struct BufferPoolTests {
    @Test func slotsArePageAlignedAndDistinct() {
        let pool = BufferPool(pageSize: 4096, arenaBytes: 1 << 20)
        let pages = pool.takePages(600)
        #expect(Set(pages.map { Int(bitPattern: $0.base) }).count == 600)
        for page in pages {
            #expect(Int(bitPattern: page.base) % 4096 == 0)
            #expect(page.count == 4096)
            #expect(page.registration?.poolID == pool.id)
        }
        #expect(pool.arenaCount == 3)
        pool.returnPages(pages)
        let again = pool.takePages(600)
        #expect(pool.arenaCount == 3, "returned slots are reused before new arenas are made")
        pool.returnPages(again)
    }

    @Test func frameRunsAreContiguousFrames() {
        let pool = BufferPool(pageSize: 4096, framesPerRun: 16)
        let run = pool.takeFrameRun()
        #expect(run.count == 16 * (4096 + 24))
        #expect(pool.frameSize == 4120)
        pool.returnFrameRun(run)
    }

    @Test func smallAndLargePageSizes() {
        for size in [512, 1024, 65536] {
            let pool = BufferPool(pageSize: size)
            let pages = pool.takePages(3)
            #expect(pages.allSatisfy { $0.count == size && Int(bitPattern: $0.base) % min(size, 4096) == 0 })
            pool.returnPages(pages)
        }
    }

    /// Many threads taking and returning slots through their own Local caches: no slot is ever
    /// held by two at once.
    @Test func concurrentLocalCachesNeverShareASlot() async {
        let pool = BufferPool(pageSize: 4096, arenaBytes: 256 * 1024)
        let ledger = SlotLedger()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    var local = BufferPool.Local(pool: pool, batch: 8)
                    var mine: [IOBuffer] = []
                    for round in 0..<2000 {
                        if round % 3 != 2 || mine.isEmpty {
                            let buffer = local.take()
                            let fresh = ledger.held.withLock { $0.insert(Int(bitPattern: buffer.base)).inserted }
                            if !fresh { ledger.conflicts.withLock { $0 += 1 } }
                            mine.append(buffer)
                        } else {
                            let buffer = mine.removeLast()
                            ledger.held.withLock { _ = $0.remove(Int(bitPattern: buffer.base)) }
                            local.give(buffer)
                        }
                    }
                    for buffer in mine {
                        ledger.held.withLock { _ = $0.remove(Int(bitPattern: buffer.base)) }
                        local.give(buffer)
                    }
                }
            }
        }
        #expect(ledger.conflicts.withLock { $0 } == 0)
    }
}

/// Which slots are held, shared by the tasks of a test.
final class SlotLedger: Sendable {
    let held = Mutex<Set<Int>>([])
    let conflicts = Mutex(0)
}
