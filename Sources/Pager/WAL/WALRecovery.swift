/// What recovery found in a WAL file.
package struct WALRecoveryResult: Sendable {
    /// The WAL's header, when it has a valid one; nil for an empty, short or invalid file.
    package var header: WALHeader?
    /// The committed frames, by page; its last commit is `maxFrame`.
    package var index: WALIndex
    /// The last valid commit frame; 0 when the WAL holds no committed transaction.
    package var maxFrame: UInt32
    /// The database size in pages after that commit; 0 when there is none (the database file's
    /// own size then counts).
    package var databaseSize: UInt32
    /// The running checksum at `maxFrame` (the header's when `maxFrame` is 0; zero with no
    /// header): the next frame written at `maxFrame + 1` continues from it.
    package var checksum: WALChecksum
    /// Frames that passed validation, including any after the last commit (which are ignored).
    package var validFrames: UInt32
    /// Why the scan ended.
    package var end: WALScanEnd

    /// Where the writer continues this WAL: after the last commit, chained from its checksum, over
    /// whatever follows it in the file. Nil when the WAL holds no commit: the writer then starts
    /// the file over with a new header (`header?.restarted(...)`, or `WALHeader.first(...)` when
    /// there is none), so that no frame left in the file can pass for one of the new log.
    package var continuation: WALFrameEncoder? {
        guard let header, maxFrame > 0 else { return nil }
        return WALFrameEncoder(header: header, lastFrame: maxFrame, checksum: checksum)
    }
}

/// Why a recovery scan stopped.
package enum WALScanEnd: Hashable, Sendable {
    /// The WAL has no usable header (nil when it is no longer than a header, which sqlite3 does
    /// not even read).
    case noHeader(WALHeaderProblem?)
    /// Every whole frame in the file was valid. `partialFrameBytes` counts the bytes of an
    /// incomplete frame after the last whole one (an interrupted append).
    case endOfFile(partialFrameBytes: Int)
    /// This frame (1-based) was invalid; it and everything after it are ignored.
    case invalidFrame(UInt32, WALFrameProblem)
}

package enum WALRecoveryError: Error, Hashable, Sendable {
    /// Reading the WAL failed.
    case io(Errno)
    /// A valid WAL header of a format version other than 3007000: sqlite3 refuses such a database
    /// (SQLITE_CANTOPEN) rather than restart over a log it cannot read, and so does Ringlite.
    case unsupportedVersion(UInt32)
    /// The WAL's pages are not the database's size. sqlite3 cannot change the page size of a
    /// database in WAL mode, so such a WAL does not belong to this database file; it is not
    /// discarded silently, since it may hold committed transactions.
    case pageSizeMismatch(wal: Int, database: Int)
}

/// Recovery: finds every committed frame of a WAL file, as sqlite3 does when it opens a database
/// whose WAL index must be rebuilt (wal.c, walIndexRecover).
package enum WALRecovery {
    /// Scans the WAL: validates the header, then each frame in order (salts equal to the header's,
    /// a page number other than 0, the cumulative checksum), stopping at the first invalid or
    /// incomplete frame. Frames after the last commit frame are ignored. Blocking: it runs once,
    /// when a database opens, and waits on `backend`.
    ///
    /// - Parameters:
    ///   - databasePageSize: the database file's page size, or nil when the file is empty (a new
    ///     database whose first pages are only in the WAL).
    ///   - chunkBytes: bytes per read, a multiple of 4096.
    ///   - readsInFlight: reads kept in flight at once.
    package static func scan(
        _ file: StorageFile, backend: any IOBackend, databasePageSize: Int?,
        chunkBytes: Int = 1 << 20, readsInFlight: Int = 4
    ) throws(WALRecoveryError) -> WALRecoveryResult {
        let size: Int64
        do throws(Errno) { size = try file.size() } catch { throw .io(error) }
        // sqlite3 reads the header only of a file longer than one.
        guard size > Int64(WALHeader.size) else { return empty(.noHeader(nil)) }
        let reader = WALFileReader(file: file, backend: backend, size: size, chunkBytes: chunkBytes,
                                   depth: readsInFlight, largestRange: WALFrame.size(pageSize: 65536))
        defer { reader.finish() }
        let headerBytes: UnsafeRawBufferPointer?
        do throws(Errno) { headerBytes = try reader.bytes(at: 0, count: WALHeader.size) } catch { throw .io(error) }
        guard let headerBytes else { return empty(.noHeader(.truncated)) }
        let header: WALHeader
        do throws(WALHeaderProblem) {
            header = try WALHeader.decode(headerBytes)
        } catch {
            if case .unsupportedVersion(let version) = error { throw .unsupportedVersion(version) }
            Log.log(.notice, "WAL \(file.path): no valid header (\(error)); it holds no frames")
            return empty(.noHeader(error))
        }
        if let databasePageSize, databasePageSize != header.pageSize {
            throw .pageSizeMismatch(wal: header.pageSize, database: databasePageSize)
        }
        var result = try scanFrames(reader, header: header, fileSize: size)
        result.header = header
        Log.log(.debug, "WAL \(file.path): \(result.maxFrame) committed frames of \(result.validFrames) valid, database \(result.databaseSize) pages; \(result.end)")
        return result
    }

    private static func scanFrames(_ reader: WALFileReader, header: WALHeader, fileSize: Int64) throws(WALRecoveryError) -> WALRecoveryResult {
        let frameSize = WALFrame.size(pageSize: header.pageSize)
        let wholeFrames = (fileSize - Int64(WALHeader.size)) / Int64(frameSize)
        // Frame numbers are 32-bit in the index (and in sqlite3); a file with more is read that far.
        let frameCount = UInt32(clamping: min(wholeFrames, Int64(UInt32.max - 1)))
        let index = WALIndex()
        var running = header.checksum
        var result = WALRecoveryResult(header: header, index: index, maxFrame: 0, databaseSize: 0,
                                       checksum: header.checksum, validFrames: 0, end: .endOfFile(partialFrameBytes: 0))
        var frame: UInt32 = 1
        scan: while frame <= frameCount {
            let bytes: UnsafeRawBufferPointer?
            do throws(Errno) { bytes = try reader.bytes(at: WALFrame.offset(ofFrame: frame, pageSize: header.pageSize), count: frameSize) } catch { throw .io(error) }
            guard let bytes else { break scan }
            switch WALFrame.validate(bytes, header: header, running: running) {
            case .failure(let problem):
                result.end = .invalidFrame(frame, problem)
                break scan
            case .success(let (frameHeader, checksum)):
                running = checksum
                index.append(page: frameHeader.pageNumber)
                result.validFrames = frame
                if frameHeader.isCommit {
                    result.maxFrame = frame
                    result.databaseSize = frameHeader.databaseSize
                    result.checksum = checksum
                }
            }
            frame += 1
        }
        if case .endOfFile = result.end {
            // Whatever follows the last whole valid frame: a torn append, or a file that shrank.
            let validEnd = Int64(WALHeader.size) + Int64(result.validFrames) * Int64(frameSize)
            result.end = .endOfFile(partialFrameBytes: Int(max(0, min(reader.dataEnd, fileSize) - validEnd)))
        }
        index.truncate(toFrame: result.maxFrame)
        index.commit(through: result.maxFrame)
        return result
    }

    private static func empty(_ end: WALScanEnd) -> WALRecoveryResult {
        WALRecoveryResult(header: nil, index: WALIndex(), maxFrame: 0, databaseSize: 0, checksum: .zero,
                          validFrames: 0, end: end)
    }
}
