import Foundation
import Synchronization
import Testing
@testable import Pager

/// Behaviour every backend shares, run on each (the real-file ones on a real file).
@Suite struct BackendTests {
    func openFile(_ kind: IOBackendKind, _ directory: TemporaryDirectory, direct: Bool = false) throws -> StorageFile {
        try TestBackends.fileSystem(for: kind).open(directory.file("data"), options: FileOpenOptions(direct: direct))
    }

    @Test(arguments: TestBackends.all)
    func writeThenReadBack(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let file = try openFile(kind, directory)
        let backend = TestBackends.make(kind)
        let out = IOBuffer.allocate(count: 8192)
        fill(out, seed: 3)
        let write = backend.run(.write(file, out, offset: 4096))
        #expect(write.result == .success(8192))
        let back = IOBuffer.allocate(count: 8192)
        let read = backend.run(.read(file, back, offset: 4096))
        #expect(read.result == .success(8192))
        #expect(matches(back, seed: 3))
        #expect(try file.size() == 12288)
    }

    @Test(arguments: TestBackends.all)
    func readPastTheEndIsShortNotAnError(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let file = try openFile(kind, directory)
        let backend = TestBackends.make(kind)
        backend.run(.write(file, IOBuffer.allocate(count: 1000), offset: 0))
        let read = backend.run(.read(file, IOBuffer.allocate(count: 4096), offset: 0))
        #expect(read.result == .success(1000))
        let beyond = backend.run(.read(file, IOBuffer.allocate(count: 4096), offset: 8192))
        #expect(beyond.result == .success(0))
    }

    @Test(arguments: TestBackends.all)
    func writevWritesBuffersBackToBack(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let file = try openFile(kind, directory)
        let backend = TestBackends.make(kind)
        let parts = (0..<5).map { i in
            let buffer = IOBuffer.allocate(count: 24 + i * 1000)
            fill(buffer, seed: i)
            return buffer
        }
        let total = parts.reduce(0) { $0 + $1.count }
        let write = backend.run(.writev(file, parts, offset: 100))
        #expect(write.result == .success(total))
        var offset: Int64 = 100
        for (i, part) in parts.enumerated() {
            let back = IOBuffer.allocate(count: part.count)
            backend.run(.read(file, back, offset: offset))
            #expect(matches(back, seed: i), "part \(i)")
            offset += Int64(part.count)
        }
    }

    @Test(arguments: TestBackends.all)
    func syncAndTruncate(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let file = try openFile(kind, directory)
        let backend = TestBackends.make(kind)
        backend.run(.write(file, IOBuffer.allocate(count: 10000), offset: 0))
        #expect(backend.run(.sync(file, dataOnly: true)).succeeded)
        #expect(backend.run(.sync(file, dataOnly: false)).succeeded)
        #expect(backend.run(.truncate(file, length: 4096)).succeeded)
        #expect(try file.size() == 4096)
    }

    /// Every transfer is cut to at most 1000 bytes on its first attempts: the backend must continue
    /// each short write and short read until the whole buffer has moved. On real files the kernel
    /// really performs the short transfers (the backend asks it for fewer bytes).
    @Test(arguments: TestBackends.all)
    func shortTransfersAreContinued(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let file = try openFile(kind, directory)
        let attempts = Counter()
        let backend = TestBackends.make(kind, injector: { point in
            attempts.add()
            return point.attempt < 5 ? .shortTransfer(maxBytes: 1000) : nil
        })
        let out = IOBuffer.allocate(count: 16384)
        fill(out, seed: 11)
        let write = backend.run(.write(file, out, offset: 512))
        #expect(write.result == .success(16384))
        let writeAttempts = attempts.value
        #expect(writeAttempts == 6, "5 short writes of 1000 bytes, then the rest")
        let parts = [IOBuffer.allocate(count: 3000), IOBuffer.allocate(count: 5000)]
        fill(parts[0], seed: 1)
        fill(parts[1], seed: 2)
        #expect(backend.run(.writev(file, parts, offset: 20000)).result == .success(8000))
        let back = IOBuffer.allocate(count: 16384)
        #expect(backend.run(.read(file, back, offset: 512)).result == .success(16384))
        #expect(matches(back, seed: 11))
        let backParts = [IOBuffer.allocate(count: 3000), IOBuffer.allocate(count: 5000)]
        backend.run(.read(file, backParts[0], offset: 20000))
        backend.run(.read(file, backParts[1], offset: 23000))
        #expect(matches(backParts[0], seed: 1) && matches(backParts[1], seed: 2))
    }

