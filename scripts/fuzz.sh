#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer and AddressSanitizer (docs/security.md, "Fuzzing").
#
#   bash scripts/fuzz.sh TARGET [SECONDS]
#
#   TARGET   feed    the feed parser over raw bytes, with a charset label and a time zone (FeedParsing)
#            rules   the rule language: text -> compiled rule set -> one item matched and explained (TopicRules)
#            config  feeds.conf text through TOMLAbortGuard, toml++ and the validation (NewsMonitor)
#            all     each of them in turn, SECONDS each
#   SECONDS  how long libFuzzer runs (-max_total_time); the default is 600
#
# Builds the package under Fuzz/ (a package of its own, so `swift build` and `swift test` never see it) with
# `-sanitize=fuzzer,address`, seeds a corpus from Fuzz/Seeds, the repository's fixtures and, when
# present, the shared conformance corpus ($NEWSMON_SHARED, else ../shared), then runs libFuzzer and prints the
# executions, the coverage and the result.
#
# Environment:
#   NEWSMON_FUZZ_DIR   scratch directory: per target corpus/ (kept between runs), seeds/, crashes/, fuzz.log.
#                      The default is ${TMPDIR:-/tmp}/newsmon-fuzz.
#   NEWSMON_FUZZ_CONFIGURATION   release (the default: the configuration that ships) or debug (half the
#                      executions a second, but Swift's debug-only checks too: assertions, unsafe buffer bounds;
#                      and a build in a third of the time).
#   NEWSMON_FUZZ_PARALLEL=1   with `all`: run the targets at the same time, each for SECONDS.
#
# Exit status: 0 when no input crashed; 1 when one crashed, timed out (10 s) or ran out of memory (2 GB): the
# input is in NEWSMON_FUZZ_DIR/TARGET/crashes/ and `BINARY INPUT` replays it; 2 for a usage error; 3 when the
# instrumented build failed.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: bash scripts/fuzz.sh feed|rules|config|all [SECONDS]" >&2; exit 2; }
[ $# -ge 1 ] && [ $# -le 2 ] || usage
target=$1
seconds=${2:-600}
[[ "$seconds" =~ ^[0-9]+$ ]] && [ "$seconds" -gt 0 ] || usage
case "$target" in
  feed | rules | config) targets=("$target") ;;
  all) targets=(feed rules config) ;;
  *) usage ;;
esac
configuration=${NEWSMON_FUZZ_CONFIGURATION:-release}
work_root=${NEWSMON_FUZZ_DIR:-${TMPDIR:-/tmp}/newsmon-fuzz}
shared=${NEWSMON_SHARED:-$(cd .. && pwd)/shared}

# 1. Build. libFuzzer supplies main(), hence -parse-as-library, and `--sanitize fuzzer`, which also stops SwiftPM
#    from renaming the executables' entry points. The address sanitizer comes in the same -sanitize= flag, after
#    SwiftPM's: `--sanitize fuzzer --sanitize address` gives two -sanitize= flags in no fixed order, and swiftc
#    keeps only the last one. The C and C++ targets (toml++ inside TOMLKit) get both too; the system libxml2 does not.
build=(swift build --package-path Fuzz -c "$configuration" --sanitize fuzzer -Xswiftc -sanitize=fuzzer,address
  -Xswiftc -parse-as-library -Xcc -fsanitize=fuzzer-no-link,address -Xcxx -fsanitize=fuzzer-no-link,address)
[ "$target" = all ] || build+=(--product "fuzz-$target")
mkdir -p "$work_root"
start=$(date +%s)
if ! "${build[@]}" > "$work_root/build.log" 2>&1; then
  cat "$work_root/build.log"
  echo "fuzz: the build failed" >&2
  exit 3
fi
bin_dir=$(swift build --package-path Fuzz -c "$configuration" --show-bin-path)
echo "fuzz: built in $(($(date +%s) - start)) s ($configuration, fuzzer + address sanitizer)"

