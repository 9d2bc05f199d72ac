#!/usr/bin/env bash
# Which of two newsmon builds (or settings) spends less CPU on the same `newsmon once`, measured in pairs run at the
# same time (docs/performance.md, session 15).
#
#   scripts/ab-once.sh A B [--feeds 2000] [--rounds 8] [--corpus DIR]
#       A and B: a newsmon binary, optionally followed by ,VAR=VALUE,... for its environment
#       (e.g. .build/release/newsmon,MALLOC_ARENA_MAX=2). Both poll the same generated feeds (`file:` URLs,
#       scripts/gen-corpus.py, made once in DIR, default /tmp/newsmon-ab-FEEDS) from fresh state, once per
#       round, side by side: A pinned to one CPU and B to the other (`taskset`), swapped every round. Prints
#       each round's CPU (user + sys), peak RSS and minor faults, then the median and mean of B's CPU over A's
#       per round, and each one's peak RSS range.
#
# Why in pairs: on a shared VM the same build's CPU for one poll varies by ±10 % from run to run as the host's load
# moves (the benchmark's seconds drift with it), while two runs at the same moment see the same host: an A/A run of
# 8 rounds (one build against itself, 2,000 feeds) gave ratios from 0.955 to 1.080 and a median of 1.006. Each program
# has one CPU, not two, so the seconds are not those of `newsmon once` alone: compare the ratio, not the seconds.
# Not a test.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

[ $# -ge 2 ] || { sed -n '5,11p' "$0" >&2; exit 2; }
spec_a="$1" spec_b="$2"; shift 2
feeds=2000 rounds=8 corpus=""
while [ $# -gt 0 ]; do
  case "$1" in
    --feeds) feeds="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --corpus) corpus="$2"; shift 2 ;;
    *) echo "ab-once: unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(nproc)" -ge 2 ] || { echo "ab-once: needs two CPUs" >&2; exit 1; }
corpus="${corpus:-/tmp/newsmon-ab-$feeds}"
if [ ! -f "$corpus/feeds.conf" ]; then
  python3 "$repo/scripts/gen-corpus.py" "$corpus" --feeds "$feeds" --items 50 --content-fraction 0.5 >&2
fi
work="$(mktemp -d /tmp/newsmon-ab.XXXXXX)"
# The states are kept until the end: a file created on ext4 right after many were deleted costs more (the benchmark's
# "No deletions between rounds").
trap 'rm -rf "$work"' EXIT

# run LABEL SPEC CPU ROUND: one `newsmon once`, pinned; prints "LABEL cpu rss minflt".
run() {
  local label="$1" cpu="$3" round="$4" binary environment=()
  IFS=',' read -r -a parts <<< "$2"
  binary="${parts[0]}"
  environment=("${parts[@]:1}")
  env "${environment[@]}" taskset -c "$cpu" /usr/bin/time -f '%U %S %M %R' -o "$work/time-$label" "$binary" once \
    --config "$corpus/feeds.conf" --state "$work/$label-$round" --output none --log-level error >/dev/null 2>&1 ||
    echo "ab-once: $label's newsmon once failed in round $round (its CPU is still counted)" >&2
  tail -1 "$work/time-$label" > "$work/time-$label.last"  # /usr/bin/time prefixes a failed run's line with its status
  mv "$work/time-$label.last" "$work/time-$label"
  awk -v l="$label" '{printf "%s %.2f %d %d\n", l, $1 + $2, $3, $4}' "$work/time-$label"
}

echo "ab-once: $feeds feeds, $rounds rounds; A = $spec_a; B = $spec_b"
: > "$work/results"
for round in $(seq "$rounds"); do
  a=$((round % 2)) b=$((1 - round % 2))
  run A "$spec_a" "$a" "$round" > "$work/a" &
  run B "$spec_b" "$b" "$round" > "$work/b" &
  wait
  read -r _ cpu_a rss_a faults_a < "$work/a"
  read -r _ cpu_b rss_b faults_b < "$work/b"
  printf '  round %2d  A (CPU %d) %6.2f s %7d KiB %7d faults   B (CPU %d) %6.2f s %7d KiB %7d faults   B/A %.3f\n' \
    "$round" "$a" "$cpu_a" "$rss_a" "$faults_a" "$b" "$cpu_b" "$rss_b" "$faults_b" "$(echo "$cpu_b / $cpu_a" | bc -l)"
  echo "$cpu_a $cpu_b $rss_a $rss_b" >> "$work/results"
done
python3 - "$work/results" <<'EOF'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1])]
ratios = [b / a for a, b, _, _ in rows]
print(f"ab-once: B/A CPU median {statistics.median(ratios):.3f}, mean {statistics.mean(ratios):.3f} "
      f"(rounds from {min(ratios):.3f} to {max(ratios):.3f}); "
      f"peak RSS A {min(r[2] for r in rows):.0f}-{max(r[2] for r in rows):.0f} KiB, "
      f"B {min(r[3] for r in rows):.0f}-{max(r[3] for r in rows):.0f} KiB")
EOF
