#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Memory that an IO operation reads into or writes from.
///
/// `owner` keeps the memory alive: a completion holds its buffers until the kernel has reported
/// it finished, so the memory cannot be freed (and reused) while a read may still land in it.
/// `registration` names the buffer pool arena the memory lies in, so io_uring can use
/// READ_FIXED/WRITE_FIXED when the ring has that arena registered.
package struct IOBuffer: @unchecked Sendable {
    // Sendable by hand-over: a buffer is an address and the object keeping its memory alive. Who
    // may touch the bytes is decided by ownership (the pool's Mutex hands a slot to one page
    // cache; a completion owns it while in flight), not by this struct.
    package let base: UnsafeMutableRawPointer
    package let count: Int
    package let registration: Registration?
    package let owner: AnyObject

    /// Where a buffer lies in a pool that rings may register as fixed buffers.
    package struct Registration: Hashable, Sendable {
        /// Identifies the pool; a ring registers the arenas of one pool only.
        package let poolID: UInt32
        /// The arena's index in its pool; rings register arena i as fixed buffer i.
        package let arena: Int32
    }

    package init(base: UnsafeMutableRawPointer, count: Int, registration: Registration?, owner: AnyObject) {
        precondition(count >= 0, "an IO buffer cannot have a negative size")
        self.base = base
        self.count = count
        self.registration = registration
        self.owner = owner
    }

    /// A part of this buffer, sharing its owner and registration.
    package func slice(offset: Int, count: Int) -> IOBuffer {
        precondition(offset >= 0 && count >= 0 && offset + count <= self.count, "slice outside the buffer")
        return IOBuffer(base: base + offset, count: count, registration: registration, owner: owner)
    }

    package var bytes: UnsafeMutableRawBufferPointer {
        UnsafeMutableRawBufferPointer(start: base, count: count)
    }

    /// A new buffer of `count` bytes, aligned for O_DIRECT, owned by itself and freed when the last
    /// reference (including an in-flight completion's) goes away.
    package static func allocate(count: Int, alignment: Int = 4096) -> IOBuffer {
        let memory = AlignedMemory(count: count, alignment: alignment)
        return IOBuffer(base: memory.base, count: count, registration: nil, owner: memory)
    }
}

/// Heap memory with a given alignment, freed in deinit.
package final class AlignedMemory {
    package let base: UnsafeMutableRawPointer
    package let count: Int

    package init(count: Int, alignment: Int) {
        precondition(alignment > 0 && alignment & (alignment - 1) == 0, "alignment must be a power of two")
        var pointer: UnsafeMutableRawPointer?
        let rc = posix_memalign(&pointer, alignment, max(count, 1))
        guard rc == 0, let pointer else {
            fatalError("out of memory allocating \(count) bytes aligned to \(alignment)")
        }
        memset(pointer, 0, max(count, 1))
        self.base = pointer
        self.count = count
    }

    deinit { free(base) }
}

@available(*, unavailable)
extension AlignedMemory: Sendable {}
