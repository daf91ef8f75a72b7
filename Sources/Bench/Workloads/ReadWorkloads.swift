/// readrandom, readseq (warm and cold) and scan-aggregate on a filled table. Every read checks
/// what it got, so an engine that returns nothing fast does not look fast.
enum ReadWorkloads {
    static func run(_ connection: any BenchConnection, _ context: WorkloadContext) throws -> Sample {
        switch context.workload {
        case .readrandom, .readrandomCold: try readRandom(connection, context)
        case .readseq, .readseqCold: try readSequential(connection, context)
        case .scanAggregate: try scanAggregate(connection, context)
        default: preconditionFailure("\(context.workload) is not a read")
        }
    }

    static func readRandom(_ connection: any BenchConnection, _ context: WorkloadContext) throws -> Sample {
        let settings = context.settings
        var random = context.random()
        let count = context.workload == .readrandomCold ? settings.coldReads(tablePages: context.tablePages) : settings.reads
        let keys = Keys.uniform(count, of: settings.rows, random: &random)
        let valueSize = settings.valueSize
        let (seconds, latency) = try context.timed(count: keys.count) { index in
            guard let length = try connection.read(key: keys[index]) else {
                throw BenchError("key \(keys[index]) not found")
            }
            guard length == valueSize else { throw BenchError("key \(keys[index]) has a \(length)-byte value, expected \(valueSize)") }
        }
        return Sample(operations: keys.count, seconds: seconds, bytes: Int64(keys.count) * settings.bytesPerRow, latency: latency)
    }

    static func readSequential(_ connection: any BenchConnection, _ context: WorkloadContext) throws -> Sample {
        let settings = context.settings
        var latency = LatencyRecorder()
        var progress = ProgressBar(label: context.label, total: settings.rows)
        var rows = 0
        var bytes: Int64 = 0
        try connection.startScan()
        let start = monotonicNanoseconds()
        var last = start
        while let length = try connection.nextScanRow() {
            let now = monotonicNanoseconds()
            latency.record(nanoseconds: now - last)
            last = now
            rows += 1
            bytes += Int64(length)
            if rows & 1023 == 0 { progress.update(done: rows, now: now) }
        }
        // The step that finds the end is part of the scan.
        last = monotonicNanoseconds()
        progress.finish()
        guard rows == settings.rows, bytes == Int64(rows * settings.valueSize) else {
            throw BenchError("the scan read \(rows) rows and \(bytes) value bytes, expected \(settings.rows) and \(settings.rows * settings.valueSize)")
        }
        return Sample(operations: rows, seconds: Double(last - start) / 1e9,
                      bytes: Int64(rows) * settings.bytesPerRow, latency: latency)
    }

    static func scanAggregate(_ connection: any BenchConnection, _ context: WorkloadContext) throws -> Sample {
        let settings = context.settings
        let queries = settings.aggregateQueries
        let (seconds, latency) = try context.timed(count: queries) { _ in
            let (count, bytes) = try connection.aggregate()
            guard count == settings.rows, bytes == Int64(settings.rows * settings.valueSize) else {
                throw BenchError("count(*), sum(length(v)) returned \(count), \(bytes); expected \(settings.rows), \(settings.rows * settings.valueSize)")
            }
        }
        return Sample(operations: queries, seconds: seconds,
                      bytes: Int64(queries) * Int64(settings.rows) * settings.bytesPerRow, latency: latency)
    }
}
