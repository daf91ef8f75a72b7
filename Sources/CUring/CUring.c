// The one place Ringlite includes <liburing.h>. See include/CUring.h for the contract of each
// function; this file only adapts liburing's API to plain C types.
#define _GNU_SOURCE
#include "CUring.h"

#include <errno.h>
#include <fcntl.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

struct rl_ring {
    struct io_uring ring;
    struct io_uring_probe *probe;
};

_Static_assert(sizeof(rl_buffer) == sizeof(struct iovec), "rl_buffer must match struct iovec");
_Static_assert(offsetof(rl_buffer, base) == offsetof(struct iovec, iov_base), "iov_base offset");
_Static_assert(offsetof(rl_buffer, length) == offsetof(struct iovec, iov_len), "iov_len offset");

const uint32_t RL_SETUP_COOP_TASKRUN = IORING_SETUP_COOP_TASKRUN;
const uint32_t RL_SETUP_SUBMIT_ALL = IORING_SETUP_SUBMIT_ALL;
const uint32_t RL_SETUP_CLAMP = IORING_SETUP_CLAMP;

const uint8_t RL_SQE_FIXED_FILE = IOSQE_FIXED_FILE;
const uint8_t RL_SQE_IO_DRAIN = IOSQE_IO_DRAIN;
const uint8_t RL_SQE_IO_LINK = IOSQE_IO_LINK;
const uint8_t RL_SQE_ASYNC = IOSQE_ASYNC;

const int RL_O_DIRECT = O_DIRECT;
const int RL_F_OFD_SETLK = F_OFD_SETLK;

const int RL_OP_READ = IORING_OP_READ;
const int RL_OP_WRITE = IORING_OP_WRITE;
const int RL_OP_READV = IORING_OP_READV;
const int RL_OP_WRITEV = IORING_OP_WRITEV;
const int RL_OP_READ_FIXED = IORING_OP_READ_FIXED;
const int RL_OP_WRITE_FIXED = IORING_OP_WRITE_FIXED;
const int RL_OP_FSYNC = IORING_OP_FSYNC;

int rl_ring_create(unsigned entries, uint32_t flags, rl_ring **out, uint32_t *used_flags,
                   uint32_t *features) {
    rl_ring *r = calloc(1, sizeof(*r));
    if (r == NULL) return -ENOMEM;
    // Fewer flags on each attempt: an older kernel answers -EINVAL for a flag it does not know.
    uint32_t attempts[3] = {flags, flags & RL_SETUP_CLAMP, 0};
    int rc = -EINVAL;
    for (int i = 0; i < 3; i++) {
        if (i > 0 && attempts[i] == attempts[i - 1]) continue;
        struct io_uring_params p;
        memset(&p, 0, sizeof(p));
        p.flags = attempts[i];
        rc = io_uring_queue_init_params(entries, &r->ring, &p);
        if (rc == 0) {
            *used_flags = attempts[i];
            *features = p.features;
            *out = r;
            return 0;
        }
        if (rc != -EINVAL) break;
    }
    free(r);
    return rc;
}

void rl_ring_destroy(rl_ring *ring) {
    if (ring == NULL) return;
    if (ring->probe != NULL) io_uring_free_probe(ring->probe);
    io_uring_queue_exit(&ring->ring);
    free(ring);
}

unsigned rl_ring_sq_entries(const rl_ring *ring) { return ring->ring.sq.ring_entries; }

unsigned rl_ring_cq_entries(const rl_ring *ring) { return ring->ring.cq.ring_entries; }

int rl_ring_opcode_supported(rl_ring *ring, int opcode) {
    if (ring->probe == NULL) {
        ring->probe = io_uring_get_probe_ring(&ring->ring);
        if (ring->probe == NULL) return -ENOMEM;
    }
    return io_uring_opcode_supported(ring->probe, opcode) ? 1 : 0;
}

unsigned rl_ring_sq_space_left(rl_ring *ring) { return io_uring_sq_space_left(&ring->ring); }

unsigned rl_ring_sq_ready(rl_ring *ring) { return io_uring_sq_ready(&ring->ring); }

static inline struct io_uring_sqe *take_sqe(rl_ring *ring) { return io_uring_get_sqe(&ring->ring); }

static inline void finish_sqe(struct io_uring_sqe *sqe, uint64_t user_data, uint8_t sqe_flags) {
    io_uring_sqe_set_data64(sqe, user_data);
    io_uring_sqe_set_flags(sqe, sqe_flags);
}

