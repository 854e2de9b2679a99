#!/usr/bin/env bash
# Matching speed with a 100,000-domain imported catalogue against the built-in one.
#
#   scripts/bench-catalogue.sh            (after scripts/bench.sh has generated the 1 GiB log)
#
# Builds a UT1-shaped folder of synthetic domains (10 categories, DOMAINS in all), imports it with
# `shadowscan rules import ut1` next to a copy of Rules/, and runs `analyse --timings` on the same log
# with both catalogues, RUNS times each; the best stream throughput of each is reported.
#
# Environment (all optional):
#   DOMAINS=100000   synthetic domains to import
#   RUNS=3           runs per catalogue (the machine is shared: the best run is the least disturbed)
#   WORKERS=2        analyse --workers
#   BENCH_LOG=bench-data/squid-native-seed7-1GiB.log
#   SCRATCH_PATH=.build  SwiftPM scratch path (the binary is taken from $SCRATCH_PATH/release)
set -euo pipefail

cd "$(dirname "$0")/.."
DOMAINS="${DOMAINS:-100000}"
RUNS="${RUNS:-3}"
WORKERS="${WORKERS:-2}"
LOG="${BENCH_LOG:-bench-data/squid-native-seed7-1GiB.log}"
BIN="${SCRATCH_PATH:-.build}/release/shadowscan"
[[ -x "$BIN" ]] || { echo "no $BIN: swift build -c release first" >&2; exit 2; }
[[ -s "$LOG" ]] || { echo "no $LOG: run scripts/bench.sh first" >&2; exit 2; }

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
LISTS="$WORK/blacklists"
BIG="$WORK/rules-100k"
mkdir -p "$LISTS" "$BIG"

# Synthetic but realistic host names: two words, a unique number, common TLDs; spread over the UT1
# categories the importer maps (so they land in ten catalogue categories).
awk -v n="$DOMAINS" -v out="$LISTS" 'BEGIN {
    split("webmail social_networks filehosting vpn redirector doh remote-control translation chat audio-video", cats, " ")
    split("cloud mail share file drop send box net web data sync vault link hub zone go my get top fast secure", words, " ")
    split("com net org io de fr co.uk eu info biz nl it es ru app xyz", tlds, " ")   # 16
    seed = 7
    for (i = 0; i < n; i++) {
        seed = (seed * 1103515245 + 12345) % 2147483648; a = words[1 + seed % 21]
        seed = (seed * 1103515245 + 12345) % 2147483648; b = words[1 + seed % 21]
        seed = (seed * 1103515245 + 12345) % 2147483648; t = tlds[1 + seed % 16]
        c = cats[1 + i % 10]
        dir = out "/" c
        if (!(c in made)) { system("mkdir -p " dir); made[c] = 1 }
        printf "%s%s%d.%s\n", a, b, 100000 + i, t > (dir "/domains")
    }
}'
for f in Rules/*.yaml; do case "$(basename "$f")" in policy*) ;; *) cp "$f" "$BIG/" ;; esac; done
"$BIN" rules import ut1 "$LISTS" --rules Rules --out "$BIG/ut1-synthetic.yaml" 2> "$WORK/import.log"
tail -1 "$WORK/import.log"
echo "built-in: $("$BIN" rules list --rules Rules | tail -1)"
echo "large:    $("$BIN" rules list --rules "$BIG" | tail -1 | cut -c1-60)..., $(grep -c '^      - ' "$BIG/ut1-synthetic.yaml") imported domains"

# On a shared machine, root runs the timed commands at real-time priority (as the README's figures).
PRIO=""
if [[ $(id -u) -eq 0 ]] && command -v chrt >/dev/null; then PRIO="chrt -f 10"; fi
run() {   # one run: "<stream MB/s> <rules seconds>" with catalogue $1
    local line
    line=$($PRIO "$BIN" analyse "$LOG" --rules "$1" --workers "$WORKERS" --quiet --timings 2>&1 >/dev/null | grep '^timings:')
    echo "$(sed -E 's/.*\(([0-9]+) MB\/s.*/\1/' <<<"$line") $(sed -E 's/.*rules ([0-9.]+) s.*/\1/' <<<"$line")"
}
# Runs alternate between the catalogues, so a busy moment on the shared machine hits both alike.
small_mbs=0; big_mbs=0; small_rules=0; big_rules=0
for i in $(seq "$RUNS"); do
    read -r mbs secs < <(run Rules);  echo "  run $i built-in: $mbs MB/s";  (( mbs > small_mbs )) && { small_mbs=$mbs; small_rules=$secs; }
    read -r mbs secs < <(run "$BIG"); echo "  run $i large:    $mbs MB/s";  (( mbs > big_mbs )) && { big_mbs=$mbs; big_rules=$secs; }
done
echo "stream throughput, best of $RUNS, $WORKERS workers, $(du -m "$LOG" | cut -f1) MiB log:"
echo "  built-in catalogue:          $small_mbs MB/s (rules loaded in $small_rules s)"
echo "  with $DOMAINS imported domains: $big_mbs MB/s (rules loaded in $big_rules s)"
awk -v a="$small_mbs" -v b="$big_mbs" 'BEGIN { printf "  ratio: %.1f %%\n", 100 * b / a }'
