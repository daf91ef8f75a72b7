/// What one attempt of an operation does: the simulated kernel's side (the fault plan and the
/// injector decide, the file system moves the bytes) and the backend's (a short transfer goes on
/// from where it stopped, as `URingIO` continues a short CQE; an error ends the operation).
extension SimulatedIO {
    enum Outcome {
        /// The operation is over, successfully or with this error.
        case finished(Errno?)
        /// A short transfer: the rest is issued as another attempt.
        case continues
    }

    func attempt(_ operation: inout Operation) -> Outcome {
        let attempt = operation.attempts
        operation.attempts += 1
        switch operation.completion.operation {
        case .read(let file, let buffer, let offset):
            return read(operation, file, buffer, offset, attempt: attempt)
        case .write(let file, _, let offset), .writev(let file, _, let offset):
            return write(operation, file, offset, attempt: attempt)
        case .sync(let file, _):
            return sync(operation, file, attempt: attempt)
        case .truncate(let file, let length):
            return truncate(operation, file, length)
        case .group:
            preconditionFailure("a group is not submitted to a backend")
        }
    }

    private func read(_ operation: Operation, _ file: StorageFile, _ buffer: IOBuffer, _ offset: Int64, attempt: Int) -> Outcome {
        let completion = operation.completion
        let done = completion.bytesTransferred
        let remaining = buffer.count - done
        guard remaining > 0 else { return .finished(nil) }
        let at = offset + Int64(done)
        var length = remaining
        var fault: InjectedFault?
        switch injected(.read, file, at, remaining, attempt) {
        case .fail(let error)?:
            trace.record(event(operation, .transferred(offset: at, requested: remaining, moved: 0, fault: .injector)))
            return .finished(error)
        case .shortTransfer(let maxBytes)?:
            length = max(1, min(remaining, maxBytes))
            if length < remaining { fault = .injector }
        case nil:
            if random.chance(faults.readError) {
                trace.record(event(operation, .transferred(offset: at, requested: remaining, moved: 0, fault: .readError)))
                return .finished(.io)
            }
            if remaining > 1 && random.chance(faults.shortRead) {
                length = 1 + random.below(remaining - 1)
                fault = .shortRead
            }
        }
        let moved: Int
        do { moved = try fileSystem.read(file.simulatedFile, into: buffer.base + done, count: length, offset: at) } catch {
            trace.record(event(operation, .transferred(offset: at, requested: length, moved: 0, fault: fault)))
            return .finished(error)
        }
        trace.record(event(operation, .transferred(offset: at, requested: length, moved: moved, fault: fault)))
        // Nothing more at the end of the file: the read ends short, without an error.
        if moved == 0 { return .finished(nil) }
        completion.bytesTransferred += moved
        precondition(completion.bytesTransferred <= completion.expectedBytes, "a read moved more bytes than asked for")
        return completion.bytesTransferred == completion.expectedBytes ? .finished(nil) : .continues
    }

