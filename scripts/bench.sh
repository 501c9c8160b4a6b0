#!/usr/bin/env bash
# Every benchmark whose figures docs/performance.md quotes, in one run: bit-exact MACs,
# the RTL against the golden model, Verilated PEs, the MAC arrays (SystemC,
# Verilated RTL, analytical model), synthesis, energy and the Accelergy export.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
# The 32x32 RTL array for the array benchmark (two more minutes of compiling).
scripts/build.sh -DQMAC_RTL_LARGE_ARRAYS=ON
qmac=build/sim/qmac
echo "== bit-exact MAC throughput"
$qmac bench --macs 2000000
echo
echo "== the RTL against the golden model: every multiplier pair, every PE unit"
$qmac verify --all --vectors 200000 --waveform-dir build
echo
echo "== Verilated RTL PE speed next to its golden twin"
$qmac bench --rtl --macs 2000000
echo
echo "== MAC arrays: one BERT-base encoder layer on a 16x16 weight-stationary array, simulated in SystemC and checked bit for bit"
$qmac sim --array 16x16 --dataflow ws --a int8 --b int8 --acc int32 --workload bert-base
echo
echo "== the same array, output-stationary, e4m3fn into fp32: ResNet-50 and a 7B LLM layer (analytical model, exact cycles)"
for w in resnet50 llm7b-prefill llm7b-decode; do
  $qmac sim --array 16x16 --dataflow os --a e4m3fn --b e4m3fn --acc fp32 --workload $w --fast | tail -3
done
echo
echo "== MAC array simulation speed: SystemC next to the Verilated RTL array, and the analytical model"
$qmac bench --array
echo
echo "== what a MAC costs: the paper's INT8 -> FX+12 against FP8-E4 -> FP16 and FP32 (analytical gates, Yosys area and depth, throughput)"
for acc in fp16 fp32; do
  $qmac cost --a e4m3fnuz --b e4m3fnuz --acc $acc
done
$qmac cost --a int8 --b int8 --acc fx+12
echo
echo "== synthesis time per configuration, and the cached lookup"
build/model/cost/qmac-synth-bench
echo
echo "== energy per MAC from the gate netlist's toggles: Gaussian and zero operands, seconds per configuration"
build/model/cost/qmac-energy-bench
echo
echo "== qmac's MAC energy and area as Accelergy tables (for Timeloop), in build/accelergy"
$qmac cost --export accelergy build/accelergy
