#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The replay driver of a fuzz target built without libFuzzer: runs each file named on the
/// command line (a directory: each file in it) as one input. `FUZZ_REPEAT=N` runs each input N
/// times: memory that grows with N is kept per input (a leak), which a heap profiler then names.
package enum FuzzReplay {
    package static func run(arguments: [String], _ body: (UnsafeRawBufferPointer) -> Void) {
        let paths = arguments.dropFirst().flatMap(expand)
        if paths.isEmpty {
            print("usage: \(arguments.first ?? "fuzz-target") FILE|DIRECTORY...")
            exit(2)
        }
        let repeats = getenv("FUZZ_REPEAT").flatMap { Int(String(cString: $0)) } ?? 1
        for path in paths {
            guard let bytes = readFile(path) else {
                print("cannot read \(path)")
                exit(1)
            }
            for _ in 0..<max(repeats, 1) { bytes.withUnsafeBytes(body) }
        }
        print("ran \(paths.count) inputs\(repeats > 1 ? " \(repeats) times each" : "")")
    }

    /// Writes each seed to `directory/prefix<n>`.
    package static func writeSeeds(_ seeds: [[UInt8]], into directory: String, prefix: String) {
        for (index, seed) in seeds.enumerated() {
            let path = "\(directory)/\(prefix)\(index + 1)"
            guard let file = fopen(path, "wb") else {
                print("cannot create \(path)")
                exit(1)
            }
            precondition(fwrite(seed, 1, seed.count, file) == seed.count, "short write to \(path)")
            fclose(file)
            print("wrote \(path) (\(seed.count) bytes)")
        }
    }

    private static func expand(_ path: String) -> [String] {
        guard let directory = opendir(path) else { return [path] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if !name.hasPrefix(".") { names.append(path + "/" + name) }
        }
        return names.sorted()
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        guard let file = fopen(path, "rb") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }
}
