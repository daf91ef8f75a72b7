@testable import Bench
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing

/// Results, comparisons, the JSON check and the chart, on reports built by hand.
@Suite struct ReportTests {
    @Test func resultsTakeMediansAndComparisonsTheirRatios() throws {
        let samples = [ReportFixtures.sample(operations: 1000, seconds: 1), ReportFixtures.sample(operations: 1000, seconds: 0.25),
                       ReportFixtures.sample(operations: 1000, seconds: 0.5)]
        let result = EngineResult(workload: .readrandom, engine: .sqlite, samples: samples)
        #expect(result.status == .ok)
        #expect(result.rounds == [1000, 4000, 2000])
        #expect(result.operationsPerSecond == 2000)
        #expect(result.megabytesPerSecond == 0.216)
        #expect(result.latencyMicroseconds!.p50 > 0 && result.latencyMicroseconds!.p999 >= result.latencyMicroseconds!.p99)

        let report = ReportFixtures.report()
        let fillseq = try #require(report.comparisons.first { $0.workload == .fillseq })
        #expect(fillseq.uringOverSQLite == 1.25)
        #expect(fillseq.uringOverSyscall == 2)
        #expect(fillseq.leader == .ringliteURing)
    }

    @Test func deleteReportsNoBytes() {
        let result = EngineResult(workload: .deleteRandom, engine: .sqlite, samples: [ReportFixtures.sample(operations: 10, seconds: 1)])
        #expect(result.megabytesPerSecond == nil)
    }

    @Test func aFailedEngineHasNoRatio() {
        let results = [
            EngineResult(workload: .fillseq, engine: .ringliteURing, failure: "not supported: INSERT"),
            EngineResult(workload: .fillseq, engine: .sqlite, samples: [ReportFixtures.sample(operations: 10, seconds: 1)]),
        ]
        let comparison = WorkloadComparison.compare(results, workloads: [.fillseq])[0]
        #expect(comparison.uringOverSQLite == nil)
        #expect(comparison.leader == .sqlite)
    }

    @Test func completeReportPassesTheCheckAfterAJSONRoundTrip() throws {
        let data = try JSONEncoder().encode(ReportFixtures.report())
        let decoded = try JSONDecoder().decode(SQLBenchReport.self, from: data)
        #expect(ResultCheck.problems(in: decoded) == [])
    }

    @Test func checkFindsMissingFailedAndNonPositiveResults() {
        var report = ReportFixtures.report()
        report.results.removeAll { $0.workload == .readrandom && $0.engine == .sqlite }
        let index = report.results.firstIndex { $0.workload == .fillseq && $0.engine == .ringliteSyscall }!
        report.results[index] = EngineResult(workload: .fillseq, engine: .ringliteSyscall, failure: "disk full")
        let uring = report.results.firstIndex { $0.workload == .fillseq && $0.engine == .ringliteURing }!
        report.results[uring].operationsPerSecond = 0
        report.schema = "something else"
        let problems = ResultCheck.problems(in: report)
        #expect(problems.contains { $0.contains("schema") })
        #expect(problems.contains("readrandom on sqlite: 0 results, expected 1"))
        #expect(problems.contains("fillseq on ringlite-syscall failed: disk full"))
        #expect(problems.contains { $0.hasPrefix("fillseq on ringlite-uring: operationsPerSecond is 0.0") })
    }

    @Test func checkWantsEveryRound() {
        var report = ReportFixtures.report()
        report.results[0].rounds = [1000]
        #expect(ResultCheck.problems(in: report).contains { $0.contains("1 rounds, expected 3") })
    }

    @Test func chartIsWellFormedXMLWithABarPerEngineAndWorkload() throws {
        var report = ReportFixtures.report()
        report.machine.fileSystem = "ext4 on /dev/<odd> & 'quoted'"
        let index = report.results.firstIndex { $0.engine == .sqlite }!
        report.results[index] = EngineResult(workload: report.results[index].workload, engine: .sqlite, failure: "x < y & z")
        let svg = SVGChart.render(report)
        final class Counter: NSObject, XMLParserDelegate {
            var rectangles = 0
            var root: String?
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                        attributes: [String: String] = [:]) {
                if root == nil { root = name }
                if name == "rect" { rectangles += 1 }
            }
        }
        let parser = XMLParser(data: Data(svg.utf8))
        let counter = Counter()
        parser.delegate = counter
        #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        #expect(counter.root == "svg")
        // Background, one legend swatch per engine, one bar per successful result.
        let bars = report.results.filter { $0.status == .ok }.count
        #expect(counter.rectangles == 1 + report.settings.engines.count + bars)
        #expect(svg.contains("failed"))
    }

    @Test func chartPathSitsBesideTheJSON() {
        #expect(ReportFiles.chartPath(forJSON: "benchmarks/results/sql-1.json") == "benchmarks/results/sql-1.svg")
        #expect(ReportFiles.chartPath(forJSON: "out") == "out.svg")
    }

    @Test func textTablesShowFailuresAndRatios() {
        var report = ReportFixtures.report(workloads: [.fillseq])
        let index = report.results.firstIndex { $0.engine == .ringliteSyscall }!
        report.results[index] = EngineResult(workload: .fillseq, engine: .ringliteSyscall, failure: "not supported: INSERT")
        report.comparisons = WorkloadComparison.compare(report.results, workloads: [.fillseq])
        let table = ReportText.workloadTable(.fillseq, results: report.results, comparison: report.comparisons.first, settings: report.settings)
        #expect(table.contains("ringlite-syscall failed: not supported: INSERT"))
        #expect(table.contains("1.25x"))
        #expect(ReportText.summary(report).contains("ringlite-uring"))
    }
}
