import Glibc

/// Standard output with a buffer of our own, so that rows are written in large pieces and the
/// shell decides when they reach the reader: after every statement (a program piping SQL in sees
/// each result as soon as its statement has run), before a prompt, and when the buffer fills.
final class Output {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 16

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(Self.flushThreshold)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.flushThreshold { flush() }
    }

    func write<Bytes: Sequence<UInt8>>(bytes: Bytes) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= Self.flushThreshold { flush() }
    }

    func write(byte: UInt8) {
        buffer.append(byte)
        if buffer.count >= Self.flushThreshold { flush() }
    }

    /// Hands everything buffered to the kernel, retrying interrupted and partial writes. A
    /// reader that went away (EPIPE with SIGPIPE ignored) ends the output silently, as it does
    /// for sqlite3, which dies of the signal.
    func flush() {
        var written = 0
        buffer.withUnsafeBytes { raw in
            while written < raw.count {
                let result = Glibc.write(descriptor, raw.baseAddress! + written, raw.count - written)
                if result < 0 {
                    if errno == EINTR { continue }
                    break
                }
                written += result
            }
        }
        buffer.removeAll(keepingCapacity: true)
    }
}
