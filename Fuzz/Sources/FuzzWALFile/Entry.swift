import FuzzSupport

// Built two ways (see Fuzz/Sources/FuzzSQLParser/Entry.swift). The replay driver also writes
// the seed corpus: `fuzz-wal-file --write-seeds DIRECTORY`.
@main
struct FuzzWALFileMain {
    static func main() {
        #if FUZZING
        FuzzDriver.run { data, size in
            WALFileFuzz.run(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
        #else
        let arguments = CommandLine.arguments
        if arguments.count == 3 && arguments[1] == "--write-seeds" {
            FuzzReplay.writeSeeds(WALFileFuzz.seeds(), into: arguments[2], prefix: "wal-")
            return
        }
        FuzzReplay.run(arguments: arguments) { WALFileFuzz.run($0) }
        #endif
    }
}
