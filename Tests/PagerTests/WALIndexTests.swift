import Foundation
import Synchronization
import Testing
@testable import Pager

/// The WAL index against a plain list of frames.
@Suite struct WALIndexTests {
    /// The obvious index: the page of each frame, searched linearly.
    struct Model {
        var pages: [UInt32] = []

        mutating func append(_ page: UInt32) { pages.append(page) }

        func newest(_ page: UInt32, atOrBelow frame: UInt32) -> UInt32? {
            var f = min(Int(frame), pages.count)
            while f >= 1 {
                if pages[f - 1] == page { return UInt32(f) }
                f -= 1
            }
            return nil
        }

        func oldest(_ page: UInt32) -> UInt32? {
            pages.firstIndex(of: page).map { UInt32($0 + 1) }
        }

        func changed(after: UInt32, through: UInt32) -> [UInt32] {
            guard after < through else { return [] }
            return Set(pages[Int(after)..<Int(through)]).sorted()
        }

        func newestFrames(atOrBelow frame: UInt32) -> [WALIndex.PageFrame] {
            var newest: [UInt32: UInt32] = [:]
            for (i, page) in pages.prefix(Int(frame)).enumerated() { newest[page] = UInt32(i + 1) }
            return newest.map { WALIndex.PageFrame(page: $0.key, frame: $0.value) }.sorted { $0.page < $1.page }
        }
    }

    @Test func lookupAtEachSnapshot() {
        let index = WALIndex()
        for page: UInt32 in [1, 2, 1, 3, 1, 2] { index.append(page: page) }
        index.commit(through: 6)
        #expect(index.maxFrame == 6)
        #expect(index.lookup(page: 1, atOrBelow: 0) == nil)
        #expect(index.lookup(page: 1, atOrBelow: 1) == 1)
        #expect(index.lookup(page: 1, atOrBelow: 2) == 1)
        #expect(index.lookup(page: 1, atOrBelow: 3) == 3)
        #expect(index.lookup(page: 1, atOrBelow: 6) == 5)
        #expect(index.lookup(page: 2, atOrBelow: 5) == 2)
        #expect(index.lookup(page: 2, atOrBelow: 6) == 6)
        #expect(index.lookup(page: 3, atOrBelow: 3) == nil)
        #expect(index.lookup(page: 3, atOrBelow: 100) == 4)
        #expect(index.lookup(page: 4, atOrBelow: 6) == nil)
        #expect(index.lowestFrame(of: 2) == 2)
        #expect(index.lowestFrame(of: 3) == 4)
        #expect(index.lowestFrame(of: 3, atOrBelow: 3) == nil)
        #expect(index.changedPages(after: 1, through: 4) == [1, 2, 3])
        #expect(index.changedPages(after: 4, through: 6) == [1, 2])
        #expect(index.changedPages(after: 6, through: 6) == [])
        #expect(index.newestFrames(atOrBelow: 4) == [.init(page: 1, frame: 3), .init(page: 2, frame: 2), .init(page: 3, frame: 4)])
        #expect(index.snapshot().maxFrame == 6)
        #expect(index.snapshot().lookup(page: 1) == 5)
    }

    /// Many frames over several 4096-frame segments, with pages that share hash slots.
    @Test func agreesWithTheModelAcrossSegments() {
        var random = WALTestRandom(seed: 42)
        let index = WALIndex()
        var model = Model()
        // Pages 8192 apart land in the same hash slot.
        let colliding: [UInt32] = (0..<8).map { 5 + $0 * 8192 }
        for _ in 0..<20_000 {
            let page = Int.random(in: 0..<10, using: &random) == 0
                ? colliding.randomElement(using: &random)!
                : UInt32.random(in: 1...700, using: &random)
            #expect(index.append(page: page) == UInt32(model.pages.count + 1))
            model.append(page)
        }
        index.commit(through: 20_000)
        for _ in 0..<3000 {
            let page = Int.random(in: 0..<4, using: &random) == 0
                ? colliding.randomElement(using: &random)!
                : UInt32.random(in: 1...720, using: &random)
            let frame = UInt32.random(in: 0...20_000, using: &random)
            #expect(index.lookup(page: page, atOrBelow: frame) == model.newest(page, atOrBelow: frame), "page \(page) at \(frame)")
        }
        for page in colliding + [1, 2, 700, 701] {
            #expect(index.lowestFrame(of: page) == model.oldest(page))
        }
        for (after, through) in [(0, 10), (4000, 4200), (4095, 4097), (0, 20_000), (19_990, 20_000)] as [(UInt32, UInt32)] {
            #expect(index.changedPages(after: after, through: through) == model.changed(after: after, through: through))
        }
        for frame: UInt32 in [1, 4096, 4097, 12_345, 20_000] {
            #expect(index.newestFrames(atOrBelow: frame) == model.newestFrames(atOrBelow: frame))
        }
    }

