#!/usr/bin/env bash
# Builds newsmon (release, Swift runtime linked statically, as scripts/install.sh does), runs the public
# feed-conformance corpus against `newsmon parse`, prints the runner's per-category table and summary
# line, and fails when fewer cases pass than the floor.
#
#     scripts/conformance.sh FLOOR        e.g. scripts/conformance.sh 425
#
# FLOOR is a number of passing cases (of 430) or a percentage ("98%"). Crashes and timeouts always fail.
set -euo pipefail
cd "$(dirname "$0")/.."
floor="${1:?usage: scripts/conformance.sh FLOOR (cases, or a percentage like 98%)}"
runner="${NEWSMON_SHARED:-../shared}/conformance/run_conformance.py"
[ -f "$runner" ] || { echo "conformance: runner not found at $runner"; exit 2; }

swift build -c release --static-swift-stdlib --product newsmon 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] ' || true
[ -x .build/release/newsmon ] || { echo "conformance: release build failed"; exit 2; }

report=$(mktemp)
trap 'rm -f "$report"' EXIT
out=$(python3 "$runner" -j 2 --exit-zero --report "$report" -- .build/release/newsmon parse {} 2>&1) || true
echo "$out" | sed -n '/^category/,$p' | sed '$d'
summary=$(echo "$out" | grep -E '^conformance: [0-9]+ passed' | tail -1)
[ -n "$summary" ] || { echo "conformance: no summary line from the runner"; exit 2; }
passed=$(echo "$summary" | sed -E 's/^conformance: ([0-9]+) passed.*/\1/')
total=$(echo "$summary" | sed -E 's/.* of ([0-9]+).*/\1/')
if [[ "$floor" == *% ]]; then
  need=$(( (${floor%\%} * total + 99) / 100 ))
else
  need=$floor
fi
crashes=$(python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); print(sum(1 for c in r["cases"] if any(p.startswith("crash") for p in c["problems"])))' "$report")
if [ "$crashes" -ne 0 ]; then
  echo "conformance: $crashes crash(es) or timeout(s)"
  echo "$summary"
  exit 1
fi
if [ "$passed" -lt "$need" ]; then
  echo "conformance: $passed passed, below the floor of $need"
  echo "$summary"
  exit 1
fi
echo "$summary"
