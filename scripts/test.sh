#!/usr/bin/env bash
# Runs Ringlite's tests, once per IO backend (io_uring, then syscalls), installing the system
# packages they need first. Extra arguments go to `swift test` (for example: --filter Pager).
#
# The tests are built optimized (-c release with testing enabled): the storage tests write
# hundreds of thousands of rows, which an unoptimized build runs fifteen times slower.
# Preconditions stay on in optimized builds, so invariant checks still fire.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/system-packages.sh
ensure_packages liburing-dev libsqlite3-dev sqlite3 strace pkg-config

# Swift seeds its hashing per process, so Set and Dictionary iteration orders (which feed the
# order of some IO) differ from run to run; the simulator's seeds replay exactly only with
# deterministic hashing, and the CI slice's seeds are checked with it.
export SWIFT_DETERMINISTIC_HASHING=1

swift build -c release --build-tests -Xswiftc -enable-testing
for backend in uring syscall; do
    echo "ringlite: tests with RINGLITE_IO=$backend" >&2
    RINGLITE_IO=$backend swift test -c release --skip-build "$@"
done

# The benchmark's smoke run: every workload on every engine at small sizes, then its JSON
# checked (every engine and workload present, numbers positive). Skipped when the tests were
# filtered to a subset.
if [ $# -eq 0 ]; then
    echo "ringlite: bench --quick smoke run" >&2
    smoke="$(mktemp -d)"
    trap 'rm -rf "$smoke"' EXIT
    .build/release/bench --quick --directory "$smoke" --json "$smoke/quick.json" >"$smoke/quick.txt"
    .build/release/bench check-json "$smoke/quick.json"
fi
