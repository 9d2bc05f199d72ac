#!/usr/bin/env bash
# newsmon beside newsboat: the same generated feeds, the same loopback server, alternating in one run.
#
# Generates FEEDS feeds of ITEMS items each (scripts/gen-corpus.py: German and English, RSS and Atom, half
# the outlets with full text, ON-TOPIC-SHARE of the stories on the shipped topics), serves them from scripts/testserver.py on 127.0.0.1 (ETag, Last-Modified,
# gzip for clients that ask), and runs, for each of ROUNDS rounds, with fresh state for both programs (all removed
# at the end, none between rounds):
#
#   first       the cold poll (empty cache / state store; every feed 200)
#   unchanged   the next poll, nothing changed
#   unchanged2  once more (newsboat records validators only from its second fetch of a feed on)
#   changed     after 10 % of the feeds got 5 new items each (gen-corpus.py --change-fraction 0.1)
#
# Each phase runs newsboat (`newsboat -x reload`, its own config, cache and urls file in a temp dir), once
# per entry of NEWSBOAT-THREADS (its reload-threads), and `newsmon once --timings --output none` one after
# the other; which goes first alternates by round. Measured with /usr/bin/time: wall, CPU (user+sys), peak
# RSS; the server's answers (200/304, bytes sent) are counted per run. Prints every run, then the median per
# phase and the newsmon/newsboat ratios against each newsboat. The reference of issue 13 is newsboat with
# one thread (the default); `--newsboat-threads "1 8"` also runs it with 8. newsmon fetches up to THREADS
# feeds at once (max_in_flight, max_per_host: one loopback host stands in for many).
#
# Usage: scripts/bench-newsboat.sh [--feeds N] [--items N] [--rounds N] [--threads N] [--binary PATH]
#                                  [--newsboat-threads "1 8"] [--on-topic-share S|mixed] [--baseline PATH]
#                                  [--phases "first unchanged unchanged2 changed"] [--content-fraction F]
#   defaults: --feeds 2000 --items 50 --rounds 2 --threads 8 --newsboat-threads 1 --on-topic-share 0.035
#   --content-fraction 0.5 (about 2.5 % of the items alert; `mixed` is the older, alert-dense corpus, about 18 %;
#   --content-fraction is the share of outlets with full text: 0.5 gives about 1.2 KB an item, 1.0 about 1.9 KB,
#   the issue's reference corpus had 2.1 KB), and
#   .build/release/newsmon (built if missing; scripts/install.sh installs a --static-swift-stdlib build,
#   see docs/performance.md). --baseline PATH also runs another newsmon binary (`newsmon-base`, e.g. the
#   build before a change) in every phase, so old and new alternate in one run. --phases runs only those
#   (in that order; `changed` needs the others before it to be meaningful). KEEP=1 keeps the work directory. Not a test: it prints, it does not judge.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

feeds=2000 items=50 rounds=2 threads=8 binary="" content_fraction=0.5 change_fraction=0.1
newsboat_threads="1" on_topic_share=0.035 baseline="" phases="first unchanged unchanged2 changed"
while [ $# -gt 0 ]; do
  case "$1" in
    --feeds) feeds="$2"; shift 2 ;;
    --items) items="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --binary) binary="$2"; shift 2 ;;
    --newsboat-threads) newsboat_threads="$2"; shift 2 ;;
    --on-topic-share) on_topic_share="$2"; shift 2 ;;
    --baseline) baseline="$(realpath "$2")"; shift 2 ;;
    --phases) phases="$2"; shift 2 ;;
    --content-fraction) content_fraction="$2"; shift 2 ;;
    *) sed -n '2,32p' "$0" >&2; exit 2 ;;
  esac
done

