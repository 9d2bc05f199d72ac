#!/usr/bin/env bash
# Memory over time: newsmon's resident set while it polls, and while it reloads.
#
#   scripts/soak.sh [poll] [--minutes 10] [--feeds 100] [--binary PATH]
#       `newsmon run` against FEEDS loopback feeds (scripts/gen-corpus.py, served by scripts/testserver.py
#       --gzip on 127.0.0.1 with ETag/Last-Modified) at 1 s intervals for N minutes; every 10 s a tenth of
#       the feeds get 5 new items (gen-corpus.py --change-fraction), so parse, match, dedup, spool and commit
#       keep running, not only 304s (--change-every 0: nothing changes, all 304 after the first poll: the
#       control). VmRSS is sampled every 10 s with the number of fetches served so far and the size of the
#       state store (SQLite file + WAL: its page cache, up to 64 MiB, grows with it).
#   scripts/soak.sh reload [--reloads 200] [--feeds 100] [--binary PATH]
#       the same daemon, sent SIGHUP every 0.2 s (each reload is waited for: RELOADING=1 ... READY=1 on a
#       notify socket), VmRSS printed after each reload.
#
# Both print the least-squares slope of RSS after the first fifth of the samples (the warm-up: SQLite's
# page cache, malloc arenas): bytes per feed poll and per poll cycle, or bytes per reload. A slope near zero
# is flat; a leak shows as a steady positive slope. Not a test: it prints, it does not judge.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$(pwd)"

mode=poll minutes=10 feeds=100 reloads=200 binary="" change_every=10
[ "${1:-}" = poll ] || [ "${1:-}" = reload ] && { mode="$1"; shift; }
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --feeds) feeds="$2"; shift 2 ;;
    --reloads) reloads="$2"; shift 2 ;;
    --change-every) change_every="$2"; shift 2 ;;
    --binary) binary="$2"; shift 2 ;;
    *) sed -n '2,17p' "$0" >&2; exit 2 ;;
  esac
done
if [ -z "$binary" ]; then
  binary=.build/release/newsmon
  [ -x "$binary" ] || swift build -c release --product newsmon >&2
fi
binary="$(realpath "$binary")"

work="$(mktemp -d)"
server_pid=""
cleanup() {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  if [ "${KEEP:-0}" = 1 ]; then echo "soak: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

mkdir -p "$work/corpus/feeds" "$work/state"
exec 3> >(exec python3 "$repo/scripts/testserver.py" --root "$work/corpus/feeds" --gzip > "$work/server.port" 2>"$work/server.log")
server_pid=$!
for _ in $(seq 100); do [ -s "$work/server.port" ] && break; sleep 0.1; done
port="$(awk '/^PORT/ {print $2}' "$work/server.port")"
[ -n "$port" ] || { echo "soak: the test server did not start" >&2; cat "$work/server.log" >&2; exit 1; }
python3 "$repo/scripts/gen-corpus.py" "$work/corpus" --feeds "$feeds" --items 50 --content-fraction 0.5 \
  --max-per-host 8 --base-url "http://127.0.0.1:$port/" >&2
sed -i 's/^backfill = "all"$/backfill = "all"\ninterval = "1s"/' "$work/corpus/feeds.conf"

echo "soak: $mode, $feeds feeds at 1 s on 127.0.0.1:$port, $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$mode" "$binary" "$work" "$port" "$minutes" "$reloads" "$feeds" "$repo" "$change_every" <<'PY'
import json, os, signal, socket, subprocess, sys, time, urllib.request

mode, binary, work, port = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
minutes, reloads, feeds, repo = float(sys.argv[5]), int(sys.argv[6]), int(sys.argv[7]), sys.argv[8]
change_every = float(sys.argv[9])

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
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if word in messages(max(0.01, deadline - time.monotonic())):
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
    mx, my = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mx) ** 2 for x in xs)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sxx if sxx else 0.0

try:
    if not wait_for("READY=1", 30):
        sys.exit("soak: the daemon did not become ready; see " + os.path.join(work, "daemon.log"))
    if mode == "poll":
        start, samples, change_round = time.monotonic(), [], 0
        next_change = time.monotonic() + change_every if change_every > 0 else float("inf")
        end = start + minutes * 60
        while True:
            now = time.monotonic()
            samples.append((now - start, fetches(), rss(), store_bytes()))
            t, f, r, b = samples[-1]
            print(f"  {t:6.0f} s  {f:7d} fetches  ({f / feeds:6.1f} per feed)  RSS {r / 1024:8.0f} KiB  "
                  f"store {b / 1024:8.0f} KiB", flush=True)
            if now >= end or daemon.poll() is not None:
                break
            while time.monotonic() < min(end, now + 10):
                if time.monotonic() >= next_change:
                    change_round += 1
                    subprocess.run([sys.executable, os.path.join(repo, "scripts/gen-corpus.py"), os.path.join(work, "corpus"),
                                    "--change-fraction", "0.1", "--round", str(change_round)], stdout=subprocess.DEVNULL, check=True)
                    next_change += change_every
                messages(0.2)
        steady = samples[len(samples) // 5:]
        per_fetch = slope([s[1] for s in steady], [s[2] for s in steady])
        per_second = slope([s[0] for s in steady], [s[2] for s in steady])
        print(f"soak: {samples[-1][1]} fetches ({samples[-1][1] / feeds:.0f} poll cycles of {feeds} feeds) in "
              f"{samples[-1][0]:.0f} s, {change_round} rounds of changes; RSS {samples[0][2] / 1024:.0f} KiB at start, "
              f"{samples[len(samples) // 5][2] / 1024:.0f} KiB after warm-up, {samples[-1][2] / 1024:.0f} KiB at end, "
              f"peak sampled {max(s[2] for s in samples) / 1024:.0f} KiB; store {samples[0][3] / 1024:.0f} KiB -> "
              f"{samples[-1][3] / 1024:.0f} KiB")
        print(f"soak: slope after warm-up {per_fetch:.1f} bytes per feed poll = {per_fetch * feeds / 1024:.2f} KiB per "
              f"poll cycle = {per_second * 60 / 1024:.1f} KiB per minute")
    else:
        time.sleep(5)  # the first polls
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
        per_reload = slope([s[0] for s in steady], [s[1] for s in steady])
        print(f"soak: {len(samples) - 1} reloads ({missed} without READY=1 within 10 s); RSS {samples[0][1] / 1024:.0f} KiB "
              f"before, {samples[len(samples) // 5][1] / 1024:.0f} KiB after warm-up, {samples[-1][1] / 1024:.0f} KiB at end")
        print(f"soak: slope after warm-up {per_reload:.0f} bytes per reload")
    if daemon.poll() is not None:
        sys.exit(f"soak: the daemon exited ({daemon.returncode}); see {work}/daemon.log")
finally:
    if daemon.poll() is None:
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(30)
PY
echo "soak: load average at end $(cut -d' ' -f1-3 /proc/loadavg)"
