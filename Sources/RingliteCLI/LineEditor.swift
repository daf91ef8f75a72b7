import Glibc

/// Reads a line from a terminal with editing and history, as readline does for sqlite3:
/// left/right (and Ctrl-B/F), Home/End (Ctrl-A/E), Backspace, Delete, Ctrl-D (end of input on
/// an empty line), Ctrl-K/U/W (kill to the end, to the start, the word before), up/down (and
/// Ctrl-P/N) through the history, Ctrl-L (clear the screen), Ctrl-C (drop the line).
/// The terminal is in raw mode only while a line is being read, so output and a crash while a
/// statement runs leave it as it was. History is kept in a file (one line per entry) and
/// loaded at start.
final class LineEditor {
    private(set) var history: [String] = []
    private let historyPath: String?
    private let input: Int32 = STDIN_FILENO
    private let output: Int32 = STDOUT_FILENO
    static let historyLimit = 1000

    init(history path: String?) {
        historyPath = path
        if let path, let bytes = BytesLineSource.contents(ofFile: path) {
            history = bytes.split(separator: 0x0a).map { String(decoding: $0, as: UTF8.self) }.suffix(Self.historyLimit)
        }
    }

    /// $RINGLITE_HISTORY, else ~/.ringlite_history; nil without a home directory.
    static func defaultHistoryPath() -> String? {
        if let path = getenv("RINGLITE_HISTORY") { return String(cString: path) }
        guard let home = getenv("HOME") else { return nil }
        return String(cString: home) + "/.ringlite_history"
    }

    /// The line typed after `prompt`, or nil at the end of input (Ctrl-D on an empty line, or
    /// the terminal gone).
    func readLine(prompt: String) -> [UInt8]? {
        var saved = termios()
        guard tcgetattr(input, &saved) == 0 else { return plainLine(prompt: prompt) }
        var raw = saved
        raw.c_iflag &= ~tcflag_t(ICRNL | IXON | INLCR)
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        guard tcsetattr(input, TCSADRAIN, &raw) == 0 else { return plainLine(prompt: prompt) }
        defer { tcsetattr(input, TCSADRAIN, &saved) }
        var state = EditState(history: history)
        emit(prompt)
        while true {
            guard let key = readKey() else {
                emit("\r\n")
                return nil
            }
            switch state.apply(key) {
            case .redraw:
                redraw(prompt: prompt, state)
            case .clearScreen:
                emit("\u{1b}[H\u{1b}[2J")
                redraw(prompt: prompt, state)
            case .submit:
                emit("\r\n")
                let line = state.text
                remember(line)
                return Array(line.utf8)
            case .cancel:
                emit("^C\r\n")
                state = EditState(history: history)
                emit(prompt)
            case .endOfInput:
                emit("\r\n")
                return nil
            case .none:
                break
            }
        }
    }

    /// Without a terminal to configure: the prompt, then a plain line.
    private func plainLine(prompt: String) -> [UInt8]? {
        emit(prompt)
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while read(input, &byte, 1) == 1 {
            if byte == 0x0a { return line }
            line.append(byte)
        }
        return line.isEmpty ? nil : line
    }

    private func remember(_ line: String) {
        guard !line.allSatisfy({ $0 == " " || $0 == "\t" }), history.last != line else { return }
        history.append(line)
        if history.count > Self.historyLimit { history.removeFirst(history.count - Self.historyLimit) }
        guard let historyPath else { return }
        // Rewritten whole after each line: small, and nothing is lost if the process dies.
        let descriptor = open(historyPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(history.joined(separator: "\n").utf8) + [0x0a]
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result <= 0 { if result < 0 && errno == EINTR { continue }; return }
            written += result
        }
    }

    private func redraw(prompt: String, _ state: EditState) {
        var text = "\r" + prompt + state.text + "\u{1b}[K"
        let back = state.scalars.count - state.cursor
        if back > 0 { text += "\u{1b}[\(back)D" }
        emit(text)
    }

