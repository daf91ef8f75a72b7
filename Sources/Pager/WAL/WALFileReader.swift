/// Reads a file front to back in large aligned chunks, several reads in flight at once, and hands
/// out byte ranges in increasing order: in place when a range lies within one chunk, copied into a
/// scratch buffer when it crosses chunk boundaries. Recovery reads a WAL through it.
///
/// Chunks start at multiples of `chunkBytes` (a multiple of 4096) and are read whole into aligned
/// buffers, so the reads also suit a file opened with O_DIRECT. Chunk k goes into buffer
/// k % depth; it is read once chunk k - depth has been consumed, so `depth` reads stay in flight
/// while the caller works through the data. Blocking: it waits on the backend.
final class WALFileReader {
    private let file: StorageFile
    private let backend: any IOBackend
    private let chunkBytes: Int
    /// Where the data ends: the file's size when scanning began, less if a read came back short
    /// (the file shrank under us). Bytes at or past it are never handed out.
    private(set) var dataEnd: Int64
    private let buffers: [IOBuffer]
    /// The read in flight or done for each buffer, and the chunk it holds.
    private var reads: [Completion?]
    private var chunkInBuffer: [Int64]
    /// Chunks below this are consumed; their buffers may take new reads.
    private var consumedBelow: Int64 = 0
    /// The next chunk to read.
    private var nextChunk: Int64 = 0
    private var scratch: IOBuffer
    /// Requests must move forward: the offset of the last one.
    private var lastOffset: Int64 = 0

    /// - Parameters:
    ///   - size: the file's size; nothing at or past it is read.
    ///   - largestRange: the most bytes one `bytes(at:count:)` asks for.
    init(file: StorageFile, backend: any IOBackend, size: Int64, chunkBytes: Int, depth: Int, largestRange: Int) {
        precondition(chunkBytes >= 4096 && chunkBytes % 4096 == 0, "chunks are whole 4 KiB blocks, not \(chunkBytes) bytes")
        precondition(depth >= 1, "at least one read in flight")
        precondition(size >= 0, "a file size is not negative")
        self.file = file
        self.backend = backend
        self.chunkBytes = chunkBytes
        self.dataEnd = size
        self.buffers = (0..<depth).map { _ in IOBuffer.allocate(count: chunkBytes) }
        self.reads = Array(repeating: nil, count: depth)
        self.chunkInBuffer = Array(repeating: -1, count: depth)
        self.scratch = IOBuffer.allocate(count: max(largestRange, 1))
        submitReads()
    }

    /// Bytes [offset, offset + count) of the file, or nil when they reach past the end of the data.
    /// Valid until the next call. Offsets never go backwards.
    func bytes(at offset: Int64, count: Int) throws(Errno) -> UnsafeRawBufferPointer? {
        precondition(offset >= lastOffset, "reads move forward: \(offset) comes after \(lastOffset)")
        precondition(count >= 1 && count <= scratch.count, "a range of \(count) bytes; at most \(scratch.count)")
        lastOffset = offset
        guard offset + Int64(count) <= dataEnd else { return nil }
        let first = offset / Int64(chunkBytes)
        let last = (offset + Int64(count) - 1) / Int64(chunkBytes)
        // Chunks wholly before this range are done with.
        consume(below: first)
        if first == last {
            let buffer = try chunk(first)
            guard offset + Int64(count) <= dataEnd else { return nil }
            return UnsafeRawBufferPointer(start: buffer.base + Int(offset - first * Int64(chunkBytes)), count: count)
        }
        var copied = 0
        for k in first...last {
            let buffer = try chunk(k)
            guard offset + Int64(count) <= dataEnd else { return nil }
            let chunkStart = k * Int64(chunkBytes)
            let from = max(offset, chunkStart)
            let to = min(offset + Int64(count), chunkStart + Int64(chunkBytes))
            (scratch.base + copied).copyMemory(from: buffer.base + Int(from - chunkStart), byteCount: Int(to - from))
            copied += Int(to - from)
            // Copied out: the buffer can take the next read before this range's later chunks.
            if k < last { consume(below: k + 1) }
        }
        assert(copied == count, "a range crossing chunks is copied whole")
        return UnsafeRawBufferPointer(start: scratch.base, count: count)
    }

    /// Waits for the reads still in flight. Call it before giving up the reader: the backend must
    /// not be left holding operations nobody will wait for.
    func finish() {
        let group = CompletionGroup()
        var any = false
        for case let read? in reads where !read.isFinished {
            group.add(read)
            any = true
        }
        let all = group.build()
        if any { backend.wait(for: all) }
        reads = Array(repeating: nil, count: reads.count)
    }

    /// The buffer holding chunk `k`, once its read has finished.
    private func chunk(_ k: Int64) throws(Errno) -> IOBuffer {
        let slot = Int(k % Int64(buffers.count))
        precondition(chunkInBuffer[slot] == k, "chunk \(k) is not in flight: ranges must move forward")
        let read = reads[slot]!
        if !read.isFinished { backend.wait(for: read) }
        if let error = read.error { throw error }
        let start = k * Int64(chunkBytes)
        if read.bytesTransferred < chunkBytes {
            // A short read ends the file here (the size we were given may be larger if the file
            // shrank since); nothing past it counts.
            dataEnd = min(dataEnd, start + Int64(read.bytesTransferred))
        }
        return buffers[slot]
    }

    private func consume(below k: Int64) {
        guard k > consumedBelow else { return }
        consumedBelow = k
        submitReads()
    }

    /// Starts reads for chunks whose buffers are free, up to the end of the data.
    private func submitReads() {
        var submitted = false
        while nextChunk < consumedBelow + Int64(buffers.count) && nextChunk * Int64(chunkBytes) < dataEnd {
            let slot = Int(nextChunk % Int64(buffers.count))
            // A chunk skipped without being looked at may still be arriving: its buffer is reused
            // only once the kernel is done with it.
            if let previous = reads[slot], !previous.isFinished { backend.wait(for: previous) }
            let read = Completion(.read(file, buffers[slot], offset: nextChunk * Int64(chunkBytes)))
            reads[slot] = read
            chunkInBuffer[slot] = nextChunk
            backend.submit(read)
            nextChunk += 1
            submitted = true
        }
        if submitted { backend.flush() }
    }
}

@available(*, unavailable)
extension WALFileReader: Sendable {}
