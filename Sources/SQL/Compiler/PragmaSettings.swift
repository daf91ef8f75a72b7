import BTree
import Pager
import VM

/// What PRAGMAs read and change about a connection while they compile (sqlite3 applies
/// cache_size and the like in sqlite3Pragma, not when the program runs). Owned by the
/// connection and confined to its thread.
package final class PragmaSettings {
    package let state: ConnectionState
    /// PRAGMA cache_size as last set: pages when positive, -KiB when negative.
    package private(set) var cacheSize: Int

    package init(state: ConnectionState) {
        self.state = state
        let options = state.pager.shared.options
        cacheSize = options.cachePages ?? -2000
    }

    var options: PagerOptions { state.pager.shared.options }

    /// PRAGMA cache_size = N: the page cache's capacity becomes N pages, or -N KiB of pages.
    func setCacheSize(_ size: Int) {
        cacheSize = size
        let pageSize = state.pager.pageSize
        let pages = size >= 0 ? size : Int(min(Int64(Int32.max), -Int64(size) * 1024 / Int64(pageSize)))
        state.pager.cache.setCapacity(max(16, pages))
    }
}

@available(*, unavailable)
extension PragmaSettings: Sendable {}