# newsboat and /usr/bin/time from Debian's packages when missing. A fresh machine may have no package lists yet
# ("Unable to locate package"): they are read once (`apt-get update`) before the install is given up.
missing=()
command -v newsboat >/dev/null || missing+=(newsboat)
[ -x /usr/bin/time ] || missing+=(time)
if [ ${#missing[@]} -gt 0 ]; then
  echo "bench-newsboat: installing ${missing[*]} (Debian packages)" >&2
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_=sudo
  $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null 2>&1 \
    || { $sudo_ apt-get update -qq && $sudo_ env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; }
fi
command -v newsboat >/dev/null || { echo "bench-newsboat: newsboat is missing (apt-get install -y newsboat)" >&2; exit 1; }
[ -x /usr/bin/time ] || { echo "bench-newsboat: /usr/bin/time is missing (apt-get install -y time)" >&2; exit 1; }
if [ -z "$binary" ]; then
  binary=.build/release/newsmon
  [ -x "$binary" ] || swift build -c release --product newsmon >&2
fi
binary="$(realpath "$binary")"

# Every program starts from its file's pages out of the page cache, read back by its own first run, as an
# installed program that has run before is. A binary just built or copied stays cached in the large folios it
# was written in, which a run maps whole: the same newsmon binary then peaks about 1 MB higher at 100 feeds
# (docs/performance.md, "The store's writes in key order"). The first round reads the binaries from disk.
for program in "$binary" ${baseline:+"$baseline"} "$(realpath "$(command -v newsboat)")"; do
  dd if="$program" iflag=nocache count=0 status=none
done

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "bench-newsboat: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

# The server reads its stdin until it closes: fd 3 stays open for as long as this script runs.
mkdir -p "$work/live/feeds"
exec 3> >(exec python3 "$repo/scripts/testserver.py" --root "$work/live/feeds" --gzip > "$work/server.port" 2>"$work/server.log")
server_pid=$!
for _ in $(seq 100); do [ -s "$work/server.port" ] && break; sleep 0.1; done
port="$(awk '/^PORT/ {print $2}' "$work/server.port")"
[ -n "$port" ] || { echo "bench-newsboat: the test server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
base="http://127.0.0.1:$port"

python3 "$repo/scripts/gen-corpus.py" "$work/pristine" --feeds "$feeds" --items "$items" --base-url "$base/" \
  --content-fraction "$content_fraction" --max-in-flight "$threads" --max-per-host "$threads" \
  --on-topic-share "$on_topic_share" >&2

load() { cut -d' ' -f1-3 /proc/loadavg; }
echo "bench-newsboat: $feeds feeds x $items items (on-topic share $on_topic_share), $rounds rounds," \
  "newsmon $threads fetches at once, newsboat reload-threads: $newsboat_threads; $(nproc) CPUs," \
  "load average at start $(load)"
echo "bench-newsboat: newsmon $binary; $(newsboat --version | head -1)"

results="$work/results.tsv"
: > "$results"

# run TOOL PHASE ROUND: TOOL is newsmon, newsmon-base (--baseline) or newsboat-N (N reload threads)
run() {
  local tool="$1" phase="$2" round="$3" out="$work/run.out" status=0 program="$binary"
  [ "$tool" = newsmon-base ] && program="$baseline"
  curl -s -X POST "$base/_control/reset" >/dev/null
  if [ "${tool%-base}" = newsmon ]; then
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" "$program" once --config "$work/pristine/feeds.conf" \
      --state "$work/$tool-$round" --output none --log-level error --timings >"$out" 2>&1 || status=$?
  else
    HOME="$work/$tool-$round" /usr/bin/time -f '%e %U %S %M' -o "$work/time" newsboat -x reload \
      -u "$work/pristine/urls" -c "$work/$tool-$round/cache.db" -C "$work/$tool-$round/config" \
      >"$out" 2>&1 || status=$?
  fi
  local stats; stats="$(curl -s "$base/_control/stats")"
  local served; served="$(python3 -c '
import json, sys
files = json.loads(sys.argv[1]).get("files", {})
ok = sum(v["count"] for k, v in files.items() if k.startswith("200"))
print(ok, files.get("304", {}).get("count", 0), sum(v["bytes"] for v in files.values()))' "$stats")"
  read -r wall user sys rss < <(tail -1 "$work/time")
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$round" "$tool" "$phase" "$wall" "$user" "$sys" "$rss" \
    $served "$status" >> "$results"
  local timings=""
  [ "${tool%-base}" = newsmon ] && timings="$(grep -m1 -i 'items;' "$out" || true)"
  printf '  round %s %-11s %-10s wall %7.2f s  CPU %7.2f s  peak RSS %7d KiB  200s %5s 304s %5s  %s MB sent%s%s\n' \
    "$round" "$tool" "$phase" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" "$rss" $(echo "$served" | awk '{printf "%s %s %.1f", $1, $2, $3/1e6}') \
    "$([ "$status" = 0 ] || echo "  exit $status")" "${timings:+
      $timings}"
}

newsboats=""
for n in $newsboat_threads; do newsboats="$newsboats newsboat-$n"; done
for round in $(seq 1 "$rounds"); do
  newsmons="newsmon${baseline:+ newsmon-base}"
  if [ $((round % 2)) = 1 ]; then order="$newsboats $newsmons"; else order="$(echo $newsmons | tr ' ' '\n' | tac | tr '\n' ' ')$newsboats"; fi
  # Nothing is deleted until the end: the last round's feeds are moved aside, its states kept. On ext4 without a
  # journal (this machine's root), creating a file skips every free inode of its block group deleted in the
  # last minute, six when the group's inode table is dirty, which the creations make it: a cold poll right
  # after removing a round's states (thousands of files) took 1.7 s more CPU creating its 2,680 spool files
  # (`perf`: find_inode_bit → recently_deleted), newsboat (which creates none) nothing.
  [ -d "$work/live/feeds" ] && mv "$work/live/feeds" "$work/live/feeds-before-$round"
  cp -rp "$work/pristine/feeds" "$work/live/feeds"
  mkdir -p "$work/newsmon-$round" "$work/newsmon-base-$round"
  for n in $newsboat_threads; do
    mkdir -p "$work/newsboat-$n-$round"
    printf 'reload-threads %s\n' "$n" > "$work/newsboat-$n-$round/config"
  done
  echo "round $round ($order), load average $(load)"
  for phase in $phases; do
    if [ "$phase" = changed ]; then
      python3 "$repo/scripts/gen-corpus.py" "$work/live" --change-fraction "$change_fraction" --round "$round" >&2
    fi
    for tool in $order; do run "$tool" "$phase" "$round"; done
  done
done

echo "load average at end $(load)"
python3 - "$results" "$feeds" "$items" $newsboat_threads <<'PY'
import statistics, sys
from collections import defaultdict
rows = [line.rstrip("\n").split("\t") for line in open(sys.argv[1])]
runs = defaultdict(list)
for r, tool, phase, wall, user, sys_, rss, ok, notmod, sent, status in rows:
    runs[(tool, phase)].append((float(wall), float(user) + float(sys_), int(rss)))
def med(tool, phase, i):
    return statistics.median(x[i] for x in runs[(tool, phase)])
for n, newsmon in [(n, m) for m in ("newsmon", "newsmon-base") if runs[(m, "first")] for n in sys.argv[4:]]:
    newsboat = f"newsboat-{n}"
    print(f"\n{newsmon}: medians over {len(runs[(newsmon, 'first')])} rounds, {sys.argv[2]} feeds x {sys.argv[3]} items,"
          f" newsboat with {n} reload thread{'s' if n != '1' else ''}:")
    print(f"| poll | newsboat wall | newsmon wall | ratio | newsboat CPU | newsmon CPU | ratio | newsboat RSS | newsmon RSS | ratio |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for phase in [p for p in ["first", "unchanged", "unchanged2", "changed"] if runs[(newsmon, p)]]:
        b = [med(newsboat, phase, i) for i in range(3)]
        m = [med(newsmon, phase, i) for i in range(3)]
        ratio = lambda x, y: f"{x / y:.2f}" if y else "-"
        print(f"| {phase} | {b[0]:.2f} s | {m[0]:.2f} s | {ratio(m[0], b[0])} | {b[1]:.2f} s | {m[1]:.2f} s | "
              f"{ratio(m[1], b[1])} | {b[2] / 1024:.0f} MiB | {m[2] / 1024:.0f} MiB | {ratio(m[2], b[2])} |")
PY
