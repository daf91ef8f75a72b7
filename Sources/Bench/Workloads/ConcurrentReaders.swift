import Dispatch
import Foundation
import Synchronization

/// readwhilewriting: `--threads` connections, each on its own thread, read random keys while the
/// workload's own connection updates random keys, one row per transaction, until the readers are
/// done. Operations are the readers' reads; the writer's rate is reported beside them.
enum ConcurrentReaders {
    /// What the reader threads hand back.
    private final class Collected: Sendable {
        let latency = Mutex(LatencyRecorder())
        let failures = Mutex<[String]>([])
        let readersLeft: Atomic<Int>
        let readersDone = Atomic<Bool>(false)
        let finishedNanoseconds = Atomic<UInt64>(0)
        /// Reads done so far, updated every 256 reads, for the progress bar.
        let readsDone = Atomic<Int>(0)

        init(readers: Int) { readersLeft = Atomic(readers) }
    }

    static func run(_ writer: any BenchConnection, _ context: WorkloadContext) throws -> Sample {
        let settings = context.settings
        let threads = settings.threads
        let readsPerThread = max(settings.reads / threads, 1)
        let collected = Collected(readers: threads)
        let ready = DispatchSemaphore(value: 0)
        let go = DispatchSemaphore(value: 0)
        let finished = DispatchGroup()
        let engine = context.engine, path = context.path, config = context.config
        let rows = settings.rows, valueSize = settings.valueSize
        for reader in 0..<threads {
            var random = context.random("reader \(reader)")
            let keys = Keys.uniform(readsPerThread, of: rows, random: &random)
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                var connection: (any BenchConnection)?
                do {
                    connection = try engine.connect(path: path, config: config)
                    // A first read opens the connection's snapshot machinery outside the timing.
                    _ = try connection!.read(key: 0)
                } catch {
                    collected.failures.withLock { $0.append("reader \(reader) could not start: \(error)") }
                }
                ready.signal()
                go.wait()
                if let connection {
                    defer { connection.close() }
                    do {
                        var latency = LatencyRecorder()
                        var last = monotonicNanoseconds()
                        for (index, key) in keys.enumerated() {
                            if index & 255 == 255 { collected.readsDone.add(256, ordering: .relaxed) }
                            guard try connection.read(key: key) == valueSize else {
                                throw BenchError("key \(key) not found or of the wrong size")
                            }
                            let now = monotonicNanoseconds()
                            latency.record(nanoseconds: now - last)
                            last = now
                        }
                        let merged = latency
                        collected.latency.withLock { $0.merge(merged) }
                    } catch {
                        collected.failures.withLock { $0.append("reader \(reader): \(error)") }
                    }
                }
                if collected.readersLeft.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 {
                    collected.finishedNanoseconds.store(monotonicNanoseconds(), ordering: .releasing)
                    collected.readersDone.store(true, ordering: .releasing)
                }
            }
            thread.start()
        }
        for _ in 0..<threads { ready.wait() }

        var random = context.random("writer")
        let values = context.values
        var writes = 0
        var progress = ProgressBar(label: context.label, total: readsPerThread * threads)
        let start = monotonicNanoseconds()
        for _ in 0..<threads { go.signal() }
        var writerFailure: Error?
        while !collected.readersDone.load(ordering: .acquiring) {
            do {
                let key = Int64(random.next() % UInt64(rows))
                let changed = try writer.update(key: key, value: values[writes + 1])
                guard changed == 1 else { throw BenchError("UPDATE of key \(key) changed \(changed) rows, expected 1") }
                writes += 1
            } catch {
                writerFailure = error
                break
            }
            if writes & 63 == 0 { progress.update(done: collected.readsDone.load(ordering: .relaxed), now: monotonicNanoseconds()) }
        }
        let writerEnd = monotonicNanoseconds()
        finished.wait()
        progress.finish()
        let failures = collected.failures.withLock { $0 }
        if let writerFailure { throw BenchError("writer: \(writerFailure)") }
        if !failures.isEmpty { throw BenchError(failures.joined(separator: "; ")) }
        let end = collected.finishedNanoseconds.load(ordering: .acquiring)
        let seconds = Double(end - start) / 1e9
        let reads = readsPerThread * threads
        let latency = collected.latency.withLock { $0 }
        return Sample(operations: reads, seconds: seconds, bytes: Int64(reads) * settings.bytesPerRow, latency: latency,
                      extra: ["writesPerSecond": Double(writes) / (Double(writerEnd - start) / 1e9)])
    }
}
