#!/usr/bin/env bash
# Memory over time: newsmon's resident set while it polls, and while it reloads (docs/performance.md).
#
#   scripts/soak.sh [poll] [--minutes 10] [--feeds 100] [--change-every 10] [--no-304] [--items-per-day 3000]
#       `newsmon run` against FEEDS loopback feeds (scripts/gen-corpus.py, served by scripts/testserver.py
#       --gzip on 127.0.0.1 with ETag/Last-Modified) at 1 s intervals. After the cold poll, three phases:
#       warm-up (a fifth of the minutes) and quiet (two fifths): nothing changes, every poll is a 304 (with
#       --no-304 the server ignores the validators: an unchanged 200, parsed, matched and planned); news (the
#       rest): every --change-every seconds a tenth of the feeds get 5 new items, so parse, match, dedup,
#       spool and commit keep running (--change-every 0: quiet to the end). VmRSS is sampled every 10 s.
#       Prints the least-squares slope of the quiet phase in bytes per feed poll and the news phase's in
#       bytes per new item (the quiet slope taken off), and what they come to in a day at 100 feeds every
#       10 minutes (14,400 feed polls) with --items-per-day new items.
#   scripts/soak.sh reload [--reloads 200] [--feeds 100] [--interval 10m]
#       the same daemon (feeds polled once, then every --interval), sent SIGHUP every 0.2 s (each reload is
#       waited for: RELOADING=1 ... READY=1 on a notify socket), VmRSS printed after each reload; prints the
#       slope in bytes per reload after the first fifth (warm-up) and over the second half.
#   Both: [--binary PATH] (default .build/release/newsmon, built if missing), [--interval D] (poll: 1s),
#   [--story-window D] (feeds.conf's story_window, default 72h: the story index holds 2 to 2.5 windows of
#   stories, so "2m" shows within minutes whether what the new items add is bounded by it).
#   MALLOC_ARENA_MAX=N in the environment reaches the daemon (glibc's arenas: compare N=2 with the default).
#
# A slope near zero is flat; a leak shows as a steady positive slope. Not a test: it prints, it does not judge.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

mode=poll minutes=10 feeds=100 reloads=200 binary="" change_every=10 interval="" conditional=1 items_per_day=3000
story_window=""
[ "${1:-}" = poll ] || [ "${1:-}" = reload ] && { mode="$1"; shift; }
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --feeds) feeds="$2"; shift 2 ;;
    --reloads) reloads="$2"; shift 2 ;;
    --change-every) change_every="$2"; shift 2 ;;
    --binary) binary="$2"; shift 2 ;;
    --interval) interval="$2"; shift 2 ;;
    --no-304) conditional=0; shift ;;
    --items-per-day) items_per_day="$2"; shift 2 ;;
    --story-window) story_window="$2"; shift 2 ;;
    *) sed -n '2,24p' "$0" >&2; exit 2 ;;
  esac
done
if [ -z "$binary" ]; then
  binary=.build/release/newsmon
  [ -x "$binary" ] || swift build -c release --product newsmon >&2
fi
binary="$(realpath "$binary")"
[ -n "$interval" ] || { [ "$mode" = reload ] && interval=10m || interval=1s; }

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "soak: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

