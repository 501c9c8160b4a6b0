#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: scripts/test.sh
#   --sanitize   the same suite built with AddressSanitizer and
#                UndefinedBehaviorSanitizer, in build-sanitize/ (any report
#                fails the test that triggered it)
# QMAC_TEST_SCALE=N multiplies the randomized vector counts (the full run uses more).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
extra=()
export QMAC_BUILD_DIR=build
if [ "${1:-}" = "--sanitize" ]; then
  QMAC_BUILD_DIR=build-sanitize
  extra=(-DQMAC_SANITIZE=ON)
  # Leaks are not errors here (SystemC keeps its kernel until exit); everything
  # else is, and halts the program with a stack trace.
  export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
elif [ $# -gt 0 ]; then
  echo "usage: scripts/test.sh [--sanitize]" >&2
  exit 2
fi
scripts/build.sh -DQMAC_TEST_SCALE="${QMAC_TEST_SCALE:-1}" "${extra[@]}"
cd "$QMAC_BUILD_DIR"
ctest -j "$(nproc)" --output-on-failure --timeout 1200
