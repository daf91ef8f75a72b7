/// fillseq, fillrandom, fillseqsync, fillrandsync, fillseqbatch: inserts into an empty table.
enum FillWorkloads {
    static func run(_ connection: any BenchConnection, _ context: WorkloadContext) throws -> Sample {
        let settings = context.settings
        var random = context.random()
        let (keys, batch): ([Int64], Int) = switch context.workload {
        case .fillseq: (Keys.sequential(settings.rows), 1)
        case .fillrandom: (Keys.distinct(settings.rows, of: settings.rows, random: &random), 1)
        case .fillseqsync: (Keys.sequential(settings.syncRows), 1)
        case .fillrandsync: (Keys.distinct(settings.syncRows, of: settings.rows, random: &random), 1)
        case .fillseqbatch: (Keys.sequential(settings.rows), settings.batchSize)
        default: preconditionFailure("\(context.workload) is not a fill")
        }
        try connection.createTable()
        let (seconds, latency) = try insert(keys, batch: batch, into: connection, context)
        try verifyCount(connection, expected: keys.count)
        return Sample(operations: keys.count, seconds: seconds, bytes: Int64(keys.count) * settings.bytesPerRow, latency: latency)
    }

    /// Inserts `keys` with values from the pool, `batch` rows per transaction (1: autocommit, no
    /// BEGIN), timing each row; a batch's COMMIT is timed with its last row.
    static func insert(_ keys: [Int64], batch: Int, into connection: any BenchConnection,
                       _ context: WorkloadContext) throws -> (seconds: Double, latency: LatencyRecorder) {
        let values = context.values
        if batch <= 1 {
            return try context.timed(count: keys.count) { index in
                try connection.insert(key: keys[index], value: values[index])
            }
        }
        return try context.timed(count: keys.count) { index in
            if index % batch == 0 { try connection.begin() }
            try connection.insert(key: keys[index], value: values[index])
            if index % batch == batch - 1 || index == keys.count - 1 { try connection.commit() }
        }
    }

    static func verifyCount(_ connection: any BenchConnection, expected: Int) throws {
        let (count, _) = try connection.aggregate()
        guard count == expected else { throw BenchError("the table holds \(count) rows, expected \(expected)") }
    }
}
