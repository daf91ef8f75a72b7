@testable import Bench
import Testing

/// The arithmetic a comparison rests on: medians, the alternating order, ratios, key streams.
@Suite struct StatisticsTests {
    @Test func medianOfOddEvenAndEmpty() {
        #expect(Statistics.median([3, 1, 2]) == 2)
        #expect(Statistics.median([4, 1, 3, 2]) == 2.5)
        #expect(Statistics.median([7]) == 7)
        #expect(Statistics.median([]) == nil)
    }

    @Test func contendersAlternateRoundByRound() {
        let schedule = Statistics.alternatingSchedule(["A", "B", "C"], repetitions: 3)
        #expect(schedule.map(\.contender) == ["A", "B", "C", "A", "B", "C", "A", "B", "C"])
        #expect(schedule.map(\.round) == [0, 0, 0, 1, 1, 1, 2, 2, 2])
        #expect(Statistics.alternatingSchedule(["A"], repetitions: 0).isEmpty)
    }

    @Test func ratiosNeedTwoPositiveRates() {
        #expect(Statistics.ratio(300, 150) == 2)
        #expect(Statistics.ratio(nil, 150) == nil)
        #expect(Statistics.ratio(300, 0) == nil)
        #expect(Statistics.ratio(-1, 5) == nil)
    }

    @Test func seedsAreStableAndDifferPerName() {
        // FNV-1a, not hashValue: the same in every process, so every engine gets the same keys.
        #expect(SplitMix64.seed(42, "readrandom") == SplitMix64.seed(42, "readrandom"))
        #expect(SplitMix64.seed(42, "readrandom") != SplitMix64.seed(42, "readseq"))
        var first = SplitMix64(seed: 7), second = SplitMix64(seed: 7)
        #expect((0..<5).map { _ in first.next() } == (0..<5).map { _ in second.next() })
    }

    @Test func distinctKeysArePermutationPrefix() {
        var random = SplitMix64(seed: 1)
        let keys = Keys.distinct(500, of: 1000, random: &random)
        #expect(keys.count == 500)
        #expect(Set(keys).count == 500)
        #expect(keys.allSatisfy { (0..<1000).contains($0) })
    }

    @Test func zipfianKeysStayInRangeAndAreSkewed() {
        let zipfian = ScrambledZipfian(items: 10_000)
        var random = SplitMix64(seed: 3)
        var counts: [Int: Int] = [:]
        for _ in 0..<100_000 {
            let key = zipfian.next(using: &random)
            #expect((0..<10_000).contains(key))
            counts[key, default: 0] += 1
        }
        // Uniform draws would give about 10 per key; the zipfian head takes far more.
        #expect(counts.values.max()! > 1000)
    }

    @Test func workloadListsParse() throws {
        #expect(try Workload.parseList("all") == Workload.allCases)
        #expect(try Workload.parseList("fillseq, readrandom-cold") == [.fillseq, .readrandomCold])
        #expect(throws: BenchError.self) { try Workload.parseList("fillseq,nope") }
        #expect(try EngineKind.parseList("sqlite,ringlite-uring") == [.sqlite, .ringliteURing])
        #expect(throws: BenchError.self) { try EngineKind.parseList("postgres") }
    }

    @Test func coldCacheIsSmallerThanTheTable() {
        let settings = ReportFixtures.settings(engines: [.sqlite], workloads: [.readrandomCold])
        #expect(settings.coldCachePages(tablePages: 3000) == 300)
        #expect(settings.coldCachePages(tablePages: 100) == 16)
        #expect(settings.config(for: .readrandomCold, tablePages: 3000).cachePages == 300)
        #expect(settings.config(for: .readrandom, tablePages: 3000).cachePages == settings.cachePages)
        #expect(settings.config(for: .fillseqsync, tablePages: 0).sync == .full)
        #expect(settings.config(for: .checkpoint, tablePages: 0).autoCheckpoint == false)
        // Cold random reads: one per table page, never more than a warm run's reads.
        #expect(settings.coldReads(tablePages: 300) == 300)
        #expect(settings.coldReads(tablePages: 10) == 100)
        #expect(settings.coldReads(tablePages: 5000) == settings.reads)
    }
}
