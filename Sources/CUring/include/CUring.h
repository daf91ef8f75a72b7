// Ringlite's small C API over liburing.
//
// <liburing.h> cannot be imported from a Swift module header: it pulls in kernel and libc headers
// whose types (fd_set among them) clash with Glibc's module. So this header names only plain C
// types and an opaque ring, and CUring.c is the one place that includes liburing.
//
// Every function that can fail returns 0 or a positive count on success and -errno on failure,
// the way liburing itself reports errors; nothing here touches the global errno.
#ifndef RINGLITE_CURING_H
#define RINGLITE_CURING_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/// An io_uring instance. Opaque to Swift; created by rl_ring_create, freed by rl_ring_destroy.
typedef struct rl_ring rl_ring;

/// One reaped completion, copied out of the CQ ring so the ring slot can be released at once.
typedef struct rl_cqe {
    uint64_t user_data;
    int32_t res;
    uint32_t flags;
} rl_cqe;

/// A buffer to register with the ring (the same layout as struct iovec, named here so Swift does not
/// need <sys/uio.h> to describe it).
typedef struct rl_buffer {
    void *base;
    size_t length;
} rl_buffer;

// Setup flags Ringlite asks for, mirrored so Swift can name them.
extern const uint32_t RL_SETUP_COOP_TASKRUN;
extern const uint32_t RL_SETUP_SUBMIT_ALL;
extern const uint32_t RL_SETUP_CLAMP;

// Per-SQE flags (IOSQE_*).
extern const uint8_t RL_SQE_FIXED_FILE;
extern const uint8_t RL_SQE_IO_DRAIN;
extern const uint8_t RL_SQE_IO_LINK;
extern const uint8_t RL_SQE_ASYNC;

// open(2) and fcntl(2) constants Swift's Glibc module does not export (they need _GNU_SOURCE).
extern const int RL_O_DIRECT;
extern const int RL_F_OFD_SETLK;

// Opcodes Ringlite uses, for rl_ring_opcode_supported.
extern const int RL_OP_READ;
extern const int RL_OP_WRITE;
extern const int RL_OP_READV;
extern const int RL_OP_WRITEV;
extern const int RL_OP_READ_FIXED;
extern const int RL_OP_WRITE_FIXED;
extern const int RL_OP_FSYNC;

/// Creates a ring with `entries` SQEs, asking for `flags`. When the kernel refuses the flags with
/// -EINVAL (an older kernel that does not know one of them), retries with fewer flags and finally
/// none. On success stores the ring in *out, the flags actually used in *used_flags and the
/// kernel's feature bits in *features, and returns 0; otherwise returns -errno (-ENOSYS when the
/// kernel has no io_uring, -EPERM when it is disabled or forbidden by seccomp).
int rl_ring_create(unsigned entries, uint32_t flags, rl_ring **out, uint32_t *used_flags,
                   uint32_t *features);

/// Unregisters buffers, closes the ring's file descriptor and frees it.
void rl_ring_destroy(rl_ring *ring);

/// The number of SQ entries the ring was created with.
unsigned rl_ring_sq_entries(const rl_ring *ring);

/// The number of CQ entries the ring was created with.
unsigned rl_ring_cq_entries(const rl_ring *ring);

/// Whether the kernel supports `opcode` on this ring (IORING_REGISTER_PROBE). Returns 1 or 0, or
/// -errno when the probe itself fails.
int rl_ring_opcode_supported(rl_ring *ring, int opcode);

/// SQ entries that can still be prepared before the next submit.
unsigned rl_ring_sq_space_left(rl_ring *ring);

/// SQ entries prepared and not yet submitted.
unsigned rl_ring_sq_ready(rl_ring *ring);

// SQE preparation. Each returns 0 when an SQE was taken and filled, or -EBUSY when the SQ is full
// (the caller queues the operation and submits first). `sqe_flags` are RL_SQE_* bits.
int rl_prep_read(rl_ring *ring, int fd, void *buf, unsigned len, uint64_t offset,
                 uint64_t user_data, uint8_t sqe_flags);
int rl_prep_write(rl_ring *ring, int fd, const void *buf, unsigned len, uint64_t offset,
                  uint64_t user_data, uint8_t sqe_flags);
int rl_prep_readv(rl_ring *ring, int fd, const rl_buffer *iov, unsigned iovcnt, uint64_t offset,
                  uint64_t user_data, uint8_t sqe_flags);
int rl_prep_writev(rl_ring *ring, int fd, const rl_buffer *iov, unsigned iovcnt, uint64_t offset,
                   uint64_t user_data, uint8_t sqe_flags);
int rl_prep_read_fixed(rl_ring *ring, int fd, void *buf, unsigned len, uint64_t offset,
                       int buf_index, uint64_t user_data, uint8_t sqe_flags);
int rl_prep_write_fixed(rl_ring *ring, int fd, const void *buf, unsigned len, uint64_t offset,
                        int buf_index, uint64_t user_data, uint8_t sqe_flags);
/// fsync when `datasync` is false, fdatasync when true.
int rl_prep_fsync(rl_ring *ring, int fd, bool datasync, uint64_t user_data, uint8_t sqe_flags);

/// Submits every prepared SQE without waiting. Returns the number submitted or -errno.
int rl_submit(rl_ring *ring);

/// Submits every prepared SQE and waits until at least `wait_nr` completions are available, in one
/// io_uring_enter. Returns the number submitted or -errno (-EINTR, -EAGAIN and -EBUSY included:
/// the caller decides what is retried).
int rl_submit_and_wait(rl_ring *ring, unsigned wait_nr);

/// Copies up to `max` available completions into `out`, releases their CQ slots, and returns how
/// many were copied. Never blocks.
unsigned rl_drain_cqes(rl_ring *ring, rl_cqe *out, unsigned max);

/// Registers `count` buffers as fixed buffers 0..<count. Returns 0 or -errno (-ENOMEM when
/// RLIMIT_MEMLOCK does not allow pinning them).
int rl_register_buffers(rl_ring *ring, const rl_buffer *buffers, unsigned count);

/// Registers a sparse table of `count` empty fixed-buffer slots, to be filled by
/// rl_update_buffers. Returns 0 or -errno.
int rl_register_buffers_sparse(rl_ring *ring, unsigned count);

/// Fills fixed-buffer slots offset..<offset+count. Returns the number updated or -errno.
int rl_update_buffers(rl_ring *ring, unsigned offset, const rl_buffer *buffers, unsigned count);

/// Unregisters every fixed buffer. Returns 0 or -errno.
int rl_unregister_buffers(rl_ring *ring);

/// The ring's own file descriptor (for diagnostics and tests).
int rl_ring_fd(const rl_ring *ring);

#ifdef __cplusplus
}
#endif

#endif