    @Test func uncommittedFramesAreInvisibleToSnapshots() {
        let index = WALIndex()
        for page: UInt32 in [1, 2, 3] { index.append(page: page) }
        index.commit(through: 3)
        index.append(page: 1)
        index.append(page: 9)
        let snapshot = index.snapshot()
        #expect(snapshot.maxFrame == 3)
        #expect(index.committedMaxFrame == 3)
        #expect(index.maxFrame == 5)
        #expect(snapshot.lookup(page: 1) == 1)
        #expect(snapshot.lookup(page: 9) == nil)
        // The writer reads its own uncommitted frames.
        #expect(index.lookup(page: 1, atOrBelow: index.maxFrame) == 4)
        index.commit(through: 5)
        #expect(snapshot.lookup(page: 1) == 1, "a snapshot does not move")
        #expect(index.snapshot().lookup(page: 9) == 5)
    }

    @Test func truncateDropsRolledBackFrames() {
        var random = WALTestRandom(seed: 9)
        let index = WALIndex()
        var model = Model()
        func append(_ count: Int, pages: ClosedRange<UInt32>) {
            for _ in 0..<count {
                let page = UInt32.random(in: pages, using: &random)
                index.append(page: page)
                model.append(page)
            }
        }
        append(4000, pages: 1...300)
        index.commit(through: 4000)
        // A rolled-back transaction that spilled into three more segments.
        append(9000, pages: 200...900)
        index.truncate(toFrame: 4000)
        model.pages.removeLast(9000)
        #expect(index.maxFrame == 4000)
        for page: UInt32 in stride(from: 1, through: 900, by: 7) {
            #expect(index.lookup(page: page, atOrBelow: .max) == model.newest(page, atOrBelow: .max), "page \(page)")
        }
        // The same frame numbers, reused for other pages.
        append(5000, pages: 500...1000)
        index.commit(through: 9000)
        for _ in 0..<2000 {
            let page = UInt32.random(in: 1...1000, using: &random)
            let frame = UInt32.random(in: 0...9000, using: &random)
            #expect(index.lookup(page: page, atOrBelow: frame) == model.newest(page, atOrBelow: frame))
        }
        #expect(index.changedPages(after: 4000, through: 9000) == model.changed(after: 4000, through: 9000))
        index.truncate(toFrame: 9000)
        #expect(index.maxFrame == 9000, "truncating to the end changes nothing")
    }

    @Test func resetStartsAGenerationAndOldSnapshotsKeepTheirs() {
        let index = WALIndex()
        for page: UInt32 in 1...5000 { index.append(page: page % 50 + 1) }
        index.commit(through: 5000)
        let old = index.snapshot()
        #expect(old.generation == 0)
        index.reset()
        #expect(index.generation == 1)
        #expect(index.maxFrame == 0)
        #expect(index.committedMaxFrame == 0)
        #expect(index.lookup(page: 1, atOrBelow: .max) == nil)
        #expect(index.newestFrames(atOrBelow: .max) == [])
        #expect(index.snapshot().maxFrame == 0)
        for page: UInt32 in [7, 8] { index.append(page: page) }
        index.commit(through: 2)
        #expect(index.snapshot().lookup(page: 7) == 1)
        #expect(index.snapshot().generation == 1)
        // The snapshot from before the restart still answers for its generation.
        #expect(old.lookup(page: 1) == 5000)
        #expect(old.lookup(page: 7) == 4956)
        #expect(old.generationMaxFrame == 5000)
        #expect(old.changedPages(after: 4990, through: 5000) == [1] + (42...50).map { UInt32($0) })
    }

