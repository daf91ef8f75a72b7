import ArgumentParser
import Foundation

/// Runs fio (io_uring engine, O_DIRECT, 4 KiB random IO) on the bench file, so `bench io` can report
/// how close Ringlite's io_uring path comes to the tool everyone trusts for this number.
enum FioRunner {
    /// IOPS of one fio run of `seconds`.
    static func run(file: String, bytes: Int64, write: Bool, depth: Int, seconds: Double) throws -> Double {
        guard let fio = findExecutable("fio") else {
            throw ValidationError("--fio: fio is not installed (apt-get install fio)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: fio)
        process.arguments = [
            "--name=ringlite", "--filename=\(file)", "--size=\(bytes)", "--ioengine=io_uring", "--direct=1",
            "--iodepth=\(depth)", "--bs=4k", "--rw=\(write ? "randwrite" : "randread")",
            "--runtime=\(max(1, Int(seconds.rounded())))", "--time_based", "--output-format=json",
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw ValidationError("fio exited with \(process.terminationStatus)") }
        guard let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let jobs = root["jobs"] as? [[String: Any]], let job = jobs.first,
              let side = job[write ? "write" : "read"] as? [String: Any],
              let iops = side["iops"] as? Double else {
            throw ValidationError("could not read fio's JSON output")
        }
        return iops
    }

    static func findExecutable(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
