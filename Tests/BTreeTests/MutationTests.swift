import Foundation
import Testing
@testable import BTree

/// Damaged pages and records must produce CorruptionErrors (or be accepted), never a crash or a
/// hang, in every part of the format code: page loading, cell parsing, free-space accounting,
/// record decoding and comparison, and the page editing operations.
@Suite struct MutationTests {
    static let mutatedPageCount = 100_000
    static let mutatedRecordCount = 30_000

    /// Pages of small sqlite3 databases: every kind of B-tree page, overflow and free pages.
    static func basePages() throws -> [(bytes: [UInt8], pageNumber: UInt32, geometry: BTreeGeometry)] {
        var pages: [(bytes: [UInt8], pageNumber: UInt32, geometry: BTreeGeometry)] = []
        for pageSize in [512, 1024, 4096] {
            let (directory, path) = try SQLiteShell.temporaryDatabase("mutation.db")
            defer { try? FileManager.default.removeItem(at: directory) }
            var generator = ValueGenerator(seed: UInt64(pageSize))
            var sql = """
                PRAGMA page_size=\(pageSize);
                PRAGMA journal_mode=DELETE;
                CREATE TABLE t(a, b, c);
                CREATE TABLE r(id INTEGER PRIMARY KEY, v);
                BEGIN;

                """
            for _ in 0..<250 {
                let values = (0..<3).map { _ in generator.value(maxLength: 150).sqlLiteral }
                sql += "INSERT INTO t VALUES (\(values.joined(separator: ", ")));\n"
            }
            sql += """
                INSERT INTO r(v) SELECT randomblob(value % 2000) FROM generate_series(1, 60);
                COMMIT;
                CREATE INDEX t_ab ON t(a, b DESC);
                CREATE INDEX t_c ON t(c COLLATE NOCASE);
                DELETE FROM t WHERE rowid % 4 = 0;
                DELETE FROM r WHERE id % 3 = 0;

                """
            try SQLiteShell.run(path, sql)
            let image = try DatabaseImage(path: path)
            for number in 1...image.pageCount {
                let bytes = try image.withPage(UInt32(number)) { Array($0) }
                // Mostly B-tree pages, so that most mutants get past the header; some overflow
                // and free pages too.
                let isBTreePage = PageType(rawValue: bytes[number == 1 ? 100 : 0]) != nil
                if isBTreePage || number % 10 == 0 {
                    pages.append((bytes, UInt32(number), image.geometry))
                }
            }
        }
        return pages
    }

