/// What a crash leaves on the disk of one file's changes not yet durable.
///
/// The device writes whole sectors, at any moment, from the page cache. So after a crash each
/// sector holds the bytes it had at some moment since the durable state: the durable bytes with
/// a prefix of the later changes to that sector applied (never a change without the earlier
/// ones to the same sector: the cache held both by then), and each sector stops at its own
/// moment. The size is one the file had since the durable state (file systems journal metadata in
/// order), or as far as a torn write that grew the file landed.
///
/// The moments are drawn change by change: each change is kept, dropped or torn (a prefix or a
/// subset of its sectors) as the plan weighs it, and each sector then holds everything up to the
/// last change kept in it. The fates reported are those the file ends up showing, which can be
/// more than was drawn (a dropped write survives in a sector where a later write was kept).
struct CrashSettlement {
    private(set) var image: [UInt8]
    private let changes: ArraySlice<SimulatedFileData.Change>
    private let sectorSize: Int
    /// sizes[i]: the file's size before change i (sizes[count] after the last).
    private let sizes: [Int]

    init(durable: [UInt8], changes: ArraySlice<SimulatedFileData.Change>, sectorSize: Int) {
        self.image = durable
        self.changes = changes
        self.sectorSize = sectorSize
        var sizes = [durable.count]
        for change in changes {
            switch change.kind {
            case .write(let offset, let bytes): sizes.append(max(sizes.last!, offset + bytes.count))
            case .resize(let length): sizes.append(length)
            }
        }
        self.sizes = sizes
    }

    /// Draws the fates, builds the image and returns the fates as the image shows them.
    mutating func run(path: String, plan: CrashPlan, random: inout SimulationRandom) -> [SettledChange] {
        // The last change (its index in `changes`) each sector keeps.
        var lastKept: [Int: Int] = [:]
        var resizeKept = [Bool](repeating: false, count: changes.count)
        for (i, change) in changes.enumerated() {
            switch change.kind {
            case .write(let offset, let bytes):
                let pieces = Self.sectorPieces(offset: offset, length: bytes.count, sectorSize: sectorSize)
                let kept: [Range<Int>] = switch Self.decide(plan, canTear: pieces.count > 1, &random) {
                case .kept: pieces
                case .dropped: []
                case .torn: Self.tornPieces(pieces, prefixChance: plan.tornPrefix, &random)
                }
                for piece in kept { lastKept[piece.lowerBound / sectorSize] = i }
            case .resize(let length):
                resizeKept[i] = Self.decide(plan, canTear: false, &random) == .kept
                // A shrink kept clears what lay beyond the new end, in every sector it cut.
                if resizeKept[i] && length < sizes[i] {
                    for sector in (length / sectorSize)...((sizes[i] - 1) / sectorSize) { lastKept[sector] = i }
                }
            }
        }

        image += repeatElement(0, count: max(0, (sizes.max() ?? 0) - image.count))
        var settled: [SettledChange] = []
        settled.reserveCapacity(changes.count)
        var size = sizes[0]
        for (i, change) in changes.enumerated() {
            let inSector = { (sector: Int) in (lastKept[sector] ?? -1) >= i }
            switch change.kind {
            case .write(let offset, let bytes):
                let pieces = Self.sectorPieces(offset: offset, length: bytes.count, sectorSize: sectorSize)
                let landed = pieces.filter { inSector($0.lowerBound / sectorSize) }
                bytes.withUnsafeBytes { source in
                    for piece in landed {
                        let slice = UnsafeRawBufferPointer(rebasing: source[(piece.lowerBound - offset)..<(piece.upperBound - offset)])
                        SimulatedFileData.apply(slice, at: piece.lowerBound, to: &image)
                    }
                }
                let fate: SettledChange.Fate = landed.count == pieces.count ? .kept
                    : landed.isEmpty ? .dropped : .torn(kept: landed.map { Int64($0.lowerBound)..<Int64($0.upperBound) })
                // Past the size kept so far, the write's own size change decides whether its
                // bytes are in the file. A write kept whole keeps its size; a torn one keeps it or
                // grows the file only as far as its pieces landed (as a file system that updates
                // the size on disk as the data is written back).
                var grewWithoutData = false
                if offset + bytes.count > size {
                    let sizeKept = switch fate {
                    case .kept: true
                    case .torn: random.chance(0.5)
                    case .dropped: random.chance(plan.growthWithoutData)
                    }
                    if sizeKept {
                        size = sizes[i + 1]
                    } else if let last = landed.last {
                        size = max(size, last.upperBound)
                    }
                    grewWithoutData = sizeKept && fate != .kept
                }
                settled.append(SettledChange(path: path, sequence: change.sequence, change: .write(offset: Int64(offset), length: bytes.count),
                                             fate: fate, grewWithoutData: grewWithoutData))
            case .resize(let length):
                if resizeKept[i] {
                    size = length
                    if length < sizes[i] {
                        image.withUnsafeMutableBytes { bytes in
                            for sector in (length / sectorSize)...((sizes[i] - 1) / sectorSize) where inSector(sector) {
                                let start = max(length, sector * sectorSize), end = min(sizes[i], (sector + 1) * sectorSize)
                                bytes.baseAddress!.advanced(by: start).initializeMemory(as: UInt8.self, repeating: 0, count: end - start)
                            }
                        }
                    }
                }
                settled.append(SettledChange(path: path, sequence: change.sequence, change: .resize(Int64(length)),
                                             fate: resizeKept[i] ? .kept : .dropped))
            }
        }
        SimulatedFileData.resize(&image, to: size)
        return settled
    }

    // MARK: Drawing

    private enum Draw { case kept, dropped, torn }

    private static func decide(_ plan: CrashPlan, canTear: Bool, _ random: inout SimulationRandom) -> Draw {
        let tear = canTear ? plan.tear : 0
        var total = plan.keep + plan.drop + tear
        var keep = plan.keep
        if total <= 0 {
            // Only tearing was asked for and one sector cannot tear: it lands whole or not at all.
            keep = 1
            total = 2
        }
        let draw = Double(random.next() >> 11) * 0x1.0p-53 * total
        if draw < keep { return .kept }
        if draw < total - tear { return .dropped }
        return .torn
    }

    /// The bytes `offset..<offset+length` cut at the file's sector boundaries.
    static func sectorPieces(offset: Int, length: Int, sectorSize: Int) -> [Range<Int>] {
        var pieces: [Range<Int>] = []
        var start = offset
        let end = offset + length
        while start < end {
            let stop = min((start / sectorSize + 1) * sectorSize, end)
            pieces.append(start..<stop)
            start = stop
        }
        return pieces
    }

    /// A proper, non-empty part of the pieces: a prefix (with probability `prefixChance`), or any
    /// subset.
    static func tornPieces(_ pieces: [Range<Int>], prefixChance: Double, _ random: inout SimulationRandom) -> [Range<Int>] {
        precondition(pieces.count > 1, "one sector cannot tear")
        if random.chance(prefixChance) {
            return Array(pieces.prefix(random.number(in: 1...(pieces.count - 1))))
        }
        var keep = pieces.map { _ in random.next() & 1 == 1 }
        let kept = keep.count(where: { $0 })
        if kept == 0 || kept == pieces.count { keep[random.below(pieces.count)].toggle() }
        return pieces.indices.filter { keep[$0] }.map { pieces[$0] }
    }
}
