import Foundation
import Testing
@testable import Pager

@Suite(.enabled(if: URingAvailability.current == .available, "io_uring is unavailable here"))
struct URingIOTests {
    /// 10,000 writes in flight at once (far more than the SQ and CQ hold, so most queue), then
    /// 10,000 reads, every byte checked.
    @Test(arguments: [false, true])
    func tenThousandConcurrentWritesThenReads(direct: Bool) throws {
        let directory = TemporaryDirectory()
        let file = try PosixFileSystem().open(directory.file("data"), options: FileOpenOptions(direct: direct))
        let pool = BufferPool(pageSize: 4096)
        let backend = try URingIO(entries: 128, pool: pool)
        let count = 10_000
        let pages = pool.takePages(count)
        let writes = CompletionGroup()
        for (i, page) in pages.enumerated() {
            fill(page, seed: i)
            let write = Completion(.write(file, page, offset: Int64(i) * 4096))
            writes.add(write)
            backend.submit(write)
        }
        #expect(backend.inFlightCount == count)
        let allWritten = writes.build()
        backend.wait(for: allWritten)
        #expect(allWritten.succeeded)
        #expect(allWritten.bytesTransferred == count * 4096)
        for page in pages { memset(page.base, 0, page.count) }
        let reads = CompletionGroup()
        // Read each block into a different buffer than the one it was written from.
        for i in 0..<count {
            let read = Completion(.read(file, pages[(i + 1) % count], offset: Int64(i) * 4096))
            reads.add(read)
            backend.submit(read)
        }
        let allRead = reads.build()
        backend.wait(for: allRead)
        #expect(allRead.succeeded)
        var bad = 0
        for i in 0..<count where !matches(pages[(i + 1) % count], seed: i) { bad += 1 }
        #expect(bad == 0)
        #expect(backend.inFlightCount == 0)
        pool.returnPages(pages)
    }

    @Test func poolBuffersUseFixedBuffersAndOthersDoNot() throws {
        let directory = TemporaryDirectory()
        let file = try PosixFileSystem().open(directory.file("data"), options: FileOpenOptions())
        let pool = BufferPool(pageSize: 4096)
        let otherPool = BufferPool(pageSize: 4096)
        let backend = try URingIO(pool: pool)
        let fixed = pool.takePages(1)[0]
        let foreign = otherPool.takePages(1)[0]
        let plain = IOBuffer.allocate(count: 4096)
        #expect(backend.usesFixedBuffer(fixed))
        #expect(!backend.usesFixedBuffer(foreign))
        #expect(!backend.usesFixedBuffer(plain))
        // Both paths move the right bytes.
        fill(fixed, seed: 1)
        fill(plain, seed: 2)
        #expect(backend.run(.write(file, fixed, offset: 0)).succeeded)
        #expect(backend.run(.write(file, plain, offset: 4096)).succeeded)
        memset(fixed.base, 0, 4096)
        memset(plain.base, 0, 4096)
        #expect(backend.run(.read(file, plain, offset: 0)).result == .success(4096))
        #expect(backend.run(.read(file, fixed, offset: 4096)).result == .success(4096))
        #expect(matches(plain, seed: 1))
        #expect(matches(fixed, seed: 2))
        // A ring without a pool uses plain buffers throughout.
        let unregistered = try URingIO()
        #expect(!unregistered.usesFixedBuffer(fixed))
        #expect(unregistered.run(.read(file, fixed, offset: 0)).result == .success(4096))
        #expect(matches(fixed, seed: 1))
        pool.returnPages([fixed])
        otherPool.returnPages([foreign])
    }

    /// A fixed-buffer read that lands in the second arena of a pool (registered on first use).
    @Test func laterArenasRegisterOnFirstUse() throws {
        let directory = TemporaryDirectory()
        let file = try PosixFileSystem().open(directory.file("data"), options: FileOpenOptions())
        let pool = BufferPool(pageSize: 4096, arenaBytes: 64 * 1024, framesPerRun: 1)
        let backend = try URingIO(pool: pool)
        let pages = pool.takePages(40)  // 16 per arena: three arenas
        #expect(pool.arenaCount == 3)
        for (i, page) in pages.enumerated() {
            fill(page, seed: i)
            backend.submit(Completion(.write(file, page, offset: Int64(i) * 4096)))
        }
        backend.drain()
        for (i, page) in pages.enumerated() {
            #expect(backend.usesFixedBuffer(page))
            memset(page.base, 0, 4096)
            backend.run(.read(file, page, offset: Int64(i) * 4096))
            #expect(matches(page, seed: i))
        }
        pool.returnPages(pages)
    }

    /// The completion, not the caller, keeps a buffer's memory alive until its CQE is reaped.
    @Test func bufferStaysAliveUntilItsCQE() throws {
        let directory = TemporaryDirectory()
        let file = try PosixFileSystem().open(directory.file("data"), options: FileOpenOptions())
        let backend = try URingIO()
        let source = IOBuffer.allocate(count: 1 << 20)
        fill(source, seed: 5)
        backend.run(.write(file, source, offset: 0))

        let freed = Counter()
        var completion: Completion?
        do {
            let owner = TrackedMemory(count: 1 << 20, freed: freed)
            let buffer = IOBuffer(base: owner.base, count: owner.count, registration: nil, owner: owner)
            completion = Completion(.read(file, buffer, offset: 0))
            backend.submit(completion!)
            backend.flush()  // in the kernel's hands now
        }
        #expect(freed.value == 0, "the buffer was freed while its read was in flight")
        backend.wait(for: completion!)
        #expect(completion!.result == .success(1 << 20))
        do {
            guard case .read(_, let buffer, _) = completion!.operation else { Issue.record("not a read"); return }
            #expect(matches(buffer, seed: 5))
        }
        completion = nil
        #expect(freed.value == 1, "the buffer is released with its completion")
    }

    @Test func waitingForANeverSubmittedCompletionIsABug() async throws {
        await #expect(processExitsWith: .failure) {
            let backend = try! URingIO()
            let file = try! PosixFileSystem().open("/dev/null", options: FileOpenOptions(create: false))
            backend.wait(for: Completion(.sync(file, dataOnly: true)))
        }
    }
}

final class TrackedMemory {
    let base: UnsafeMutableRawPointer
    let count: Int
    let freed: Counter

    init(count: Int, freed: Counter) {
        base = .allocate(byteCount: count, alignment: 4096)
        self.count = count
        self.freed = freed
    }

    deinit {
        base.deallocate()
        freed.add()
    }
}
