import Pager

/// Payloads too large for their cell continue on a chain of overflow pages: each holds the next
/// page's number (0 on the last) and then up to usableSize - 4 bytes of payload.
extension TreeStore {
    /// Writes the part of `payload` that does not stay in the cell to a new chain of pages and
    /// returns the chain's first page. Pages are allocated one ahead of the one being written, so
    /// only two are pinned at a time however long the chain.
    package func writeOverflowChain(_ payload: UnsafeRawBufferPointer, layout: CellLayout) throws(DatabaseError) -> UInt32 {
        let count = geometry.overflowPageCount(for: layout)
        precondition(count > 0, "a payload without overflow has no chain")
        var current = try allocatePage()
        let first = current.pgno
        for index in 0..<count {
            var next: PageRef?
            if index + 1 < count {
                do throws(DatabaseError) { next = try allocatePage() } catch {
                    // A failed allocation (an IO error spilling the cache, say) must not leave
                    // the page being written pinned: the rollback that follows needs every pin back.
                    pager.release(current)
                    throw error
                }
            }
            CellBuilder.writeOverflowPage(into: current.bytes, geometry: geometry, layout: layout, index: index,
                                          payload: payload, nextPage: next?.pgno ?? 0)
            pager.release(current)
            if let next { current = next }
        }
        return first
    }

    /// Frees the overflow chain of a cell. Every page is read for its next pointer; the chain's
    /// length is known from the payload size, so a cycle or a short chain is corruption, not a hang.
    package func freeOverflowChain(of cell: CellInfo) throws(DatabaseError) {
        guard cell.hasOverflow else { return }
        var remaining = cell.payloadSize - cell.localPayloadSize
        var pgno = cell.overflowPage
        while remaining > 0 {
            guard pgno >= 2 && pgno <= pager.databaseSize else {
                throw DatabaseError.corrupt(page: pgno, "overflow page number out of range")
            }
            let page = try pager.page(pgno)
            let next = page.bytes.loadBigEndianUInt32(at: 0)
            pager.release(page)
            remaining -= min(remaining, geometry.overflowPageCapacity)
            if remaining > 0 && next == 0 {
                throw DatabaseError.corrupt(page: pgno, "overflow chain ends \(remaining) bytes early")
            }
            try freePage(pgno)
            pgno = next
        }
    }

    /// Copies a cell's whole payload, its local part and its overflow chain, into `buffer`
    /// (replacing its contents).
    package func readPayload(of cell: CellInfo, in node: Node, into buffer: inout [UInt8]) throws(DatabaseError) {
        buffer.removeAll(keepingCapacity: true)
        buffer.reserveCapacity(cell.payloadSize)
        buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: node.bytes[cell.localPayloadRange]))
        var chain = OverflowChainReader(cell: cell, geometry: geometry)
        var visited = 0
        let limit = geometry.overflowPageCount(for: geometry.cellLayout(pageType: node.header.pageType, payloadSize: cell.payloadSize, rowid: cell.key))
        while let pgno = chain.nextPage {
            visited += 1
            guard visited <= limit, pgno >= 2 && pgno <= pager.databaseSize else {
                throw DatabaseError.corrupt(page: pgno, "overflow chain of page \(node.pgno) is broken")
            }
            let page = try pager.page(pgno)
            defer { pager.release(page) }
            do {
                let part = try chain.consume(UnsafeRawBufferPointer(page.bytes))
                buffer.append(contentsOf: part)
            } catch {
                throw error.databaseError
            }
        }
        guard buffer.count == cell.payloadSize else {
            throw DatabaseError.corrupt(page: node.pgno, "payload of \(buffer.count) bytes, cell says \(cell.payloadSize)")
        }
    }
}