    /// Memory follows the current WAL: an old generation goes when its last snapshot does.
    @Test func resetReleasesTheOldGeneration() {
        let index = WALIndex()
        for page: UInt32 in 1...10_000 { index.append(page: page) }
        index.commit(through: 10_000)
        weak let old = index.currentStorage
        var snapshot: WALIndex.Snapshot? = index.snapshot()
        index.reset()
        #expect(old != nil, "a snapshot still reads it")
        #expect(snapshot?.lookup(page: 77) == 77)
        snapshot = nil
        #expect(old == nil)
        #expect(index.currentStorage.maxFrame == 0)
    }

    @Test func truncatingCommittedFramesStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            let index = WALIndex()
            index.append(page: 1)
            index.commit(through: 1)
            index.truncate(toFrame: 0)
        }
    }

    @Test func appendingPageZeroStopsTheProcess() async {
        await #expect(processExitsWith: .failure) {
            WALIndex().append(page: 0)
        }
    }

    /// Readers look pages up through snapshots on their own threads while the writer appends,
    /// commits, rolls back and restarts. Every answer must be the newest frame of the page at or
    /// below the reader's snapshot in the snapshot's generation.
    @Test func concurrentReadersSeeExactlyTheirSnapshot() {
        let index = WALIndex()
        let shared = ConcurrencyLedger()
        let readers = 3
        let group = DispatchGroup()

        let writer = Thread {
            var random = WALTestRandom(seed: 1)
            var generation: UInt64 = 0
            while generation < 200 && (generation < 3 || shared.lookups.load(ordering: .relaxed) < 60_000) {
                while index.maxFrame < 9000 {
                    for _ in 0..<Int.random(in: 1...40, using: &random) {
                        let frame = index.maxFrame + 1
                        index.append(page: concurrentPage(generation, frame))
                    }
                    if Int.random(in: 0..<5, using: &random) == 0 {
                        // Spilled frames of a transaction that rolls back.
                        let committed = index.maxFrame
                        for _ in 0..<Int.random(in: 1...300, using: &random) {
                            index.append(page: UInt32.random(in: 1...120, using: &random))
                        }
                        index.truncate(toFrame: committed)
                    }
                    index.commit(through: index.maxFrame)
                }
                index.reset()
                generation += 1
            }
            shared.done.store(true, ordering: .releasing)
            group.leave()
        }
        group.enter()
        writer.start()

        for reader in 0..<readers {
            let thread = Thread {
                var random = WALTestRandom(seed: UInt64(100 + reader))
                let longLived = index.snapshot()
                var lookups = 0
                var failures = 0
                func check(_ snapshot: WALIndex.Snapshot) {
                    let page = UInt32.random(in: 1...100, using: &random)
                    let found = snapshot.lookup(page: page)
                    var expected: UInt32? = nil
                    var frame = snapshot.maxFrame
                    while frame >= 1 {
                        if concurrentPage(snapshot.generation, frame) == page { expected = frame; break }
                        frame -= 1
                    }
                    if found != expected { failures += 1 }
                    lookups += 1
                }
                while !shared.done.load(ordering: .acquiring) {
                    let snapshot = index.snapshot()
                    for _ in 0..<50 { check(snapshot) }
                    check(longLived)
                    shared.lookups.add(51, ordering: .relaxed)
                }
                shared.failures.add(failures, ordering: .relaxed)
                shared.readerLookups.add(lookups, ordering: .relaxed)
                group.leave()
            }
            group.enter()
            thread.start()
        }
        group.wait()
        #expect(shared.failures.load(ordering: .relaxed) == 0)
        #expect(shared.readerLookups.load(ordering: .relaxed) >= 60_000)
    }
}

/// The page the concurrency test's writer commits at `frame` of `generation`.
func concurrentPage(_ generation: UInt64, _ frame: UInt32) -> UInt32 {
    var mixer = WALTestRandom(seed: generation &* 0x1_0000_0001 &+ UInt64(frame))
    return UInt32(mixer.next() % 97) + 1
}

final class ConcurrencyLedger: Sendable {
    let done = Atomic<Bool>(false)
    let lookups = Atomic<Int>(0)
    let readerLookups = Atomic<Int>(0)
    let failures = Atomic<Int>(0)
}
