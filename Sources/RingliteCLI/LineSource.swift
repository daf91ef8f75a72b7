import Glibc

/// Where the shell's lines come from: standard input (a pipe or file, or a terminal with line
/// editing) or a file named by `.read`. Lines are bytes without their line break ("\n" or
/// "\r\n"), as sqlite3's local_getline returns them.
protocol LineSource: AnyObject {
    /// The next line, or nil at the end of the input. `continuation` is true while a statement
    /// is incomplete (a terminal shows the continuation prompt).
    func readLine(continuation: Bool) -> [UInt8]?
    /// Whether errors name the line they happened on (not at a terminal, as in sqlite3).
    var reportsLines: Bool { get }
}

/// Splits bytes into lines as they arrive: a line is returned as soon as its "\n" has been
/// read, never waiting for more input than that, so statements run while the writer is still
/// writing.
final class DescriptorLineSource: LineSource {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private var start = 0
    private var ended = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    var reportsLines: Bool { true }

    func readLine(continuation: Bool) -> [UInt8]? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0a) {
                var end = newline
                if end > start && buffer[end - 1] == 0x0d { end -= 1 }
                let line = Array(buffer[start..<end])
                start = newline + 1
                if start > 1 << 16 { buffer.removeFirst(start); start = 0 }
                return line
            }
            if ended {
                guard start < buffer.count else { return nil }
                let line = Array(buffer[start...])
                start = buffer.count
                return line
            }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { ended = true; continue }
            buffer.append(contentsOf: chunk[0..<count])
        }
    }
}

/// A file's lines (for `.read`).
final class BytesLineSource: LineSource {
    private let bytes: [UInt8]
    private var position = 0

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var reportsLines: Bool { true }

    func readLine(continuation: Bool) -> [UInt8]? {
        guard position < bytes.count else { return nil }
        let newline = bytes[position...].firstIndex(of: 0x0a)
        var end = newline ?? bytes.count
        if newline != nil && end > position && bytes[end - 1] == 0x0d { end -= 1 }
        let line = Array(bytes[position..<end])
        position = (newline ?? bytes.count - 1) + 1
        return line
    }

    /// The file's bytes, or nil when it cannot be read.
    static func contents(ofFile path: String) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else { return nil }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return nil }
            if count == 0 { return result }
            result.append(contentsOf: chunk[0..<count])
        }
    }
}

/// A terminal: the prompt ("ringlite> ", or "   ...> " inside a statement), then a line read
/// with editing and history.
final class TerminalLineSource: LineSource {
    let editor: LineEditor
    let output: Output
    static let prompt = "ringlite> "
    static let continuationPrompt = "   ...> "

    init(editor: LineEditor, output: Output) {
        self.editor = editor
        self.output = output
    }

    var reportsLines: Bool { false }

    func readLine(continuation: Bool) -> [UInt8]? {
        output.flush()
        return editor.readLine(prompt: continuation ? Self.continuationPrompt : Self.prompt)
    }
}
