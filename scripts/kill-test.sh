#!/bin/bash
# Process-level crash test: runs the release `ringlite` shell on a generated workload piped in,
# SIGKILLs it at a random moment (some iterations right after a checkpoint starts), then checks
# with sqlite3 that every acknowledged commit is there, that nothing partial is, and that
# `PRAGMA integrity_check` says ok; Ringlite must reopen the same files to the same state.
#
#   scripts/kill-test.sh [ITERATIONS] [FIRST-SEED]     (default 200 iterations from seed 1)
#
# Each transaction t inserts rows_of(t) rows tagged t into `log` (some large enough for overflow
# pages), deletes the rows of transaction t-5, and records t in `commits`; after its COMMIT the
# workload prints "ACK|t" (the shell flushes after every statement), so a printed marker means
# the commit was acknowledged. After the kill the database must hold transactions 1..F with F
# the last acknowledged one or the one after it, each whole: rows_of(t) rows for t > F-5, none
# for older ones.
set -u
iterations=${1:-200}
first=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
ringlite=$root/.build/release/ringlite
[ -x "$ringlite" ] || { echo "build first: swift build -c release --product ringlite"; exit 2; }
command -v sqlite3 > /dev/null || { echo "sqlite3 is needed"; exit 2; }

rows_of() { echo $(( ($1 * 7) % 5 + 1 )); }

workload() {  # seed -> SQL on stdout
    local seed=$1 t rows j size modes=(PASSIVE FULL RESTART TRUNCATE)
    RANDOM=$seed
    echo "CREATE TABLE IF NOT EXISTS log(id INTEGER PRIMARY KEY, txn INTEGER, n INTEGER, payload TEXT);"
    echo "CREATE INDEX IF NOT EXISTS log_txn ON log(txn);"
    echo "CREATE TABLE IF NOT EXISTS commits(txn INTEGER PRIMARY KEY);"
    for ((t = 1; t <= 400; t++)); do
        rows=$(rows_of $t)
        echo "BEGIN;"
        for ((j = 0; j < rows; j++)); do
            size=$(( RANDOM % 10 == 0 ? 2000 + RANDOM % 6000 : 10 + RANDOM % 300 ))
            echo "INSERT INTO log(txn, n, payload) VALUES ($t, $j, hex(randomblob($size)));"
        done
        echo "DELETE FROM log WHERE txn = $((t - 5));"
        echo "INSERT INTO commits VALUES ($t);"
        echo "COMMIT;"
        echo "SELECT 'ACK', $t;"
        if (( RANDOM % 6 == 0 )); then
            echo "SELECT 'CKPT', $t;"
            echo "PRAGMA wal_checkpoint(${modes[RANDOM % 4]});"
        fi
    done
}

check() {  # database acknowledged -> "" or the failure
    local db=$1 acked=$2 integrity final t expected found
    integrity=$(sqlite3 "$db" "PRAGMA integrity_check;" 2>&1)
    [ "$integrity" = "ok" ] || { echo "sqlite3 integrity_check: $integrity"; return; }
    if [ -z "$(sqlite3 "$db" "SELECT name FROM sqlite_schema WHERE name = 'commits';")" ]; then
        # Killed before the schema's commit: allowed only while nothing was acknowledged.
        (( acked == 0 )) || echo "no commits table, acknowledged $acked"
        return
    fi
    final=$(sqlite3 "$db" "SELECT coalesce(max(txn), 0) FROM commits;" 2>&1)
    if (( final != acked && final != acked + 1 )); then
        echo "found commits up to $final, acknowledged $acked"; return
    fi
    found=$(sqlite3 "$db" "SELECT count(*) FROM commits;")
    (( found == final )) || { echo "commits holds $found rows for 1..$final"; return; }
    while read -r t count; do
        expected=$(( t > final - 5 ? $(rows_of $t) : 0 ))
        [ "$t" -le "$final" ] || { echo "rows of transaction $t, past the last commit $final"; return; }
        (( count == expected )) || { echo "transaction $t has $count rows, expected $expected (last commit $final)"; return; }
    done < <(sqlite3 -separator ' ' "$db" "SELECT txn, count(*) FROM log GROUP BY txn;")
    for ((t = (final > 5 ? final - 4 : 1); t <= final; t++)); do
        found=$(sqlite3 "$db" "SELECT count(*) FROM log WHERE txn = $t;")
        (( found == $(rows_of $t) )) || { echo "transaction $t has $found rows, expected $(rows_of $t)"; return; }
    done
}

