#!/usr/bin/env bash
# Installs the Debian packages newsmon needs to build, test and benchmark; skips what is present.
# libcurl4-openssl-dev provides libcurl.so, which the static-runtime link (scripts/install.sh) needs.
set -euo pipefail
need=()
for pkg in libxml2-dev libsqlite3-dev libcurl4-openssl-dev libxml2-utils pkg-config python3 systemd time; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || need+=("$pkg")
done
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}"
fi
command -v swift >/dev/null || { echo "install-deps: Swift 6.x is required (https://swift.org/install)"; exit 1; }
