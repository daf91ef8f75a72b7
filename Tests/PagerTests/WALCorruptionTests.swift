import Foundation
import Testing
@testable import Pager

/// Torn and corrupt WALs: the scan stops exactly at the first bad frame and reports the last
/// commit before it, as sqlite3 does.
@Suite(.enabled(if: SQLite3.available, "needs the sqlite3 shell"))
struct WALCorruptionTests {
    static let pageSize = 1024

    /// About fifty frames in transactions of one to a dozen frames, with a rolled-back tail.
    struct Fixture {
        let database: [UInt8]
        let wal: [UInt8]
        /// Every frame header in the file, valid or not.
        let headers: [WALFrameHeader]
        /// The frames of the intact WAL that are valid; the rolled-back tail may end early.
        let valid: Int
        let intact: WALRecoveryResult

        /// The last commit a scan must report when frame `frame` is the first one damaged.
        func expectedCommit(damagedFrame frame: Int) -> UInt32 {
            lastCommit(in: headers, atOrBelow: min(frame - 1, valid))
        }
    }

    static func makeFixture(name: String = #function) throws -> Fixture {
        let fixture = try SQLiteWALFixture(pageSize: pageSize, [
            "CREATE TABLE t(a INTEGER PRIMARY KEY, b BLOB)",
            "INSERT INTO t VALUES (1, randomblob(10))",
            "INSERT INTO t VALUES (2, randomblob(3000))",
            "WITH RECURSIVE n(x) AS (SELECT 3 UNION ALL SELECT x + 1 FROM n WHERE x < 40) INSERT INTO t SELECT x, randomblob(200) FROM n",
            "UPDATE t SET b = randomblob(5000) WHERE a = 1",
            "DELETE FROM t WHERE a > 30",
            "INSERT INTO t VALUES (50, randomblob(8000))",
            "UPDATE t SET b = zeroblob(1) WHERE a = 2",
        ] + spilledRollback(rows: 60), name: name)
        let wal = try fixture.walBytes()
        let database = try fixture.databaseBytes()
        let intact = try scanWAL(wal, databasePageSize: pageSize)
        let headers = storedFrameHeaders(wal, pageSize: pageSize)
        #expect(intact.maxFrame == (try SQLite3.view(database: database, wal: wal).maxFrame))
        #expect(intact.maxFrame == lastCommit(in: headers, atOrBelow: Int(intact.validFrames)))
        return Fixture(database: database, wal: wal, headers: headers, valid: Int(intact.validFrames), intact: intact)
    }

    /// Cut at each frame's start, inside its header and inside its page: everything from that frame
    /// Cut at each frame's start, inside its header and inside its page: everything from that frame
    /// on is gone, so the last commit before it is what counts. sqlite3 agrees at every cut.
    @Test func truncatedAtEveryFrame() throws {
        let fixture = try Self.makeFixture()
        let frameSize = WALFrame.size(pageSize: Self.pageSize)
        #expect(fixture.headers.count >= 30)
        #expect(fixture.headers.filter(\.isCommit).count >= 6)
        for frame in 1...fixture.headers.count + 1 {
            let start = Int(WALFrame.offset(ofFrame: UInt32(frame), pageSize: Self.pageSize))
            for cut in [start, start + 10, start + 24 + Self.pageSize / 2, start + frameSize - 1] where cut <= fixture.wal.count {
                let torn = Array(fixture.wal[..<cut])
                let result = try scanWAL(torn, databasePageSize: Self.pageSize)
                let expected = fixture.expectedCommit(damagedFrame: frame)
                let what = "cut at \(cut), in frame \(frame)"
                #expect(result.maxFrame == expected, "\(what)")
                #expect(result.index.maxFrame == expected, "\(what)")
                if cut == WALHeader.size {
                    #expect(result.end == .noHeader(nil), "sqlite3 does not read a WAL of just a header")
                } else if frame <= fixture.valid + 1 {
                    #expect(result.validFrames == UInt32(frame - 1), "\(what)")
                    #expect(result.end == .endOfFile(partialFrameBytes: cut - start), "\(what)")
                } else {
                    #expect(result.validFrames == fixture.intact.validFrames, "\(what)")
                    #expect(result.end == fixture.intact.end, "\(what)")
                }
                if expected > 0 {
                    #expect(result.databaseSize == fixture.headers[Int(expected) - 1].databaseSize, "\(what)")
                    #expect(result.checksum == fixture.headers[Int(expected) - 1].checksum, "\(what)")
                }
                if cut == start || cut == start + 10 {
                    #expect(try SQLite3.view(database: fixture.database, wal: torn).maxFrame == expected, "sqlite3, \(what)")
                }
            }
        }
    }