# 2. Seeds, written afresh on every run; what libFuzzer adds goes to corpus/, which is kept.
seed() {
  local name=$1 seeds=$2
  python3 - "$name" "$seeds" "$shared" <<'PY'
import hashlib, json, pathlib, sys, tomllib
target, out, shared = sys.argv[1], pathlib.Path(sys.argv[2]), pathlib.Path(sys.argv[3])
def write(data: bytes):
    (out / hashlib.sha1(data).hexdigest()).write_bytes(data)
def files(*patterns):
    for pattern in patterns:
        yield from sorted(pathlib.Path(".").glob(pattern))
if target == "feed":
    # fuzz-feed reads the last byte as its options: 0 is no charset label, no time zone, a URL.
    paths = list(files("Fuzz/Seeds/feed/*", "Tests/FeedParsingTests/Fixtures/*.xml", "fixtures/demo/*.xml",
                       "Tests/TopicRulesTests/Fixtures/*.xml"))
    paths += sorted((shared / "conformance" / "cases").rglob("*.xml"))
    for path in paths:
        write(path.read_bytes() + b"\0")
elif target == "rules":
    for path in files("Fuzz/Seeds/rules/*"):
        write(path.read_bytes())
    conf = tomllib.loads(pathlib.Path("feeds.conf").read_text())
    parts = conf.get("define", {})
    items = [json.loads(line) for line in pathlib.Path("Tests/TopicRulesTests/Fixtures/labelled-items.jsonl").open()][:40]
    for rule in parts.values():
        write(rule.encode())
    for i, topic in enumerate(conf.get("topic", [])):
        write(topic["rule"].encode())
        item = items[i % len(items)] if items else {}
        text = "\n".join([item.get("title", ""), item.get("summary", ""), item.get("content", "")] + item.get("categories", []))
        write("\0".join([topic["rule"]] + [f"{k}={v}" for k, v in parts.items()] + [text]).encode())
else:
    for path in files("Fuzz/Seeds/config/*", "feeds.conf", "fixtures/demo/feeds.conf"):
        write(path.read_bytes())
PY
}

# 3. Run. TOMLKit's own leaks are suppressed by name (Fuzz/lsan-suppressions.txt); any other leak is a finding.
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan-suppressions.txt:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
# Swift's own crash backtracer would run inside the sanitizer's signal handling and muddle its report.
export SWIFT_BACKTRACE=enable=no
declare -A max_len=([feed]=16384 [rules]=4096 [config]=16384)

# One target: prints what it did; returns libFuzzer's verdict.
run_target() {
  local t=$1 work="$work_root/$1" rc started elapsed last execs
  echo "fuzz-$t: $(ls "$work/seeds" | wc -l) seeds, $(ls "$work/corpus" | wc -l) inputs kept from earlier runs; ${seconds} s"
  started=$(date +%s)
  set +e
  "$bin_dir/fuzz-$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -max_len="${max_len[$t]}" \
    -dict="Fuzz/Dictionaries/$t.dict" -artifact_prefix="$work/crashes/" -print_final_stats=1 \
    "$work/corpus" "$work/seeds" > "$work/fuzz.log" 2>&1
  rc=$?
  set -e
  elapsed=$(($(date +%s) - started))
  last=$(grep -aE '^#[0-9]+' "$work/fuzz.log" | tail -1 || true)
  stat() { grep -a "^stat::$1:" "$work/fuzz.log" | awk '{print $2}' | tail -1 || true; }
  execs=$(stat number_of_executed_units)
  echo "fuzz-$t: ${execs:-?} executions in $elapsed s" \
    "(${execs:+$((execs / (elapsed > 0 ? elapsed : 1)))}/s), $(echo "$last" | grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+/[0-9A-Za-z]+' || echo "cov: ?"), peak RSS $(stat peak_rss_mb) MB"
  if grep -q "no interesting inputs were found" "$work/fuzz.log"; then
    echo "fuzz-$t: libFuzzer found no coverage: the code under test is not instrumented"
    rc=1
  fi
  if [ "$rc" -ne 0 ]; then
    grep -aE 'ERROR: |Assertion|Fatal error|fuzz invariant failed|SUMMARY|Test unit written to' "$work/fuzz.log" | head -20 || true
    echo "fuzz-$t: FAILED (libFuzzer exit $rc); log $work/fuzz.log; replay: LSAN_OPTIONS=$LSAN_OPTIONS" \
      "SWIFT_BACKTRACE=$SWIFT_BACKTRACE $bin_dir/fuzz-$t $work/crashes/INPUT"
    return 1
  fi
  echo "fuzz-$t: no crash"
}

for t in "${targets[@]}"; do
  rm -rf "$work_root/$t/seeds"
  mkdir -p "$work_root/$t/corpus" "$work_root/$t/seeds" "$work_root/$t/crashes"
  seed "$t" "$work_root/$t/seeds"
done
status=0
if [ "${NEWSMON_FUZZ_PARALLEL:-0}" = 1 ]; then
  # All targets at once, each for SECONDS (CI's smoke run): the report comes in target order at the end.
  pids=()
  for t in "${targets[@]}"; do
    run_target "$t" > "$work_root/$t/summary.txt" 2>&1 &
    pids+=($!)
  done
  for i in "${!targets[@]}"; do
    wait "${pids[$i]}" || status=1
    cat "$work_root/${targets[$i]}/summary.txt"
  done
else
  for t in "${targets[@]}"; do
    run_target "$t" || status=1
  done
fi
exit "$status"
