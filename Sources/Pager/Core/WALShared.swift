/// The write-ahead log of a database in WAL mode: its file and the in-memory index of its frames,
/// shared by every connection.
package final class WALShared: Sendable {
    package let file: StorageFile
    package let index: WALIndex

    init(file: StorageFile, index: WALIndex) {
        self.file = file
        self.index = index
    }
}

/// Where the next frame goes, kept under the database's state lock and changed only by the holder
/// of the writer lock (or a checkpoint that restarts the log).
struct WALWriterState {
    /// The writer's position after the last commit: header, running checksum and next frame. Nil
    /// when the current log has no header on disk yet (a new log, or a restarted one): the next
    /// write puts `pendingHeader` at offset 0 before its frames.
    var encoder: WALFrameEncoder?
    /// The header the next write begins the log with, when `encoder` is nil.
    var pendingHeader: WALHeader?
    /// Frames 1...backfilled of the current log are in the database file.
    var backfilled: UInt32 = 0
    /// Salts for new headers (seeded in deterministic tests, else from the system).
    var random = SaltGenerator(seed: nil)
    /// The database file is empty: before the log holds anything, it must get a page 1 (sqlite3
    /// deletes the log of an empty database file as stale when it opens one).
    var databaseFileEmpty = false
}

/// SplitMix64 when seeded (simulation replays exactly), the system's generator otherwise.
struct SaltGenerator: RandomNumberGenerator {
    private var state: UInt64?
    private var system = SystemRandomNumberGenerator()

    init(seed: UInt64?) { state = seed }

    mutating func next() -> UInt64 {
        guard var value = state else { return system.next() }
        value &+= 0x9E37_79B9_7F4A_7C15
        state = value
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
