#!/usr/bin/env bash
# The main job: set up, build what the study needs, and run the efficiency
# study: the default sweep (configs/default.yaml: every 4- and 8-bit format
# into every accumulator kind, on a 16x16 array running the built-in
# workloads, with cost, energy, throughput and accuracy) and its report,
# reports/default/index.html.
# Only the qmac binary is built: the study needs no Verilated RTL models
# (synthesis and toggle simulation run Yosys and Verilator themselves).
# Re-running resumes the sweep and takes the cached synthesis and energy.
# scripts/tour.sh shows the command line; scripts/bench.sh runs every benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { echo "run.sh: [$1/3] $2 ($(($(date +%s) - start)) s so far)"; }
step 1 "Debian packages (scripts/bootstrap.sh)"
scripts/bootstrap.sh
step 2 "building qmac (scripts/build.sh --target qmac)"
scripts/build.sh --target qmac
step 3 "the efficiency study and its report (qmac report -o reports/default)"
build/sim/qmac report -o reports/default
echo "run.sh: done in $(($(date +%s) - start)) s; report: $(pwd)/reports/default/index.html (and report.md)"