    @Test(arguments: TestBackends.all)
    func injectedErrorsReachTheCompletion(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let file = try openFile(kind, directory)
        let backend = TestBackends.make(kind, injector: { point in
            switch point.kind {
            case .write where point.offset >= 2 << 20 && point.attempt == 0: .shortTransfer(maxBytes: 4096)
            case .write where point.offset >= 1 << 20: .fail(.noSpace)
            case .sync: .fail(.io)
            default: nil
            }
        })
        #expect(backend.run(.write(file, IOBuffer.allocate(count: 4096), offset: 0)).succeeded)
        #expect(backend.run(.write(file, IOBuffer.allocate(count: 4096), offset: 1 << 20)).error == .noSpace)
        #expect(backend.run(.sync(file, dataOnly: true)).error == .io)
        // A failure partway: the first 4096 bytes go, the continuation hits the full disk.
        let partial = backend.run(.write(file, IOBuffer.allocate(count: 8192), offset: 2 << 20))
        #expect(partial.error == .noSpace)
        #expect(partial.bytesTransferred == 4096)
    }

    @Test(arguments: TestBackends.all)
    func groupOfManyOperationsCarriesFirstError(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let file = try openFile(kind, directory)
        let backend = TestBackends.make(kind, injector: { point in
            point.kind == .write && point.offset == 7 * 4096 ? .fail(.io) : nil
        })
        let group = CompletionGroup()
        for i in 0..<16 {
            let write = Completion(.write(file, IOBuffer.allocate(count: 4096), offset: Int64(i) * 4096))
            group.add(write)
            backend.submit(write)
        }
        let all = group.build()
        backend.wait(for: all)
        #expect(all.error == .io)
        #expect(all.bytesTransferred == 15 * 4096)
    }

    /// The callback of a synchronous backend may submit again; that must not recurse without bound.
    @Test(arguments: TestBackends.all)
    func callbacksThatSubmitDoNotRecurse(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let file = try openFile(kind, directory)
        let backend = TestBackends.make(kind)
        let buffer = IOBuffer.allocate(count: 512)
        let remaining = Counter(100_000)
        func next() {
            backend.submit(Completion(.write(file, buffer, offset: 0)) { _ in
                if remaining.take() { next() }
            })
        }
        next()
        backend.drain()
        #expect(remaining.value == 0)
    }

    @Test(arguments: TestBackends.realFile)
    func directIOWithAlignedBuffers(_ kind: IOBackendKind) throws {
        let directory = TemporaryDirectory()
        let file = try openFile(kind, directory, direct: true)
        let pool = BufferPool(pageSize: 4096)
        let backend = TestBackends.make(kind, pool: pool)
        let pages = pool.takePages(8)
        for (i, page) in pages.enumerated() {
            fill(page, seed: i)
            #expect(backend.run(.write(file, page, offset: Int64(i) * 4096)).succeeded)
        }
        for (i, page) in pages.enumerated() {
            memset(page.base, 0, page.count)
            #expect(backend.run(.read(file, page, offset: Int64(i) * 4096)).result == .success(4096))
            #expect(matches(page, seed: i))
        }
        pool.returnPages(pages)
    }
}

/// A counter closures can share.
final class Counter: Sendable {
    private let state: Mutex<Int>
    init(_ value: Int = 0) { state = Mutex(value) }
    var value: Int { state.withLock { $0 } }
    func add() { state.withLock { $0 += 1 } }
    /// Decrements when positive; says whether it did.
    func take() -> Bool {
        state.withLock { value in
            guard value > 0 else { return false }
            value -= 1
            return true
        }
    }
}
