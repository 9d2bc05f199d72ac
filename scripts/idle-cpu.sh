#!/usr/bin/env bash
# Measures the CPU an idle newsmon daemon spends between polls.
#
# Starts a loopback HTTP server (127.0.0.1 only) serving 100 generated feeds, runs
# `newsmon run` on a config polling them every 10 minutes (with a 60 s watchdog, as under
# systemd), waits until the first polls are done, then reads the daemon's user+system CPU time
# from /proc/PID/stat over MEASURE_SECONDS (default 60) and prints CPU seconds per minute.
# Target: < 0.1 s/min. Exit status 1 when the target is missed.
#
# Usage: scripts/idle-cpu.sh [path/to/newsmon]
#   default binary: .build/release/newsmon if built, else the debug build (built if missing).
#   MEASURE_SECONDS=60 WARMUP_SECONDS=45 FEEDS=100 may be set in the environment.
set -euo pipefail
cd "$(dirname "$0")/.."

MEASURE_SECONDS="${MEASURE_SECONDS:-60}"
WARMUP_SECONDS="${WARMUP_SECONDS:-45}"
FEEDS="${FEEDS:-100}"

binary="${1:-}"
if [ -z "$binary" ]; then
  if [ -x .build/release/newsmon ]; then binary=.build/release/newsmon
  else
    binary="$(swift build --show-bin-path)/newsmon"
    [ -x "$binary" ] || swift build --product newsmon >/dev/null
  fi
fi
binary="$(realpath "$binary")"

work="$(mktemp -d)"
server_pid=""; daemon_pid=""; receiver_pid=""
cleanup() {
  for pid in "$daemon_pid" "$server_pid" "$receiver_pid"; do
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# 1. Feeds and a loopback server for them.
mkdir -p "$work/www" "$work/state"
for i in $(seq 1 "$FEEDS"); do
  cat > "$work/www/feed$i.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Feed $i</title><link>http://127.0.0.1/</link><description>idle test</description>
<item><title>Gemeinderat $i beschließt Haushalt</title><link>http://127.0.0.1/item$i</link><guid>item-$i</guid>
<pubDate>Wed, 12 Jan 2022 09:00:00 +0000</pubDate><description>Nichts Besonderes.</description></item>
</channel></rss>
XML
done
python3 - "$work/www" > "$work/server.port" 2>"$work/server.log" <<'PY' &
import functools, http.server, sys
class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args): pass
handler = functools.partial(Quiet, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
print(server.server_address[1], flush=True)
server.serve_forever()
PY
server_pid=$!
for _ in $(seq 50); do [ -s "$work/server.port" ] && break; sleep 0.1; done
port="$(cat "$work/server.port")"

# 2. feeds.conf: 100 feeds at 10 minutes, one topic.
{
  printf '[defaults]\ninterval = "10m"\n\n'
  for i in $(seq 1 "$FEEDS"); do
    printf '[[feed]]\nid = "feed%s"\nurl = "http://127.0.0.1:%s/feed%s.xml"\n\n' "$i" "$port" "$i"
  done
  printf '[[topic]]\nid = "nato-russia-council"\ntitle = "NATO-Russia Council"\nrule = %s\n' "'\"nato russland rat\" OR \"nato russia council\"'"
} > "$work/feeds.conf"

# 3. A notify socket receiver (as systemd would be), then the daemon.
python3 - "$work/notify.sock" > "$work/notify.log" <<'PY' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM); s.bind(sys.argv[1])
print("BOUND", flush=True)
while True:
    print(s.recv(4096).decode().replace("\n", " "), flush=True)
PY
receiver_pid=$!
for _ in $(seq 50); do grep -q BOUND "$work/notify.log" 2>/dev/null && break; sleep 0.1; done

NOTIFY_SOCKET="$work/notify.sock" WATCHDOG_USEC=60000000 \
  "$binary" run --config "$work/feeds.conf" --state "$work/state" --output none --log-level warning \
  2>"$work/daemon.log" &
daemon_pid=$!

for _ in $(seq 100); do grep -q READY=1 "$work/notify.log" && break; sleep 0.1; done
grep -q READY=1 "$work/notify.log" || { echo "idle-cpu: daemon did not become ready" >&2; cat "$work/daemon.log" >&2; exit 1; }
echo "idle-cpu: $FEEDS feeds on 127.0.0.1:$port, waiting ${WARMUP_SECONDS}s for the first polls"
sleep "$WARMUP_SECONDS"
polled=$("$binary" status --config "$work/feeds.conf" --state "$work/state" --json | grep -c '"last_success":"' || true)
echo "idle-cpu: feeds polled successfully so far: $polled"

ticks() { awk '{print $14 + $15}' "/proc/$daemon_pid/stat"; }
hz=$(getconf CLK_TCK)
start=$(ticks)
sleep "$MEASURE_SECONDS"
end=$(ticks)
kill -0 "$daemon_pid" || { echo "idle-cpu: daemon died" >&2; cat "$work/daemon.log" >&2; exit 1; }
status=$(grep -o 'STATUS=[^W]*' "$work/notify.log" | tail -1 || true)
python3 - "$start" "$end" "$hz" "$MEASURE_SECONDS" "$status" <<'PY'
import sys
start, end, hz, seconds = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
cpu = (end - start) / hz
per_minute = cpu * 60 / seconds
print(f"idle-cpu: {cpu:.3f} CPU s in {seconds:.0f} s between polls = {per_minute:.3f} CPU s/min (target < 0.1)")
print(f"idle-cpu: last {sys.argv[5].strip()}")
sys.exit(0 if per_minute < 0.1 else 1)
PY
