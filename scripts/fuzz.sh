#!/usr/bin/env bash
# scripts/fuzz.sh TARGET SECONDS [libFuzzer options...]
# Runs a libFuzzer target (format, number, mac, topology, sweep) for SECONDS on
# its seed corpus fuzz/corpus/TARGET/, one job. Configures and builds the
# clang++ fuzz build in build-fuzz/ (-DQMAC_FUZZ=ON) when needed. New corpus
# entries go to a scratch directory ($QMAC_FUZZ_WORK, default build-fuzz/work/TARGET),
# never into the repository; crashes, leaks and timeouts are written to
# build-fuzz/work/TARGET/artifacts/. Exit status: libFuzzer's (0 = no finding).
set -euo pipefail
cd "$(dirname "$0")/.."
usage="usage: scripts/fuzz.sh format|number|mac|topology|sweep SECONDS [libFuzzer options]"
[ $# -ge 2 ] || { echo "$usage" >&2; exit 2; }
target=$1 seconds=$2
shift 2
case "$target" in
  format) max_len=64 ;;     # three names
  number) max_len=512 ;;    # two selector bytes and a few lines of numbers
  mac) max_len=4096 ;;      # selector bytes and vector lines
  topology) max_len=4096 ;; # a CSV of a few dozen rows
  sweep) max_len=4096 ;;    # a YAML sweep of a page or two
  *) echo "$usage" >&2; exit 2 ;;
esac
[[ "$seconds" =~ ^[0-9]+$ ]] || { echo "$usage" >&2; exit 2; }
command -v clang++ >/dev/null || { echo "fuzz.sh: clang++ missing: run scripts/bootstrap.sh" >&2; exit 1; }

if [ ! -f build-fuzz/CMakeCache.txt ]; then
  cmake -S . -B build-fuzz -DQMAC_FUZZ=ON -DCMAKE_CXX_COMPILER=clang++ \
    -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
fi
cmake --build build-fuzz -j "$(nproc)" --target "fuzz_$target" >/dev/null

root=$(pwd)
work=$(mkdir -p "${QMAC_FUZZ_WORK:-build-fuzz/work/$target}" && cd "${QMAC_FUZZ_WORK:-build-fuzz/work/$target}" && pwd)
mkdir -p "$work/corpus" "$work/artifacts"
# -jobs=1 runs one fuzzing process whose log is $work/fuzz-0.log (printed at
# the end). The scratch corpus comes first: new entries are written there;
# the seeds are only read.
cd "$work"
exec "$root/build-fuzz/fuzz/fuzz_$target" "$work/corpus" "$root/fuzz/corpus/$target" \
  -max_total_time="$seconds" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
  -jobs=1 -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$@"
