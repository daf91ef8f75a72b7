/// overwrite, update-random, delete-random and checkpoint on a filled table.
enum WriteWorkloads {
    static func run(_ connection: any BenchConnection, _ context: WorkloadContext) throws -> Sample {
        switch context.workload {
        case .overwrite: try overwrite(connection, context)
        case .updateRandom: try updateRandom(connection, context)
        case .deleteRandom: try deleteRandom(connection, context)
        case .checkpoint: try checkpoint(connection, context)
        default: preconditionFailure("\(context.workload) is not a write")
        }
    }

    static func overwrite(_ connection: any BenchConnection, _ context: WorkloadContext) throws -> Sample {
        let settings = context.settings
        var random = context.random()
        let keys = Keys.uniform(settings.rows, of: settings.rows, random: &random)
        let values = context.values
        let (seconds, latency) = try context.timed(count: keys.count) { index in
            // Offset by one so each key gets a value other than the one the fill wrote.
            try connection.replace(key: keys[index], value: values[index + 1])
        }
        try FillWorkloads.verifyCount(connection, expected: settings.rows)
        return Sample(operations: keys.count, seconds: seconds, bytes: Int64(keys.count) * settings.bytesPerRow, latency: latency)
    }

    static func updateRandom(_ connection: any BenchConnection, _ context: WorkloadContext) throws -> Sample {
        let settings = context.settings
        var random = context.random()
        let keys = Keys.uniform(settings.rows, of: settings.rows, random: &random)
        let values = context.values
        let (seconds, latency) = try context.timed(count: keys.count) { index in
            let changed = try connection.update(key: keys[index], value: values[index + 1])
            guard changed == 1 else { throw BenchError("UPDATE of key \(keys[index]) changed \(changed) rows, expected 1") }
        }
        return Sample(operations: keys.count, seconds: seconds, bytes: Int64(keys.count) * settings.bytesPerRow, latency: latency)
    }

    static func deleteRandom(_ connection: any BenchConnection, _ context: WorkloadContext) throws -> Sample {
        let settings = context.settings
        var random = context.random()
        let keys = Keys.distinct(settings.deletes, of: settings.rows, random: &random)
        let (seconds, latency) = try context.timed(count: keys.count) { index in
            let changed = try connection.delete(key: keys[index])
            guard changed == 1 else { throw BenchError("DELETE of key \(keys[index]) changed \(changed) rows, expected 1") }
        }
        try FillWorkloads.verifyCount(connection, expected: settings.rows - keys.count)
        return Sample(operations: keys.count, seconds: seconds, bytes: nil, latency: latency)
    }

    /// Untimed: every row updated in key order, 1,000 per transaction, with automatic checkpoints
    /// off, so the log holds every page of the table. Timed: one TRUNCATE checkpoint, counted as
    /// one operation per page of the table.
    static func checkpoint(_ connection: any BenchConnection, _ context: WorkloadContext) throws -> Sample {
        let settings = context.settings
        let values = context.values
        let batch = settings.batchSize
        for key in 0..<settings.rows {
            if key % batch == 0 { try connection.begin() }
            let changed = try connection.update(key: Int64(key), value: values[key + 1])
            guard changed == 1 else { throw BenchError("UPDATE of key \(key) changed \(changed) rows, expected 1") }
            if key % batch == batch - 1 || key == settings.rows - 1 { try connection.commit() }
        }
        let logBytes = DatabaseFiles.size(context.path + "-wal")
        let (seconds, latency) = try context.timed(count: 1) { _ in try connection.checkpoint() }
        let pages = context.tablePages
        guard pages > 0 else { throw BenchError("the table has no pages") }
        return Sample(operations: pages, seconds: seconds, bytes: Int64(pages) * Int64(settings.pageSize), latency: latency,
                      extra: ["logMegabytes": Double(logBytes) / 1_000_000])
    }
}
