#!/usr/bin/env bash
# Runs one libFuzzer target for a while:  scripts/fuzz.sh <target> [seconds] [extra libFuzzer flags...]
#   targets: sql-parser (SQL text against a small schema), database-file (bytes as a database
#   file), wal-file (bytes as the -wal file of a small database, checksums fixed up)
# Builds the target with -sanitize=fuzzer,address into .build-fuzz (the normal build never needs
# the sanitizer), then fuzzes with one process: new inputs go to .build-fuzz/corpus/<target>,
# the committed seeds in Fuzz/corpus/<target> are read only, crashes land in
# Fuzz/crashes/<target>/. Replay a reproducer with the fuzz binary (or the normal build's replay
# driver): .build-fuzz/release/fuzz-<target> FILE
# FUZZ_BUILD_LOCK=/path/to/lock serialises the build with other builds on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/.."

target="${1:?usage: scripts/fuzz.sh sql-parser|database-file|wal-file [seconds] [libFuzzer flags...]}"
seconds="${2:-600}"
shift $(( $# >= 2 ? 2 : 1 ))
case "$target" in
    sql-parser|database-file|wal-file) ;;
    *) echo "unknown target $target (sql-parser, database-file, wal-file)" >&2; exit 2 ;;
esac

# -sanitize=fuzzer would link libFuzzer's own main(), which clashes with the main SwiftPM gives
# an executable target; so: AddressSanitizer, libFuzzer's coverage instrumentation, and
# libFuzzer without its main (the target's main calls LLVMFuzzerRunDriver, see FuzzDriver.swift).
toolchain_lib="$(dirname "$(dirname "$(readlink -f "$(command -v swiftc)")")")/lib"
no_main=("$toolchain_lib"/clang/*/lib/linux/libclang_rt.fuzzer_no_main-x86_64.a)
[[ -f "${no_main[0]}" ]] || { echo "libclang_rt.fuzzer_no_main not found under $toolchain_lib/clang" >&2; exit 1; }
build=(swift build -c release --product "fuzz-$target" --scratch-path .build-fuzz
       -Xswiftc -sanitize=address
       -Xswiftc -sanitize-coverage=edge,inline-8bit-counters,pc-table,trace-cmp
       -Xswiftc -enable-experimental-feature -Xswiftc Extern -Xswiftc -DFUZZING
       -Xlinker "${no_main[0]}" -Xlinker -lstdc++)
if [[ -n "${FUZZ_BUILD_LOCK:-}" ]]; then
    flock -o "$FUZZ_BUILD_LOCK" "${build[@]}"
else
    "${build[@]}"
fi

work=".build-fuzz/corpus/$target"
crashes="Fuzz/crashes/$target"
mkdir -p "$work" "$crashes"
flags=(-max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 -print_final_stats=1
       -artifact_prefix="$crashes/")
if [[ "$target" == sql-parser ]]; then
    flags+=(-dict=Fuzz/sql.dict -max_len=2048)
fi
# The Swift runtime's own backtracer would race libFuzzer's crash handler; libFuzzer and ASan
# print the stack.
export SWIFT_BACKTRACE=enable=no
exec ".build-fuzz/release/fuzz-$target" "${flags[@]}" "$@" "$work" "Fuzz/corpus/$target"
