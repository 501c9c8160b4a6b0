#!/usr/bin/env bash
# The main job: set up, build, and run the study. For now a short demonstration
# of the golden model; later parts make it the full efficiency study.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
# The 32x32 RTL array for the benchmark below (two more minutes of compiling).
scripts/build.sh -DQMAC_RTL_LARGE_ARRAYS=ON
qmac=build/sim/qmac
echo "== formats"
$qmac formats
echo
echo "== quantize 0.1, 300, 1e6, -2.7e-3 to e4m3fn (rne) and e5m2"
printf '0.1\n300\n1e6\n-2.7e-3\n' | $qmac quantize --format e4m3fn
printf '0.1\n300\n1e6\n-2.7e-3\n' | $qmac quantize --format e5m2
echo
echo "== a 4-step e4m3fn x e4m3fn dot product into fp16, step by step"
printf '0x7e 0x7e\n0x38 0x38\n0xfe 0x7e\n0x01 0x01\n' | $qmac mac --a e4m3fn --b e4m3fn --acc fp16 --trace
echo
echo "== the same products into the exact fixed-point accumulator fx+12"
printf '0x7e 0x7e\n0x38 0x38\n0xfe 0x7e\n0x01 0x01\n' | $qmac mac --a e4m3fn --b e4m3fn --acc fx+12 --trace
echo
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
