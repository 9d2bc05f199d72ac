#!/usr/bin/env bash
# CI gates beyond `swift test`: the parser against the public conformance corpus (with a floor that only
# ever rises), the install (a self-contained binary, staged), and the systemd unit checks.
# Called by .ci/run after the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."

# Raise this as the parser improves; never lower it.
CONFORMANCE_FLOOR=430

# 1. Conformance; builds the release binary with the Swift runtime linked statically.
bash scripts/conformance.sh "$CONFORMANCE_FLOOR"

# 2. The install, staged: the installed binary must not need the toolchain (ldd, RUNPATH) and must run.
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
bash scripts/install.sh --no-build --destdir "$stage"
installed="$stage/usr/local/bin/newsmon"
bash scripts/check-static.sh "$installed"
"$installed" check --config "$stage/etc/newsmon/feeds.conf"
grep -q "^ExecStart=/usr/local/bin/newsmon run " "$stage/etc/systemd/system/newsmon.service"

# 3. The unit (verify with ExecStart pointed at the installed binary; exposure at most 1.5).
bash scripts/ci-systemd.sh "$installed"
