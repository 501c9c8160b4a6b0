#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: scripts/test.sh
# QMAC_TEST_SCALE=N multiplies the randomized vector counts (the full run uses more).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
scripts/build.sh -DQMAC_TEST_SCALE="${QMAC_TEST_SCALE:-1}"
cd build
ctest -j "$(nproc)" --output-on-failure --timeout 1200
