#!/usr/bin/env bash
# Mutation coverage of the RTL checks, every family of
# testbench/mutation/families.txt (docs/correctness.md has the table this
# prints): builds qmac-mutate (one Verilated model per family line) and runs
# every mutant through qmac verify's check (arrays: the lockstep check),
# deciding survivors from reset with Yosys and ABC. Resumable: results stay
# in results/mutation/ (or $1), and a rerun continues where an interrupted
# one stopped.
#   scripts/mutate.sh [OUT_DIR] [qmac-mutate options, e.g. --family dot -j 4]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-results/mutation}"
shift || true
scripts/bootstrap.sh
scripts/build.sh --target qmac-mutate
start=$(date +%s)
build/testbench/mutation/qmac-mutate -j "$(nproc)" --vectors 200000 --proof-seconds 300 \
  -o "$out" "$@"
echo "mutate.sh: done in $(($(date +%s) - start)) s; per-mutant results in $out/, table in $out/summary.md"
