import Synchronization

/// The in-memory WAL index (SQLite keeps it in the -shm file): for each page, the frames of the WAL
/// that hold it, and the last committed frame. Shared by every connection of a database.
///
/// Thread safety. One writer at a time (the caller holds the database's writer lock) appends,
/// commits, truncates and resets; any number of readers on other threads look pages up meanwhile,
/// without waiting for the writer:
/// - A reader starts a read transaction with `snapshot()`, which takes a short lock to pair the
///   current generation's frames with the last committed frame. Lookups through the snapshot take
///   no lock at all (see `WALIndexStorage` for why they are safe while the writer appends).
/// - Appended frames stay invisible to `snapshot()` until `commit(through:)`; `truncate(toFrame:)`
///   only drops frames above the last commit, which no snapshot includes.
/// - `reset()` (a WAL restart) starts a new generation in fresh memory. A snapshot taken before
///   keeps the old generation alive and still answers for it; the old memory goes when the last
///   such snapshot does, so memory follows the frames of the current WAL, not its history.
///
/// The index only answers which frame holds a page. That the frame's bytes in the file are still
/// the ones it indexed is the caller's to ensure: the WAL must not be restarted (and frame 1
/// overwritten) while a reader may still read a frame of the previous generation from the file.
package final class WALIndex: Sendable {
    private struct State {
        var storage: WALIndexStorage
        var committed: UInt32
    }

    private let state: Mutex<State>

    package init() {
        state = Mutex(State(storage: WALIndexStorage(generation: 0), committed: 0))
    }

    /// A reader's view: the frames of one generation up to the commit that was last when it was
    /// taken. Cheap to copy and to keep; lookups through it take no lock.
    package struct Snapshot: Sendable {
        fileprivate let storage: WALIndexStorage
        /// The last committed frame when the snapshot was taken: the reader's read mark.
        package let maxFrame: UInt32

        /// Which use of the WAL file the snapshot belongs to (one more after each `reset()`).
        package var generation: UInt64 { storage.generation }

        /// The frame this snapshot reads `page` from, or nil to read it from the database file.
        package func lookup(page: UInt32) -> UInt32? {
            storage.newestFrame(of: page, atOrBelow: maxFrame)
        }

        /// The frames this generation holds now: while it is current, that includes frames the
        /// writer has not committed; once a `reset()` has ended it, every frame it ever committed,
        /// and it no longer changes. With `changedPages`, a connection whose cache reflects this
        /// snapshot learns what was committed after it, even across a restart.
        package var generationMaxFrame: UInt32 { storage.maxFrame }

        /// The pages of frames (after, through] of this generation, ascending and distinct.
        /// `through` should be a committed frame (a newer snapshot's `maxFrame`, or
        /// `generationMaxFrame` once the generation has ended): frames above the last commit may
        /// still be rolled back.
        package func changedPages(after: UInt32, through: UInt32) -> [UInt32] {
            WALIndex.changedPages(storage, after: after, through: through)
        }
    }

    // MARK: Readers

    /// The current generation and its last commit, for a read transaction about to start.
    package func snapshot() -> Snapshot {
        state.withLock { Snapshot(storage: $0.storage, maxFrame: $0.committed) }
    }

    /// The newest frame of `page` at or below `frame` in the current generation, or nil when the
    /// page is to be read from the database file. A read transaction should look up through its
    /// `Snapshot` instead: this takes the index's lock, and answers for whatever generation is
    /// current now.
    package func lookup(page: UInt32, atOrBelow frame: UInt32) -> UInt32? {
        currentStorage.newestFrame(of: page, atOrBelow: frame)
    }

    /// The last committed frame: what a snapshot taken now reads up to.
    package var committedMaxFrame: UInt32 { state.withLock { $0.committed } }

    /// The last frame appended (committed or not): where the next frame goes, less one.
    package var maxFrame: UInt32 { currentStorage.maxFrame }

    package var generation: UInt64 { currentStorage.generation }

    /// The pages of frames (after, through], ascending and distinct: what a connection whose cache
    /// reflects frame `after` must drop before it reads at frame `through`.
    package func changedPages(after: UInt32, through: UInt32) -> [UInt32] {
        Self.changedPages(currentStorage, after: after, through: through)
    }

    /// The oldest frame that holds `page` (at or below `frame`), or nil when no frame does.
    package func lowestFrame(of page: UInt32, atOrBelow frame: UInt32 = .max) -> UInt32? {
        currentStorage.oldestFrame(of: page, atOrBelow: frame)
    }

    /// A page and the frame to copy it from.
    package struct PageFrame: Hashable, Sendable {
        package let page: UInt32
        package let frame: UInt32
    }

    /// The newest frame of each page at or below `frame`, in page order: what a checkpoint up to
    /// `frame` copies into the database file.
    package func newestFrames(atOrBelow frame: UInt32) -> [PageFrame] {
        let storage = currentStorage
        let last = min(frame, storage.maxFrame)
        guard last > 0 else { return [] }
        var newest: [UInt32: UInt32] = [:]
        for f in 1...last { newest[storage.page(ofFrame: f)] = f }
        return newest.map { PageFrame(page: $0.key, frame: $0.value) }.sorted { $0.page < $1.page }
    }

    // MARK: The writer

    /// Adds the next frame, which holds `page`, and returns its number. Invisible to new snapshots
    /// until `commit(through:)`.
    @discardableResult
    package func append(page: UInt32) -> UInt32 {
        currentStorage.append(page: page)
    }

    /// Makes the frames through `frame` visible to snapshots taken from now on: call it once the
    /// commit frame `frame` is written (and synced, as the synchronous mode asks).
    package func commit(through frame: UInt32) {
        state.withLock { state in
            precondition(frame >= state.committed, "commit moves forward: frame \(frame) is below the last commit \(state.committed)")
            precondition(frame <= state.storage.maxFrame, "committing frame \(frame) of a WAL index that holds \(state.storage.maxFrame)")
            state.committed = frame
        }
    }

    /// Drops the frames above `frame`: those of a rolled-back transaction that were already
    /// written. Never below the last commit, which readers may be using.
    package func truncate(toFrame frame: UInt32) {
        let storage = state.withLock { state in
            precondition(frame >= state.committed, "truncating to frame \(frame) would drop committed frames (last commit \(state.committed))")
            return state.storage
        }
        storage.truncate(toFrame: frame)
    }

    /// Empties the index for a WAL restart: a new generation, no frames, nothing committed. A
    /// restart comes between transactions, when every frame is committed.
    package func reset() {
        state.withLock { state in
            precondition(state.storage.maxFrame == state.committed,
                         "a WAL restarts between transactions; frames \(state.committed + 1)...\(state.storage.maxFrame) are not committed")
            state.storage = WALIndexStorage(generation: state.storage.generation + 1)
            state.committed = 0
        }
    }

    // MARK: Internals

    /// The current generation's frames (internal so tests can watch an old generation go).
    var currentStorage: WALIndexStorage { state.withLock { $0.storage } }

    private static func changedPages(_ storage: WALIndexStorage, after: UInt32, through: UInt32) -> [UInt32] {
        let last = min(through, storage.maxFrame)
        guard after < last else { return [] }
        var pages = Set<UInt32>()
        for f in (after + 1)...last { pages.insert(storage.page(ofFrame: f)) }
        return pages.sorted()
    }
}