    static func mutate(_ bytes: inout [UInt8], headerOffset: Int, random: inout SeededGenerator) {
        let size = bytes.count
        let header = headerOffset
        let cellCount = Int(bytes[header + 3]) << 8 | Int(bytes[header + 4])
        let pointerBase = header + (bytes[header] & 0x08 != 0 ? 8 : 12)
        func put16(_ offset: Int, _ value: Int) {
            guard offset >= 0, offset + 2 <= size else { return }
            bytes[offset] = UInt8(truncatingIfNeeded: value >> 8)
            bytes[offset + 1] = UInt8(truncatingIfNeeded: value)
        }
        func pointerSlot() -> Int? {
            let count = min(cellCount, (size - pointerBase) / 2)
            return count > 0 ? pointerBase + 2 * Int.random(in: 0..<count, using: &random) : nil
        }
        let interesting = [0, 1, 3, 4, header, header + 8, size - 5, size - 4, size - 3, size - 1, size, 65535]
        for _ in 0..<Int.random(in: 1...3, using: &random) {
            switch Int.random(in: 0..<11, using: &random) {
            case 0:
                for _ in 0..<Int.random(in: 1...8, using: &random) {
                    bytes[Int.random(in: 0..<size, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 1:
                put16(header + 3, Bool.random(using: &random) ? Int.random(in: 0...65535, using: &random)
                      : cellCount + Int.random(in: -3...3, using: &random))
            case 2:
                put16(header + 1, Bool.random(using: &random) ? interesting.randomElement(using: &random)!
                      : Int.random(in: 0...size + 8, using: &random))
            case 3:
                put16(header + 5, Bool.random(using: &random) ? interesting.randomElement(using: &random)!
                      : Int.random(in: 0...size, using: &random))
            case 4:
                bytes[header + 7] = UInt8.random(in: 0...255, using: &random)
            case 5:
                if let first = pointerSlot(), let second = pointerSlot() {
                    bytes.swapAt(first, second)
                    bytes.swapAt(first + 1, second + 1)
                }
            case 6:
                if let slot = pointerSlot() {
                    put16(slot, Bool.random(using: &random) ? interesting.randomElement(using: &random)!
                          : Int.random(in: 0...65535, using: &random))
                }
            case 7:
                // A freeblock chain that loops back on itself or goes backwards.
                var block = Int(bytes[header + 1]) << 8 | Int(bytes[header + 2])
                if block == 0 || block + 4 > size {
                    block = Int.random(in: pointerBase..<size - 4, using: &random)
                    put16(header + 1, block)
                    put16(block + 2, Int.random(in: 0...64, using: &random))
                }
                put16(block, Bool.random(using: &random) ? block : Int.random(in: 0...block, using: &random))
            case 8:
                // A freeblock whose size runs off the page or is under 4.
                let block = Int(bytes[header + 1]) << 8 | Int(bytes[header + 2])
                if block > 0 && block + 4 <= size {
                    put16(block + 2, Bool.random(using: &random) ? Int.random(in: 0...3, using: &random)
                          : Int.random(in: 0...65535, using: &random))
                }
            case 9:
                // An oversized or runaway varint at the start of a cell.
                if let slot = pointerSlot() {
                    let cell = Int(bytes[slot]) << 8 | Int(bytes[slot + 1])
                    let start = cell + (bytes[header] & 0x08 != 0 ? 0 : 4)
                    for offset in start..<max(start, min(size, start + Int.random(in: 1...10, using: &random))) {
                        bytes[offset] = 0xff
                    }
                }
            default:
                bytes[header] = [0, 1, 2, 5, 10, 13, 255].randomElement(using: &random)!
            }
        }
    }

    struct Outcome {
        var rejectedAtLoad = 0
        var loaded = 0
        var cellErrors = 0
        var cellsParsed = 0
        var recordErrors = 0
        var editErrors = 0
    }

    static func exercise(
        _ bytes: inout [UInt8], pageNumber: UInt32, geometry: BTreeGeometry, random: inout SeededGenerator,
        outcome: inout Outcome
    ) {
        let keyInfo = KeyInfo(columns: [KeyColumn(collation: .nocase), KeyColumn(descending: true)])
        let probe: [Value] = [.integer(5), .text("abc"), .real(2.5)]
        bytes.withUnsafeMutableBytes { buffer in
            let readable = UnsafeRawBufferPointer(buffer)
            var page: BTreePage
            do {
                page = try BTreePage(loading: readable, pageNumber: pageNumber, geometry: geometry)
            } catch {
                outcome.rejectedAtLoad += 1
                return
            }
            outcome.loaded += 1
            var header = RecordHeader()
            for index in 0..<page.cellCount {
                guard let cell = try? page.cell(at: index, in: readable) else {
                    outcome.cellErrors += 1
                    continue
                }
                outcome.cellsParsed += 1
                if !page.isLeaf { _ = try? page.child(at: index, in: readable) }
                guard page.pageType.hasPayload else { continue }
                let local = UnsafeRawBufferPointer(rebasing: readable[cell.localPayloadRange])
                do {
                    if try header.parse(prefix: local, payloadSize: cell.payloadSize) {
                        for column in 0..<header.columnCount {
                            guard let range = header.bodyRange(ofColumn: column), range.upperBound <= local.count
                            else { continue }
                            _ = header.column(column, in: local)
                            _ = header.compareColumn(column, in: local, to: probe[column % 3], collation: .rtrim)
                        }
                    }
                    if !cell.hasOverflow {
                        _ = try keyInfo.compare(record: local, to: probe, defaultResult: -1)
                        _ = try keyInfo.compare(record: local, toRecord: local)
                    }
                } catch {
                    outcome.recordErrors += 1
                }
            }
            _ = try? page.validateCells(in: readable)
            _ = try? page.computeFreeSpace(in: readable)
            if !page.isLeaf { _ = try? page.rightChild(in: readable) }
            do {
                if page.cellCount > 0 {
                    try page.dropCell(at: Int.random(in: 0..<page.cellCount, using: &random), in: buffer)
                }
                let payloadSize = page.pageType.hasPayload ? Int.random(in: 0...40, using: &random) : 0
                let layout = geometry.cellLayout(pageType: page.pageType, payloadSize: payloadSize, rowid: 42)
                let cell = CellBuilder.makeCell(
                    layout: layout, leftChild: 7, rowid: 42, payload: random.bytes(payloadSize))
                _ = try cell.withUnsafeBytes {
                    try page.insertCell($0, at: Int.random(in: 0...page.cellCount, using: &random), in: buffer)
                }
                try page.defragment(in: buffer, maxFragments: Int.random(in: 0...4, using: &random))
                _ = try BTreePage(loading: readable, pageNumber: pageNumber, geometry: geometry)
            } catch {
                outcome.editErrors += 1
            }
        }
    }

    @Test(.timeLimit(.minutes(8)))
    func mutatedPagesOnlyEverThrow() throws {
        let bases = try Self.basePages()
        var random = SeededGenerator(seed: 0x5eed)
        var outcome = Outcome()
        for iteration in 0..<Self.mutatedPageCount {
            let base = bases[iteration % bases.count]
            var bytes = base.bytes
            var geometry = base.geometry
            if Int.random(in: 0..<5, using: &random) == 0 {
                // Read the page as if more bytes were reserved at its end than were.
                let room = min(255, geometry.usableSize - BTreeGeometry.minUsableSize)
                if room > 0 {
                    geometry = try BTreeGeometry(
                        pageSize: geometry.pageSize, reservedBytes: Int.random(in: 1...room, using: &random))
                }
            }
            Self.mutate(&bytes, headerOffset: base.pageNumber == 1 ? 100 : 0, random: &random)
            Self.exercise(&bytes, pageNumber: base.pageNumber, geometry: geometry, random: &random, outcome: &outcome)
        }
        print("mutated pages: \(outcome)")
        #expect(outcome.rejectedAtLoad > 0)
        #expect(outcome.loaded > 0)
        #expect(outcome.cellErrors > 0)
        #expect(outcome.cellsParsed > 0)
        #expect(outcome.editErrors > 0)
    }

    @Test(.timeLimit(.minutes(5)))
    func mutatedRecordsOnlyEverThrow() throws {
        var generator = ValueGenerator(seed: 77)
        var records: [[UInt8]] = []
        for _ in 0..<300 {
            let values = (0..<Int.random(in: 0...12, using: &generator.random)).map { _ in generator.value(maxLength: 40) }
            records.append(RecordEncoder.encode(values))
        }
        let keyInfo = KeyInfo(columns: [KeyColumn(collation: .nocase), KeyColumn(descending: true)])
        var random = SeededGenerator(seed: 99)
        var failures = 0
        var decoded = 0
        var header = RecordHeader()
        for iteration in 0..<Self.mutatedRecordCount {
            var record = records[iteration % records.count]
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where !record.isEmpty:
                record.removeLast(Int.random(in: 1...record.count, using: &random))
            case 1:
                record.append(contentsOf: random.bytes(Int.random(in: 1...4, using: &random)))
            case 2 where !record.isEmpty:
                // Inside the header, where sizes and types live.
                let limit = min(record.count, Int(record[0] & 0x7f) + 1)
                record[Int.random(in: 0..<limit, using: &random)] = UInt8.random(in: 0...255, using: &random)
            default:
                for _ in 0..<Int.random(in: 1...4, using: &random) where !record.isEmpty {
                    record[Int.random(in: 0..<record.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            }
            let other = records[Int.random(in: 0..<records.count, using: &random)]
            record.withUnsafeBytes { bytes in
                do {
                    try header.parse(bytes)
                    for column in 0...header.columnCount {
                        _ = header.column(column, in: bytes)
                        _ = header.compareColumn(column, in: bytes, to: .integer(3))
                    }
                    decoded += 1
                } catch {
                    failures += 1
                }
                _ = try? keyInfo.compare(record: bytes, to: [.text("x"), .null, .blob([1])], defaultResult: 1)
                _ = try? other.withUnsafeBytes { try keyInfo.compare(record: bytes, toRecord: $0) }
            }
        }
        #expect(failures > 0)
        #expect(decoded > 0)
    }
}
