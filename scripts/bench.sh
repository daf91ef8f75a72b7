#!/usr/bin/env bash
# Builds Ringlite in release mode and runs its benchmark, installing the system packages it needs
# first. Arguments go to `bench` (see `scripts/bench.sh --help`); with none it runs the SQL
# workloads on ringlite-uring, ringlite-syscall and sqlite, writing the JSON and SVG chart under
# benchmarks/results/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/system-packages.sh"
ensure_packages liburing-dev libsqlite3-dev sqlite3 strace pkg-config fio

swift build -c release --package-path "$root" --product bench >&2
bench="$root/.build/release/bench"
if [ $# -eq 0 ]; then
    mkdir -p "$root/benchmarks/results"
    exec "$bench" sql --json "$root/benchmarks/results/sql-$(date +%Y%m%d-%H%M%S).json"
fi
exec "$bench" "$@"