int rl_prep_read(rl_ring *ring, int fd, void *buf, unsigned len, uint64_t offset,
                 uint64_t user_data, uint8_t sqe_flags) {
    struct io_uring_sqe *sqe = take_sqe(ring);
    if (sqe == NULL) return -EBUSY;
    io_uring_prep_read(sqe, fd, buf, len, offset);
    finish_sqe(sqe, user_data, sqe_flags);
    return 0;
}

int rl_prep_write(rl_ring *ring, int fd, const void *buf, unsigned len, uint64_t offset,
                  uint64_t user_data, uint8_t sqe_flags) {
    struct io_uring_sqe *sqe = take_sqe(ring);
    if (sqe == NULL) return -EBUSY;
    io_uring_prep_write(sqe, fd, buf, len, offset);
    finish_sqe(sqe, user_data, sqe_flags);
    return 0;
}

int rl_prep_readv(rl_ring *ring, int fd, const rl_buffer *iov, unsigned iovcnt, uint64_t offset,
                  uint64_t user_data, uint8_t sqe_flags) {
    struct io_uring_sqe *sqe = take_sqe(ring);
    if (sqe == NULL) return -EBUSY;
    io_uring_prep_readv(sqe, fd, (const struct iovec *)iov, iovcnt, offset);
    finish_sqe(sqe, user_data, sqe_flags);
    return 0;
}

int rl_prep_writev(rl_ring *ring, int fd, const rl_buffer *iov, unsigned iovcnt, uint64_t offset,
                   uint64_t user_data, uint8_t sqe_flags) {
    struct io_uring_sqe *sqe = take_sqe(ring);
    if (sqe == NULL) return -EBUSY;
    io_uring_prep_writev(sqe, fd, (const struct iovec *)iov, iovcnt, offset);
    finish_sqe(sqe, user_data, sqe_flags);
    return 0;
}

int rl_prep_read_fixed(rl_ring *ring, int fd, void *buf, unsigned len, uint64_t offset,
                       int buf_index, uint64_t user_data, uint8_t sqe_flags) {
    struct io_uring_sqe *sqe = take_sqe(ring);
    if (sqe == NULL) return -EBUSY;
    io_uring_prep_read_fixed(sqe, fd, buf, len, offset, buf_index);
    finish_sqe(sqe, user_data, sqe_flags);
    return 0;
}

int rl_prep_write_fixed(rl_ring *ring, int fd, const void *buf, unsigned len, uint64_t offset,
                        int buf_index, uint64_t user_data, uint8_t sqe_flags) {
    struct io_uring_sqe *sqe = take_sqe(ring);
    if (sqe == NULL) return -EBUSY;
    io_uring_prep_write_fixed(sqe, fd, buf, len, offset, buf_index);
    finish_sqe(sqe, user_data, sqe_flags);
    return 0;
}

int rl_prep_fsync(rl_ring *ring, int fd, bool datasync, uint64_t user_data, uint8_t sqe_flags) {
    struct io_uring_sqe *sqe = take_sqe(ring);
    if (sqe == NULL) return -EBUSY;
    io_uring_prep_fsync(sqe, fd, datasync ? IORING_FSYNC_DATASYNC : 0);
    finish_sqe(sqe, user_data, sqe_flags);
    return 0;
}

int rl_submit(rl_ring *ring) { return io_uring_submit(&ring->ring); }

int rl_submit_and_wait(rl_ring *ring, unsigned wait_nr) {
    return io_uring_submit_and_wait(&ring->ring, wait_nr);
}

unsigned rl_drain_cqes(rl_ring *ring, rl_cqe *out, unsigned max) {
    unsigned head;
    unsigned count = 0;
    struct io_uring_cqe *cqe;
    io_uring_for_each_cqe(&ring->ring, head, cqe) {
        if (count == max) break;
        out[count].user_data = cqe->user_data;
        out[count].res = cqe->res;
        out[count].flags = cqe->flags;
        count++;
    }
    if (count > 0) io_uring_cq_advance(&ring->ring, count);
    return count;
}

int rl_register_buffers(rl_ring *ring, const rl_buffer *buffers, unsigned count) {
    return io_uring_register_buffers(&ring->ring, (const struct iovec *)buffers, count);
}

int rl_register_buffers_sparse(rl_ring *ring, unsigned count) {
    return io_uring_register_buffers_sparse(&ring->ring, count);
}

int rl_update_buffers(rl_ring *ring, unsigned offset, const rl_buffer *buffers, unsigned count) {
    return io_uring_register_buffers_update_tag(&ring->ring, offset,
                                                (const struct iovec *)buffers, NULL, count);
}

int rl_unregister_buffers(rl_ring *ring) { return io_uring_unregister_buffers(&ring->ring); }

int rl_ring_fd(const rl_ring *ring) { return ring->ring.ring_fd; }
