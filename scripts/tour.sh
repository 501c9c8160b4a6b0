#!/usr/bin/env bash
# A short tour of the golden model on the command line: formats, quantization,
# MACs step by step. Run after scripts/build.sh (or scripts/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
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
