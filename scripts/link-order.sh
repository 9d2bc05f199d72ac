#!/usr/bin/env bash
# Writes Sources/newsmon/newsmon.order: the functions of newsmon's cold and unchanged polls, `check` and
# `--version`, in the order lld lays them out in release builds (Package.swift, docs/performance.md "The
# binary's pages"). Rerun after large changes to what a poll runs; a stale list is harmless (names it
# does not find are skipped), only less effective.
#
# 1. Samples the instruction pointers of those runs (perf, 40 kHz, ROUNDS rounds): hottest first.
# 2. Then, ITERATIONS times: links a candidate with the list, records its page faults in the code, and
#    appends the functions where a first touch still landed outside the list (code run once, which
#    sampling misses). Stops when a pass adds nothing.
#
# Usage: scripts/link-order.sh [--rounds 3] [--iterations 20]
# Needs perf (linux-perf) and the Debian packages of scripts/install-deps.sh; 100 generated feeds served
# from 127.0.0.1. KEEP=1 keeps the work directory.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"
rounds=3 iterations=20
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds="$2"; shift 2 ;;
    --iterations) iterations="$2"; shift 2 ;;
    *) sed -n '2,14p' "$0" >&2; exit 2 ;;
  esac
done
command -v perf >/dev/null || { echo "link-order: perf is missing (apt-get install -y linux-perf)" >&2; exit 1; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "link-order: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The link command of the release binary, to relink candidates with another list and output.
rm -f .build/release/newsmon
link="$(swift build -c release --static-swift-stdlib --product newsmon -v 2>/dev/null \
  | grep -E '^/[^ ]*/swiftc .* -emit-executable ' | tail -1)"
[ -n "$link" ] || { echo "link-order: no link command in swift build -v" >&2; exit 1; }
order="$repo/Sources/newsmon/newsmon.order"
link="${link/--symbol-ordering-file=$order/--symbol-ordering-file=$work/order}"
link="$(sed -E 's# -o [^ ]+# -o '"$work"'/candidate#' <<<"$link")"

mkdir -p "$work/feeds"
exec 3> >(exec python3 "$repo/scripts/testserver.py" --root "$work/feeds" --gzip > "$work/server.port" 2>"$work/server.log")
server_pid=$!
for _ in $(seq 100); do [ -s "$work/server.port" ] && break; sleep 0.1; done
port="$(awk '/^PORT/ {print $2}' "$work/server.port")"
python3 scripts/gen-corpus.py "$work/corpus" --feeds 100 --items 50 --base-url "http://127.0.0.1:$port/" \
  --content-fraction 0.5 --max-in-flight 8 --max-per-host 8 >&2
cp -rp "$work/corpus/feeds/." "$work/feeds/"

# workloads BINARY: runs each workload under `perf record "${record[@]}"`, the samples' text on stdout.
workloads() {
  local binary="$1" state="$work/state"
  rm -rf "$state"; mkdir -p "$state"
  for args in "once --timings" "once" "check" "--version"; do
    local extra=()
    [ "$args" = --version ] || extra=(--config "$work/corpus/feeds.conf")
    [ "${args%% *}" = once ] && extra+=(--state "$state" --output none --log-level error)
    # shellcheck disable=SC2086
    perf record -q "${record[@]}" -o "$work/perf.data" "$binary" $args "${extra[@]}" >/dev/null 2>&1
    perf script -i "$work/perf.data" -F "$fields" --no-demangle --show-mmap-events 2>/dev/null
  done
}

# The functions of sampled instruction pointers in newsmon, most samples first.
cp "$repo/.build/release/newsmon" "$work/candidate"
record=(-F 40000) fields=ip,sym,dso
for _ in $(seq "$rounds"); do workloads "$work/candidate"; done \
  | awk -v exe="($work/candidate)" '$NF == exe && $2 != "[unknown]" {print $2}' \
  | sort | uniq -c | sort -rn | awk '{print $2}' > "$work/order"
echo "link-order: $(wc -l < "$work/order") sampled functions" >&2

# Functions holding a first touch of a code page, not yet in the list (addresses of the candidate's code).
record=(-e page-faults -c 1 -d) fields=addr,ip,sym,dso
for pass in $(seq "$iterations"); do
  eval "$link" >"$work/link.log" 2>&1 || { cat "$work/link.log" >&2; exit 1; }
  nm -n --defined-only "$work/candidate" > "$work/symbols"
  workloads "$work/candidate" > "$work/faults"
  python3 - "$work/symbols" "$work/faults" "$work/order" "$work/candidate" > "$work/new" <<'PY'
import bisect, re, subprocess, sys
segments = [l.split() for l in subprocess.run(["readelf", "-lW", sys.argv[4]], capture_output=True, text=True).stdout.splitlines()]
# The code segment's address minus its file offset.
shift = next(int(s[2], 16) - int(s[1], 16) for s in segments if s and s[0] == "LOAD" and "E" in s[6:-1])
symbols = [(int(a, 16), name) for a, kind, name in (l.split() for l in open(sys.argv[1]) if l.count(" ") == 2)
           if kind in "tTwW"]
addresses = [a for a, _ in symbols]
listed = set(l.strip() for l in open(sys.argv[3]))
found, code = [], None
for line in open(sys.argv[2]):
    mapping = re.search(r"\[0x([0-9a-f]+)\(0x([0-9a-f]+)\) @ 0x([0-9a-f]+) .*r-xp " + re.escape(sys.argv[4]) + "$", line)
    if mapping:  # each run maps the code anew: start, length, file offset
        code = [int(x, 16) for x in mapping.groups()]
        continue
    fields = line.split()
    if code is None or not fields or not re.fullmatch(r"[0-9a-f]+", fields[0]):
        continue
    address = int(fields[0], 16)
    if code[0] <= address < code[0] + code[1]:
        name = symbols[bisect.bisect_right(addresses, address - code[0] + code[2] + shift) - 1][1]
        if name not in listed:
            listed.add(name)
            found.append(name)
print("\n".join(found))
PY
  added="$(grep -c . "$work/new" || true)"
  echo "link-order: pass $pass: $added functions added" >&2
  cat "$work/new" >> "$work/order"
  [ "$added" = 0 ] && break
done
cp "$work/order" "$order"
echo "link-order: wrote $order ($(wc -l < "$order") functions); rebuild to use it" >&2
