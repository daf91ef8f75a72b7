import FuzzSupport
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Fuzz target for reading untrusted database files: the input is the whole database file,
/// opened and put through `DatabaseExercise` (checks, reads, writes). Failing to open it (not a
/// database, a header this engine refuses) is a clean end.
enum DatabaseFileFuzz {
    /// Larger database sizes in the header are skipped: writing the last page of such a
    /// database (a checkpoint, a new table's page) makes the file that long, which a real file
    /// holds sparse but the memory file system really allocates, and libFuzzer reports as an OOM.
    static let maxDeclaredPages = 65536

    static func run(_ bytes: UnsafeRawBufferPointer) {
        if bytes.count >= 32 && bytes[28..<32].reduce(0, { $0 << 8 | Int($1) }) > maxDeclaredPages { return }
        let environment = MemoryEnvironment()
        environment.put("fuzz.db", Array(bytes))
        let failure = FuzzSession.run(environment, budget: .seconds(2)) { DatabaseExercise.run($0) }
        if let failure, getenv("FUZZ_VERBOSE") != nil { print("open failed: \(failure.message)") }
    }
}