    /// The same cuts on the real-file backends, without asking sqlite3 again.
    @Test(arguments: TestBackends.realFile)
    func truncatedOnRealFiles(_ kind: IOBackendKind) throws {
        let fixture = try Self.makeFixture()
        for frame in stride(from: 1, through: fixture.valid + 1, by: 3) {
            let start = Int(WALFrame.offset(ofFrame: UInt32(frame), pageSize: Self.pageSize))
            let result = try scanWAL(Array(fixture.wal[..<(start + 30)]), kind: kind, databasePageSize: Self.pageSize,
                                     chunkBytes: 4096, readsInFlight: 3)
            #expect(result.maxFrame == fixture.expectedCommit(damagedFrame: frame))
            #expect(result.end == .endOfFile(partialFrameBytes: 30))
        }
    }

    /// One flipped bit anywhere in a frame (header fields or page) invalidates that frame: the scan
    /// stops there, with the reason, and the frames before it stand.
    @Test func flippedBitsInFrames() throws {
        let fixture = try Self.makeFixture()
        let places: [(offset: Int, problem: WALFrameProblem)] = [
            (0, .checksumMismatch), (2, .checksumMismatch),   // page number (never flipped to 0 here)
            (6, .checksumMismatch),                           // database size
            (8, .saltMismatch), (15, .saltMismatch),          // salts
            (16, .checksumMismatch), (23, .checksumMismatch), // stored checksum
            (24, .checksumMismatch), (24 + Self.pageSize / 3, .checksumMismatch), (24 + Self.pageSize - 1, .checksumMismatch),
        ]
        for frame in 1...fixture.headers.count {
            let start = Int(WALFrame.offset(ofFrame: UInt32(frame), pageSize: Self.pageSize))
            let expected = fixture.expectedCommit(damagedFrame: frame)
            for place in places {
                for bit in [0, 7] {
                    var corrupt = fixture.wal
                    corrupt[start + place.offset] ^= UInt8(1 << bit)
                    let result = try scanWAL(corrupt, databasePageSize: Self.pageSize)
                    let what = "frame \(frame), byte \(place.offset), bit \(bit)"
                    #expect(result.maxFrame == expected, "\(what)")
                    if frame <= fixture.valid {
                        #expect(result.validFrames == UInt32(frame - 1), "\(what)")
                        #expect(result.end == .invalidFrame(UInt32(frame), place.problem), "\(what)")
                    } else {
                        #expect(result.validFrames == fixture.intact.validFrames, "\(what)")
                    }
                }
            }
            // sqlite3 agrees, for a flip in the page of every frame.
            var corrupt = fixture.wal
            corrupt[start + 24 + 100] ^= 0x40
            #expect(try SQLite3.view(database: fixture.database, wal: corrupt).maxFrame == expected, "sqlite3, frame \(frame)")
        }
    }

    /// A frame with page number 0 and a checksum that matches is still invalid.
    @Test func pageZeroEndsTheLog() throws {
        let fixture = try Self.makeFixture()
        let header = try #require(fixture.intact.header)
        let frame = 5
        var corrupt = fixture.wal
        let start = Int(WALFrame.offset(ofFrame: UInt32(frame), pageSize: Self.pageSize))
        corrupt.withUnsafeMutableBytes { raw in
            let base = raw.baseAddress! + start
            WALBytes.store(0, base, at: 0)
            var checksum = fixture.headers[frame - 2].checksum
            checksum.update(UnsafeRawBufferPointer(start: base, count: 8), order: header.checksumOrder)
            checksum.update(UnsafeRawBufferPointer(start: base + 24, count: Self.pageSize), order: header.checksumOrder)
            WALBytes.store(checksum.s1, base, at: 16)
            WALBytes.store(checksum.s2, base, at: 20)
        }
        let result = try scanWAL(corrupt, databasePageSize: Self.pageSize)
        #expect(result.end == .invalidFrame(UInt32(frame), .zeroPageNumber))
        #expect(result.maxFrame == fixture.expectedCommit(damagedFrame: frame))
        #expect(try SQLite3.view(database: fixture.database, wal: corrupt).maxFrame == result.maxFrame)
    }

