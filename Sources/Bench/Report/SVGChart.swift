import Foundation

/// A bar chart of a run: one group per workload, one bar per engine (length relative to the
/// fastest engine of that workload, since workloads differ by orders of magnitude), the ops/s
/// at each bar's end and the two ratios under each group.
enum SVGChart {
    static let width = 960
    static let labelWidth = 170
    static let barHeight = 16
    static let barGap = 3
    static let valueWidth = 170

    static func color(_ engine: EngineKind) -> String {
        switch engine {
        case .ringliteURing: "#1f6fb4"
        case .ringliteSyscall: "#8fbbe0"
        case .sqlite: "#f08a24"
        }
    }

    static func render(_ report: SQLBenchReport) -> String {
        let engines = report.settings.engines
        let groupHeight = engines.count * (barHeight + barGap) + 22
        let top = 88
        let height = top + report.comparisons.count * groupHeight + 16
        let barSpace = Double(width - labelWidth - valueWidth - 20)
        var svg = """
        <?xml version="1.0" encoding="UTF-8"?>
        <svg xmlns="http://www.w3.org/2000/svg" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)" font-family="sans-serif" font-size="12">
        <rect x="0" y="0" width="\(width)" height="\(height)" fill="#ffffff"/>
        <text x="10" y="22" font-size="16" font-weight="bold">\(escape("Ringlite bench sql: \(report.settings.rows) rows, \(report.settings.valueSize)-byte values, synchronous=\(report.settings.sync.rawValue.uppercased())\(report.settings.direct ? ", O_DIRECT" : "")"))</text>
        <text x="10" y="40" fill="#555555">\(escape("\(report.machine.summary); \(report.date)"))</text>
        <text x="10" y="56" fill="#555555">\(escape("operations per second, median of \(report.settings.repetitions); bars are relative to the fastest engine of each workload"))</text>

        """
        for (index, engine) in engines.enumerated() {
            let x = 10 + index * 170
            svg += "<rect x=\"\(x)\" y=\"66\" width=\"12\" height=\"12\" fill=\"\(color(engine))\"/>"
            svg += "<text x=\"\(x + 18)\" y=\"76\">\(escape(engine.rawValue))</text>\n"
        }
        for (groupIndex, comparison) in report.comparisons.enumerated() {
            let groupTop = top + groupIndex * groupHeight
            let results = engines.map { engine in
                report.results.first { $0.workload == comparison.workload && $0.engine == engine }
            }
            let fastest = results.compactMap { $0?.operationsPerSecond }.max() ?? 0
            svg += "<text x=\"10\" y=\"\(groupTop + barHeight - 3)\" font-weight=\"bold\">\(escape(comparison.workload.rawValue))</text>\n"
            for (index, result) in results.enumerated() {
                let y = groupTop + index * (barHeight + barGap)
                guard let result, let rate = result.operationsPerSecond, fastest > 0 else {
                    let reason = result?.status == .failed ? "failed" : "not run"
                    svg += "<text x=\"\(labelWidth)\" y=\"\(y + barHeight - 3)\" fill=\"#b00020\">\(escape("\(engines[index].rawValue): \(reason)"))</text>\n"
                    continue
                }
                let length = max(1, barSpace * rate / fastest)
                svg += "<rect x=\"\(labelWidth)\" y=\"\(y)\" width=\"\(String(format: "%.1f", length))\" height=\"\(barHeight)\" fill=\"\(color(engines[index]))\"/>"
                svg += "<text x=\"\(labelWidth + Int(length) + 6)\" y=\"\(y + barHeight - 3)\">\(escape(ReportText.format(rate, decimals: rate < 100 ? 1 : 0) + " ops/s"))</text>\n"
            }
            let ratioY = groupTop + engines.count * (barHeight + barGap) + 10
            let ratios = "uring/sqlite \(ReportText.ratio(comparison.uringOverSQLite))   uring/syscall \(ReportText.ratio(comparison.uringOverSyscall))"
            svg += "<text x=\"\(labelWidth)\" y=\"\(ratioY)\" fill=\"#333333\" font-size=\"11\">\(escape(ratios))</text>\n"
        }
        svg += "</svg>\n"
        return svg
    }

    /// Escapes text for an XML text node or attribute.
    static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&apos;"
            default: escaped.append(character)
            }
        }
        return escaped
    }
}