mkdir -p "$work/corpus/feeds" "$work/state"
server_flags=(--gzip)
[ "$conditional" = 1 ] || server_flags+=(--no-conditional)
exec 3> >(exec python3 "$repo/scripts/testserver.py" --root "$work/corpus/feeds" "${server_flags[@]}" > "$work/server.port" 2>"$work/server.log")
server_pid=$!
for _ in $(seq 100); do [ -s "$work/server.port" ] && break; sleep 0.1; done
port="$(awk '/^PORT/ {print $2}' "$work/server.port")"
[ -n "$port" ] || { echo "soak: the test server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
python3 "$repo/scripts/gen-corpus.py" "$work/corpus" --feeds "$feeds" --items 50 --content-fraction 0.5 \
  --max-per-host 8 --base-url "http://127.0.0.1:$port/" >&2
sed -i "s/^backfill = \"all\"\$/backfill = \"all\"\ninterval = \"$interval\"/" "$work/corpus/feeds.conf"
if [ -n "$story_window" ]; then
  if grep -q '^\[daemon\]$' "$work/corpus/feeds.conf"; then
    sed -i "s/^\[daemon\]\$/[daemon]\nstory_window = \"$story_window\"/" "$work/corpus/feeds.conf"
  else
    printf '\n[daemon]\nstory_window = "%s"\n' "$story_window" >> "$work/corpus/feeds.conf"
  fi
fi

echo "soak: $mode, $feeds feeds every $interval on 127.0.0.1:$port$([ "$conditional" = 1 ] || echo ' (no 304s)')$([ -z "$story_window" ] || echo ", story_window $story_window")," \
  "MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX:-default}, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$mode" "$binary" "$work" "$port" "$minutes" "$reloads" "$feeds" "$repo" "$change_every" "$items_per_day" \
  "$conditional" <<'PY'
import json, os, signal, socket, subprocess, sys, time, urllib.request

mode, binary, work, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
minutes, reloads, feeds, repo = float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
change_every, items_per_day, conditional = float(sys.argv[9]), int(sys.argv[10]), sys.argv[11] == "1"
NEW_ITEMS, CHANGE_FRACTION = 5, 0.1  # per changed feed, share of the feeds changed each round (gen-corpus.py)
POLLS_PER_DAY = 100 * 24 * 6  # 100 feeds every 10 minutes

notify = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
notify.bind(os.path.join(work, "notify.sock"))
env = dict(os.environ, NOTIFY_SOCKET=os.path.join(work, "notify.sock"))
env.pop("WATCHDOG_USEC", None)
log = open(os.path.join(work, "daemon.log"), "w")
daemon = subprocess.Popen([binary, "run", "--config", os.path.join(work, "corpus/feeds.conf"),
                           "--state", os.path.join(work, "state"), "--output", "none", "--log-level", "warning",
                           "--startup-spread", "1"], env=env, stdout=subprocess.DEVNULL, stderr=log)

def messages(timeout):
    notify.settimeout(timeout)
    try:
        return notify.recv(65536).decode().split("\n")
    except socket.timeout:
        return []

def wait_for(word, seconds):
    """Waits for the notify message `word`, or one starting with it when it ends with '='."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for message in messages(max(0.01, deadline - time.monotonic())):
            if message == word or (word.endswith("=") and message.startswith(word)):
                return True
    return False

def rss():
    for line in open(f"/proc/{daemon.pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("no VmRSS")

def fetches():
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/_control/stats") as response:
        return json.load(response)["count"]

def store_bytes():
    state = os.path.join(work, "state")
    return sum(os.path.getsize(os.path.join(state, name)) for name in os.listdir(state)
               if ".db" in name or name.endswith("-wal") or name.endswith("-shm") or ".sqlite" in name)

def slope(xs, ys):
    n = len(xs)
    if n < 2:
        return 0.0
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0

def kib(n):
    return f"{n / 1024:,.0f} KiB"

try:
    if not wait_for("READY=1", 30):
        sys.exit("soak: the daemon did not become ready; see " + os.path.join(work, "daemon.log"))
    # The cold poll: every feed fetched once, then the end of the cycle they are in (STATUS= comes when no
    # poll is in flight; if it came while the last fetches were counted, the wait ends after 30 s).
    deadline = time.monotonic() + 600
    while fetches() < feeds:
        if time.monotonic() > deadline:
            sys.exit("soak: the cold poll did not end within 600 s")
        messages(0.5)
    wait_for("STATUS=", 30)
    if mode == "poll":
        # Phases, as fractions of --minutes: warm-up, quiet (nothing new), news (new items every change_every s).
        start = time.monotonic()
        quiet_at = start + minutes * 60 / 5
        news_at = start + minutes * 60 * 3 / 5 if change_every > 0 else float("inf")
        end = start + minutes * 60
        samples, change_round, next_change = [], 0, news_at  # (t, phase, fetches, rss, store, new items)
        while True:
            now = time.monotonic()
            phase = "warm-up" if now < quiet_at else "quiet" if now < news_at else "news"
            new_items = change_round * max(1, round(feeds * CHANGE_FRACTION)) * NEW_ITEMS
            samples.append((now - start, phase, fetches(), rss(), store_bytes(), new_items))
            t, _, f, r, b, n = samples[-1]
            print(f"  {t:6.0f} s  {phase:7s}  {f:7d} fetches  RSS {r / 1024:8.0f} KiB  store {b / 1024:8.0f} KiB  "
                  f"{n:5d} new items", flush=True)
            if now >= end or daemon.poll() is not None:
                break
            while time.monotonic() < min(end, now + 10):
                if time.monotonic() >= next_change:
                    change_round += 1
                    subprocess.run([sys.executable, os.path.join(repo, "scripts/gen-corpus.py"), os.path.join(work, "corpus"),
                                    "--change-fraction", str(CHANGE_FRACTION), "--new-items", str(NEW_ITEMS),
                                    "--round", str(change_round)], stdout=subprocess.DEVNULL, check=True)
                    next_change += change_every
                messages(0.2)
        quiet = [s for s in samples if s[1] == "quiet"]
        news = [s for s in samples if s[1] == "news"]
        # The quiet phase's last sample starts the news phase's line too.
        news = quiet[-1:] + news if news else []
        per_poll = slope([s[2] for s in quiet], [s[3] for s in quiet])
        polls = samples[-1][2] - samples[0][2]
        print(f"soak: {polls} feed polls ({polls / feeds:.0f} cycles of {feeds} feeds) in {samples[-1][0]:.0f} s after the "
              f"cold poll; RSS {kib(samples[0][3])} after it, {kib(quiet[0][3] if quiet else 0)} after warm-up, "
              f"{kib(samples[-1][3])} at end; store {kib(samples[0][4])} -> {kib(samples[-1][4])}")
        what = "a 304" if conditional else "an unchanged 200 (--no-304)"
        print(f"soak: quiet ({len(quiet)} samples, every poll {what}): {per_poll:.1f} bytes per feed poll "
              f"= {per_poll * POLLS_PER_DAY / 1024:,.0f} KiB a day at 100 feeds every 10 min ({POLLS_PER_DAY:,} feed polls)")
        if len(news) >= 3 and news[-1][5] > 0:
            # RSS less the quiet phase's share of the polls, against the number of new items.
            per_item = slope([s[5] for s in news], [s[3] - per_poll * s[2] for s in news])
            print(f"soak: news ({news[-1][5]:,} new items in {change_round} rounds, {len(news)} samples): "
                  f"{per_item:,.0f} bytes per new item (the quiet slope taken off)")
            print(f"soak: a day at 100 feeds every 10 min with {items_per_day:,} new items: "
                  f"{per_poll * POLLS_PER_DAY / 1024:,.0f} KiB from polling + {per_item * items_per_day / 1048576:,.1f} MiB "
                  f"from new items, while they fill the story index (the last 6 to 7.5 days of stories; SQLite's "
                  f"page cache, 2 MiB, is released after each commit)")
    else:
        samples = [(0, rss())]
        print(f"  reload    0  RSS {samples[0][1] / 1024:8.0f} KiB", flush=True)
        missed = 0
        for n in range(1, reloads + 1):
            sent = time.monotonic()
            daemon.send_signal(signal.SIGHUP)
            if not wait_for("READY=1", 10):
                missed += 1
            time.sleep(max(0.0, 0.2 - (time.monotonic() - sent)))
            samples.append((n, rss()))
            print(f"  reload {n:4d}  RSS {samples[-1][1] / 1024:8.0f} KiB", flush=True)
            if daemon.poll() is not None:
                break
        steady = samples[len(samples) // 5:]
        late = samples[len(samples) // 2:]
        per_reload = slope([s[0] for s in steady], [s[1] for s in steady])
        per_reload_late = slope([s[0] for s in late], [s[1] for s in late])
        print(f"soak: {len(samples) - 1} reloads ({missed} without READY=1 within 10 s); RSS {kib(samples[0][1])} "
              f"before, {kib(samples[len(samples) // 5][1])} after warm-up, {kib(samples[-1][1])} at end")
        print(f"soak: slope after warm-up {per_reload:.0f} bytes per reload; over the second half {per_reload_late:.0f}")
    if daemon.poll() is not None:
        sys.exit(f"soak: the daemon exited ({daemon.returncode}); see {work}/daemon.log")
finally:
    if daemon.poll() is None:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(30)
PY
echo "soak: load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
