#!/usr/bin/env bash
# The main job: set up, build, and run the efficiency study: the default sweep
# (configs/default.yaml: every 4- and 8-bit format into every accumulator kind,
# on a 16x16 array running the built-in workloads, with cost, energy,
# throughput and accuracy) and its report, reports/default/index.html.
# Re-running resumes the sweep and takes the cached synthesis and energy.
# scripts/tour.sh shows the command line; scripts/bench.sh runs every benchmark.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/build.sh
build/sim/qmac report -o reports/default
echo "report: $(pwd)/reports/default/index.html (and report.md)"
