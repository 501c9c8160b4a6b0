#!/usr/bin/env bash
# Installs the Debian packages qmac needs. Idempotent: installs only what is
# missing, and runs apt-get update only when something must be installed.
set -euo pipefail

packages=(
  cmake make g++            # build
  catch2                    # tests (Catch2 v2)
  libmpfr-dev libgmp-dev    # independent reference for rounding (tests only)
  libboost-dev              # Boost.Multiprecision reference for exact sums (tests only)
  clang-format              # style
  clang                     # libFuzzer targets (fuzz/, scripts/fuzz.sh; clang-14 has -fsanitize=fuzzer)
  verilator                 # RTL cross-checks (Verilator 5.006 on Debian 12)
  yosys                     # RTL synthesis checks
  libsystemc-dev            # SystemC co-simulation and models (SystemC 2.3.4, C++17)
  libyaml-cpp-dev           # sweep configurations
  python3-matplotlib        # report plots (run with /usr/bin/python3)
  chromium                  # the report page loaded in a real browser (tests)
  parallel                  # GNU parallel: the sharded-sweep test
  slurm-wlm munge           # a real single-node Slurm: the job-array sweep test
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
echo "bootstrap: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
