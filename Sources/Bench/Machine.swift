import CSQLite
import Foundation

/// What the results were measured on, printed in every report's header.
struct Machine: Codable {
    var cores: Int
    var kernel: String
    var fileSystem: String
    var swift: String
    var memoryGiB: Int
    /// libsqlite3's version, the SQLite the benchmarks compare against.
    var sqlite: String?

    static func describe(path: String) -> Machine {
        var name = utsname()
        uname(&name)
        let kernel = withUnsafeBytes(of: &name.release) { String(decoding: $0.prefix(while: { $0 != 0 }), as: UTF8.self) }
        return Machine(
            cores: ProcessInfo.processInfo.activeProcessorCount,
            kernel: kernel,
            fileSystem: fileSystemType(of: path),
            swift: swiftVersion,
            memoryGiB: Int(ProcessInfo.processInfo.physicalMemory >> 30),
            sqlite: String(cString: sqlite3_libversion())
        )
    }

    var summary: String {
        "\(cores) cores, \(memoryGiB) GiB, Linux \(kernel), \(fileSystem), \(swift)" + (sqlite.map { ", SQLite \($0)" } ?? "")
    }

    /// The file system holding `path`, from /proc/mounts (longest mount point that prefixes it).
    static func fileSystemType(of path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let mounts = try? String(contentsOfFile: "/proc/mounts", encoding: .utf8) else { return "unknown fs" }
        var best = (point: "", type: "unknown fs", device: "")
        for line in mounts.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count >= 3 else { continue }
            let point = String(fields[1])
            let prefix = point.hasSuffix("/") ? point : point + "/"
            if (absolute == point || absolute.hasPrefix(prefix)) && point.count > best.point.count {
                best = (point, String(fields[2]), String(fields[0]))
            }
        }
        return "\(best.type) on \(best.device)"
    }

    static var swiftVersion: String {
        #if swift(>=6.3)
        "Swift 6.3"
        #elseif swift(>=6.2)
        "Swift 6.2"
        #else
        "Swift 6"
        #endif
    }
}
