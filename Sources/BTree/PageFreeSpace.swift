/// Free space inside a B-tree page, managed exactly as SQLite's btree.c does it.
///
/// Unused bytes take three forms: the gap between the cell pointer array and the cell content
/// area; freeblocks, a chain in ascending order (2-byte next offset, 2-byte size, each at least
/// 4 bytes) inside the content area; and fragments, runs of 1 to 3 bytes too small to be
/// freeblocks, counted in the header (at most 60 on a well-formed page).
extension BTreePage {
    /// Walks and validates the freeblock chain and returns the page's free bytes
    /// (btreeComputeFreeSpace): the chain must start inside the content area, ascend without
    /// touching or overlapping and stay within the usable area; the total must fit between the
    /// cell pointer array and the end of the usable area.
    ///
    /// These are exactly SQLite's rules, no stricter, so that Ringlite reads every page sqlite3
    /// reads (a content area that starts inside the cell pointer array, or a freeblock under 4
    /// bytes, is damage its integrity check reports but its cursors read through). The editing
    /// operations check what they rely on themselves.
    package func computeFreeSpace(in bytes: UnsafeRawBufferPointer) throws(CorruptionError) -> Int {
        let usableSize = usableSize
        let contentStart = cellContentStart(in: bytes)
        let firstCell = cellPointerArrayEnd
        var free = fragmentedBytes(in: bytes) + contentStart
        var block = firstFreeblock(in: bytes)
        if block > 0 {
            guard block >= contentStart else {
                throw CorruptionError(page: pageNumber, "first freeblock \(block) lies before the cell content area")
            }
            // Each step moves strictly forward, so a cycle cannot loop.
            while true {
                guard block <= usableSize - 4 else {
                    throw CorruptionError(page: pageNumber, "freeblock \(block) lies past the usable end")
                }
                let next = BigEndian.read16(bytes, at: block)
                let size = BigEndian.read16(bytes, at: block + 2)
                free += size
                if next <= block + size + 3 {
                    guard next == 0 else {
                        throw CorruptionError(
                            page: pageNumber, "freeblock \(next) after \(block) is out of order or overlapping")
                    }
                    guard block + size <= usableSize else {
                        throw CorruptionError(page: pageNumber, "freeblock \(block) extends past the usable end")
                    }
                    break
                }
                block = next
            }
        }
        guard free <= usableSize, free >= firstCell else {
            throw CorruptionError(page: pageNumber, "free space accounting does not add up (\(free - firstCell) bytes)")
        }
        return free - firstCell
    }

    /// Takes `size` bytes for a new cell and returns their offset (allocateSpace): a freeblock
    /// first (pageFindSlot), then the gap, defragmenting when the free bytes are scattered. The
    /// two bytes after the cell pointer array are kept for the new cell's pointer. Does not update
    /// `freeSpace`; `insertCell` does.
    /// - Precondition: `4 <= size`, `size + 2 <= freeSpace`.
    package mutating func allocateSpace(
        _ size: Int, in bytes: UnsafeMutableRawBufferPointer
    ) throws(CorruptionError) -> Int {
        precondition(size >= 4 && size + 2 <= freeSpace, "allocation larger than the free space")
        precondition(size < usableSize - 8, "allocation larger than a page can hold")
        let readable = UnsafeRawBufferPointer(bytes)
        let gap = cellPointerArrayEnd
        var top = BigEndian.read16(readable, at: headerOffset + 5)
        if gap > top {
            guard top == 0 && usableSize == 65536 else {
                throw CorruptionError(page: pageNumber, "cell content area starts inside the cell pointer array")
            }
            top = 65536
        } else if top > usableSize {
            throw CorruptionError(page: pageNumber, "cell content area starts past the usable end")
        }
        if firstFreeblock(in: readable) != 0 && gap + 2 <= top {
            if let slot = try findFreeSlot(size, in: bytes) {
                guard slot > gap else {
                    throw CorruptionError(page: pageNumber, "freeblock \(slot) lies inside the cell pointer array")
                }
                return slot
            }
        }
        if gap + 2 + size > top {
            try defragment(in: bytes, maxFragments: min(4, freeSpace - (2 + size)))
            top = cellContentStart(in: readable)
            guard gap + 2 + size <= top else {
                throw CorruptionError(page: pageNumber, "no room for \(size) bytes after defragmenting")
            }
        }
        top -= size
        BigEndian.write16(bytes, at: headerOffset + 5, top)
        return top
    }