    private func emit(_ text: String) {
        let bytes = Array(text.utf8)
        var written = 0
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { Glibc.write(output, $0.baseAddress! + written, $0.count - written) }
            if result <= 0 { if result < 0 && errno == EINTR { continue }; return }
            written += result
        }
    }

    private func readByte() -> UInt8? {
        var byte: UInt8 = 0
        while true {
            let count = read(input, &byte, 1)
            if count == 1 { return byte }
            if count < 0 && errno == EINTR { continue }
            return nil
        }
    }

    /// One key: a character (UTF-8 decoded), a control key, or an escape sequence.
    private func readKey() -> EditState.Key? {
        guard let byte = readByte() else { return nil }
        if byte == 0x1b {
            guard let next = readByte() else { return nil }
            guard next == UInt8(ascii: "[") || next == UInt8(ascii: "O") else { return .ignored }
            var parameter: [UInt8] = []
            while let c = readByte() {
                if (0x40...0x7e).contains(c) { return EditState.Key.escape(final: c, parameter: parameter) }
                parameter.append(c)
                if parameter.count > 8 { return .ignored }
            }
            return nil
        }
        if byte < 0x80 { return byte < 0x20 || byte == 0x7f ? .control(byte) : .character(Unicode.Scalar(byte)) }
        // A UTF-8 sequence: its length from the lead byte.
        let length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1
        var bytes = [byte]
        while bytes.count < length, let c = readByte() { bytes.append(c) }
        guard let scalar = String(decoding: bytes, as: UTF8.self).unicodeScalars.first else { return .ignored }
        return .character(scalar)
    }
}

/// The line being edited and what each key does to it; kept apart from the terminal so the
/// rules are plain state changes.
struct EditState {
    enum Key: Equatable {
        case character(Unicode.Scalar)
        case control(UInt8)
        /// An escape sequence: ESC [ parameter final, or ESC O final.
        case escape(final: UInt8, parameter: [UInt8])
        case ignored
    }

    enum Action: Equatable {
        case none, redraw, clearScreen, submit, cancel, endOfInput
    }

    private(set) var scalars: [Unicode.Scalar] = []
    private(set) var cursor = 0
    private let history: [String]
    /// The history entry shown (history.count: the line being typed, kept in `draft`).
    private var historyIndex: Int
    private var draft: [Unicode.Scalar] = []

    init(history: [String]) {
        self.history = history
        historyIndex = history.count
    }

    var text: String {
        var text = ""
        text.unicodeScalars.append(contentsOf: scalars)
        return text
    }

    mutating func apply(_ key: Key) -> Action {
        switch key {
        case .character(let scalar):
            scalars.insert(scalar, at: cursor)
            cursor += 1
        case .control(let byte):
            switch byte {
            case 0x0d, 0x0a: return .submit
            case 0x03: return .cancel
            case 0x04:  // Ctrl-D
                if scalars.isEmpty { return .endOfInput }
                guard cursor < scalars.count else { return .none }
                scalars.remove(at: cursor)
            case 0x7f, 0x08:
                guard cursor > 0 else { return .none }
                cursor -= 1
                scalars.remove(at: cursor)
            case 0x01: cursor = 0
            case 0x05: cursor = scalars.count
            case 0x02: cursor = max(0, cursor - 1)
            case 0x06: cursor = min(scalars.count, cursor + 1)
            case 0x0b: scalars.removeSubrange(cursor...)
            case 0x15:
                scalars.removeSubrange(..<cursor)
                cursor = 0
            case 0x17:
                var start = cursor
                while start > 0 && scalars[start - 1] == " " { start -= 1 }
                while start > 0 && scalars[start - 1] != " " { start -= 1 }
                scalars.removeSubrange(start..<cursor)
                cursor = start
            case 0x10: showHistory(historyIndex - 1)
            case 0x0e: showHistory(historyIndex + 1)
            case 0x0c: return .clearScreen
            case 0x09:
                // No completion: a tab is typed as the spaces to the next multiple of four.
                repeat { scalars.insert(" ", at: cursor); cursor += 1 } while cursor % 4 != 0
            default: return .none
            }
        case .escape(let final, let parameter):
            switch (final, parameter) {
            case (UInt8(ascii: "A"), _): showHistory(historyIndex - 1)
            case (UInt8(ascii: "B"), _): showHistory(historyIndex + 1)
            case (UInt8(ascii: "C"), _): cursor = min(scalars.count, cursor + 1)
            case (UInt8(ascii: "D"), _): cursor = max(0, cursor - 1)
            case (UInt8(ascii: "H"), _), (UInt8(ascii: "~"), [UInt8(ascii: "1")]), (UInt8(ascii: "~"), [UInt8(ascii: "7")]):
                cursor = 0
            case (UInt8(ascii: "F"), _), (UInt8(ascii: "~"), [UInt8(ascii: "4")]), (UInt8(ascii: "~"), [UInt8(ascii: "8")]):
                cursor = scalars.count
            case (UInt8(ascii: "~"), [UInt8(ascii: "3")]):
                guard cursor < scalars.count else { return .none }
                scalars.remove(at: cursor)
            default: return .none
            }
        case .ignored:
            return .none
        }
        return .redraw
    }

    private mutating func showHistory(_ index: Int) {
        guard index >= 0 && index <= history.count && index != historyIndex else { return }
        if historyIndex == history.count { draft = scalars }
        historyIndex = index
        scalars = index == history.count ? draft : Array(history[index].unicodeScalars)
        cursor = scalars.count
    }
}
