/// The writer's position in a WAL: the header it writes under, the running checksum and the next
/// frame number. A value: the commit code keeps a copy taken at the last commit, and a rolled-back
/// transaction whose frames were already written (spilled) returns to it, so the next
/// transaction overwrites those frames and continues the chain from the last commit.
package struct WALFrameEncoder: Hashable, Sendable {
    package let header: WALHeader
    package private(set) var checksum: WALChecksum
    package private(set) var nextFrame: UInt32

    /// A writer starting after frame `lastFrame` whose running checksum is `checksum`: after
    /// recovery, the last commit frame and the checksum there; for a new or restarted WAL, 0 and
    /// the header's checksum.
    package init(header: WALHeader, lastFrame: UInt32 = 0, checksum: WALChecksum? = nil) {
        precondition(lastFrame < UInt32.max, "a WAL holds fewer than 2^32 frames")
        self.header = header
        self.checksum = checksum ?? header.checksum
        self.nextFrame = lastFrame + 1
    }

    package var pageSize: Int { header.pageSize }
    package var frameSize: Int { WALFrame.size(pageSize: header.pageSize) }

    /// Fills in the header of the next frame (its page already at offset 24 of `frame`) and
    /// advances. Returns the frame's number; it is written at `WALFrame.offset(ofFrame:)`.
    @discardableResult
    package mutating func encode(_ frame: UnsafeMutableRawBufferPointer, pageNumber: UInt32, commitSize: UInt32) -> UInt32 {
        precondition(frame.count == frameSize, "a frame of a \(pageSize)-byte page is \(frameSize) bytes, not \(frame.count)")
        precondition(nextFrame < UInt32.max, "a WAL holds fewer than 2^32 frames")
        checksum = WALFrame.fillHeader(frame, pageNumber: pageNumber, commitSize: commitSize, salt: header.salt,
                                       checksumOrder: header.checksumOrder, previous: checksum)
        defer { nextFrame += 1 }
        return nextFrame
    }

    /// `encode` for slot `slot` of a frame run (a `BufferPool.takeFrameRun()` buffer, or any buffer
    /// of whole frames).
    @discardableResult
    package mutating func encode(run: IOBuffer, slot: Int, pageNumber: UInt32, commitSize: UInt32) -> UInt32 {
        precondition(slot >= 0 && (slot + 1) * frameSize <= run.count, "slot \(slot) is outside the frame run")
        return encode(UnsafeMutableRawBufferPointer(start: run.base + slot * frameSize, count: frameSize),
                      pageNumber: pageNumber, commitSize: commitSize)
    }
}
