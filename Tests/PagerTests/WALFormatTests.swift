import Foundation
import Testing
@testable import Pager

/// The WAL header, frame header and checksum, against sqlite3's definitions.
@Suite struct WALFormatTests {
    /// wal.c's walChecksumBytes as written there: word by word, each word assembled from its bytes.
    func referenceChecksum(_ bytes: [UInt8], order: WALChecksumOrder, from start: WALChecksum = .zero) -> WALChecksum {
        func word(_ i: Int) -> UInt32 {
            let b = bytes[i..<i + 4].map(UInt32.init)
            return order == .littleEndian
                ? b[0] | b[1] << 8 | b[2] << 16 | b[3] << 24
                : b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3]
        }
        var s1 = start.s1, s2 = start.s2
        for i in stride(from: 0, to: bytes.count, by: 8) {
            s1 = s1 &+ word(i) &+ s2
            s2 = s2 &+ word(i + 4) &+ s1
        }
        return WALChecksum(s1: s1, s2: s2)
    }

    @Test(arguments: WALChecksumOrder.allCases)
    func checksumMatchesTheReference(_ order: WALChecksumOrder) {
        var random = WALTestRandom(seed: 7)
        for length in [8, 16, 24, 512, 4096, 4120, 65536] {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let fast = bytes.withUnsafeBytes { WALChecksum.of($0, order: order) }
            #expect(fast == referenceChecksum(bytes, order: order), "\(length) bytes")
            // Cumulative: continuing over the second part equals the checksum of the whole.
            let split = (length / 16) * 8
            let continued = bytes.withUnsafeBytes { all in
                WALChecksum.of(UnsafeRawBufferPointer(rebasing: all[..<split]), order: order)
                    .updated(UnsafeRawBufferPointer(rebasing: all[split...]), order: order)
            }
            #expect(continued == fast)
        }
        // Unaligned memory is fine.
        let bytes = (0..<4097).map { _ in UInt8.random(in: 0...255, using: &random) }
        let unaligned = bytes.withUnsafeBytes { WALChecksum.of(UnsafeRawBufferPointer(rebasing: $0[1...]), order: order) }
        #expect(unaligned == referenceChecksum(Array(bytes[1...]), order: order))
    }

    @Test func theOrdersDiffer() {
        let bytes: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8]
        let little = bytes.withUnsafeBytes { WALChecksum.of($0, order: .littleEndian) }
        let big = bytes.withUnsafeBytes { WALChecksum.of($0, order: .bigEndian) }
        #expect(little == WALChecksum(s1: 0x0403_0201, s2: 0x0403_0201 &+ 0x0807_0605))
        #expect(big == WALChecksum(s1: 0x0102_0304, s2: 0x0102_0304 &+ 0x0506_0708))
        #expect(WALChecksumOrder.native == .littleEndian, "the test machines are little-endian")
    }

    /// A header sqlite3 3.40.1 wrote (4096-byte pages, a new database).
    @Test func decodesAHeaderSQLiteWrote() throws {
        let bytes: [UInt8] = [
            0x37, 0x7f, 0x06, 0x82, 0x00, 0x2d, 0xe2, 0x18, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00,
            0xe2, 0x4b, 0x40, 0x46, 0x8f, 0x0d, 0x9b, 0xfd, 0x1b, 0x27, 0x4e, 0xf5, 0xd0, 0xaa, 0x34, 0x29,
        ]
        let header = try bytes.withUnsafeBytes { try WALHeader.decode($0) }
        #expect(header.checksumOrder == .littleEndian)
        #expect(header.pageSize == 4096)
        #expect(header.checkpointSequence == 0)
        #expect(header.salt == WALSalt(salt1: 0xe24b_4046, salt2: 0x8f0d_9bfd))
        #expect(header.checksum == WALChecksum(s1: 0x1b27_4ef5, s2: 0xd0aa_3429))
        #expect(header.bytes == bytes, "encoding gives back the same bytes")
    }

    @Test(arguments: WALChecksumOrder.allCases, [512, 1024, 4096, 32768, 65536])
    func headerRoundTrips(_ order: WALChecksumOrder, _ pageSize: Int) throws {
        let header = WALHeader(checksumOrder: order, pageSize: pageSize, checkpointSequence: 41,
                               salt: WALSalt(salt1: 0xdead_beef, salt2: 7))
        let bytes = header.bytes
        #expect(bytes[0..<4] == (order == .littleEndian ? [0x37, 0x7f, 0x06, 0x82] : [0x37, 0x7f, 0x06, 0x83]))
        #expect(bytes[4..<8] == [0x00, 0x2d, 0xe2, 0x18], "version 3007000")
        #expect(bytes[8..<12] == [UInt8(pageSize >> 24), UInt8(pageSize >> 16 & 0xff), UInt8(pageSize >> 8 & 0xff), 0])
        #expect(header.checksum == referenceChecksum(Array(bytes[0..<24]), order: order))
        #expect(try bytes.withUnsafeBytes { try WALHeader.decode($0) } == header)
    }

    func problem(_ bytes: [UInt8]) -> WALHeaderProblem? {
        let result = bytes.withUnsafeBytes { raw in
            Result { () throws(WALHeaderProblem) in try WALHeader.decode(raw) }
        }
        if case .failure(let problem) = result { return problem }
        return nil
    }

    /// Rewrites a header field and, when asked, the checksum to match, as a writer of a bad WAL
    /// would have.
    func header(_ base: WALHeader, setting offset: Int, to value: UInt32, fixChecksum: Bool) -> [UInt8] {
        var bytes = base.bytes
        bytes.withUnsafeMutableBytes { raw in
            WALBytes.store(value, raw.baseAddress!, at: offset)
            if fixChecksum {
                let order: WALChecksumOrder = WALBytes.load(raw.baseAddress!, at: 0) & 1 == 0 ? .littleEndian : .bigEndian
                let checksum = WALChecksum.of(UnsafeRawBufferPointer(rebasing: raw[0..<24]), order: order)
                WALBytes.store(checksum.s1, raw.baseAddress!, at: 24)
                WALBytes.store(checksum.s2, raw.baseAddress!, at: 28)
            }
        }
        return bytes
    }

    @Test func headerValidation() {
        let base = WALHeader(pageSize: 4096, checkpointSequence: 3, salt: WALSalt(salt1: 1, salt2: 2))
        #expect(problem(Array(base.bytes.prefix(31))) == .truncated)
        #expect(problem(header(base, setting: 0, to: 0x377f_0684, fixChecksum: true)) == .badMagic(0x377f_0684))
        #expect(problem(header(base, setting: 0, to: 0, fixChecksum: true)) == .badMagic(0))
        for size: UInt32 in [0, 256, 1000, 4097, 131_072, 0x8000_0000] {
            #expect(problem(header(base, setting: 8, to: size, fixChecksum: true)) == .badPageSize(size))
        }
        // A changed field without a matching checksum: the checksum catches it first.
        #expect(problem(header(base, setting: 12, to: 4, fixChecksum: false)) == .badChecksum)
        #expect(problem(header(base, setting: 4, to: 3_007_001, fixChecksum: false)) == .badChecksum)
        #expect(problem(header(base, setting: 24, to: 0, fixChecksum: false)) == .badChecksum)
        // With a matching checksum, only the version is left to object.
        #expect(problem(header(base, setting: 4, to: 3_007_001, fixChecksum: true)) == .unsupportedVersion(3_007_001))
        #expect(problem(header(base, setting: 8, to: 65536, fixChecksum: true)) == nil)
        #expect(problem(header(base, setting: 8, to: 512, fixChecksum: true)) == nil)
    }

    @Test func restartIncrementsTheSequenceAndSalt1() {
        let header = WALHeader(checksumOrder: .bigEndian, pageSize: 1024, checkpointSequence: 9,
                               salt: WALSalt(salt1: 100, salt2: 200))
        let next = header.restarted(salt2: 12345)
        #expect(next.checkpointSequence == 10)
        #expect(next.salt == WALSalt(salt1: 101, salt2: 12345))
        #expect(next.pageSize == 1024)
        #expect(next.checksumOrder == .native, "sqlite3 restarts in its own byte order")
        let wrapping = WALHeader(pageSize: 512, checkpointSequence: .max, salt: WALSalt(salt1: .max, salt2: 0))
            .restarted(salt2: 1)
        #expect(wrapping.checkpointSequence == 0)
        #expect(wrapping.salt.salt1 == 0)
        var random = WALTestRandom(seed: 1)
        let first = WALHeader.first(pageSize: 4096, using: &random)
        let second = first.restarted(using: &random)
        #expect(first.checkpointSequence == 0)
        #expect(second.salt.salt1 == first.salt.salt1 &+ 1)
    }

    @Test func frameOffsets() {
        #expect(WALFrame.offset(ofFrame: 1, pageSize: 4096) == 32)
        #expect(WALFrame.offset(ofFrame: 2, pageSize: 4096) == 32 + 4120)
        #expect(WALFrame.offset(ofFrame: 3, pageSize: 512) == 32 + 2 * 536)
        #expect(WALFrame.offset(ofFrame: .max, pageSize: 65536) == 32 + Int64(UInt32.max - 1) * 65560)
    }

    @Test(arguments: WALChecksumOrder.allCases)
    func builtFramesValidate(_ order: WALChecksumOrder) throws {
        let header = WALHeader(checksumOrder: order, pageSize: 512, checkpointSequence: 0,
                               salt: WALSalt(salt1: 0x0102_0304, salt2: 0xa0b0_c0d0))
        var frame = [UInt8](repeating: 0, count: 536)
        for i in 24..<536 { frame[i] = UInt8(truncatingIfNeeded: i * 7) }
        let after = frame.withUnsafeMutableBytes {
            WALFrame.fillHeader($0, pageNumber: 77, commitSize: 90, salt: header.salt, checksumOrder: order,
                                previous: header.checksum)
        }
        #expect(after == referenceChecksum(Array(frame[0..<8]) + Array(frame[24...]), order: order, from: header.checksum))
        let decoded = frame.withUnsafeBytes { WALFrameHeader.decode($0) }
        #expect(decoded == WALFrameHeader(pageNumber: 77, databaseSize: 90, salt: header.salt, checksum: after))
        #expect(decoded.isCommit)
        let valid = frame.withUnsafeBytes { WALFrame.validate($0, header: header, running: header.checksum) }
        #expect(try valid.get().checksum == after)
        #expect(try valid.get().header == decoded)

        func validate(_ bytes: [UInt8], running: WALChecksum = header.checksum) -> WALFrameProblem? {
            if case .failure(let problem) = bytes.withUnsafeBytes({ WALFrame.validate($0, header: header, running: running) }) {
                return problem
            }
            return nil
        }
        #expect(validate(frame, running: .zero) == .checksumMismatch, "the chain must continue from the header")
        for (offset, expected) in [(0, WALFrameProblem.checksumMismatch), (5, .checksumMismatch), (9, .saltMismatch),
                                   (14, .saltMismatch), (17, .checksumMismatch), (23, .checksumMismatch),
                                   (24, .checksumMismatch), (535, .checksumMismatch)] {
            var flipped = frame
            flipped[offset] ^= 0x10
            #expect(validate(flipped) == expected, "a flipped bit at byte \(offset)")
        }
        var zero = frame
        zero[0...3] = [0, 0, 0, 0]
        #expect(validate(zero) == .zeroPageNumber)
    }

    /// The encoder fills frame-run slots in place and chains each frame from the one before.
    @Test func encoderChainsFramesInARun() throws {
        let pool = BufferPool(pageSize: 1024, framesPerRun: 8)
        let run = pool.takeFrameRun()
        defer { pool.returnFrameRun(run) }
        let header = WALHeader(pageSize: 1024, checkpointSequence: 2, salt: WALSalt(salt1: 5, salt2: 6))
        var encoder = WALFrameEncoder(header: header)
        for slot in 0..<8 {
            memset(run.base + slot * 1048 + 24, Int32(slot), 1024)
            let number = encoder.encode(run: run, slot: slot, pageNumber: UInt32(slot + 10), commitSize: slot == 7 ? 20 : 0)
            #expect(number == UInt32(slot + 1))
        }
        #expect(encoder.nextFrame == 9)
        var running = header.checksum
        for slot in 0..<8 {
            let frame = UnsafeRawBufferPointer(start: run.base + slot * 1048, count: 1048)
            let (decoded, checksum) = try WALFrame.validate(frame, header: header, running: running).get()
            #expect(decoded.pageNumber == UInt32(slot + 10))
            #expect(decoded.isCommit == (slot == 7))
            running = checksum
        }
        #expect(running == encoder.checksum)
        // Continuing from a saved position gives the same chain.
        let resumed = WALFrameEncoder(header: header, lastFrame: 8, checksum: encoder.checksum)
        #expect(resumed == encoder)
    }
}
