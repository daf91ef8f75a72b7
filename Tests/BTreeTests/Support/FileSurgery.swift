import Foundation
@testable import BTree

/// A database file's bytes, for finding pages by role and damaging them on purpose.
struct FileSurgery {
    var bytes: [UInt8]
    let pageSize: Int
    let usableSize: Int

    init(path: String) throws {
        bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let stored = Int(bytes[16]) << 8 | Int(bytes[17])
        pageSize = stored == 1 ? 65536 : stored
        usableSize = pageSize - Int(bytes[20])
    }

    func write(to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    var pageCount: UInt32 { UInt32(bytes.count / pageSize) }

    func offset(_ pgno: UInt32) -> Int { (Int(pgno) - 1) * pageSize }
    func headerOffset(_ pgno: UInt32) -> Int { offset(pgno) + (pgno == 1 ? 100 : 0) }

    func read16(_ at: Int) -> Int { Int(bytes[at]) << 8 | Int(bytes[at + 1]) }
    func read32(_ at: Int) -> UInt32 {
        UInt32(bytes[at]) << 24 | UInt32(bytes[at + 1]) << 16 | UInt32(bytes[at + 2]) << 8 | UInt32(bytes[at + 3])
    }
    mutating func write16(_ at: Int, _ value: Int) {
        bytes[at] = UInt8(truncatingIfNeeded: value >> 8)
        bytes[at + 1] = UInt8(truncatingIfNeeded: value)
    }
    mutating func write32(_ at: Int, _ value: UInt32) {
        for i in 0..<4 { bytes[at + i] = UInt8(truncatingIfNeeded: value >> (24 - 8 * UInt32(i))) }
    }

    func pageType(_ pgno: UInt32) -> PageType? { PageType(rawValue: bytes[headerOffset(pgno)]) }
    func cellCount(_ pgno: UInt32) -> Int { read16(headerOffset(pgno) + 3) }
    func cellPointerOffset(_ pgno: UInt32, _ index: Int) -> Int {
        headerOffset(pgno) + (pageType(pgno)!.isLeaf ? 8 : 12) + 2 * index
    }
    /// Absolute file offset of cell `index` of page `pgno`.
    func cellOffset(_ pgno: UInt32, _ index: Int) -> Int { offset(pgno) + read16(cellPointerOffset(pgno, index)) }
    func rightChildOffset(_ pgno: UInt32) -> Int { headerOffset(pgno) + 8 }

    /// Parses a cell of a page with the BTree module's code (the file is valid where this is used).
    func cell(_ pgno: UInt32, _ index: Int) throws -> CellInfo {
        let geometry = try BTreeGeometry(pageSize: pageSize, reservedBytes: pageSize - usableSize)
        return try bytes.withUnsafeBytes { whole in
            let page = UnsafeRawBufferPointer(rebasing: whole[offset(pgno)..<offset(pgno) + pageSize])
            let header = try BTreePage(loading: page, pageNumber: pgno, geometry: geometry)
            return try header.cell(at: index, in: page)
        }
    }

    func children(_ pgno: UInt32) -> [UInt32] {
        guard let type = pageType(pgno), !type.isLeaf else { return [] }
        return (0..<cellCount(pgno)).map { read32(cellOffset(pgno, $0)) } + [read32(rightChildOffset(pgno))]
    }

    /// The pages of a tree by level, the root's level first.
    func levels(root: UInt32) -> [[UInt32]] {
        var levels: [[UInt32]] = [[root]]
        while let last = levels.last, let first = last.first, !(pageType(first)?.isLeaf ?? true) {
            levels.append(last.flatMap(children))
        }
        return levels
    }

    /// Every overflow chain of the tree, as page lists.
    func overflowChains(root: UInt32) throws -> [[UInt32]] {
        var chains: [[UInt32]] = []
        for pgno in levels(root: root).joined() {
            for index in 0..<cellCount(pgno) {
                let cell = try cell(pgno, index)
                guard cell.hasOverflow else { continue }
                var chain = [cell.overflowPage]
                while true {
                    let next = read32(offset(chain.last!))
                    if next == 0 { break }
                    chain.append(next)
                }
                chains.append(chain)
            }
        }
        return chains
    }

    /// Freelist trunk pages and the leaf pages each lists.
    func freelist() -> [(trunk: UInt32, leaves: [UInt32])] {
        var result: [(UInt32, [UInt32])] = []
        var trunk = read32(32)
        while trunk != 0 {
            let count = Int(read32(offset(trunk) + 4))
            result.append((trunk, (0..<count).map { read32(offset(trunk) + 8 + 4 * $0) }))
            trunk = read32(offset(trunk))
        }
        return result
    }

    var freelistCount: UInt32 {
        get { read32(36) }
        set { write32(36, newValue) }
    }
}
