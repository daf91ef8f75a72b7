import Synchronization

/// The frames of one generation of a WAL (from one restart to the next), indexed by page: the
/// in-memory counterpart of SQLite's -shm hash tables, laid out the same way.
///
/// Frames are grouped into segments of 4096. A segment holds the page number of each of its
/// frames, in frame order, and an open-addressing hash table of 8192 slots mapping a page to the
/// positions of its frames in the segment (linear probing; a slot holds position + 1, 0 is empty).
/// At most half the slots are ever full, so every probe ends at an empty slot. Finding the frame a
/// reader must read means probing the segment of its snapshot, then earlier segments, until one
/// holds the page: a single probe for a WAL of up to 4096 frames.
///
/// Appends never move memory: segments are allocated once and reached through a fixed two-level
/// directory (1024 blocks of 1024 segments: 2^32 frames), so a reader never sees a pointer change
/// under it. Concurrency:
/// - Hash slots, page numbers and directory pointers are atomics; the writer stores them, then
///   publishes the new frame count with a releasing store. A reader loads the frame count
///   (acquiring) before it probes, and only considers frames at or below both its snapshot and that
///   count, so every entry it relies on is visible to it.
/// - A slot a reader meets for a frame beyond its snapshot is skipped, so it does not matter
///   whether the reader sees the writer's newest slots or not.
/// - Truncation clears slots in the reverse of the order they were filled. With linear probing, an
///   entry's probe sequence only crosses slots filled before it, so clearing later entries never
///   cuts the path to an earlier one: a reader whose snapshot is at or below the truncation point
///   finds everything it needs while the slots above are cleared and refilled.
///
/// Frames at or below a reader's snapshot must not be truncated while it reads; `WALIndex` makes
/// sure of that by truncating only above the last commit.
final class WALIndexStorage: @unchecked Sendable {
    // @unchecked Sendable: shared memory is reached only through the atomics described above, and
    // the mutating operations (append, truncate) come from one writer at a time: the database's
    // writer lock serialises them, and `writerActive` checks that it does.

    static let framesPerSegment = 4096
    static let slotsPerSegment = 8192
    static let segmentsPerBlock = 1024
    static let blockCount = 1024

    /// Which use of the WAL file this is: 0 for the first, one more after each reset.
    let generation: UInt64

    /// Frames appended and not truncated; frame numbers run from 1 to this.
    private let frameCount = Atomic<UInt32>(0)
    private let writerActive = Atomic<Bool>(false)
    /// `blockCount` pointers to blocks of `segmentsPerBlock` segment pointers; nil until needed.
    private let blocks: UnsafeMutablePointer<Atomic<UnsafeMutableRawPointer?>>

    /// A view of one segment's memory: page numbers, then hash slots.
    private struct Segment {
        static let bytes = framesPerSegment * MemoryLayout<UInt32>.stride + slotsPerSegment * MemoryLayout<UInt16>.stride
        let base: UnsafeMutableRawPointer

        var pages: UnsafeMutablePointer<Atomic<UInt32>> { base.assumingMemoryBound(to: Atomic<UInt32>.self) }
        var slots: UnsafeMutablePointer<Atomic<UInt16>> {
            (base + framesPerSegment * MemoryLayout<UInt32>.stride).assumingMemoryBound(to: Atomic<UInt16>.self)
        }

        static func allocate() -> Segment {
            let base = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
            let pages = base.bindMemory(to: Atomic<UInt32>.self, capacity: framesPerSegment)
            for i in 0..<framesPerSegment { (pages + i).initialize(to: Atomic(0)) }
            let slots = (base + framesPerSegment * MemoryLayout<UInt32>.stride)
                .bindMemory(to: Atomic<UInt16>.self, capacity: slotsPerSegment)
            for i in 0..<slotsPerSegment { (slots + i).initialize(to: Atomic(0)) }
            return Segment(base: base)
        }
    }

    init(generation: UInt64) {
        self.generation = generation
        blocks = .allocate(capacity: Self.blockCount)
        for i in 0..<Self.blockCount { (blocks + i).initialize(to: Atomic(nil)) }
    }

    deinit {
        for b in 0..<Self.blockCount {
            guard let block = blocks[b].load(ordering: .relaxed) else { continue }
            let segments = block.assumingMemoryBound(to: Atomic<UnsafeMutableRawPointer?>.self)
            for s in 0..<Self.segmentsPerBlock {
                segments[s].load(ordering: .relaxed)?.deallocate()
            }
            block.deallocate()
        }
        blocks.deallocate()
    }

    // MARK: Reading (any thread)

    /// The highest frame number; acquiring, so entries at or below it are visible to the caller.
    var maxFrame: UInt32 { frameCount.load(ordering: .acquiring) }

    /// The newest frame of `page` at or below `limit`.
    func newestFrame(of page: UInt32, atOrBelow limit: UInt32) -> UInt32? {
        let limit = min(limit, maxFrame)
        guard limit > 0 else { return nil }
        var index = Int((limit - 1) / UInt32(Self.framesPerSegment))
        while true {
            let first = UInt32(index * Self.framesPerSegment)
            let position = probe(page, in: segment(index)!, upTo: Int(limit - first), newest: true)
            if position > 0 { return first + UInt32(position) }
            if index == 0 { return nil }
            index -= 1
        }
    }

    /// The oldest frame of `page` at or below `limit`.
    func oldestFrame(of page: UInt32, atOrBelow limit: UInt32) -> UInt32? {
        let limit = min(limit, maxFrame)
        guard limit > 0 else { return nil }
        let lastIndex = Int((limit - 1) / UInt32(Self.framesPerSegment))
        for index in 0...lastIndex {
            let first = UInt32(index * Self.framesPerSegment)
            let position = probe(page, in: segment(index)!, upTo: Int(min(limit - first, UInt32(Self.framesPerSegment))), newest: false)
            if position > 0 { return first + UInt32(position) }
        }
        return nil
    }

