#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CUring

/// The io_uring backend. Each completion becomes one SQE whose user_data names a slot in the table
/// of operations in flight (slot index in the low 32 bits, the slot's generation in the high 32, so
/// a stale or duplicated CQE is caught instead of finishing the wrong operation). SQEs are batched:
/// `submit` only prepares them, and `flush`, `poll` or `wait` hands them to the kernel, `wait`
/// in the same `io_uring_enter` that waits.
///
/// Short reads and writes are continued with another SQE from where they stopped; -EAGAIN and
/// -EBUSY, from a CQE or from io_uring_enter, are back-pressure and retried; a full SQ or more
/// operations than the CQ can hold queue up here instead of failing. A completion keeps its file
/// and buffers until its last CQE has been reaped.
package final class URingIO: IOBackend {
    package var kind: IOBackendKind { .uring }

    private let ring: URing
    private let pool: BufferPool?
    private let injector: FaultInjector?
    /// Operations in the kernel's hands (SQE prepared or submitted, CQE not yet reaped) are capped
    /// at the CQ size so the CQ can never overflow.
    private let maxInFlight: Int

    private var slots: [Slot] = []
    private var freeSlots: [Int32] = []
    /// Completions waiting for an SQE (the SQ was full or the in-flight cap reached), oldest first.
    private var waiting = FIFO<Completion>()
    /// Operations that failed without reaching the kernel (an injected fault, a truncate done
    /// synchronously), finished at the next reap so callbacks always run from poll/wait.
    private var local: [(slot: Int32, error: Errno?)] = []
    private var kernelInFlight = 0
    private let cqes: UnsafeMutablePointer<rl_cqe>
    private let cqeCapacity: Int

    /// Fixed-buffer registration per pool arena: nil not yet tried, true registered, false refused.
    private var arenaRegistered: [Bool?]
    private var fixedBuffersUsable: Bool

    private struct Slot {
        var completion: Completion?
        var generation: UInt32 = 0
        /// iovecs for a writev, kept alive while the SQE is in flight.
        var vectors: UnsafeMutablePointer<rl_buffer>?
        var vectorCapacity = 0
        var attempt = 0
        var zeroWrites = 0
    }

    /// Creates a ring of `entries` SQEs. Throws the setup error when io_uring cannot be used.
    /// - Parameters:
    ///   - pool: when given, its arenas are registered as fixed buffers as they appear, and
    ///     transfers into them use READ_FIXED/WRITE_FIXED.
    ///   - injector: shortens or fails transfers before they are issued (tests).
    package init(entries: UInt32 = 256, pool: BufferPool? = nil, injector: FaultInjector? = nil) throws(Errno) {
        ring = try URing(entries: entries)
        self.pool = pool
        self.injector = injector
        maxInFlight = ring.cqEntries
        cqeCapacity = ring.cqEntries
        cqes = .allocate(capacity: ring.cqEntries)
        arenaRegistered = []
        fixedBuffersUsable = false
        if pool != nil {
            let rc = rl_register_buffers_sparse(ring.raw, UInt32(BufferPool.maxArenas))
            if rc == 0 {
                fixedBuffersUsable = true
                arenaRegistered = Array(repeating: nil, count: BufferPool.maxArenas)
            } else {
                Log.once("uring.sparse", .notice,
                         "io_uring: fixed buffers unavailable (\(Errno(rawValue: -rc))); using plain reads and writes")
            }
        }
    }

    deinit {
        // Buffers and files must outlive the kernel's use of them: finish what is in flight first.
        drain()
        for slot in slots { slot.vectors?.deallocate() }
        cqes.deallocate()
    }

    package var inFlightCount: Int { kernelInFlight + waiting.count + local.count }

    /// Whether transfers into `buffer` would use a registered (fixed) buffer. For tests and bench.
    package func usesFixedBuffer(_ buffer: IOBuffer) -> Bool { fixedIndex(for: buffer) != nil }

    // MARK: Submission

    package func submit(_ completion: Completion) {
        completion.markSubmitted()
        if case .truncate(let file, let length) = completion.operation {
            // liburing 2.3 has no truncate SQE; ftruncate is rare (checkpoint TRUNCATE) and cheap.
            let slot = takeSlot(for: completion)
            var error = injectedFailure(completion, .truncate, offset: length, length: 0)
            if error == nil {
                do { try file.truncate(to: length) } catch let failure { error = failure }
            }
            local.append((slot, error))
            return
        }
        if kernelInFlight >= maxInFlight || !waiting.isEmpty {
            waiting.push(completion)
            return
        }
        let slot = takeSlot(for: completion)
        prepareOrQueue(slot)
    }

    private func takeSlot(for completion: Completion) -> Int32 {
        let index: Int32
        if let free = freeSlots.popLast() {
            index = free
        } else {
            index = Int32(slots.count)
            slots.append(Slot())
        }
        slots[Int(index)].completion = completion
        slots[Int(index)].attempt = 0
        slots[Int(index)].zeroWrites = 0
        return index
    }

    private func releaseSlot(_ index: Int32) -> Completion {
        let i = Int(index)
        guard let completion = slots[i].completion else {
            preconditionFailure("io_uring slot \(index) released twice")
        }
        slots[i].completion = nil
        slots[i].generation &+= 1
        freeSlots.append(index)
        return completion
    }

    /// Prepares the slot's next SQE; when the SQ is full, submits what is there and tries again.
    private func prepareOrQueue(_ slot: Int32) {
        var rc = prepare(slot)
        if rc == -EBUSY {
            enter(waitFor: 0)
            rc = prepare(slot)
        }
        switch rc {
        case 0: kernelInFlight += 1
        case 1: break
        case -EBUSY:
            // The kernel took none of the SQ (it answered EAGAIN): wait for space like any other
            // operation. Progress so far is in the completion, so a new slot continues it.
            waiting.push(releaseSlot(slot))
        default:
            preconditionFailure("preparing an SQE failed with \(rc)")
        }
    }

    /// Fills an SQE for the part of the slot's operation not yet done. Returns 0 when an SQE was
    /// prepared, 1 when the attempt failed locally (recorded in `local`), -EBUSY when the SQ is full.
    private func prepare(_ slot: Int32) -> Int32 {
        let i = Int(slot)
        let completion = slots[i].completion!
        let userData = UInt64(slots[i].generation) << 32 | UInt64(UInt32(bitPattern: slot))
        let done = completion.bytesTransferred
        switch completion.operation {
        case .read(let file, let buffer, let offset):
            guard let length = clampedLength(completion, .read, offset + Int64(done), buffer.count - done, slot) else { return 1 }
            let fd = file.posixDescriptor
            if let index = fixedIndex(for: buffer) {
                return rl_prep_read_fixed(ring.raw, fd, buffer.base + done, UInt32(length), UInt64(offset) + UInt64(done), index, userData, 0)
            }
            return rl_prep_read(ring.raw, fd, buffer.base + done, UInt32(length), UInt64(offset) + UInt64(done), userData, 0)
        case .write(let file, let buffer, let offset):
            guard let length = clampedLength(completion, .write, offset + Int64(done), buffer.count - done, slot) else { return 1 }
            let fd = file.posixDescriptor
            if let index = fixedIndex(for: buffer) {
                return rl_prep_write_fixed(ring.raw, fd, buffer.base + done, UInt32(length), UInt64(offset) + UInt64(done), index, userData, 0)
            }
            return rl_prep_write(ring.raw, fd, buffer.base + done, UInt32(length), UInt64(offset) + UInt64(done), userData, 0)
        case .writev(let file, let buffers, let offset):
            let total = completion.expectedBytes
            guard let limit = clampedLength(completion, .write, offset + Int64(done), total - done, slot) else { return 1 }
            let count = fillVectors(slot, buffers, skipping: done, limit: limit)
            return rl_prep_writev(ring.raw, file.posixDescriptor, slots[i].vectors, UInt32(count), UInt64(offset) + UInt64(done), userData, 0)
        case .sync(let file, let dataOnly):
            if let error = injectedFailure(completion, .sync, offset: 0, length: 0) {
                local.append((slot, error))
                return 1
            }
            return rl_prep_fsync(ring.raw, file.posixDescriptor, dataOnly, userData, 0)
        case .truncate, .group:
            preconditionFailure("\(completion.operation) does not become an SQE")
        }
    }

    /// The length to issue for the next transfer, after the fault injector has had its say; nil
    /// when the injector failed the attempt (recorded in `local`).
    private func clampedLength(_ completion: Completion, _ kind: FaultPoint.Kind, _ offset: Int64, _ remaining: Int, _ slot: Int32) -> Int? {
        precondition(remaining > 0, "an SQE for a transfer with nothing left to do")
        precondition(remaining <= Int(Int32.max), "one transfer is at most 2 GiB")
        guard let injector else { return remaining }
        let point = FaultPoint(kind: kind, path: completion.path, offset: offset, length: remaining, attempt: slots[Int(slot)].attempt)
        switch injector(point) {
        case .fail(let error):
            local.append((slot, error))
            return nil
        case .shortTransfer(let maxBytes):
            return max(1, min(remaining, maxBytes))
        case nil:
            return remaining
        }
    }

    private func injectedFailure(_ completion: Completion, _ kind: FaultPoint.Kind, offset: Int64, length: Int) -> Errno? {
        guard let injector else { return nil }
        if case .fail(let error) = injector(FaultPoint(kind: kind, path: completion.path, offset: offset, length: length, attempt: 0)) {
            return error
        }
        return nil
    }

    private func fillVectors(_ slot: Int32, _ buffers: [IOBuffer], skipping: Int, limit: Int) -> Int {
        let i = Int(slot)
        if slots[i].vectorCapacity < buffers.count {
            slots[i].vectors?.deallocate()
            slots[i].vectors = .allocate(capacity: buffers.count)
            slots[i].vectorCapacity = buffers.count
        }
        let vectors = slots[i].vectors!
        var skip = skipping
        var remaining = limit
        var count = 0
        for buffer in buffers where remaining > 0 {
            if skip >= buffer.count { skip -= buffer.count; continue }
            let length = min(buffer.count - skip, remaining)
            vectors[count] = rl_buffer(base: buffer.base + skip, length: length)
            skip = 0
            remaining -= length
            count += 1
        }
        return count
    }

    /// The fixed-buffer index for `buffer`, registering its arena with this ring on first use.
    private func fixedIndex(for buffer: IOBuffer) -> Int32? {
        guard fixedBuffersUsable, let registration = buffer.registration, let pool,
              registration.poolID == pool.id else { return nil }
        let arena = Int(registration.arena)
        if let known = arenaRegistered[arena] { return known ? registration.arena : nil }
        var memory = rl_buffer()
        let region = pool.arenaMemory(arena)
        memory.base = region.baseAddress
        memory.length = region.count
        let rc = rl_update_buffers(ring.raw, UInt32(arena), &memory, 1)
        if rc >= 1 {
            arenaRegistered[arena] = true
            return registration.arena
        }
        arenaRegistered[arena] = false
        Log.once("uring.register", .notice,
                 "io_uring: could not register buffer arena (\(Errno(rawValue: -rc)); RLIMIT_MEMLOCK?); using plain reads and writes for it")
        return nil
    }

    // MARK: Completion

    package func flush() {
        if rl_ring_sq_ready(ring.raw) > 0 { enter(waitFor: 0) }
    }

    package func poll() {
        flush()
        _ = reap()
    }

    package func wait(for completion: Completion) {
        while !completion.isFinished {
            if reap() > 0 { continue }
            precondition(kernelInFlight > 0 || !waiting.isEmpty,
                         "waiting for a completion that nothing will finish (never submitted, or a group never built)")
            enter(waitFor: kernelInFlight > 0 ? 1 : 0)
        }
    }

    package func drain() {
        while inFlightCount > 0 {
            if reap() > 0 { continue }
            enter(waitFor: kernelInFlight > 0 ? 1 : 0)
        }
    }

    /// One io_uring_enter: submits the prepared SQEs and waits for `waitFor` completions.
    private func enter(waitFor: UInt32) {
        while true {
            let rc = waitFor > 0 ? rl_submit_and_wait(ring.raw, waitFor) : rl_submit(ring.raw)
            if rc >= 0 { return }
            switch -rc {
            case EINTR:
                continue
            case EAGAIN, EBUSY:
                // The kernel is short of resources or holds overflowed CQEs: reap, then go on.
                // Returning lets the caller's loop reap and call again.
                return
            default:
                preconditionFailure("io_uring_enter failed with \(Errno(rawValue: -rc)): the ring is unusable")
            }
        }
    }

    /// Finishes what the kernel (or a local failure) has completed; moves waiting completions into
    /// freed SQ space. Returns how many completions finished or progressed.
    @discardableResult
    private func reap() -> Int {
        var handled = 0
        if !local.isEmpty {
            let failed = local
            local.removeAll(keepingCapacity: true)
            for (slot, error) in failed {
                let completion = releaseSlot(slot)
                completion.finish(error: error)
                handled += 1
            }
        }
        while true {
            let count = Int(rl_drain_cqes(ring.raw, cqes, UInt32(cqeCapacity)))
            if count == 0 { break }
            for k in 0..<count { handle(cqes[k]) }
            handled += count
        }
        admitWaiting()
        return handled
    }

    private func handle(_ cqe: rl_cqe) {
        let slot = Int32(bitPattern: UInt32(truncatingIfNeeded: cqe.user_data))
        let generation = UInt32(truncatingIfNeeded: cqe.user_data >> 32)
        precondition(Int(slot) < slots.count && slots[Int(slot)].completion != nil
                     && slots[Int(slot)].generation == generation,
                     "a CQE for io_uring slot \(slot) generation \(generation) that is not in flight")
        kernelInFlight -= 1
        let completion = slots[Int(slot)].completion!
        slots[Int(slot)].attempt += 1
        if cqe.res < 0 {
            let error = Errno(rawValue: -cqe.res)
            if error == .tryAgain || error == .busy || error == .interrupted {
                resubmit(slot)
            } else {
                releaseSlot(slot).finish(error: error)
            }
            return
        }
        switch completion.operation {
        case .sync:
            releaseSlot(slot).finish(error: nil)
        case .read, .write, .writev:
            let moved = Int(cqe.res)
            if moved == 0 {
                if case .read = completion.operation {
                    releaseSlot(slot).finish(error: nil)  // end of file: a short read, not an error
                    return
                }
                slots[Int(slot)].zeroWrites += 1
                if slots[Int(slot)].zeroWrites > 8 {
                    releaseSlot(slot).finish(error: .io)
                    return
                }
            }
            completion.bytesTransferred += moved
            precondition(completion.bytesTransferred <= completion.expectedBytes, "the kernel moved more bytes than asked for")
            if completion.bytesTransferred == completion.expectedBytes {
                releaseSlot(slot).finish(error: nil)
            } else {
                resubmit(slot)
            }
        case .truncate, .group:
            preconditionFailure("\(completion.operation) never reaches the kernel")
        }
    }

    /// Issues the rest of a slot's operation again (continuation or back-pressure retry).
    private func resubmit(_ slot: Int32) {
        prepareOrQueue(slot)
    }

    private func admitWaiting() {
        while kernelInFlight < maxInFlight, let next = waiting.pop() {
            let slot = takeSlot(for: next)
            prepareOrQueue(slot)
        }
    }
}

@available(*, unavailable)
extension URingIO: Sendable {}

extension Completion {
    /// The file's path, for fault points and messages.
    var path: String {
        switch operation {
        case .read(let file, _, _), .write(let file, _, _), .writev(let file, _, _),
             .sync(let file, _), .truncate(let file, _):
            file.path
        case .group: "(group)"
        }
    }
}

/// A first-in first-out queue that reuses its storage.
struct FIFO<Element> {
    private var items: [Element?] = []
    private var head = 0

    var isEmpty: Bool { head == items.count }
    var count: Int { items.count - head }

    mutating func push(_ element: Element) { items.append(element) }

    mutating func pop() -> Element? {
        guard head < items.count else { return nil }
        let element = items[head]
        items[head] = nil
        head += 1
        if head == items.count {
            items.removeAll(keepingCapacity: true)
            head = 0
        }
        return element
    }
}