work=$(mktemp -d /tmp/ringlite-kill.XXXXXX)
trap 'rm -rf "$work"' EXIT
failures=0 acknowledged_total=0 checkpoint_kills=0
for ((i = 0; i < iterations; i++)); do
    seed=$((first + i))
    dir=$work/$seed
    mkdir -p "$dir"
    workload $seed > "$dir/workload.sql"
    RANDOM=$seed
    during_checkpoint=$(( RANDOM % 3 == 0 ))
    # A third of the runs die right after a checkpoint starts, the others after a random time.
    "$ringlite" "$dir/k.db" < "$dir/workload.sql" > "$dir/out" 2> "$dir/err" &
    pid=$!
    if (( during_checkpoint )); then
        target=$(( 1 + RANDOM % 8 ))
        for ((w = 0; w < 3000; w++)); do
            seen=$(grep -c '^CKPT' "$dir/out" 2> /dev/null)
            (( ${seen:-0} >= target )) && break
            kill -0 $pid 2> /dev/null || break
            sleep 0.001
        done
        checkpoint_kills=$((checkpoint_kills + 1))
    else
        sleep "0.$(printf '%03d' $(( RANDOM % 1000 )))"
    fi
    kill -9 $pid 2> /dev/null
    wait $pid 2> /dev/null
    acked=$(grep '^ACK|' "$dir/out" | tail -1 | cut -d'|' -f2)
    acked=${acked:-0}
    acknowledged_total=$((acknowledged_total + acked))
    if grep -q . "$dir/err"; then
        echo "seed $seed: ringlite wrote errors before the kill: $(head -3 "$dir/err")"
        failures=$((failures + 1)); continue
    fi
    # Check a copy with sqlite3 and another with Ringlite (sqlite3 checkpoints the log away on close).
    mkdir -p "$dir/s" "$dir/r"
    cp "$dir"/k.db* "$dir/s/" 2> /dev/null; cp "$dir"/k.db* "$dir/r/" 2> /dev/null
    problem=$(check "$dir/s/k.db" $acked)
    if [ -z "$problem" ] && [ -n "$(sqlite3 "$dir/s/k.db" "SELECT name FROM sqlite_schema WHERE name = 'commits';")" ]; then
        mine=$("$ringlite" "$dir/r/k.db" "PRAGMA integrity_check;" "SELECT count(*), coalesce(max(txn), 0) FROM commits;" "SELECT count(*), total(txn) FROM log;" 2>&1)
        theirs=$(sqlite3 "$dir/s/k.db" "PRAGMA integrity_check;" "SELECT count(*), coalesce(max(txn), 0) FROM commits;" "SELECT count(*), total(txn) FROM log;" 2>&1)
        [ "$mine" = "$theirs" ] || problem="Ringlite reopens to [$mine], sqlite3 found [$theirs]"
    fi
    if [ -n "$problem" ]; then
        failures=$((failures + 1))
        cp -r "$dir" "/tmp/ringlite-kill-failure-$seed"
        echo "seed $seed (acknowledged $acked, killed $( (( during_checkpoint )) && echo 'after a checkpoint began' || echo 'at a random time')): $problem; files kept in /tmp/ringlite-kill-failure-$seed"
    fi
    rm -rf "$dir"
done
echo "kill test: $iterations iterations from seed $first ($checkpoint_kills killed as a checkpoint began), $acknowledged_total commits acknowledged in all, $failures failures"
(( failures == 0 ))
