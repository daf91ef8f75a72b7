import CUring

/// Owns one io_uring instance; destroys it when dropped. Noncopyable so the ring has exactly one
/// owner and cannot be destroyed twice.
struct URing: ~Copyable {
    let raw: OpaquePointer
    let setupFlags: UInt32
    let features: UInt32

    /// The ring creation function, replaceable so tests can make io_uring look unavailable
    /// (ENOSYS, EPERM) without changing the machine.
    typealias Setup = @Sendable (_ entries: UInt32, _ flags: UInt32) -> Result<(OpaquePointer, UInt32, UInt32), Errno>

    static let defaultSetup: Setup = { entries, flags in
        var ring: OpaquePointer?
        var used: UInt32 = 0
        var features: UInt32 = 0
        let rc = rl_ring_create(entries, flags, &ring, &used, &features)
        guard rc == 0, let ring else { return .failure(Errno(rawValue: -rc)) }
        return .success((ring, used, features))
    }

    init(entries: UInt32, setup: Setup = URing.defaultSetup) throws(Errno) {
        // COOP_TASKRUN spares an interrupt per completion; SINGLE_ISSUER is not used because a
        // connection (and so its ring) may move between threads.
        switch setup(entries, RL_SETUP_COOP_TASKRUN | RL_SETUP_CLAMP) {
        case .success(let (ring, flags, features)):
            raw = ring
            setupFlags = flags
            self.features = features
        case .failure(let error):
            throw error
        }
    }

    deinit { rl_ring_destroy(raw) }

    var sqEntries: Int { Int(rl_ring_sq_entries(raw)) }
    var cqEntries: Int { Int(rl_ring_cq_entries(raw)) }

    func supports(_ opcode: Int32) -> Bool { rl_ring_opcode_supported(raw, opcode) == 1 }
}

/// Whether io_uring can be used in this process, checked once by creating a small ring and probing
/// the opcodes Ringlite needs.
package enum URingAvailability: Sendable, Equatable {
    case available
    case unavailable(Errno, reason: String)

    /// The answer for this process, computed on first use.
    package static let current: URingAvailability = probe()

    static func probe(setup: URing.Setup = URing.defaultSetup) -> URingAvailability {
        let ring: URing
        do {
            ring = try URing(entries: 8, setup: setup)
        } catch {
            let reason = switch error {
            case .notImplemented: "the kernel has no io_uring (ENOSYS)"
            case .notPermitted: "io_uring is disabled (kernel.io_uring_disabled) or forbidden by a seccomp profile (EPERM)"
            case .noMemory: "io_uring_setup ran out of locked memory (ENOMEM)"
            default: "io_uring_setup failed: \(error)"
            }
            return .unavailable(error, reason: reason)
        }
        for (opcode, name) in [(RL_OP_READ, "READ"), (RL_OP_WRITE, "WRITE"), (RL_OP_WRITEV, "WRITEV"),
                               (RL_OP_READ_FIXED, "READ_FIXED"), (RL_OP_WRITE_FIXED, "WRITE_FIXED"),
                               (RL_OP_FSYNC, "FSYNC")] where !ring.supports(opcode) {
            return .unavailable(.notImplemented, reason: "the kernel's io_uring lacks IORING_OP_\(name)")
        }
        return .available
    }
}