    private func write(_ operation: Operation, _ file: StorageFile, _ offset: Int64, attempt: Int) -> Outcome {
        let completion = operation.completion
        let done = completion.bytesTransferred
        let remaining = completion.expectedBytes - done
        guard remaining > 0 else { return .finished(nil) }
        let at = offset + Int64(done)
        var length = remaining
        var fault: InjectedFault?
        var failure: Errno?
        switch injected(.write, file, at, remaining, attempt) {
        case .fail(let error)?:
            (fault, failure) = (.injector, error)
        case .shortTransfer(let maxBytes)?:
            length = max(1, min(remaining, maxBytes))
            if length < remaining { fault = .injector }
        case nil:
            if random.chance(faults.writeError) {
                (fault, failure) = (.writeError, .io)
            } else if random.chance(faults.noSpace) {
                (fault, failure) = (.noSpace, .noSpace)
            } else if random.chance(faults.tornWrite) {
                (fault, failure) = (.tornWrite, .io)
            } else if remaining > 1 && random.chance(faults.shortWrite) {
                length = 1 + random.below(remaining - 1)
                fault = .shortWrite
            }
        }
        var moved = 0
        do throws(Errno) {
            if fault == .tornWrite {
                // The device failed partway: some of the write's sectors landed, the rest did not.
                let pieces = CrashSettlement.sectorPieces(offset: Int(at), length: length, sectorSize: fileSystem.sectorSize)
                if pieces.count > 1 {
                    let landed = CrashSettlement.tornPieces(pieces, prefixChance: failedSync.tornPrefix, &random)
                    try fileSystem.writePieces(file.simulatedFile, Self.bytes(of: completion, from: done, count: length), at: at, pieces: landed)
                }
            } else if failure == nil {
                moved = try fileSystem.write(file.simulatedFile, Self.bytes(of: completion, from: done, count: length), at: at)
            }
        } catch {
            failure = error
        }
        trace.record(event(operation, .transferred(offset: at, requested: length, moved: moved, fault: fault)))
        if let failure { return .finished(failure) }
        precondition(moved > 0, "a simulated write moved nothing without failing")
        completion.bytesTransferred += moved
        return completion.bytesTransferred == completion.expectedBytes ? .finished(nil) : .continues
    }

    private func sync(_ operation: Operation, _ file: StorageFile, attempt: Int) -> Outcome {
        var failure: Errno?
        var fault: InjectedFault?
        if case .fail(let error)? = injected(.sync, file, 0, 0, attempt) {
            (fault, failure) = (.injector, error)
        } else if random.chance(faults.syncError) {
            (fault, failure) = (.syncError, .io)
        }
        do {
            if failure != nil {
                // A failed fsync decides the fate of what it covered, whatever the reason it failed.
                _ = try fileSystem.failSync(file.simulatedFile, through: operation.watermark, plan: failedSync, random: &random)
            } else {
                try fileSystem.sync(file.simulatedFile, through: operation.watermark)
            }
        } catch {
            failure = error
        }
        trace.record(event(operation, .synced(watermark: operation.watermark, fault: fault)))
        return .finished(failure)
    }

    private func truncate(_ operation: Operation, _ file: StorageFile, _ length: Int64) -> Outcome {
        var failure: Errno?
        var fault: InjectedFault?
        if case .fail(let error)? = injected(.truncate, file, length, 0, 0) {
            (fault, failure) = (.injector, error)
        } else if random.chance(faults.truncateError) {
            (fault, failure) = (.truncateError, .io)
        } else {
            do { try fileSystem.truncate(file.simulatedFile, to: length) } catch { failure = error }
        }
        trace.record(event(operation, .truncated(length: length, fault: fault)))
        return .finished(failure)
    }

    private func injected(_ kind: FaultPoint.Kind, _ file: StorageFile, _ offset: Int64, _ length: Int, _ attempt: Int) -> FaultAction? {
        injector?(FaultPoint(kind: kind, path: file.path, offset: offset, length: length, attempt: attempt))
    }

    /// `count` bytes of what the write or writev moves, from byte `start` of it on.
    private static func bytes(of completion: Completion, from start: Int, count: Int) -> [UInt8] {
        switch completion.operation {
        case .write(_, let buffer, _):
            return Array(UnsafeRawBufferPointer(start: buffer.base + start, count: count))
        case .writev(_, let buffers, _):
            var bytes: [UInt8] = []
            bytes.reserveCapacity(count)
            var skip = start
            for buffer in buffers where bytes.count < count {
                if skip >= buffer.count { skip -= buffer.count; continue }
                let length = min(buffer.count - skip, count - bytes.count)
                bytes.append(contentsOf: UnsafeRawBufferPointer(start: buffer.base + skip, count: length))
                skip = 0
            }
            return bytes
        default:
            preconditionFailure("\(completion.operation) writes no bytes")
        }
    }
}
