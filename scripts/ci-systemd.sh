#!/usr/bin/env bash
# Checks systemd/newsmon.service offline (no running systemd needed):
#  1. `systemd-analyze verify` with ExecStart pointed at the freshly built binary; unknown keys and
#     bad values are only warnings with exit 0, so any output on stderr fails the check.
#  2. `systemd-analyze security --offline=yes --threshold=15`: exposure must stay at or below 1.5
#     (systemd 252 takes the threshold in tenths: "1.5" is rejected as unparsable, 15 means 1.5).
# Usage: scripts/ci-systemd.sh [path/to/newsmon]   (default: the debug build, built if missing)
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v systemd-analyze >/dev/null; then
  echo "ci-systemd: systemd-analyze not installed (apt-get install systemd)" >&2
  exit 1
fi

binary="${1:-}"
if [ -z "$binary" ]; then
  binary="$(swift build --show-bin-path)/newsmon"
  [ -x "$binary" ] || swift build --product newsmon >/dev/null
fi
binary="$(realpath "$binary")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sed "s#^ExecStart=/usr/local/bin/newsmon #ExecStart=$binary #" systemd/newsmon.service > "$work/newsmon.service"
grep -q "^ExecStart=$binary " "$work/newsmon.service" || { echo "ci-systemd: ExecStart not rewritten" >&2; exit 1; }

set +e
systemd-analyze verify --man=no "$work/newsmon.service" >"$work/verify.out" 2>"$work/verify.err"
rc=$?
set -e
if [ "$rc" -ne 0 ] || [ -s "$work/verify.err" ]; then
  echo "ci-systemd: systemd-analyze verify failed (exit $rc):" >&2
  cat "$work/verify.err" >&2
  exit 1
fi
echo "ci-systemd: verify clean"

set +e
systemd-analyze security --offline=yes --threshold=15 "$work/newsmon.service" >"$work/security.out" 2>&1
rc=$?
set -e
grep -E "Overall exposure level" "$work/security.out" || true
if [ "$rc" -ne 0 ]; then
  echo "ci-systemd: exposure above 1.5 (exit $rc)" >&2
  tail -n 20 "$work/security.out" >&2
  exit 1
fi
echo "ci-systemd: ok"
