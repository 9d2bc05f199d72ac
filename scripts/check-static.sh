#!/usr/bin/env bash
# Fails when a newsmon binary needs the Swift toolchain at run time: a RUNPATH/RPATH other than
# $ORIGIN, or a shared library that `ldd` resolves to a Swift runtime or a toolchain directory.
#     scripts/check-static.sh PATH/TO/newsmon
set -euo pipefail
binary="${1:?usage: scripts/check-static.sh BINARY}"
toolchain_lib="$(dirname "$(dirname "$(command -v swift)")")/lib"
bad=0
runpath=$(readelf -d "$binary" | sed -nE 's/.*\((RUNPATH|RPATH)\).*\[(.*)\]/\2/p')
for entry in ${runpath//:/ }; do
  [ "$entry" = '$ORIGIN' ] || { echo "check-static: $binary: RUNPATH entry $entry" >&2; bad=1; }
done
libs=$(ldd "$binary")
if echo "$libs" | grep -E "libswift|libFoundation|libdispatch|libBlocksRuntime|$toolchain_lib|not found" >&2; then
  echo "check-static: $binary: the lines above are toolchain libraries or missing" >&2
  bad=1
fi
[ "$bad" -eq 0 ] && echo "check-static: $binary: self-contained ($(echo "$libs" | wc -l) system libraries)"
exit "$bad"
