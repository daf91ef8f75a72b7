import Foundation

/// Writes a run's JSON and, beside it, its SVG chart.
enum ReportFiles {
    static func chartPath(forJSON path: String) -> String {
        (path.hasSuffix(".json") ? String(path.dropLast(5)) : path) + ".svg"
    }

    static func write(_ report: SQLBenchReport, jsonPath: String) throws {
        let url = URL(fileURLWithPath: jsonPath)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(report).write(to: url)
        try Data(SVGChart.render(report).utf8).write(to: URL(fileURLWithPath: chartPath(forJSON: jsonPath)))
    }
}
