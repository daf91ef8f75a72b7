import FuzzSupport
import Pager
import SQL
import VM

/// Fuzz target for WAL recovery: the input is the `-wal` file beside a small valid database
/// (512-byte pages, a table with an index). Before opening, the harness rewrites the header's
/// and every whole frame's checksum (and the frames' salts) to match what they cover, when the
/// magic and page size are valid: random mutations would otherwise almost never pass the
/// checksum, and recovery would stop at the first frame. So the fuzzer reaches what a WAL
/// passing its checksums can still hold: page numbers past the end or zero, commit sizes that
/// shrink or grow the database, pages whose contents are garbage. Each must end in an error,
/// never a crash.
enum WALFileFuzz {
    static let pageSize = 512
    static let maxCommitPages: UInt32 = 65536

    static let schema = """
        CREATE TABLE t(a INTEGER PRIMARY KEY, b TEXT, c);
        CREATE INDEX tb ON t(b);
        INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 2.5), (3, 'three', x'0102'), (4, NULL, 'four');
        INSERT INTO t(b, c) SELECT b || a, c FROM t;
        INSERT INTO t(b, c) SELECT b || a, c FROM t;
        """

    /// The database file the WAL belongs to, made once.
    static let image: [UInt8] = {
        let environment = MemoryEnvironment()
        var options = environment.options
        options.journalMode = .off
        options.newDatabasePageSize = pageSize
        run(schema, options: options)
        return contents(environment, "fuzz.db")
    }()

    static func run(_ bytes: UnsafeRawBufferPointer) {
        var wal = Array(bytes)
        fixChecksums(&wal)
        let environment = MemoryEnvironment()
        environment.put("fuzz.db", image)
        environment.put("fuzz.db-wal", wal)
        FuzzSession.run(environment, budget: .seconds(2)) { DatabaseExercise.run($0) }
    }

    /// WAL files for the seed corpus: commits Ringlite itself logged on top of `image`.
    static func seeds() -> [[UInt8]] {
        let workloads = [
            "INSERT INTO t(b, c) VALUES ('five', 5), ('six', randomblob(200))",
            "UPDATE t SET c = randomblob(700) WHERE a = 2; DELETE FROM t WHERE a > 10",
            "CREATE TABLE u(x UNIQUE, y); INSERT INTO u VALUES (1, 2), (3, 4); DROP INDEX tb",
            "BEGIN; DELETE FROM t; COMMIT; INSERT INTO t(b) VALUES ('again')",
        ]
        return workloads.map { sql in
            let environment = MemoryEnvironment()
            environment.put("fuzz.db", image)
            var options = environment.options
            options.autoCheckpointFrames = 0
            run(sql, options: options)
            return contents(environment, "fuzz.db-wal")
        }
    }

    private static func run(_ sql: String, options: PagerOptions) {
        do {
            let shared = try PagerShared.open(path: "fuzz.db", options: options)
            let connection = SQLConnection(state: try ConnectionState(shared: shared))
            var offset = 0
            while offset < sql.utf8.count {
                let (prepared, next) = try connection.prepare(sql, at: offset)
                offset = next
                guard let statement = prepared else { break }
                while try statement.step() == .row {}
                statement.reset()
            }
        } catch {
            fatalError("the WAL fuzz database does not build: \(error)")
        }
    }

    private static func contents(_ environment: MemoryEnvironment, _ path: String) -> [UInt8] {
        guard let file = environment.memoryFileSystem.file(path) else { fatalError("no \(path)") }
        return file.contents()
    }

    /// Rewrites the header checksum, and each whole frame's salt and cumulative checksum, as
    /// sqlite3's walChecksumBytes computes them; leaves the bytes alone when the magic or page
    /// size is not valid (those paths are what the unfixed input tests).
    static func fixChecksums(_ wal: inout [UInt8]) {
        guard wal.count >= WALHeader.size else { return }
        let magic = loadBE(wal, 0)
        guard magic & ~1 == WALHeader.magicLittleEndian else { return }
        let order: WALChecksumOrder = magic & 1 == 1 ? .bigEndian : .littleEndian
        let pageSize = Int(loadBE(wal, 8))
        guard WALHeader.isValidPageSize(pageSize) else { return }
        var checksum = wal.withUnsafeBytes { WALChecksum.of(UnsafeRawBufferPointer(rebasing: $0[0..<24]), order: order) }
        storeBE(&wal, 24, checksum.s1)
        storeBE(&wal, 28, checksum.s2)
        let frameSize = 24 + pageSize
        var frame = WALHeader.size
        while frame + frameSize <= wal.count {
            // A commit frame's database size is capped, for the reason DatabaseFileFuzz skips
            // large declared sizes (the memory file system allocates what a real file holds sparse).
            if loadBE(wal, frame + 4) > maxCommitPages { storeBE(&wal, frame + 4, maxCommitPages) }
            storeBE(&wal, frame + 8, loadBE(wal, 16))
            storeBE(&wal, frame + 12, loadBE(wal, 20))
            wal.withUnsafeBytes { bytes in
                checksum.update(UnsafeRawBufferPointer(rebasing: bytes[frame..<frame + 8]), order: order)
                checksum.update(UnsafeRawBufferPointer(rebasing: bytes[frame + 24..<frame + frameSize]), order: order)
            }
            storeBE(&wal, frame + 16, checksum.s1)
            storeBE(&wal, frame + 20, checksum.s2)
            frame += frameSize
        }
    }

    private static func loadBE(_ bytes: [UInt8], _ offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    private static func storeBE(_ bytes: inout [UInt8], _ offset: Int, _ value: UInt32) {
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (24 - 8 * index)) }
    }
}
