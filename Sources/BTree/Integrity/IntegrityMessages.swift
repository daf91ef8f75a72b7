/// The structural check's problem list (SQLite's IntegrityCk error string): each message gets the
/// prefix in force when it is reported, and reporting stops after the error limit.
///
/// The prefix state is global to the check, as in btree.c: a page check sets it for its own
/// messages and restores its caller's when it returns, so a message about a child page number
/// (an invalid or repeated reference) carries the parent's prefix. The texts and their number
/// formats are sqlite3 3.40.1's; page numbers printed with `%d` print as signed 32-bit numbers
/// there, and so they do here.
struct IntegrityMessages {
    enum Prefix: Equatable {
        case none
        /// "Main freelist: "
        case mainFreelist
        /// "Page %u: " (v1)
        case page
        /// "On tree page %u cell %d: " (v1, v2)
        case treePageCell
        /// "On page %u at right child: " (v1): auto-vacuum databases only
        case pageRightChild
    }

    struct PrefixState: Equatable {
        var prefix: Prefix = .none
        var v1: Int32 = 0
        var v2: Int32 = 0
    }

    /// Messages that may still be reported (SQLite's mxErr).
    private(set) var remaining: Int
    /// Messages reported (nErr).
    private(set) var count = 0
    private(set) var lines: [String] = []
    var state = PrefixState()

    init(limit: Int) {
        precondition(limit > 0, "the error limit is positive")
        remaining = limit
    }

    var isFull: Bool { remaining <= 0 }

    mutating func report(_ text: String) {
        guard remaining > 0 else { return }
        remaining -= 1
        count += 1
        lines.append(renderedPrefix + text)
    }

    private var renderedPrefix: String {
        switch state.prefix {
        case .none: ""
        case .mainFreelist: "Main freelist: "
        case .page: "Page \(UInt32(bitPattern: state.v1)): "
        case .treePageCell: "On tree page \(UInt32(bitPattern: state.v1)) cell \(state.v2): "
        case .pageRightChild: "On page \(UInt32(bitPattern: state.v1)) at right child: "
        }
    }
}

extension UInt32 {
    /// The value as C's `%d` prints an unsigned 32-bit argument.
    var printedSigned: Int32 { Int32(bitPattern: self) }
}
