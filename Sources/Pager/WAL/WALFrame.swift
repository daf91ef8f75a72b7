/// The 24-byte header in front of each page in a WAL:
///
/// ```
///  0  page number (never 0)
///  4  for a commit frame, the database size in pages after the commit; 0 otherwise
///  8  salt-1 \ equal to the WAL header's
/// 12  salt-2 /
/// 16  checksum-1 \ cumulative: continues the previous frame's (or the WAL header's) checksum
/// 20  checksum-2 / over bytes 0..<8 of this header and then the page
/// ```
package struct WALFrameHeader: Hashable, Sendable {
    package static let size = 24

    package var pageNumber: UInt32
    /// The database size in pages after this frame's transaction, for the frame that commits it;
    /// 0 for every other frame.
    package var databaseSize: UInt32
    package var salt: WALSalt
    package var checksum: WALChecksum

    package init(pageNumber: UInt32, databaseSize: UInt32, salt: WALSalt, checksum: WALChecksum) {
        self.pageNumber = pageNumber
        self.databaseSize = databaseSize
        self.salt = salt
        self.checksum = checksum
    }

    package var isCommit: Bool { databaseSize != 0 }

    /// The fields as stored, without any validation (see `WALFrame.validate` for that).
    package static func decode(_ bytes: UnsafeRawBufferPointer) -> WALFrameHeader {
        precondition(bytes.count >= size, "a WAL frame header is 24 bytes, the buffer has \(bytes.count)")
        let base = bytes.baseAddress!
        return WALFrameHeader(
            pageNumber: WALBytes.load(base, at: 0), databaseSize: WALBytes.load(base, at: 4),
            salt: WALSalt(salt1: WALBytes.load(base, at: 8), salt2: WALBytes.load(base, at: 12)),
            checksum: WALChecksum(s1: WALBytes.load(base, at: 16), s2: WALBytes.load(base, at: 20)))
    }

    package func encode(into bytes: UnsafeMutableRawBufferPointer) {
        precondition(bytes.count >= Self.size, "a WAL frame header is 24 bytes, the buffer has \(bytes.count)")
        let base = bytes.baseAddress!
        WALBytes.store(pageNumber, base, at: 0)
        WALBytes.store(databaseSize, base, at: 4)
        WALBytes.store(salt.salt1, base, at: 8)
        WALBytes.store(salt.salt2, base, at: 12)
        WALBytes.store(checksum.s1, base, at: 16)
        WALBytes.store(checksum.s2, base, at: 20)
    }
}

/// Why a frame read from a WAL is not valid. The first invalid frame ends the log.
package enum WALFrameProblem: Error, Hashable, Sendable {
    /// The frame's salts are not the header's: it is left over from before a restart.
    case saltMismatch
    /// Page number 0.
    case zeroPageNumber
    /// The cumulative checksum does not match: a torn or corrupt write, or a frame that was never
    /// part of this chain.
    case checksumMismatch
}

/// Where frames lie in a WAL file, and the frame operations of the writer and of recovery.
/// A frame is its 24-byte header followed by the page; frame 1 follows the WAL header.
package enum WALFrame {
    /// Bytes of one frame.
    package static func size(pageSize: Int) -> Int { WALFrameHeader.size + pageSize }

    /// The file offset of frame `frame` (1-based).
    package static func offset(ofFrame frame: UInt32, pageSize: Int) -> Int64 {
        precondition(frame >= 1, "WAL frames are numbered from 1")
        return Int64(WALHeader.size) + Int64(frame - 1) * Int64(size(pageSize: pageSize))
    }

    /// Fills in the header of a frame whose page is already in place at offset 24 of `frame`
    /// (exactly `pageSize + 24` bytes, for example a slot of a `BufferPool` frame run), and returns the
    /// running checksum after it, which the next frame continues from.
    ///
    /// - Parameters:
    ///   - commitSize: the database size in pages after the transaction for its last frame; 0 for
    ///     every other frame.
    ///   - previous: the running checksum: the previous frame's, or the WAL header's for frame 1.
    @discardableResult
    package static func fillHeader(
        _ frame: UnsafeMutableRawBufferPointer, pageNumber: UInt32, commitSize: UInt32,
        salt: WALSalt, checksumOrder: WALChecksumOrder, previous: WALChecksum
    ) -> WALChecksum {
        precondition(WALHeader.isValidPageSize(frame.count - WALFrameHeader.size),
                     "a frame slot is a 24-byte header and a page; \(frame.count) bytes is not")
        precondition(pageNumber != 0, "page 0 does not exist; a frame carries a page number from 1")
        let base = frame.baseAddress!
        WALBytes.store(pageNumber, base, at: 0)
        WALBytes.store(commitSize, base, at: 4)
        WALBytes.store(salt.salt1, base, at: 8)
        WALBytes.store(salt.salt2, base, at: 12)
        var checksum = previous
        checksum.update(UnsafeRawBufferPointer(start: base, count: 8), order: checksumOrder)
        checksum.update(UnsafeRawBufferPointer(rebasing: frame[WALFrameHeader.size...]), order: checksumOrder)
        WALBytes.store(checksum.s1, base, at: 16)
        WALBytes.store(checksum.s2, base, at: 20)
        return checksum
    }

    /// Checks one frame read from a WAL with `header`, continuing the chain from `running`, as
    /// sqlite3 does (wal.c, walDecodeFrame): the salts, then the page number, then the checksum.
    /// `frame` holds exactly one frame of the header's page size. Returns the frame's header and the
    /// running checksum after it, or why it is invalid.
    package static func validate(
        _ frame: UnsafeRawBufferPointer, header: WALHeader, running: WALChecksum
    ) -> Result<(header: WALFrameHeader, checksum: WALChecksum), WALFrameProblem> {
        precondition(frame.count == size(pageSize: header.pageSize),
                     "validate takes one whole frame: \(size(pageSize: header.pageSize)) bytes, not \(frame.count)")
        let decoded = WALFrameHeader.decode(frame)
        guard decoded.salt == header.salt else { return .failure(.saltMismatch) }
        guard decoded.pageNumber != 0 else { return .failure(.zeroPageNumber) }
        var checksum = running
        checksum.update(UnsafeRawBufferPointer(rebasing: frame[0..<8]), order: header.checksumOrder)
        checksum.update(UnsafeRawBufferPointer(rebasing: frame[WALFrameHeader.size...]), order: header.checksumOrder)
        guard checksum == decoded.checksum else { return .failure(.checksumMismatch) }
        return .success((decoded, checksum))
    }
}
