#!/usr/bin/env bash
# Throughput benchmark: 1 GiB of squid-native log, analysed with 1 worker and with one per core.
#
#   scripts/bench.sh
#
# Environment (all optional):
#   BENCH_SIZE=1GiB      size of the generated log (shadowscan-loggen --size syntax)
#   BENCH_SEED=7         generator seed
#   SCRATCH_PATH=.build  SwiftPM scratch path (binaries are taken from $SCRATCH_PATH/release)
#   BENCH_RUNS=3         runs per worker count; the fastest is reported
#
# The log is generated once into bench-data/ (git-ignored) and reused by later runs.
# MB/s uses MB = 10^6 bytes; RSS is reported in MiB (2^20 bytes).
set -euo pipefail

cd "$(dirname "$0")/.."
SIZE="${BENCH_SIZE:-1GiB}"
SEED="${BENCH_SEED:-7}"
SCRATCH="${SCRATCH_PATH:-.build}"
RUNS="${BENCH_RUNS:-3}"
BIN="$SCRATCH/release"
DATA=bench-data
LOG="$DATA/squid-native-seed$SEED-$SIZE.log"
TRUTH="$DATA/squid-native-seed$SEED-$SIZE.truth.json"

echo "==> swift build -c release"
swift build -c release --scratch-path "$SCRATCH"

if [[ ! -x /usr/bin/time ]]; then
    echo "==> installing GNU time (/usr/bin/time)"
    SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq time
fi

mkdir -p "$DATA"
if [[ ! -s "$LOG" || ! -s "$TRUTH" ]]; then
    echo "==> generating $LOG"
    rm -f "$LOG" "$TRUTH"
    "$BIN/shadowscan-loggen" --rules Rules --seed "$SEED" --size "$SIZE" --format squid-native \
        --out "$LOG.partial" --truth "$TRUTH"
    mv "$LOG.partial" "$LOG"   # only a complete log is ever reused
fi

BYTES=$(stat -c %s "$LOG")
LINES=$(sed -n 's/^ *"lines" *: *\([0-9]*\).*/\1/p' "$TRUTH" | head -n 1)
[[ -n "$LINES" ]] || LINES=$(wc -l < "$LOG")

if [[ ! -x "$BIN/shadowscan" ]]; then
    echo "error: $BIN/shadowscan was not built" >&2
    exit 1
fi

echo "==> warming the page cache"
cat "$LOG" > /dev/null

# run WORKERS: prints "seconds peak-kib", the fastest of $RUNS runs (and the largest peak RSS of them):
# a shared 2-core machine's neighbours make single runs vary by 10-20 %.
run() {
    local workers=$1 out="$DATA/time-$1.txt" best="" peak=0
    for ((i = 1; i <= RUNS; i++)); do
        if ! /usr/bin/time -f '%e %M' -o "$out" \
            "$BIN/shadowscan" analyse "$LOG" --workers "$workers" --json /dev/null --timings > "$DATA/analyse-$workers.out" 2>&1; then
            echo "error: shadowscan analyse --workers $workers failed:" >&2
            tail -n 20 "$DATA/analyse-$workers.out" >&2
            exit 1
        fi
        read -r t m < <(tail -n 1 "$out")
        grep '^timings:' "$DATA/analyse-$workers.out" | sed "s/^/    run $i, $workers worker(s): /" >&2
        if [[ -z "$best" ]] || awk -v a="$t" -v b="$best" 'BEGIN { exit !(a < b) }'; then best=$t; fi
        (( m > peak )) && peak=$m
    done
    echo "$best $peak"
}

NPROC=$(nproc)
echo "==> analysing with 1 worker"
read -r T1 M1 < <(run 1)
echo "==> analysing with $NPROC workers"
read -r TN MN < <(run "$NPROC")

echo
awk -v bytes="$BYTES" -v lines="$LINES" -v t1="$T1" -v m1="$M1" -v tn="$TN" -v mn="$MN" -v n="$NPROC" \
    -v file="$LOG" -v runs="$RUNS" 'BEGIN {
    if (t1 <= 0) t1 = 0.01; if (tn <= 0) tn = 0.01   # below time(1) resolution
    printf "file:   %s\n", file
    printf "size:   %d bytes (%.1f MB, MB = 10^6 bytes), %d lines\n\n", bytes, bytes / 1e6, lines
    printf "%-10s %10s %10s %14s %14s\n", "workers", "wall s", "MB/s", "lines/s", "peak RSS MiB"
    printf "%-10d %10.2f %10.1f %14.0f %14.1f\n", 1, t1, bytes / 1e6 / t1, lines / t1, m1 / 1024
    printf "%-10d %10.2f %10.1f %14.0f %14.1f\n", n, tn, bytes / 1e6 / tn, lines / tn, mn / 1024
    printf "\nspeed-up (%d workers / 1 worker): %.2fx (fastest of %d runs each)\n", n, t1 / tn, runs
}'
