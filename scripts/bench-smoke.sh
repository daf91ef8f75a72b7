#!/usr/bin/env bash
# CI's smoke test of the benchmark: `bench --quick` (5,000 rows, one round, every workload on
# every engine) into a temporary directory, then `bench check-json` on its JSON: every engine and
# workload present and run, every number positive. Expects a release build (scripts/test.sh makes
# one); extra arguments go to `bench`.
set -euo pipefail
cd "$(dirname "$0")/.."
bench=.build/release/bench
work="$(mktemp -d "${TMPDIR:-/tmp}/ringlite-bench-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT
status=0
"$bench" --quick --directory "$work" --json "$work/smoke.json" "$@" || status=$?
"$bench" check-json "$work/smoke.json"
exit "$status"