    /// Takes `size` bytes from the first freeblock that holds them (pageFindSlot). A block left
    /// with fewer than 4 bytes is consumed whole, its remainder becoming fragments, unless that
    /// would push the fragment count past 60; a larger block gives up its tail and stays listed.
    mutating func findFreeSlot(_ size: Int, in bytes: UnsafeMutableRawBufferPointer) throws(CorruptionError) -> Int? {
        let readable = UnsafeRawBufferPointer(bytes)
        var pointerOffset = headerOffset + 1
        var block = BigEndian.read16(readable, at: pointerOffset)
        let maxStart = usableSize - size
        while block <= maxStart {
            let blockSize = BigEndian.read16(readable, at: block + 2)
            let excess = blockSize - size
            if excess >= 0 {
                if excess < 4 {
                    if bytes[headerOffset + 7] > 57 { return nil }
                    bytes[pointerOffset] = bytes[block]
                    bytes[pointerOffset + 1] = bytes[block + 1]
                    bytes[headerOffset + 7] += UInt8(excess)
                    return block
                }
                guard block + excess <= maxStart else {
                    throw CorruptionError(page: pageNumber, "freeblock \(block) extends past the usable end")
                }
                BigEndian.write16(bytes, at: block + 2, excess)
                return block + excess
            }
            pointerOffset = block
            let next = BigEndian.read16(readable, at: block)
            // The next block must start past this one's end (3.40's rule; later releases only
            // require it to be past the start).
            if next <= block + blockSize {
                if next != 0 {
                    throw CorruptionError(page: pageNumber, "freeblock \(next) after \(block) is out of order")
                }
                return nil
            }
            block = next
        }
        if block > maxStart + size - 4 {
            throw CorruptionError(page: pageNumber, "freeblock \(block) lies past the usable end")
        }
        return nil
    }

    /// Returns `size` bytes at `start` to the free space (freeSpace): the new block merges with
    /// adjacent freeblocks, absorbing fragments of up to 3 bytes between them, or extends the
    /// content area when it starts it. Adds `size` to `freeSpace`.
    /// - Precondition: `size >= 4`.
    package mutating func releaseSpace(
        at start: Int, size: Int, in bytes: UnsafeMutableRawBufferPointer
    ) throws(CorruptionError) {
        precondition(size >= 4, "freed regions are at least 4 bytes")
        guard start >= cellPointerArrayEnd, start + size <= usableSize else {
            throw CorruptionError(page: pageNumber, "freed region \(start)+\(size) is outside the cell content area")
        }
        let readable = UnsafeRawBufferPointer(bytes)
        let header = headerOffset
        var blockStart = start
        var blockEnd = start + size
        var blockSize = size
        var pointerOffset = header + 1
        var nextBlock = 0
        var absorbedFragments = 0
        if bytes[pointerOffset] != 0 || bytes[pointerOffset + 1] != 0 {
            while true {
                nextBlock = BigEndian.read16(readable, at: pointerOffset)
                guard nextBlock < blockStart else { break }
                if nextBlock <= pointerOffset {
                    if nextBlock == 0 { break }
                    throw CorruptionError(page: pageNumber, "freeblock \(nextBlock) is out of order")
                }
                pointerOffset = nextBlock
            }
            guard nextBlock <= usableSize - 4 else {
                throw CorruptionError(page: pageNumber, "freeblock \(nextBlock) lies past the usable end")
            }
            // Merge with the following freeblock when at most a fragment separates them.
            if nextBlock != 0 && blockEnd + 3 >= nextBlock {
                guard blockEnd <= nextBlock else {
                    throw CorruptionError(page: pageNumber, "freed region overlaps freeblock \(nextBlock)")
                }
                absorbedFragments = nextBlock - blockEnd
                blockEnd = nextBlock + BigEndian.read16(readable, at: nextBlock + 2)
                guard blockEnd <= usableSize else {
                    throw CorruptionError(page: pageNumber, "freeblock \(nextBlock) extends past the usable end")
                }
                blockSize = blockEnd - blockStart
                nextBlock = BigEndian.read16(readable, at: nextBlock)
            }
            // Merge with the preceding freeblock the same way.
            if pointerOffset > header + 1 {
                let previousEnd = pointerOffset + BigEndian.read16(readable, at: pointerOffset + 2)
                if previousEnd + 3 >= blockStart {
                    guard previousEnd <= blockStart else {
                        throw CorruptionError(page: pageNumber, "freed region overlaps freeblock \(pointerOffset)")
                    }
                    absorbedFragments += blockStart - previousEnd
                    blockSize = blockEnd - pointerOffset
                    blockStart = pointerOffset
                }
            }
            guard absorbedFragments <= Int(bytes[header + 7]) else {
                throw CorruptionError(page: pageNumber, "fragment count is smaller than the fragments merged")
            }
            bytes[header + 7] -= UInt8(absorbedFragments)
        }
        let contentStart = BigEndian.read16(readable, at: header + 5)
        if blockStart <= contentStart {
            // The block starts the content area: grow the gap instead of listing a freeblock.
            guard blockStart == contentStart else {
                throw CorruptionError(page: pageNumber, "freed region lies before the cell content area")
            }
            guard pointerOffset == header + 1 else {
                throw CorruptionError(page: pageNumber, "freeblock lies before the cell content area")
            }
            BigEndian.write16(bytes, at: header + 1, nextBlock)
            BigEndian.write16(bytes, at: header + 5, blockEnd)
        } else {
            BigEndian.write16(bytes, at: pointerOffset, blockStart)
            BigEndian.write16(bytes, at: blockStart, nextBlock)
            BigEndian.write16(bytes, at: blockStart + 2, blockSize)
        }
        freeSpace += size
    }
}
