import FuzzSupport

// Built two ways. scripts/fuzz.sh defines FUZZING and instruments for libFuzzer: main hands the
// process to libFuzzer, which runs inputs through SQLParserFuzz.run. The normal build (swift build, CI)
// gets a replay driver instead: `fuzz-sql-parser FILE|DIRECTORY...` runs each file as one input,
// which is how the committed corpus or a crash reproducer is checked without the sanitizer.
@main
struct FuzzSQLParserMain {
    static func main() {
        #if FUZZING
        FuzzDriver.run { data, size in
            SQLParserFuzz.run(UnsafeRawBufferPointer(start: data, count: size))
            return 0
        }
        #else
        FuzzReplay.run(arguments: CommandLine.arguments) { SQLParserFuzz.run($0) }
        #endif
    }
}