    /// The page frame `frame` holds; the frame must be at or below a `maxFrame` the caller loaded.
    func page(ofFrame frame: UInt32) -> UInt32 {
        precondition(frame >= 1, "WAL frames are numbered from 1")
        let index = Int((frame - 1) / UInt32(Self.framesPerSegment))
        let position = Int((frame - 1) % UInt32(Self.framesPerSegment))
        guard let segment = segment(index) else { preconditionFailure("frame \(frame) is beyond the WAL index") }
        return segment.pages[position].load(ordering: .relaxed)
    }

    // MARK: Writing (the writer only)

    /// Adds the next frame, holding `page`, and returns its number.
    func append(page: UInt32) -> UInt32 {
        precondition(page != 0, "a WAL frame holds a page numbered from 1")
        enterWriter()
        defer { leaveWriter() }
        let count = frameCount.load(ordering: .relaxed)
        precondition(count < UInt32.max, "a WAL index holds fewer than 2^32 frames")
        let index = Int(count / UInt32(Self.framesPerSegment))
        let position = Int(count % UInt32(Self.framesPerSegment)) + 1
        let segment = segment(index) ?? makeSegment(index)
        segment.pages[position - 1].store(page, ordering: .relaxed)
        var slot = Self.hash(page)
        while segment.slots[slot].load(ordering: .relaxed) != 0 {
            slot = (slot + 1) & (Self.slotsPerSegment - 1)
        }
        segment.slots[slot].store(UInt16(position), ordering: .relaxed)
        frameCount.store(count + 1, ordering: .releasing)
        return count + 1
    }

    /// Removes the frames above `frame`, newest first (see the type's note on why that order keeps
    /// concurrent readers of earlier frames safe).
    func truncate(toFrame frame: UInt32) {
        enterWriter()
        defer { leaveWriter() }
        var count = frameCount.load(ordering: .relaxed)
        precondition(frame <= count, "truncating to frame \(frame) of a WAL index that holds \(count)")
        while count > frame {
            let index = Int((count - 1) / UInt32(Self.framesPerSegment))
            let position = UInt16((count - 1) % UInt32(Self.framesPerSegment)) + 1
            let segment = segment(index)!
            let page = segment.pages[Int(position) - 1].load(ordering: .relaxed)
            var slot = Self.hash(page)
            var probes = 0
            while segment.slots[slot].load(ordering: .relaxed) != position {
                probes += 1
                precondition(probes < Self.slotsPerSegment, "WAL index frame \(count) (page \(page)) is missing from its hash table")
                slot = (slot + 1) & (Self.slotsPerSegment - 1)
            }
            segment.slots[slot].store(0, ordering: .relaxed)
            count -= 1
            // Published frame by frame: a reader that loads the count in the middle still sees
            // only frames whose slots are in place.
            frameCount.store(count, ordering: .releasing)
        }
    }

    // MARK: Internals

    private static func hash(_ page: UInt32) -> Int {
        Int((page &* 383) & UInt32(slotsPerSegment - 1))
    }

    /// The position (1-based) of the newest or oldest frame of `page` in the segment among
    /// positions 1...limit, or 0 when there is none.
    private func probe(_ page: UInt32, in segment: Segment, upTo limit: Int, newest: Bool) -> Int {
        var slot = Self.hash(page)
        var found = 0
        // Bounded by the table size: a probe that met no empty slot has seen every slot.
        for _ in 0..<Self.slotsPerSegment {
            let position = Int(segment.slots[slot].load(ordering: .relaxed))
            if position == 0 { break }
            if position <= limit, found == 0 || (newest ? position > found : position < found),
               segment.pages[position - 1].load(ordering: .relaxed) == page {
                found = position
            }
            slot = (slot + 1) & (Self.slotsPerSegment - 1)
        }
        return found
    }

    private func segment(_ index: Int) -> Segment? {
        guard let block = blocks[index / Self.segmentsPerBlock].load(ordering: .acquiring) else { return nil }
        let segments = block.assumingMemoryBound(to: Atomic<UnsafeMutableRawPointer?>.self)
        guard let base = segments[index % Self.segmentsPerBlock].load(ordering: .acquiring) else { return nil }
        return Segment(base: base)
    }

    private func makeSegment(_ index: Int) -> Segment {
        let blockIndex = index / Self.segmentsPerBlock
        let block: UnsafeMutableRawPointer
        if let existing = blocks[blockIndex].load(ordering: .relaxed) {
            block = existing
        } else {
            let segments = UnsafeMutablePointer<Atomic<UnsafeMutableRawPointer?>>.allocate(capacity: Self.segmentsPerBlock)
            for i in 0..<Self.segmentsPerBlock { (segments + i).initialize(to: Atomic(nil)) }
            block = UnsafeMutableRawPointer(segments)
            blocks[blockIndex].store(block, ordering: .releasing)
        }
        let segment = Segment.allocate()
        block.assumingMemoryBound(to: Atomic<UnsafeMutableRawPointer?>.self)[index % Self.segmentsPerBlock]
            .store(segment.base, ordering: .releasing)
        return segment
    }

    private func enterWriter() {
        let busy = writerActive.exchange(true, ordering: .acquiring)
        precondition(!busy, "two threads are changing a WAL index at once: the writer lock is not held")
    }

    private func leaveWriter() {
        writerActive.store(false, ordering: .releasing)
    }
}
