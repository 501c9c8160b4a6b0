#!/usr/bin/env bash
# install_and_link.sh BUILD_DIR EXAMPLE_DIR CMAKE
set -euo pipefail
build=$1 example=$2 cmake=$3
scratch=$build/install-test
rm -rf "$scratch"
"$cmake" --install "$build" --prefix "$scratch/prefix" >/dev/null
"$cmake" -S "$example" -B "$scratch/build" -DCMAKE_PREFIX_PATH="$scratch/prefix" >/dev/null
"$cmake" --build "$scratch/build" >/dev/null
"$scratch/build/golden_testbench"
