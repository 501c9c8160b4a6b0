#!/usr/bin/env bash
# Sets up, builds and runs the whole test suite: scripts/test.sh
#   --sanitize   the golden model, SystemC, cost and the command line built with
#                AddressSanitizer and UndefinedBehaviorSanitizer in
#                build-sanitize/ (any report fails the test that triggered
#                it); the Verilated RTL and its checks are left out there
#                (-DQMAC_RTL=OFF): Verilator's generated code is not ours to
#                instrument, and the plain run checks it
# QMAC_TEST_SCALE=N multiplies the randomized vector counts (the full run uses more).
# Ends with how many tests passed, failed and were skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
extra=()
export QMAC_BUILD_DIR=build
if [ "${1:-}" = "--sanitize" ]; then
  QMAC_BUILD_DIR=build-sanitize
  extra=(-DQMAC_SANITIZE=ON -DQMAC_RTL=OFF)
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
status=0
ctest -j "$(nproc)" --output-on-failure --timeout 1200 --output-junit ctest-junit.xml || status=$?
/usr/bin/python3 - ctest-junit.xml "$QMAC_BUILD_DIR" <<'PY'
import sys
import xml.etree.ElementTree as ET
cases = ET.parse(sys.argv[1]).getroot().iter("testcase")
count = {"passed": 0, "failed": 0, "skipped": 0}
for case in cases:
    status = case.get("status", "run")
    if status in ("fail", "failed") or case.find("failure") is not None:
        count["failed"] += 1
    elif status in ("skipped", "disabled", "notrun") or case.find("skipped") is not None:
        count["skipped"] += 1
    else:
        count["passed"] += 1
print("test.sh (%s): %d passed, %d failed, %d skipped" % (
    sys.argv[2], count["passed"], count["failed"], count["skipped"]))
PY
exit $status