    /// Frames of another generation (other salts, their own valid chain) after this one's.
    @Test func foreignSaltsEndTheLog() throws {
        let fixture = try Self.makeFixture()
        let header = try #require(fixture.intact.header)
        let cutAfter = Int(lastCommit(in: fixture.headers, atOrBelow: fixture.valid / 2))
        #expect(cutAfter > 0)
        // Re-encode the rest of the WAL under the next generation's salts, chained correctly.
        let foreign = header.restarted(salt2: 99, checksumOrder: header.checksumOrder)
        var encoder = WALFrameEncoder(header: foreign, lastFrame: UInt32(cutAfter), checksum: fixture.headers[cutAfter - 1].checksum)
        var corrupt = fixture.wal
        let frameSize = WALFrame.size(pageSize: Self.pageSize)
        corrupt.withUnsafeMutableBytes { raw in
            for frame in (cutAfter + 1)...fixture.headers.count {
                let start = Int(WALFrame.offset(ofFrame: UInt32(frame), pageSize: Self.pageSize))
                let original = fixture.headers[frame - 1]
                encoder.encode(UnsafeMutableRawBufferPointer(rebasing: raw[start..<start + frameSize]),
                               pageNumber: max(original.pageNumber, 1), commitSize: original.databaseSize)
            }
        }
        let result = try scanWAL(corrupt, databasePageSize: Self.pageSize)
        #expect(result.end == .invalidFrame(UInt32(cutAfter + 1), .saltMismatch))
        #expect(result.maxFrame == UInt32(cutAfter))
        #expect(try SQLite3.view(database: fixture.database, wal: corrupt).maxFrame == result.maxFrame)
    }

    /// Damage to the WAL header voids the whole log (sqlite3 then restarts it).
    @Test func damagedHeaderHoldsNoFrames() throws {
        let fixture = try Self.makeFixture()
        for offset in 0..<32 {
            var corrupt = fixture.wal
            corrupt[offset] ^= 0x04
            let result = try scanWAL(corrupt, databasePageSize: Self.pageSize)
            #expect(result.maxFrame == 0, "byte \(offset)")
            #expect(result.header == nil, "byte \(offset)")
            if case .noHeader(let problem) = result.end {
                #expect(problem != nil)
            } else {
                Issue.record("byte \(offset): \(result.end)")
            }
            if offset % 4 == 0 {
                #expect(try SQLite3.view(database: fixture.database, wal: corrupt).maxFrame == 0, "sqlite3, byte \(offset)")
            }
        }
    }

    /// Random damage: bytes overwritten at random places, and random truncation, many times. The
    /// scan must end (no crash, no hang) at the first frame the damage reaches.
    @Test func randomDamageNeverCrashes() throws {
        let fixture = try Self.makeFixture()
        var random = WALTestRandom(seed: 2024)
        let frameSize = WALFrame.size(pageSize: Self.pageSize)
        for _ in 0..<300 {
            var corrupt = fixture.wal
            var firstDamaged = Int.max
            for _ in 0..<Int.random(in: 1...4, using: &random) {
                let offset = Int.random(in: 0..<corrupt.count, using: &random)
                let value = UInt8.random(in: 0...255, using: &random)
                if corrupt[offset] != value {
                    corrupt[offset] = value
                    firstDamaged = min(firstDamaged, offset)
                }
            }
            if Bool.random(using: &random) {
                corrupt.removeLast(Int.random(in: 0..<corrupt.count, using: &random))
            }
            let result = try scanWAL(corrupt, databasePageSize: Self.pageSize, chunkBytes: 4096, readsInFlight: 2)
            if firstDamaged < 32 || corrupt.count <= 32 {
                #expect(result.maxFrame == 0)
                continue
            }
            let damagedFrame = min((firstDamaged - 32) / frameSize + 1, (corrupt.count - 32) / frameSize + 1)
            #expect(result.maxFrame == fixture.expectedCommit(damagedFrame: damagedFrame))
        }
    }
}
