#!/usr/bin/env bash
# kill -9 `newsmon once` at random moments, run it again on the same state, and compare the alerts in the
# spool with those of a run that was never interrupted: never missed, never repeated means the same alert ids.
#
# Generates FEEDS feeds (scripts/gen-corpus.py, file: URLs, the dense `mixed` corpus, so that many items match
# both topics and copies cross chunk boundaries), runs `newsmon once` once cleanly, then RUNS times: starts it on
# fresh state, kills it with SIGKILL after a random delay between MIN and MAX seconds, runs it again to the end
# and compares the alert ids in spool/new with the clean run's. Prints one line per run (for a run that differs:
# how many of the clean run's (feed, item, topic) alerts are lost, how many it raised that the clean run did not,
# how many are under another story) and the number of runs that differ; exits 1 when any does. Not a test (it
# takes minutes and depends on timing): a probe.
#
# Usage: scripts/crash-once.sh [--binary PATH] [--feeds 300] [--runs 20] [--min 0.2] [--max 3.0]
#   KEEP=1 keeps the work directory (the state and spool of the runs that differ are always kept until then).
set -euo pipefail
cd "$(dirname "$0")/.."

binary=.build/release/newsmon feeds=300 runs=20 min=0.2 max=3.0
while [ $# -gt 0 ]; do
  case "$1" in
    --binary) binary="$2"; shift 2 ;;
    --feeds) feeds="$2"; shift 2 ;;
    --runs) runs="$2"; shift 2 ;;
    --min) min="$2"; shift 2 ;;
    --max) max="$2"; shift 2 ;;
    *) sed -n '2,15p' "$0" >&2; exit 2 ;;
  esac
done
[ -x "$binary" ] || swift build -c release --product newsmon >&2
binary="$(realpath "$binary")"

work="$(mktemp -d)"
cleanup() { if [ "${KEEP:-0}" = 1 ]; then echo "crash-once: kept $work" >&2; else rm -rf "$work"; fi; }
trap cleanup EXIT
python3 scripts/gen-corpus.py "$work/corpus" --feeds "$feeds" --on-topic-share mixed --content-fraction 0.5 \
  --base-url "file:$work/corpus/feeds/" >&2

once() { "$binary" once --config "$work/corpus/feeds.conf" --state "$1" --output none --log-level error >/dev/null 2>&1; }
ids() { (cd "$1/spool/new" && ls | sed 's/^[^-]*-//' | sort); }

once "$work/clean"
ids "$work/clean" > "$work/clean.ids"
echo "crash-once: $feeds feeds, $(wc -l < "$work/clean.ids") alerts in a run never interrupted"
differ=0
for run in $(seq 1 "$runs"); do
  state="$work/run-$run"
  delay="$(python3 -c "import random; print(round(random.uniform($min, $max), 2))")"
  "$binary" once --config "$work/corpus/feeds.conf" --state "$state" --output none --log-level error >/dev/null 2>&1 &
  pid=$!
  sleep "$delay"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  before="$(ls "$state/spool/new" 2>/dev/null | wc -l)"
  status=0
  once "$state" || status=$?
  ids "$state" > "$work/run-$run.ids"
  if cmp -s "$work/clean.ids" "$work/run-$run.ids"; then
    verdict="same"
    rm -rf "$state"
  else
    verdict="DIFFERENT: $(python3 - "$work/clean" "$state" <<'PY'
import glob, json, os, sys
def alerts(state):
    found = {}
    for path in glob.glob(os.path.join(state, "spool", "new", "*")):
        a = json.load(open(path))
        found[(a["feed"], a["item"]["id"], a["topic"])] = a["story"]
    return found
clean, run = alerts(sys.argv[1]), alerts(sys.argv[2])
lost = sum(1 for k in clean if k not in run)
extra = sum(1 for k in run if k not in clean)
moved = sum(1 for k in clean if k in run and run[k] != clean[k])
print(f"{lost} items' alerts lost, {extra} raised that the clean run did not, {moved} under another story")
PY
)"
    differ=$((differ + 1))
  fi
  echo "  run $run: killed after ${delay} s with $before alerts in the spool; again: exit $status, $(wc -l < "$work/run-$run.ids") alerts, $verdict"
done
echo "crash-once: $runs runs, $differ with other alerts than the clean run"
[ "$differ" = 0 ]
