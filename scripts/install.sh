#!/usr/bin/env bash
# Builds a self-contained newsmon (Swift runtime linked statically; libxml2, SQLite, libcurl from the
# system) and installs it with the systemd unit, the sysusers entry and an example feeds.conf.
#
#     sudo scripts/install.sh [--prefix DIR] [--destdir DIR] [--no-build]
#
#   --prefix DIR    where the binary goes: DIR/bin/newsmon (default /usr/local)
#   --destdir DIR   stage every file under DIR instead of / (packaging, CI); systemd is not touched
#   --no-build      install the binary already built by a previous run
#
# An existing /etc/newsmon/feeds.conf is never overwritten (the example goes next to it as
# feeds.conf.example). Without --destdir, creates the `newsmon` system user and group
# (systemd-sysusers) and runs `systemctl daemon-reload`; start with `systemctl enable --now newsmon`.
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=/usr/local
destdir=""
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --prefix) prefix="${2:?--prefix needs a directory}"; shift 2 ;;
    --destdir) destdir="${2:?--destdir needs a directory}"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "install: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$prefix" in /*) ;; *) echo "install: --prefix must be an absolute path" >&2; exit 2 ;; esac

if [ "$build" -eq 1 ]; then
  swift build -c release --static-swift-stdlib --product newsmon 2>&1 | grep -vE '^\[[0-9]+/[0-9]+\] ' || true
fi
binary="$(swift build -c release --show-bin-path)/newsmon"
[ -x "$binary" ] || { echo "install: no release binary at $binary (build failed?)" >&2; exit 1; }
if toolchain=$(bash scripts/check-static.sh "$binary" 2>&1); then :; else
  echo "$toolchain" >&2
  echo "install: refusing to install a binary that needs the Swift toolchain at run time" >&2
  exit 1
fi

bin="$destdir$prefix/bin"
install -d -m 0755 "$bin" "$destdir/etc/systemd/system" "$destdir/etc/newsmon" "$destdir/usr/lib/sysusers.d"
install -m 0755 "$binary" "$bin/newsmon"
# Written files stay cached in the large folios they were written in, which every run then maps whole (about
# 1 MB more resident); dropped, the binary is read back as its runs fault it in (docs/performance.md).
dd if="$bin/newsmon" iflag=nocache count=0 status=none 2>/dev/null || true
sed "s#/usr/local/bin/newsmon #$prefix/bin/newsmon #" systemd/newsmon.service > "$destdir/etc/systemd/system/newsmon.service"
chmod 0644 "$destdir/etc/systemd/system/newsmon.service"
install -m 0644 systemd/newsmon.sysusers "$destdir/usr/lib/sysusers.d/newsmon.conf"
if [ -e "$destdir/etc/newsmon/feeds.conf" ]; then
  install -m 0644 feeds.conf "$destdir/etc/newsmon/feeds.conf.example"
  echo "install: kept the existing /etc/newsmon/feeds.conf; the example is feeds.conf.example"
else
  install -m 0644 feeds.conf "$destdir/etc/newsmon/feeds.conf"
fi
echo "install: $prefix/bin/newsmon, /etc/systemd/system/newsmon.service, /etc/newsmon/feeds.conf${destdir:+ (under $destdir)}"

if [ -z "$destdir" ]; then
  command -v systemd-sysusers >/dev/null && systemd-sysusers /usr/lib/sysusers.d/newsmon.conf
  "$prefix/bin/newsmon" check --config /etc/newsmon/feeds.conf
  if [ -d /run/systemd/system ]; then
    systemctl daemon-reload
    echo "install: start with: systemctl enable --now newsmon"
  fi
fi
