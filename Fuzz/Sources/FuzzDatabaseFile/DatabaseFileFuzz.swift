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
    static func run(_ bytes: UnsafeRawBufferPointer) {
        let environment = MemoryEnvironment()
        environment.put("fuzz.db", Array(bytes))
        let failure = FuzzSession.run(environment, budget: .seconds(2)) { DatabaseExercise.run($0) }
        if let failure, getenv("FUZZ_VERBOSE") != nil { print("open failed: \(failure.message)") }
    }
}
