#!/usr/bin/env bash
# Runs Ringlite's tests, once per IO backend (io_uring, then syscalls), installing the system
# packages they need first. Extra arguments go to `swift test` (for example: --filter Pager).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/system-packages.sh
ensure_packages liburing-dev libsqlite3-dev sqlite3 strace pkg-config

swift build --build-tests
for backend in uring syscall; do
    echo "ringlite: tests with RINGLITE_IO=$backend" >&2
    RINGLITE_IO=$backend swift test --skip-build "$@"
done
