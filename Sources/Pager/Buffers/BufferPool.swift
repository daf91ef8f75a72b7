#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Synchronization

/// The buffers a database does IO with: large page-aligned arenas carved into page-sized slots
/// (for the page cache) and frame runs (contiguous WAL frames, page + 24-byte header each, so a
/// commit's frames go out in one write). Arenas are numbered; a ring registers arena i as fixed
/// buffer i, so reads and writes into slots can use READ_FIXED/WRITE_FIXED.
///
/// Shared by every connection of a database. Connections take and return slots in batches
/// through a `BufferPool.Local`, so the pool's lock is not on the path of each page.
package final class BufferPool: Sendable {
    /// The most arenas one pool may have, which is also the size of each ring's sparse table of
    /// fixed buffers.
    package static let maxArenas = 512

    package let id: UInt32
    package let pageSize: Int
    /// Bytes of one WAL frame: the 24-byte header and a page.
    package var frameSize: Int { pageSize + 24 }
    /// Frames in one frame run.
    package let framesPerRun: Int
    /// Bytes of one arena.
    package let arenaBytes: Int

    private let state: Mutex<State>
    /// The number of arenas, readable without the lock so rings can see new ones cheaply.
    private let arenaCountAtomic = Atomic<Int>(0)

    private struct State {
        var arenas: [Arena] = []
        var freePages: [IOBuffer] = []
        var freeFrameRuns: [IOBuffer] = []
    }

    private static let nextID = Atomic<UInt32>(1)

    /// - Parameters:
    ///   - pageSize: the database's page size (512...65536).
    ///   - arenaBytes: bytes per arena, rounded up to hold at least one slot or run.
    ///   - framesPerRun: WAL frames per contiguous run.
    package init(pageSize: Int, arenaBytes: Int = 2 << 20, framesPerRun: Int = 32) {
        precondition(pageSize >= 512 && pageSize <= 65536 && pageSize & (pageSize - 1) == 0,
                     "page size must be a power of two in 512...65536")
        precondition(framesPerRun >= 1, "a frame run holds at least one frame")
        self.id = Self.nextID.add(1, ordering: .relaxed).oldValue
        self.pageSize = pageSize
        self.framesPerRun = framesPerRun
        let minimum = max(pageSize, (pageSize + 24) * framesPerRun)
        self.arenaBytes = max(arenaBytes, minimum).roundedUp(to: 4096)
        self.state = Mutex(State())
    }

    /// Arenas created so far.
    package var arenaCount: Int { arenaCountAtomic.load(ordering: .acquiring) }

    /// The memory of arena `index`, for ring registration.
    package func arenaMemory(_ index: Int) -> UnsafeMutableRawBufferPointer {
        state.withLock { state in
            precondition(index < state.arenas.count, "arena \(index) does not exist")
            return state.arenas[index].memory
        }
    }

    /// Takes `count` page slots (contents undefined).
    package func takePages(_ count: Int) -> [IOBuffer] {
        state.withLock { state in
            while state.freePages.count < count { carve(&state, .page) }
            let taken = Array(state.freePages.suffix(count))
            state.freePages.removeLast(count)
            return taken
        }
    }

    /// Takes one frame run: `framesPerRun` contiguous frame slots.
    package func takeFrameRun() -> IOBuffer {
        state.withLock { state in
            if state.freeFrameRuns.isEmpty { carve(&state, .frameRun) }
            return state.freeFrameRuns.removeLast()
        }
    }

    /// Returns slots taken by `takePages`. Nothing may still be reading into or writing from them.
    package func returnPages<S: Sequence>(_ buffers: S) where S.Element == IOBuffer {
        state.withLock { state in
            for buffer in buffers {
                precondition(buffer.count == pageSize && buffer.registration?.poolID == id,
                             "a page slot returns to the pool it came from")
                state.freePages.append(buffer)
            }
        }
    }

    package func returnFrameRun(_ buffer: IOBuffer) {
        state.withLock { state in
            precondition(buffer.count == frameSize * framesPerRun && buffer.registration?.poolID == id,
                         "a frame run returns to the pool it came from")
            state.freeFrameRuns.append(buffer)
        }
    }

    private enum SlotKind { case page, frameRun }

    private func carve(_ state: inout State, _ kind: SlotKind) {
        let index = state.arenas.count
        precondition(index < Self.maxArenas, "buffer pool exhausted: \(Self.maxArenas) arenas of \(arenaBytes) bytes")
        let arena = Arena(bytes: arenaBytes)
        state.arenas.append(arena)
        let registration = IOBuffer.Registration(poolID: id, arena: Int32(index))
        let slotSize = kind == .page ? pageSize : frameSize * framesPerRun
        let slots = arenaBytes / slotSize
        for slot in 0..<slots {
            let buffer = IOBuffer(base: arena.memory.baseAddress! + slot * slotSize, count: slotSize,
                                  registration: registration, owner: arena)
            if kind == .page { state.freePages.append(buffer) } else { state.freeFrameRuns.append(buffer) }
        }
        arenaCountAtomic.store(state.arenas.count, ordering: .releasing)
    }
}

/// One mmap'd region of a pool. Lives as long as any buffer carved from it (buffers hold it as
/// their owner), so memory under an in-flight read is never unmapped.
final class Arena: @unchecked Sendable {
    // Sendable: the memory is only reached through slots, and a slot belongs to one owner at a time
    // (the pool's lock hands it over); the mapping itself never changes until deinit.
    let memory: UnsafeMutableRawBufferPointer

    init(bytes: Int) {
        let base = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
        guard let base, base != MAP_FAILED else {
            fatalError("mmap of a \(bytes)-byte buffer arena failed: \(Errno.current)")
        }
        memory = UnsafeMutableRawBufferPointer(start: base, count: bytes)
    }

    deinit { munmap(memory.baseAddress, memory.count) }
}

extension BufferPool {
    /// A connection's own stock of page slots, refilled from and returned to the pool in batches
    /// so that taking and giving back a slot does not take the pool's lock.
    package struct Local: ~Copyable {
        package let pool: BufferPool
        private var free: [IOBuffer] = []
        private let batch: Int

        package init(pool: BufferPool, batch: Int = 32) {
            self.pool = pool
            self.batch = batch
        }

        package mutating func take() -> IOBuffer {
            if free.isEmpty { free = pool.takePages(batch) }
            return free.removeLast()
        }

        package mutating func give(_ buffer: IOBuffer) {
            free.append(buffer)
            if free.count >= 2 * batch {
                pool.returnPages(free.suffix(batch))
                free.removeLast(batch)
            }
        }

        deinit {
            if !free.isEmpty { pool.returnPages(free) }
        }
    }
}

extension Int {
    func roundedUp(to multiple: Int) -> Int { (self + multiple - 1) / multiple * multiple }
}
