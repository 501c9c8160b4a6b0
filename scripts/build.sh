#!/usr/bin/env bash
# Configures and builds qmac (Release) in build/ (or $QMAC_BUILD_DIR).
#   --target T   build only target T (repeatable; default: everything)
# Other arguments go to cmake's configure step (e.g. -DQMAC_RTL=OFF).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${QMAC_BUILD_DIR:-build}"
configure=()
targets=()
while [ $# -gt 0 ]; do
  if [ "$1" = "--target" ] && [ $# -ge 2 ]; then
    targets+=(--target "$2")
    shift 2
  else
    configure+=("$1")
    shift
  fi
done
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release "${configure[@]}" >/dev/null
cmake --build "$dir" -j "$(nproc)" "${targets[@]}"
