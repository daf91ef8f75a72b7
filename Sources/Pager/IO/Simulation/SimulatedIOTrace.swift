/// A fault `SimulatedIO` injected into one attempt.
package enum InjectedFault: String, Sendable, Equatable {
    case shortRead, shortWrite, readError, writeError, noSpace, tornWrite, syncError, truncateError
    /// The test's `FaultInjector` shortened or failed the attempt.
    case injector
}

/// One decision of a `SimulatedIO`, enough to see why a run went the way it did and to check
/// that a replay makes the same decisions.
package struct SimulatedIOEvent: Sendable, Equatable, CustomStringConvertible {
    package enum Action: Sendable, Equatable {
        /// Queued; its first attempt is due at tick `due`.
        case submitted(operation: String, offset: Int64, length: Int, due: UInt64)
        /// A read or write attempt at `offset` asked for `requested` bytes and moved `moved`.
        case transferred(offset: Int64, requested: Int, moved: Int, fault: InjectedFault?)
        /// A short transfer goes on; its next attempt is due at tick `due`.
        case continued(due: UInt64)
        /// An fsync covering the changes numbered up to `watermark` completed or failed.
        case synced(watermark: UInt64, fault: InjectedFault?)
        case truncated(length: Int64, fault: InjectedFault?)
        /// The completion finished with these bytes, or this error.
        case finished(bytes: Int, error: Errno?)
    }

    package let tick: UInt64
    /// The operation's number in its backend, from 1 in submission order.
    package let operation: UInt64
    package let path: String
    package let action: Action

    package var description: String {
        let what: String = switch action {
        case .submitted(let operation, let offset, let length, let due):
            "submit \(operation) @\(offset)+\(length) due t\(due)"
        case .transferred(let offset, let requested, let moved, let fault):
            "transfer @\(offset) \(moved)/\(requested)" + (fault.map { " [\($0.rawValue)]" } ?? "")
        case .continued(let due):
            "continue due t\(due)"
        case .synced(let watermark, let fault):
            "sync through #\(watermark)" + (fault.map { " [\($0.rawValue)]" } ?? "")
        case .truncated(let length, let fault):
            "truncate to \(length)" + (fault.map { " [\($0.rawValue)]" } ?? "")
        case .finished(let bytes, let error):
            error.map { "finish \(bytes) bytes, \($0.name)" } ?? "finish \(bytes) bytes"
        }
        return "t\(tick) op\(operation) \(path): \(what)"
    }

    /// Feeds the event to a digest in a form that does not depend on the process (Swift's
    /// `Hasher` is seeded per process).
    func feed(_ digest: inout StableDigest) {
        digest.combine(tick)
        digest.combine(operation)
        digest.combine(path)
        switch action {
        case .submitted(let operation, let offset, let length, let due):
            digest.combine(1, operation, UInt64(bitPattern: offset), UInt64(length), due)
        case .transferred(let offset, let requested, let moved, let fault):
            digest.combine(2, fault?.rawValue ?? "", UInt64(bitPattern: offset), UInt64(requested), UInt64(moved))
        case .continued(let due):
            digest.combine(3, "", due)
        case .synced(let watermark, let fault):
            digest.combine(4, fault?.rawValue ?? "", watermark)
        case .truncated(let length, let fault):
            digest.combine(5, fault?.rawValue ?? "", UInt64(bitPattern: length))
        case .finished(let bytes, let error):
            digest.combine(6, "", UInt64(bytes), UInt64(UInt32(bitPattern: error?.rawValue ?? 0)))
        }
    }
}

/// The decisions of one `SimulatedIO`: a digest of all of them, and the most recent ones in
/// full (older events are dropped past `capacity`, so long runs stay small).
package struct SimulatedIOTrace: Sendable {
    package let capacity: Int
    /// How many events there have been.
    package private(set) var count = 0
    private var stored: [SimulatedIOEvent] = []
    private var start = 0
    private var state = StableDigest()

    package init(capacity: Int) {
        precondition(capacity >= 0, "a trace cannot keep fewer than no events")
        self.capacity = capacity
    }

    /// A digest of every event so far: two runs made the same decisions when their digests match.
    package var digest: UInt64 { state.value }

    /// The events kept, oldest first.
    package var events: [SimulatedIOEvent] { Array(stored[start...] + stored[..<start]) }

    mutating func record(_ event: SimulatedIOEvent) {
        event.feed(&state)
        count += 1
        guard capacity > 0 else { return }
        if stored.count < capacity {
            stored.append(event)
        } else {
            stored[start] = event
            start = (start + 1) % capacity
        }
    }
}

/// FNV-1a over 64 bits: a hash that is the same in every process and on every run.
package struct StableDigest: Sendable, Equatable {
    package private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    package init() {}

    package mutating func combine(_ word: UInt64) {
        var word = word
        for _ in 0..<8 {
            value = (value ^ (word & 0xFF)) &* 0x0000_0100_0000_01B3
            word >>= 8
        }
    }

    package mutating func combine(_ text: String) {
        for byte in text.utf8 { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        combine(UInt64(text.utf8.count))
    }

    package mutating func combine(_ bytes: some Sequence<UInt8>) {
        var count: UInt64 = 0
        for byte in bytes {
            value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            count += 1
        }
        combine(count)
    }

    mutating func combine(_ tag: UInt64, _ label: String, _ words: UInt64...) {
        combine(tag)
        combine(label)
        for word in words { combine(word) }
    }
}
